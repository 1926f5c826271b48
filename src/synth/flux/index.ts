/**
 * Flux synthesis (ADR 008): the same desired state as the Argo CD layout,
 * as Flux objects.
 *
 *   clusters/<cluster>/flux-system/gitrepository.yaml  this repository (GitRepository flux-system)
 *   clusters/<cluster>/flux-system/root.yaml           the root Kustomization: applies clusters/<cluster>/
 *   clusters/<cluster>/units/<stack>/<unit>.yaml       one Kustomization per unit, dependsOn from the graph
 *   clusters/<cluster>/tenants/<team>.yaml             the team's Kustomization of apps/<team>/
 *   platform/<stack>/<unit>/                           component.json, values.yaml, release.yaml, manifests/, kustomization.yaml
 *   bootstrap/tenants/<team>.yaml                      the team's ServiceAccount and RoleBindings
 *   apps/<team>/README.md                              so that the team's path exists before its first service
 */
import type { DesiredState } from '../../desired/state.js';
import { PlatformError } from '../../lib/errors.js';
import { toYaml, toYamlStream } from '../../lib/yaml.js';
import type { K8sObject } from '../../model/k8s.js';
import type { GitopsRepo } from '../argocd/units.js';
import { type RepoFiles, sortedFiles } from '../files.js';
import { APPS_DIR } from '../layout.js';
import { repoReadme } from '../readme.js';
import { FLUX_UNIT, INTERVALS, KUSTOMIZE_API, REPO_SOURCE, ROOT_KUSTOMIZATION, SOURCE_API, FLUX_NAMESPACE, REPO_CREDENTIALS_SECRET, clusterDir, rootFile, sourceFile, unitKustomizationFile } from './constants.js';

import { tenantFiles } from './tenants.js';
import { unitFluxFiles, unitKustomizations } from './units.js';

export { ownCustomResources, readyKustomization, helmRelease } from './units.js';

/** This repository as Flux's source. Its credentials Secret is written by `plinth up` (empty for a public repository). */
export function repoSource(repo: GitopsRepo): K8sObject {
  return {
    apiVersion: SOURCE_API,
    kind: 'GitRepository',
    metadata: { name: REPO_SOURCE, namespace: FLUX_NAMESPACE },
    spec: { interval: INTERVALS.repo, url: repo.url, ref: { branch: repo.branch }, secretRef: { name: REPO_CREDENTIALS_SECRET } },
  };
}

/**
 * The root Kustomization: applies every file under clusters/<cluster>/ (this
 * one included, so it manages itself), does not wait (each unit's own
 * Kustomization waits for what it applied), and prunes: a unit removed from
 * plinth.yaml loses its Kustomization, which deletes what it applied unless
 * the unit must outlive it (`prune: false` on that Kustomization).
 */
export function rootKustomization(cluster: string): K8sObject {
  return {
    apiVersion: KUSTOMIZE_API,
    kind: 'Kustomization',
    metadata: { name: ROOT_KUSTOMIZATION, namespace: FLUX_NAMESPACE },
    spec: { interval: INTERVALS.kustomization, retryInterval: INTERVALS.retry, path: `./${clusterDir(cluster)}`, prune: true, wait: false, sourceRef: { kind: 'GitRepository', name: REPO_SOURCE } },
  };
}

export function synthFlux(state: DesiredState): RepoFiles {
  const { platform } = state;
  if (!state.units.some((u) => u.name === FLUX_UNIT)) {
    throw new PlatformError(`the GitOps engine is flux, but the ${FLUX_UNIT} component is disabled; enable it in plinth.yaml (components.${FLUX_UNIT}.enabled: true)`);
  }
  const repo: GitopsRepo = { url: platform.config.gitops.repo.url, branch: platform.config.gitops.repo.branch };
  const cluster = platform.name;
  const files: RepoFiles = new Map();
  const byName = new Map(state.units.map((u) => [u.name, u]));
  for (const unit of state.units) {
    const sources = unitFluxFiles(unit, repo, files);
    files.set(unitKustomizationFile(cluster, unit.stack, unit.name), toYamlStream([...sources, ...unitKustomizations(unit, byName)]));
  }
  for (const [path, text] of tenantFiles(state, cluster)) files.set(path, text);
  files.set(sourceFile(cluster), toYaml(repoSource(repo)));
  files.set(rootFile(cluster), toYaml(rootKustomization(cluster)));
  files.set(
    `${APPS_DIR}/README.md`,
    "# Tenant services\n\nGolden paths write one folder per service here: `apps/<team>/<service>/` with its manifests and a `kustomization.yaml` naming them.\nThe team's Kustomization (`tenant-<team>`) applies every such folder as the team's ServiceAccount, which may write to the team's namespaces only.\n",
  );
  files.set(
    'README.md',
    repoReadme(state, [
      `\`clusters/${cluster}/\`: what Flux applies: \`flux-system/\` (this repository as a GitRepository and the root Kustomization, which applies this folder), \`units/<stack>/<component>.yaml\` (one Kustomization per component) and \`tenants/<team>.yaml\`.`,
      "Order: each component's Kustomization `dependsOn` the Kustomizations of its dependencies and waits (`wait: true`) until everything it applied is Ready, HelmReleases included, so every dependency is in place first, on the first install and on every change.",
      'Charts: `platform/<stack>/<component>/release.yaml` (a HelmRepository or OCIRepository and the HelmRelease, pinned to the exact version), with values from `values.yaml` through the ConfigMap `kustomization.yaml` generates.',
    ]),
  );
  return sortedFiles(files);
}
