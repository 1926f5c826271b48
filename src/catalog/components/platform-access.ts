/**
 * Who may read and operate the platform (seed 002 "RBAC", ADR 013): two
 * ClusterRoles bound to the groups of plinth.yaml `rbac`.
 *
 * - `plinth:read-only`: get, list and watch on every kind of Kubernetes and
 *   of the platform's CRDs, except Secrets. Kubernetes RBAC only adds, so
 *   the core kinds are listed one by one; the other groups hold no secret
 *   values (SealedSecrets are encrypted, ExternalSecrets name Vault paths).
 *   Pod logs are not included: applications write secrets to logs more often
 *   than they should.
 * - `plinth:operator`: read-only, plus what an on-call needs to repair without
 *   Git: read pod logs, restart (delete a pod, evict it, `kubectl rollout
 *   restart`, which patches the workload), scale (the scale subresource), and
 *   with Flux ask for a reconcile or suspend one (annotate a Kustomization,
 *   HelmRelease or source). Never Secrets, and so never `pods/exec`,
 *   `pods/attach` or `pods/portforward` (a shell in a pod reads every Secret
 *   it mounts and its service account's token, and a port-forward bypasses
 *   the NetworkPolicies), nor creating pods or Jobs (a pod may mount any
 *   Secret of its namespace). A patch of a workload can change more than the
 *   restart annotation; the GitOps engine puts back whatever else differs
 *   from Git (self-heal).
 *
 * Default-on only where plinth.yaml names a group: a role bound to nobody is
 * left out (edge's starter has none).
 */
import type { K8sObject } from '../../model/k8s.js';
import { entryGroup } from '../../model/unit.js';
import type { Component, ComponentContext } from '../component.js';
import { clusterScoped } from '../glue.js';

export const READ_ONLY_ROLE = 'plinth:read-only';
export const OPERATOR_ROLE = 'plinth:operator';
const READ = ['get', 'list', 'watch'];

/** Core kinds (and status subresources) the read-only role may read: every one but Secrets. */
const CORE_READABLE = [
  'configmaps',
  'endpoints',
  'events',
  'limitranges',
  'namespaces',
  'namespaces/status',
  'nodes',
  'nodes/status',
  'persistentvolumeclaims',
  'persistentvolumeclaims/status',
  'persistentvolumes',
  'pods',
  'pods/status',
  'podtemplates',
  'replicationcontrollers',
  'replicationcontrollers/status',
  'resourcequotas',
  'resourcequotas/status',
  'serviceaccounts',
  'services',
  'services/status',
];

/** Kubernetes' own API groups besides the core one: none of them holds a secret value. */
const KUBERNETES_GROUPS = [
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'apiregistration.k8s.io',
  'apps',
  'autoscaling',
  'batch',
  'certificates.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
  'events.k8s.io',
  'flowcontrol.apiserver.k8s.io',
  'metrics.k8s.io',
  'networking.k8s.io',
  'node.k8s.io',
  'policy',
  'rbac.authorization.k8s.io',
  'scheduling.k8s.io',
  'storage.k8s.io',
];

const FLUX_GROUPS = ['kustomize.toolkit.fluxcd.io', 'helm.toolkit.fluxcd.io', 'source.toolkit.fluxcd.io'];

/** The read rules: core kinds but Secrets, every other group of Kubernetes and of the platform's CRDs. */
export function readOnlyRules(crdGroups: readonly string[]): Record<string, unknown>[] {
  const groups = [...new Set([...KUBERNETES_GROUPS, ...crdGroups])].sort();
  return [
    { apiGroups: [''], resources: CORE_READABLE, verbs: READ },
    { apiGroups: groups, resources: ['*'], verbs: READ },
  ];
}

export function operatorRules(crdGroups: readonly string[], engine: string): Record<string, unknown>[] {
  return [
    ...readOnlyRules(crdGroups),
    { apiGroups: [''], resources: ['pods/log'], verbs: ['get', 'list'] },
    { apiGroups: [''], resources: ['pods'], verbs: ['delete'] },
    { apiGroups: [''], resources: ['pods/eviction'], verbs: ['create'] },
    { apiGroups: ['apps'], resources: ['deployments', 'statefulsets', 'daemonsets'], verbs: ['patch'] },
    { apiGroups: ['apps'], resources: ['deployments/scale', 'statefulsets/scale', 'replicasets/scale'], verbs: ['get', 'patch', 'update'] },
    ...(engine === 'flux' ? [{ apiGroups: FLUX_GROUPS, resources: ['*'], verbs: ['patch'] }] : []),
  ];
}

function binding(role: string, groups: readonly string[]): K8sObject[] {
  if (groups.length === 0) return [];
  return [
    clusterScoped('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', role, {
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
      subjects: [...groups].sort().map((name) => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name })),
    }),
  ];
}

export const platformAccess: Component = {
  name: 'platform-access',
  description: 'ClusterRoles plinth:read-only and plinth:operator (no Secrets), bound to the groups of plinth.yaml rbac',
  stack: 'security',
  tier: 1,
  pool: 'infra',
  namespace: 'default',
  dependsOn: [],
  profiles: ['edge', 'compact', 'standard'],
  wanted: (config) => config.rbac.readOnlyGroups.length > 0 || config.rbac.operatorGroups.length > 0,
  build(ctx: ComponentContext) {
    const crdGroups = ctx.enabledComponents.flatMap((c) => (c.crdGroups ?? []).map(entryGroup));
    const { readOnlyGroups, operatorGroups } = ctx.platform.config.rbac;
    return {
      manifests: [
        clusterScoped('rbac.authorization.k8s.io/v1', 'ClusterRole', READ_ONLY_ROLE, { rules: readOnlyRules(crdGroups) }),
        clusterScoped('rbac.authorization.k8s.io/v1', 'ClusterRole', OPERATOR_ROLE, { rules: operatorRules(crdGroups, ctx.platform.choices.engine) }),
        ...binding(READ_ONLY_ROLE, readOnlyGroups),
        ...binding(OPERATOR_ROLE, operatorGroups),
      ],
    };
  },
};
