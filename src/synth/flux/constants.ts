/** Names and places of the Flux objects Plinth generates (ADR 008). */

export { FLUX_NAMESPACE, FLUX_UNIT } from '../../catalog/components/flux.js';

/** The GitRepository of this repository and the root Kustomization: the names `flux bootstrap` gives them. */
export const REPO_SOURCE = 'flux-system';
export const ROOT_KUSTOMIZATION = 'flux-system';

export const SOURCE_API = 'source.toolkit.fluxcd.io/v1';
export const KUSTOMIZE_API = 'kustomize.toolkit.fluxcd.io/v1';
export const HELM_API = 'helm.toolkit.fluxcd.io/v2';
export const KUSTOMIZE_CONFIG_API = 'kustomize.config.k8s.io/v1beta1';

/** Per-object opt-out of garbage collection: what must outlive its unit (namespaces). */
export const PRUNE_ANNOTATION = 'kustomize.toolkit.fluxcd.io/prune';
export const PRUNE_DISABLED = 'disabled';

/** `clusters/<cluster>/`: what the root Kustomization applies. */
export const clusterDir = (cluster: string): string => `clusters/${cluster}`;
export const sourceFile = (cluster: string): string => `${clusterDir(cluster)}/flux-system/gitrepository.yaml`;
export const rootFile = (cluster: string): string => `${clusterDir(cluster)}/flux-system/root.yaml`;
export const unitKustomizationFile = (cluster: string, stack: string, unit: string): string => `${clusterDir(cluster)}/units/${stack}/${unit}.yaml`;
export const tenantKustomizationFile = (cluster: string, team: string): string => `${clusterDir(cluster)}/tenants/${team}.yaml`;

/** The tenants' access (their ServiceAccounts and RoleBindings), applied by the `tenant-access` Kustomization. */
export const TENANT_ACCESS_DIR = 'bootstrap/tenants';
export const TENANT_ACCESS = 'tenant-access';
export const tenantKustomization = (team: string): string => `tenant-${team}`;
export const tenantServiceAccount = (team: string): string => `tenant-${team}`;

/** The unit folder's kustomize file and its Flux objects. */
export const KUSTOMIZE_FILE = 'kustomization.yaml';
export const RELEASE_FILE = 'release.yaml';
/** Custom resources of the unit's own CRDs, applied by a second Kustomization once the chart is Ready. */
export const CUSTOM_RESOURCES_DIR = 'custom-resources';
export const CUSTOM_RESOURCES_SUFFIX = '-custom-resources';
export const valuesConfigMap = (unit: string): string => `${unit}-values`;
export const VALUES_KEY = 'values.yaml';

/** How often each kind reconciles, and how long one Kustomization may wait for its objects to be Ready. */
export const INTERVALS = {
  repo: '1m',
  kustomization: '10m',
  retry: '1m',
  kustomizationTimeout: '15m',
  chartSource: '1h',
  release: '30m',
  releaseTimeout: '10m',
} as const;

/** The Secret `plinth up` writes with the repository's credentials (no keys for a public repository). */
export const REPO_CREDENTIALS_SECRET = 'plinth-gitops-repo';
