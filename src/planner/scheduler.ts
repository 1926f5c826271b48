/**
 * One scheduling cycle per pod, as kube-scheduler runs it: pre-filter, the
 * filters on every node, scoring of the nodes that passed, and preemption
 * when none did. Pods are taken in priority order (then in the order they
 * were created); pods evicted by preemption go back into the queue.
 */
import type { Binding, Cluster } from './cluster.js';
import { nodeAffinityPreFilter, runFilters } from './filters/index.js';
import { preempt } from './preemption.js';
import { scoreNodes, selectHost } from './scores/index.js';
import { type FilterFailure, fitErrorText, NO_NODES, POST_FILTER_PREFIX, preFilterErrorText } from './status.js';
import { podKey, type SimPod } from './types.js';
import { withVolumesOn } from './volumes.js';

export type Outcome =
  | { bound: string; victims: Binding[] }
  | { pending: string };

/** Pre-filter, filters and scores: the best node, or every node's failure and the scheduler's message. */
function tryNodes(pod: SimPod, cluster: Cluster): { bound: string } | { statuses: Map<string, FilterFailure>; message: string } {
  const total = cluster.nodes.length;
  const pre = nodeAffinityPreFilter(pod);
  if ('failure' in pre) return { statuses: new Map(), message: preFilterErrorText(total, pre.failure.reasons[0]!) };
  const candidates = pre.nodes === 'all' ? cluster.nodes : cluster.nodes.filter((n) => (pre.nodes as ReadonlySet<string>).has(n.name));
  const statuses = new Map<string, FilterFailure>();
  const feasible = candidates.filter((n) => {
    const f = runFilters(pod, n, cluster);
    if (f) statuses.set(n.name, f);
    return !f;
  });
  if (feasible.length > 0) {
    const host = feasible.length === 1 ? feasible[0]!.name : selectHost(scoreNodes(pod, feasible, cluster))!;
    return { bound: host };
  }
  const absent = Array.from({ length: total - candidates.length }, () => ["node(s) didn't satisfy plugin(s) [NodeAffinity]"]);
  return { statuses, message: fitErrorText(total, [...[...statuses.values()].map((s) => s.reasons), ...absent]) };
}

/** Schedules one pod, preempting if it must; mutates the cluster. */
export function scheduleOne(pod: SimPod, cluster: Cluster): Outcome {
  if (cluster.nodes.length === 0) return { pending: NO_NODES };
  const tried = tryNodes(pod, cluster);
  if ('bound' in tried) {
    cluster.bind(pod, tried.bound);
    return { bound: tried.bound, victims: [] };
  }
  const p = preempt(pod, cluster, tried.statuses, cluster.nodes.length);
  if ('message' in p) return { pending: `${tried.message} ${POST_FILTER_PREFIX}preemption: ${p.message}` };
  for (const v of p.victims) cluster.unbind(v.pod);
  const node = cluster.node(p.node)!;
  const check = runFilters(pod, node, cluster);
  // Invariant, not input: the simulation's own bookkeeping; a miss is a bug (exit 70).
  if (check) throw new Error(`preemption on ${p.node} did not make room for ${podKey(pod)}: ${check.reasons.join(', ')}`);
  cluster.bind(pod, p.node);
  return { bound: p.node, victims: p.victims };
}

export interface QueuedPod {
  pod: SimPod;
  /** Creation order: ties of priority are taken in this order. */
  order: number;
}

export interface PreemptionEvent {
  preemptor: SimPod;
  node: string;
  victims: SimPod[];
}

export interface QueueResult {
  pending: Map<string, { pod: SimPod; order: number; reason: string }>;
  preemptions: PreemptionEvent[];
}

const byPriority = (a: QueuedPod, b: QueuedPod) => b.pod.priority - a.pod.priority || a.order - b.order;

/**
 * Runs the scheduling queue until it is empty, then retries the pods left
 * pending until a whole pass binds none (what the scheduler's periodic flush
 * of unschedulable pods would reach).
 */
export function runQueue(pods: readonly QueuedPod[], cluster: Cluster): QueueResult {
  const queue = [...pods].sort(byPriority);
  const pending = new Map<string, { pod: SimPod; order: number; reason: string }>();
  const preemptions: PreemptionEvent[] = [];
  const budget = 50 * (pods.length + 10);
  let cycles = 0;
  const drain = (): number => {
    let bound = 0;
    while (queue.length > 0) {
  // Invariant, not input: the simulation's own bookkeeping; a miss is a bug (exit 70).
      if (++cycles > budget) throw new Error(`scheduling did not settle after ${budget} cycles`);
      const next = queue.shift()!;
      const outcome = scheduleOne(next.pod, cluster);
      if ('pending' in outcome) {
        pending.set(podKey(next.pod), { ...next, reason: outcome.pending });
        continue;
      }
      bound++;
      pending.delete(podKey(next.pod));
      if (outcome.victims.length > 0) {
        preemptions.push({ preemptor: next.pod, node: outcome.bound, victims: outcome.victims.map((v) => v.pod) });
        // A victim's node-local volumes stay on the node it ran on.
        for (const v of outcome.victims) queue.push({ pod: withVolumesOn(v.pod, v.node), order: orderOf(v.pod) });
        queue.sort(byPriority);
      }
    }
    return bound;
  };
  const orders = new Map(pods.map((q) => [podKey(q.pod), q.order]));
  const orderOf = (p: SimPod) => orders.get(podKey(p)) ?? Number.MAX_SAFE_INTEGER;
  drain();
  for (;;) {
    queue.push(...[...pending.values()].map(({ pod, order }) => ({ pod, order })));
    queue.sort(byPriority);
    if (drain() === 0) break;
  }
  return { pending, preemptions };
}
