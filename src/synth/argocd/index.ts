/** ArgoCD synthesis: the desired state as the GitOps repository layout of ARCHITECTURE.md. */
import type { DesiredState } from '../../desired/state.js';
import { PlatformError } from '../../lib/errors.js';
import { toYaml, toYamlStream } from '../../lib/yaml.js';
import { STACKS } from '../../model/unit.js';
import { type RepoFiles, sortedFiles } from '../files.js';
import { APPS_DIR } from '../layout.js';
import { repoReadme } from '../readme.js';
import { applicationFile, unitApplication } from './applications.js';
import { appsApplicationSet, tenantWave } from './applicationsets.js';
import { ARGOCD_UNIT, PROJECTS_FILE, ROOT_APP_FILE, TENANTS_APPLICATIONSET_FILE } from './constants.js';
import { bootstrapProject, stackProject, teamProject } from './projects.js';
import { rootApplication } from './root.js';
import { type GitopsRepo, unitFiles } from './units.js';

export { ARGOCD_NAMESPACE, ARGOCD_UNIT, ROOT_APP } from './constants.js';
export { componentDescriptor, unitSources, type GitopsRepo } from './units.js';

export function synthArgoCd(state: DesiredState): RepoFiles {
  const { platform } = state;
  if (!state.units.some((u) => u.name === ARGOCD_UNIT)) {
    throw new PlatformError(`the GitOps engine is argocd, but the ${ARGOCD_UNIT} component is disabled; enable it in plinth.yaml (components.${ARGOCD_UNIT}.enabled: true)`);
  }
  const repo: GitopsRepo = { url: platform.config.gitops.repo.url, branch: platform.config.gitops.repo.branch };
  const files: RepoFiles = new Map();

  for (const unit of state.units) {
    unitFiles(unit, repo, files);
    files.set(applicationFile(unit), toYaml(unitApplication(unit, repo)));
  }

  const stacks = STACKS.filter((s) => state.units.some((u) => u.stack === s));
  const projects = [
    bootstrapProject(repo),
    ...stacks.map((s) => stackProject(s, state.units.filter((u) => u.stack === s), repo)),
    ...platform.teams.map((t) => teamProject(t, repo)),
  ];
  files.set(PROJECTS_FILE, toYamlStream(projects));
  files.set(TENANTS_APPLICATIONSET_FILE, toYaml(appsApplicationSet(repo, tenantWave(state.units))));
  files.set(ROOT_APP_FILE, toYaml(rootApplication(repo)));
  files.set(
    `${APPS_DIR}/README.md`,
    '# Tenant services\n\nGolden paths write one folder per service here: `apps/<team>/<service>/service.json` plus its manifests.\nThe `apps` ApplicationSet turns each into an Application in the team\'s AppProject.\n',
  );
  files.set(
    'README.md',
    repoReadme(state, [
      '`bootstrap/root-app.yaml`: the root Application (app of apps); it syncs `bootstrap/root/`: the AppProjects, one Application per component (`applications/<stack>/<component>.yaml`) and the tenants\' ApplicationSet (`applicationsets/apps.yaml`).',
      'Order: each Application carries the sync wave of its component; the root Application applies one wave at a time and waits until every Application of it is Synced and Healthy, so every dependency is in place first, on the first install and on every change.',
    ]),
  );
  return sortedFiles(files);
}
