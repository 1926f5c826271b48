/** Platform-wide objects: namespaces with the labels policy requires, and the tier PriorityClasses. */
import type { K8sObject } from '../model/k8s.js';
import {
  ARGOCD_COMPARE_OPTIONS_ANNOTATION,
  ARGOCD_IGNORE_EXTRANEOUS,
  ARGOCD_KEEP,
  ARGOCD_SYNC_OPTIONS_ANNOTATION,
  GATEWAY_ACCESS_LABEL,
  MANAGED_BY,
  MANAGED_BY_LABEL,
  NAMESPACE_COST_CENTER_LABEL,
  NAMESPACE_ENVIRONMENT_LABEL,
  NAMESPACE_OWNER_LABEL,
} from '../model/labels.js';
import type { Platform } from '../model/platform.js';
import { TIERS, TIER_VALUES } from '../model/tiers.js';
import { SYSTEM_NAMESPACES } from './resolve.js';

export interface NamespaceOwner {
  namespace: string;
  team: string;
  costCenter: string;
  /** Routes in this namespace may attach to the platform Gateway. */
  gatewayAccess: boolean;
  /** Labels units ask for on the namespace (team namespaces only). */
  extraLabels?: Record<string, string>;
}

export function namespaceObject(platform: Platform, owner: NamespaceOwner): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: owner.namespace,
      // Never pruned nor deleted with its Application by Argo CD: removing a component or a team
      // from plinth.yaml, or deleting an Application with its resources, must not delete the
      // volumes and Secrets left in the namespace. Delete it by hand once it is empty.
      // Kept, it must not hold its Application OutOfSync either (and with it every later wave).
      annotations: { [ARGOCD_SYNC_OPTIONS_ANNOTATION]: ARGOCD_KEEP, [ARGOCD_COMPARE_OPTIONS_ANNOTATION]: ARGOCD_IGNORE_EXTRANEOUS },
      labels: {
        [NAMESPACE_OWNER_LABEL]: owner.team,
        [NAMESPACE_COST_CENTER_LABEL]: owner.costCenter,
        [NAMESPACE_ENVIRONMENT_LABEL]: platform.environment,
        [MANAGED_BY_LABEL]: MANAGED_BY,
        ...(owner.gatewayAccess ? { [GATEWAY_ACCESS_LABEL]: 'true' } : {}),
        ...(owner.extraLabels ?? {}),
      },
    },
  };
}

/** Namespaces of the platform (from its units) and of the teams, excluding the system ones. */
export function namespaceOwners(platform: Platform, units: readonly { namespace: string; endpoints: readonly unknown[]; tenantNamespaceLabels?: Record<string, string> }[]): NamespaceOwner[] {
  const owners = new Map<string, NamespaceOwner>();
  const owner = platform.config.platformOwner;
  for (const u of units) {
    if ((SYSTEM_NAMESPACES as readonly string[]).includes(u.namespace)) continue;
    const known = owners.get(u.namespace);
    const access = (known?.gatewayAccess ?? false) || u.endpoints.length > 0;
    owners.set(u.namespace, { namespace: u.namespace, team: owner.team, costCenter: owner.costCenter, gatewayAccess: access });
  }
  const tenantLabels: Record<string, string> = Object.assign({}, ...units.map((u) => u.tenantNamespaceLabels ?? {}));
  const extra = Object.keys(tenantLabels).length > 0 ? { extraLabels: tenantLabels } : {};
  for (const t of platform.teams) {
    for (const ns of t.namespaces) owners.set(ns, { namespace: ns, team: t.name, costCenter: t.costCenter, gatewayAccess: true, ...extra });
  }
  return [...owners.values()].sort((a, b) => (a.namespace < b.namespace ? -1 : 1));
}

export function priorityClasses(): K8sObject[] {
  return TIER_VALUES.flatMap((tier) => {
    const spec = TIERS[tier];
    if (spec.priority === undefined) return [];
    return [
      {
        apiVersion: 'scheduling.k8s.io/v1',
        kind: 'PriorityClass',
        metadata: { name: spec.priorityClassName, labels: { [MANAGED_BY_LABEL]: MANAGED_BY } },
        value: spec.priority,
        globalDefault: false,
        preemptionPolicy: 'PreemptLowerPriority',
        description: `Plinth tier ${tier} (${spec.title}): ${spec.description}.`,
      },
    ];
  });
}
