/** Repository credentials, then the AppProjects and the root Application, as `plinth plan` writes them. */
import { PlinthError } from '../../lib/errors.js';
import { parseYamlStream } from '../../lib/yaml.js';
import type { K8sObject } from '../../model/k8s.js';
import { synthesize } from '../../synth/index.js';
import { ARGOCD_NAMESPACE } from '../../synth/argocd/index.js';
import { PROJECTS_FILE, ROOT_APP_FILE } from '../../synth/argocd/constants.js';
import { reconcileObject } from '../apply.js';
import { APPLICATION, APPLICATION_SET } from '../argo.js';
import { STACK_LABEL } from '../../model/labels.js';
import { RESOURCES_FINALIZER } from '../../synth/argocd/constants.js';
import { preservedOnDelete } from '../../synth/argocd/units.js';
import { credentialValues, fluxRepoSecret, repoSecret } from './credentials.js';
import { FLUX_NAMESPACE, REPO_CREDENTIALS_SECRET, rootFile, sourceFile } from '../../synth/flux/constants.js';
import { engineOf } from './engine.js';
import type { UpRun } from './run.js';
import { engineStatus } from './steps-platform.js';

export async function repositoryCredentials(run: UpRun): Promise<string> {
  const creds = run.options.repoCredentials;
  const url = run.state.platform.config.gitops.repo.url;
  if (engineOf(run.state).kind === 'flux') {
    // The GitRepository names this Secret whether or not the repository is private.
    for (const v of creds ? credentialValues(creds) : []) run.ops.secret(v);
    const action = await reconcileObject(run.client, fluxRepoSecret(creds, FLUX_NAMESPACE, REPO_CREDENTIALS_SECRET), { dryRun: run.dryRun });
    run.printActions([{ ...action, note: creds ? 'repository credentials; values not shown' : 'no credentials: a public repository' }]);
    return creds ? `from the ${creds.origin}` : `none given: Flux reads ${url} without credentials (pass --repo-credentials FILE or set PLINTH_GIT_TOKEN for a private repository)`;
  }
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

/**
 * A cluster installed by an earlier Plinth has one ApplicationSet per stack
 * owning the units' Applications, each with the resources finalizer (a
 * templatePatch could not remove it). Once the new root is in, Argo CD would
 * prune those ApplicationSets and the garbage collector their Applications,
 * cascading through Cilium, Argo CD and the namespaces. So first: each
 * Application is freed from its ApplicationSet (and, where its objects must
 * outlive it, from the finalizer), then the ApplicationSet is deleted
 * orphaning them; the new root adopts the Applications by name.
 */
async function migrateLegacyLayout(run: UpRun): Promise<number> {
  const { client } = run;
  if (!(await client.resource(APPLICATION_SET.apiVersion, APPLICATION_SET.kind))) return 0;
  const legacy = (await client.list(APPLICATION_SET.apiVersion, APPLICATION_SET.kind, { namespace: ARGOCD_NAMESPACE })).filter((s) => s.metadata.name.startsWith('platform-') && s.metadata.labels?.[STACK_LABEL] !== undefined);
  if (legacy.length === 0) return 0;
  const uids = new Set(legacy.map((s) => s.metadata.uid as string));
  const preserved = new Set(run.state.units.filter(preservedOnDelete).map((u) => u.name));
  for (const app of await client.list(APPLICATION.apiVersion, APPLICATION.kind, { namespace: ARGOCD_NAMESPACE })) {
    const owners = (app.metadata.ownerReferences as { uid?: string }[] | undefined) ?? [];
    if (!owners.some((o) => o.uid !== undefined && uids.has(o.uid))) continue;
    const finalizers = (app.metadata.finalizers as string[] | undefined) ?? [];
    const keep = preserved.has(app.metadata.name) ? finalizers.filter((f) => f !== RESOURCES_FINALIZER) : finalizers;
    run.ops.report.line(`      ${run.dryRun ? 'would free' : 'freed'} Application/${ARGOCD_NAMESPACE}/${app.metadata.name} from its ApplicationSet${keep.length !== finalizers.length ? ' and the resources finalizer' : ''}`);
    if (!run.dryRun) {
      await client.patch({ ...APPLICATION, namespace: ARGOCD_NAMESPACE, name: app.metadata.name }, { metadata: { ownerReferences: owners.filter((o) => !(o.uid && uids.has(o.uid))), finalizers: keep } }, 'merge');
    }
  }
  for (const set of legacy) {
    run.ops.report.line(`      ${run.dryRun ? 'would delete' : 'deleted'} ApplicationSet/${ARGOCD_NAMESPACE}/${set.metadata.name} of the earlier layout (its Applications stay)`);
    if (!run.dryRun) await client.delete({ ...APPLICATION_SET, namespace: ARGOCD_NAMESPACE, name: set.metadata.name }, { propagationPolicy: 'Orphan' });
  }
  return legacy.length;
}

/** Flux's GitRepository of this repository and the root Kustomization, as `plinth plan` writes them. */
export function fluxRootObjects(run: UpRun): K8sObject[] {
  const files = synthesize(run.state);
  const objects = [sourceFile(run.state.platform.name), rootFile(run.state.platform.name)].flatMap((f) => parseYamlStream(files.get(f) ?? '') as K8sObject[]);
  if (objects.length !== 2) throw new PlinthError('the synthesis has no GitRepository and root Kustomization');
  return objects;
}

export async function projectsAndRoot(run: UpRun): Promise<string> {
  const flux = engineOf(run.state).kind === 'flux';
  if (!run.dryRun) {
    const engine = await engineStatus(run);
    if (!engine.ready) throw new PlinthError(`the root ${flux ? 'Kustomization' : 'Application'} waits for the GitOps engine, which is not Available:\n${engine.pending.map((p) => `  - ${p}`).join('\n')}`);
  }
  if (flux) {
    const policy = { dryRun: run.dryRun, servedLater: await run.servedLater(), required: true };
    const objects = fluxRootObjects(run);
    const actions = [];
    for (const o of objects) actions.push(await reconcileObject(run.client, o, policy));
    run.printActions(actions);
    const repo = run.state.platform.config.gitops.repo;
    return `the GitRepository ${objects[0]!.metadata.name} and the root Kustomization ${objects[1]!.metadata.name}; Flux applies ${repo.url} (${repo.branch}): push what \`plinth plan\` writes there`;
  }
  const { projects, root } = bootstrapObjects(run);
  await migrateLegacyLayout(run);
  const policy = { dryRun: run.dryRun, servedLater: await run.servedLater(), required: true };
  const actions = [];
  for (const p of projects) actions.push(await reconcileObject(run.client, p, policy));
  actions.push(await reconcileObject(run.client, root, policy));
  run.printActions(actions);
  const repo = run.state.platform.config.gitops.repo;
  return `${projects.length} AppProjects and the root Application ${root.metadata.name}; Argo CD syncs ${repo.url} (${repo.branch}): push what \`plinth plan\` writes there`;
}
