/**
 * Why a pod does not fit, in the scheduler's words: a status per node from
 * the first filter that rejected it, summed up as kube-scheduler prints it
 * in the pod's FailedScheduling event.
 */

/** `Unschedulable` may be cured by preemption; `UnschedulableAndUnresolvable` may not. */
export type StatusCode = 'Unschedulable' | 'UnschedulableAndUnresolvable';

export interface FilterFailure {
  plugin: string;
  code: StatusCode;
  reasons: string[];
}

export const NO_NODES = 'no nodes available to schedule pods';
/**
 * What the post-filter plugins before preemption say (Kubernetes 1.36: the
 * DynamicResources plugin, enabled by default, for a pod with no claims), joined
 * with ", " ahead of preemption's own message.
 */
export const POST_FILTER_PREFIX = 'no new claims to deallocate, ';
export const PREEMPTION_NOT_HELPFUL = 'Preemption is not helpful for scheduling';
export const NO_PREEMPTION_VICTIMS = 'No preemption victims found for incoming pod';

/** Reasons counted over nodes, each as `<count> <reason>`, sorted as text (as the scheduler does). */
export function reasonHistogram(perNode: readonly (readonly string[])[]): string[] {
  const counts = new Map<string, number>();
  for (const reasons of perNode) for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts].map(([r, n]) => `${n} ${r}`).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** `0/3 nodes are available: 1 Insufficient memory, 2 node(s) had untolerated taint(s).` */
export function fitErrorText(nodeCount: number, perNode: readonly (readonly string[])[]): string {
  const histogram = reasonHistogram(perNode);
  return `0/${nodeCount} nodes are available${histogram.length > 0 ? `: ${histogram.join(', ')}.` : ':'}`;
}

/** When a pre-filter already rules out every node, its message stands for all of them. */
export function preFilterErrorText(nodeCount: number, message: string): string {
  return `0/${nodeCount} nodes are available: ${message}.`;
}
