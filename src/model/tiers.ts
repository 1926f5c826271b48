/**
 * Criticality tiers (seed 001 "Service Tiers"), carried by PriorityClasses so
 * that under pressure the scheduler keeps what you need to see and to repair.
 */

export type Tier = 0 | 1 | 2 | 3;
export const TIER_VALUES: readonly Tier[] = [0, 1, 2, 3];

export interface TierSpec {
  tier: Tier;
  title: string;
  description: string;
  /** PriorityClass for pods of this tier; tier 0 uses the built-in system classes. */
  priorityClassName: string;
  /** The PriorityClass value; undefined for built-in classes Plinth does not create. */
  priority?: number;
  /** Whether the pods tolerate the control-plane taint (the "lifeboat"). */
  lifeboat: boolean;
}

export const TIERS: Readonly<Record<Tier, TierSpec>> = {
  0: {
    tier: 0,
    title: 'core control plane',
    description: 'Kubernetes itself and the node agents it cannot work without (CNI)',
    priorityClassName: 'system-node-critical',
    lifeboat: true,
  },
  1: {
    tier: 1,
    title: 'critical infrastructure',
    description: 'what you need to see and to repair: the GitOps engine and Prometheus',
    priorityClassName: 'plinth-tier-1-critical',
    priority: 1_000_000,
    lifeboat: true,
  },
  2: {
    tier: 2,
    title: 'important services',
    description: 'valuable but secondary: secrets, certificates, policy, logs',
    priorityClassName: 'plinth-tier-2-important',
    priority: 100_000,
    lifeboat: false,
  },
  3: {
    tier: 3,
    title: 'workloads',
    description: 'everything else: developer tools and application workloads',
    priorityClassName: 'plinth-tier-3-workload',
    priority: 1_000,
    lifeboat: false,
  },
};
