/**
 * Scoring the nodes that passed the filters, with the default plugin weights
 * (TaintToleration 3, NodeAffinity 2, InterPodAffinity 2, NodeResourcesFit 1,
 * BalancedAllocation 1). The scheduler breaks ties at random; the planner
 * takes the first node by name, so the same input gives the same placement.
 */
import type { Cluster } from '../cluster.js';
import type { SimNode, SimPod } from '../types.js';
import { interPodAffinityScores } from './inter-pod-affinity.js';
import { preferredNodeAffinity } from './node-affinity.js';
import { normalizeByMax, normalizeMinMax } from './normalize.js';
import { balancedAllocation, leastAllocated } from './resources.js';
import { intolerablePreferNoSchedule } from './taint-toleration.js';

export const SCORE_WEIGHTS = { TaintToleration: 3, NodeAffinity: 2, InterPodAffinity: 2, NodeResourcesFit: 1, NodeResourcesBalancedAllocation: 1 } as const;
export type ScorePlugin = keyof typeof SCORE_WEIGHTS;

export interface NodeScore {
  node: string;
  total: number;
  /** Normalised score per plugin, before weights. */
  plugins: Record<ScorePlugin, number>;
}

export function scoreNodes(pod: SimPod, nodes: readonly SimNode[], cluster: Cluster): NodeScore[] {
  const taints = normalizeByMax(nodes.map((n) => intolerablePreferNoSchedule(pod, n)), true);
  const affinity = normalizeByMax(nodes.map((n) => preferredNodeAffinity(pod, n)), false);
  const podAffinity = normalizeMinMax(interPodAffinityScores(pod, nodes, cluster));
  return nodes.map((n, i) => {
    const plugins: Record<ScorePlugin, number> = {
      TaintToleration: taints[i]!,
      NodeAffinity: affinity[i]!,
      InterPodAffinity: podAffinity[i]!,
      NodeResourcesFit: leastAllocated(pod, n, cluster),
      NodeResourcesBalancedAllocation: balancedAllocation(pod, n, cluster),
    };
    const total = (Object.keys(plugins) as ScorePlugin[]).reduce((sum, p) => sum + plugins[p] * SCORE_WEIGHTS[p], 0);
    return { node: n.name, total, plugins };
  });
}

/** The best node: highest total, then the first by name. */
export function selectHost(scores: readonly NodeScore[]): string | undefined {
  let best: NodeScore | undefined;
  for (const s of scores) {
    if (!best || s.total > best.total || (s.total === best.total && s.node < best.node)) best = s;
  }
  return best?.node;
}
