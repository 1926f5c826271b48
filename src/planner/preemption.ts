/**
 * Preemption (kube-scheduler's DefaultPreemption): when a pod fits nowhere,
 * find on each node where removing pods could help the smallest set of
 * lower-priority victims (remove them all, then let back the most important
 * ones while the pod still fits), and choose the node whose victims matter
 * least: lowest highest priority, then lowest sum of priorities, then fewest
 * victims, then the most recently started, then the first by name. A pod
 * never preempts pods of equal or higher priority.
 */
import type { Binding, Cluster } from './cluster.js';
import { runFilters } from './filters/index.js';
import { type FilterFailure, fitErrorText, NO_PREEMPTION_VICTIMS, PREEMPTION_NOT_HELPFUL } from './status.js';
import type { SimNode, SimPod } from './types.js';

export interface Candidate {
  node: string;
  /** Most important first. */
  victims: Binding[];
}

export const NOT_ELIGIBLE_NEVER = 'not eligible due to preemptionPolicy=Never.';

/** Higher priority first, then the earlier started. */
function moreImportant(a: Binding, b: Binding): number {
  return b.pod.priority - a.pod.priority || a.at - b.at;
}

/** The minimal victims on one node, or why preemption cannot help there. */
export function selectVictims(pod: SimPod, node: SimNode, cluster: Cluster): Candidate | { failure: FilterFailure } {
  const lower = cluster.podsOn(node.name).filter((b) => b.pod.priority < pod.priority);
  if (lower.length === 0) return { failure: { plugin: 'DefaultPreemption', code: 'UnschedulableAndUnresolvable', reasons: [NO_PREEMPTION_VICTIMS] } };
  const trial = cluster.clone();
  for (const b of lower) trial.unbind(b.pod);
  const still = runFilters(pod, node, trial);
  if (still) return { failure: still };
  const victims: Binding[] = [];
  for (const b of [...lower].sort(moreImportant)) {
    trial.restore(b);
    if (runFilters(pod, node, trial)) {
      trial.unbind(b.pod);
      victims.push(b);
    }
  }
  return { node: node.name, victims };
}

const OFFSET = 2 ** 31;

/** Criteria in order; each keeps the candidates with the highest value. */
const CRITERIA: ((c: Candidate) => number)[] = [
  (c) => -c.victims[0]!.pod.priority,
  (c) => -c.victims.reduce((sum, v) => sum + v.pod.priority + OFFSET, 0),
  (c) => -c.victims.length,
  (c) => {
    const top = c.victims[0]!.pod.priority;
    return Math.min(...c.victims.filter((v) => v.pod.priority === top).map((v) => v.at));
  },
];

export function pickCandidate(candidates: readonly Candidate[]): Candidate | undefined {
  let left = [...candidates].sort((a, b) => (a.node < b.node ? -1 : a.node > b.node ? 1 : 0));
  for (const score of CRITERIA) {
    if (left.length <= 1) break;
    const best = Math.max(...left.map(score));
    left = left.filter((c) => score(c) === best);
  }
  return left[0];
}

/**
 * Tries preemption for a pod the filters rejected everywhere. `statuses` holds
 * the filter failure of every node the pod was tried on; `nodeCount` counts
 * all nodes (those a pre-filter left out included).
 */
export function preempt(pod: SimPod, cluster: Cluster, statuses: ReadonlyMap<string, FilterFailure>, nodeCount: number): Candidate | { message: string } {
  if (pod.preemptionPolicy === 'Never') return { message: NOT_ELIGIBLE_NEVER };
  const potential = cluster.nodes.filter((n) => statuses.get(n.name)?.code === 'Unschedulable');
  const notHelpful = (n: number) => Array.from({ length: n }, () => [PREEMPTION_NOT_HELPFUL]);
  if (potential.length === 0) return { message: fitErrorText(nodeCount, notHelpful(nodeCount)) };
  const failures: string[][] = [];
  const candidates: Candidate[] = [];
  for (const node of potential) {
    const r = selectVictims(pod, node, cluster);
    if ('failure' in r) failures.push(r.failure.reasons);
    else candidates.push(r);
  }
  const best = pickCandidate(candidates);
  if (best) return best;
  return { message: fitErrorText(nodeCount, [...failures, ...notHelpful(nodeCount - failures.length)]) };
}
