/**
 * AppProjects: one for the bootstrap (root app and ApplicationSets), one per
 * platform stack (its repositories; every namespace of the cluster and every
 * cluster-scoped kind, since charts install CRDs and RBAC), one per team (its
 * namespaces only, no cluster-scoped objects, no quota or limit changes).
 *
 * A platform stack's destinations do not depend on which components are
 * enabled (ADR 022): Argo CD deletes only the live objects the project still
 * permits, so a project narrowed by the same commit that disables a component
 * would leave that component's workloads running ("deleted 0 resources").
 */
import type { K8sObject } from '../../model/k8s.js';
import type { Team } from '../../model/platform.js';
import type { Stack, Unit } from '../../model/unit.js';
import { SYNC_WAVE_ANNOTATION } from '../../desired/units.js';
import { ARGOCD_NAMESPACE, BOOTSTRAP_PROJECT, IN_CLUSTER, PROJECTS_WAVE, RESOURCES_FINALIZER, projectForStack, projectForTeam } from './constants.js';
import type { GitopsRepo } from './units.js';

const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort();

function project(name: string, description: string, spec: Record<string, unknown>): K8sObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: { name, namespace: ARGOCD_NAMESPACE, annotations: { [SYNC_WAVE_ANNOTATION]: String(PROJECTS_WAVE) }, finalizers: [RESOURCES_FINALIZER] },
    spec: { description, ...spec },
  };
}

export function bootstrapProject(repo: GitopsRepo): K8sObject {
  return project(BOOTSTRAP_PROJECT, 'Plinth bootstrap: the root application, AppProjects, the platform Applications and the tenants ApplicationSet', {
    sourceRepos: [repo.url],
    destinations: [{ server: IN_CLUSTER, namespace: ARGOCD_NAMESPACE }],
    clusterResourceWhitelist: [],
    namespaceResourceWhitelist: [
      { group: 'argoproj.io', kind: 'AppProject' },
      { group: 'argoproj.io', kind: 'Application' },
      { group: 'argoproj.io', kind: 'ApplicationSet' },
    ],
  });
}

/** Namespaces the Applications of these units write to: their own, their glue's (what `check` requires a chart to render into). */
export function stackNamespaces(units: readonly Unit[]): string[] {
  return sorted(units.flatMap((u) => [u.namespace, ...(u.extraNamespaces ?? []), ...u.manifests.flatMap((m) => (m.metadata.namespace ? [m.metadata.namespace] : []))]));
}

/** Repositories the Applications of these units read: this repository, their charts' and upstream manifests'. */
export function stackRepositories(units: readonly Unit[], repo: GitopsRepo): string[] {
  return sorted([repo.url, ...units.flatMap((u) => [u.chart?.repoUrl, u.git?.repoUrl].filter((x): x is string => Boolean(x)))]);
}

export function stackProject(stack: Stack, units: readonly Unit[], repo: GitopsRepo): K8sObject {
  return project(projectForStack(stack), `Plinth platform stack ${stack}: ${units.map((u) => u.name).join(', ')}`, {
    sourceRepos: stackRepositories(units, repo),
    destinations: [{ server: IN_CLUSTER, namespace: '*' }],
    clusterResourceWhitelist: [{ group: '*', kind: '*' }],
  });
}

export function teamProject(team: Team, repo: GitopsRepo): K8sObject {
  return project(projectForTeam(team.name), `Applications of team ${team.name} (cost center ${team.costCenter})`, {
    sourceRepos: [repo.url],
    destinations: team.namespaces.map((ns) => ({ server: IN_CLUSTER, namespace: ns })),
    clusterResourceWhitelist: [],
    namespaceResourceBlacklist: [
      { group: '', kind: 'ResourceQuota' },
      { group: '', kind: 'LimitRange' },
    ],
  });
}
