/** ArgoCD synthesis: the desired state as the GitOps repository layout of ARCHITECTURE.md. */
import type { DesiredState } from '../../desired/state.js';
import { PlinthError } from '../../lib/errors.js';
import { toYaml, toYamlStream } from '../../lib/yaml.js';
import { STACKS } from '../../model/unit.js';
import { type RepoFiles, sortedFiles } from '../files.js';
import { APPS_DIR } from '../layout.js';
import { repoReadme } from '../readme.js';
import { appsApplicationSet, stackApplicationSet } from './applicationsets.js';
import { ARGOCD_UNIT, PROJECTS_FILE, ROOT_APP_FILE, ROOT_DIR } from './constants.js';
import { bootstrapProject, stackProject, teamProject } from './projects.js';
import { rootApplication } from './root.js';
import { type GitopsRepo, unitFiles } from './units.js';

export { ARGOCD_NAMESPACE, ARGOCD_UNIT, ROOT_APP } from './constants.js';
export { componentDescriptor, unitSources, type GitopsRepo } from './units.js';

export function synthArgoCd(state: DesiredState): RepoFiles {
  const { platform } = state;
  if (!state.units.some((u) => u.name === ARGOCD_UNIT)) {
    throw new PlinthError(`the GitOps engine is argocd, but the ${ARGOCD_UNIT} component is disabled; enable it in plinth.yaml (components.${ARGOCD_UNIT}.enabled: true)`);
  }
  const repo: GitopsRepo = { url: platform.config.gitops.repo.url, branch: platform.config.gitops.repo.branch };
  const progressive = platform.config.gitops.progressiveSync;
  const files: RepoFiles = new Map();

  for (const unit of state.units) unitFiles(unit, repo, files);

  const stacks = STACKS.filter((s) => state.units.some((u) => u.stack === s));
  const projects = [
    bootstrapProject(repo),
    ...stacks.map((s) => stackProject(s, state.units.filter((u) => u.stack === s), repo)),
    ...platform.teams.map((t) => teamProject(t, repo)),
  ];
  files.set(PROJECTS_FILE, toYamlStream(projects));
  for (const s of stacks) {
    files.set(`${ROOT_DIR}/applicationsets/${s}.yaml`, toYaml(stackApplicationSet(s, state.units.filter((u) => u.stack === s), repo, progressive)));
  }
  files.set(`${ROOT_DIR}/applicationsets/apps.yaml`, toYaml(appsApplicationSet(repo)));
  files.set(ROOT_APP_FILE, toYaml(rootApplication(repo)));
  files.set(
    `${APPS_DIR}/README.md`,
    '# Tenant services\n\nGolden paths write one folder per service here: `apps/<team>/<service>/service.json` plus its manifests.\nThe `apps` ApplicationSet turns each into an Application in the team\'s AppProject.\n',
  );
  files.set(
    'README.md',
    repoReadme(state, [
      '`bootstrap/root-app.yaml`: the root Application; it syncs `bootstrap/root/` (AppProjects and one ApplicationSet per stack).',
      `Progressive sync: ${progressive ? 'on: the Applications of each stack sync wave by wave (needs `applicationsetcontroller.enable.progressive.syncs`, set in the Argo CD values)' : 'off: every Application syncs automatically; dependencies converge through retries'}.`,
    ]),
  );
  return sortedFiles(files);
}
