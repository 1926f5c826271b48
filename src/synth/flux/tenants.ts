/**
 * Tenant services under Flux: one Kustomization per team over `apps/<team>/`,
 * applied as the team's ServiceAccount, which the ClusterRole `admin` binds
 * in the team's namespaces only: like the team's AppProject under Argo CD, a
 * team cannot write outside its namespaces, nor cluster-scoped objects, nor
 * its ResourceQuota and LimitRange (`admin` may only read them). The
 * Kustomization waits for every unit a tenant service may need.
 */
import type { DesiredState } from '../../desired/state.js';
import { PLATFORM_BASE_UNIT } from '../../desired/state.js';
import { toYaml, toYamlStream } from '../../lib/yaml.js';
import type { K8sObject } from '../../model/k8s.js';
import { tenantDependencies } from '../argocd/applicationsets.js';
import { APPS_DIR, TEAM_README_TITLE } from '../layout.js';
import {
  FLUX_NAMESPACE,
  INTERVALS,
  KUSTOMIZE_API,
  REPO_SOURCE,
  TENANT_ACCESS,
  TENANT_ACCESS_DIR,
  clusterDir,
  tenantKustomization,
  tenantKustomizationFile,
  tenantServiceAccount,
} from './constants.js';
import { readyKustomization } from './units.js';


const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export function tenantFiles(state: DesiredState, cluster: string): Map<string, string> {
  const files = new Map<string, string>();
  const teams = state.platform.teams;
  if (teams.length === 0) return files;
  const base = state.units.find((u) => u.name === PLATFORM_BASE_UNIT);
  const needs = [...new Set(tenantDependencies(state.units).map(readyKustomization))].map((name) => ({ name }));
  const spec = { interval: INTERVALS.kustomization, retryInterval: INTERVALS.retry, timeout: INTERVALS.kustomizationTimeout, sourceRef: { kind: 'GitRepository', name: REPO_SOURCE } };
  files.set(
    `${clusterDir(cluster)}/tenants/${TENANT_ACCESS}.yaml`,
    toYaml({
      apiVersion: KUSTOMIZE_API,
      kind: 'Kustomization',
      metadata: { name: TENANT_ACCESS, namespace: FLUX_NAMESPACE },
      spec: { ...spec, path: `./${TENANT_ACCESS_DIR}`, prune: true, wait: true, ...(base ? { dependsOn: [{ name: readyKustomization(base) }] } : {}) },
    }),
  );
  for (const team of teams) {
    const sa = tenantServiceAccount(team.name);
    const access: K8sObject[] = [
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: sa, namespace: FLUX_NAMESPACE } },
      ...team.namespaces.map(
        (ns): K8sObject => ({
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'RoleBinding',
          metadata: { name: sa, namespace: ns },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' },
          subjects: [{ kind: 'ServiceAccount', name: sa, namespace: FLUX_NAMESPACE }],
        }),
      ),
    ];
    files.set(`${TENANT_ACCESS_DIR}/${team.name}.yaml`, toYamlStream(access));
    files.set(
      tenantKustomizationFile(cluster, team.name),
      toYaml({
        apiVersion: KUSTOMIZE_API,
        kind: 'Kustomization',
        metadata: { name: tenantKustomization(team.name), namespace: FLUX_NAMESPACE, labels: { 'plinth.dev/team': team.name } },
        spec: { ...spec, path: `./${APPS_DIR}/${team.name}`, prune: true, wait: true, serviceAccountName: sa, dependsOn: [{ name: TENANT_ACCESS }, ...needs].sort(byName) },
      }),
    );
    files.set(
      `${APPS_DIR}/${team.name}/README.md`,
      `${TEAM_README_TITLE}${team.name}\n\nWritten by \`plinth plan\` so that this folder exists before the team's first service. Each service is a folder with a \`kustomization.yaml\`;\nthe Kustomization \`${tenantKustomization(team.name)}\` applies them as the ServiceAccount \`${sa}\`, which may write to ${team.namespaces.map((n) => `\`${n}\``).join(', ')} only.\n`,
    );
  }
  return files;
}
