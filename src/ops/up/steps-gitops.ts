/** Repository credentials, then the AppProjects and the root Application, as `plinth plan` writes them. */
import { PlinthError } from '../../lib/errors.js';
import { parseYamlStream } from '../../lib/yaml.js';
import type { K8sObject } from '../../model/k8s.js';
import { synthesize } from '../../synth/index.js';
import { ARGOCD_NAMESPACE } from '../../synth/argocd/index.js';
import { PROJECTS_FILE, ROOT_APP_FILE } from '../../synth/argocd/constants.js';
import { reconcileObject } from '../apply.js';
import { credentialValues, repoSecret } from './credentials.js';
import type { UpRun } from './run.js';
import { engineStatus } from './steps-platform.js';

export async function repositoryCredentials(run: UpRun): Promise<string> {
  const creds = run.options.repoCredentials;
  const url = run.state.platform.config.gitops.repo.url;
  if (!creds) return `none given: Argo CD reads ${url} without credentials (pass --repo-credentials FILE or set PLINTH_GIT_TOKEN for a private repository)`;
  for (const v of credentialValues(creds)) run.ops.secret(v);
  const action = await reconcileObject(run.client, repoSecret(creds, ARGOCD_NAMESPACE), { dryRun: run.dryRun });
  run.printActions([{ ...action, note: 'repository credentials; values not shown' }]);
  return `from the ${creds.origin}`;
}

/** The bootstrap objects `plinth plan` writes, read from the same synthesis. */
export function bootstrapObjects(run: UpRun): { projects: K8sObject[]; root: K8sObject } {
  const files = synthesize(run.state);
  const projects = parseYamlStream(files.get(PROJECTS_FILE) ?? '') as K8sObject[];
  const root = parseYamlStream(files.get(ROOT_APP_FILE) ?? '')[0] as K8sObject | undefined;
  if (!root) throw new PlinthError(`the synthesis has no ${ROOT_APP_FILE}`);
  return { projects, root };
}

export async function projectsAndRoot(run: UpRun): Promise<string> {
  const { projects, root } = bootstrapObjects(run);
  if (!run.dryRun) {
    const engine = await engineStatus(run);
    if (!engine.ready) throw new PlinthError(`the root Application waits for the GitOps engine, which is not Available:\n${engine.pending.map((p) => `  - ${p}`).join('\n')}`);
  }
  const policy = { dryRun: run.dryRun, servedLater: await run.servedLater(), required: true };
  const actions = [];
  for (const p of projects) actions.push(await reconcileObject(run.client, p, policy));
  actions.push(await reconcileObject(run.client, root, policy));
  run.printActions(actions);
  const repo = run.state.platform.config.gitops.repo;
  return `${projects.length} AppProjects and the root Application ${root.metadata.name}; Argo CD syncs ${repo.url} (${repo.branch}): push what \`plinth plan\` writes there`;
}
