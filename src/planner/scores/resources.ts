/**
 * Resource scores: LeastAllocated (free share after placing the pod, counting
 * unset requests at the scheduler's defaults) and BalancedAllocation (CPU and
 * memory used in like proportions).
 */
import type { Cluster } from '../cluster.js';
import { podNonZeroRequests, podRequests } from '../requests.js';
import type { SimNode, SimPod } from '../types.js';
import { MAX_NODE_SCORE } from './normalize.js';

function freeShare(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.trunc(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}

export function leastAllocated(pod: SimPod, node: SimNode, cluster: Cluster): number {
  const used = cluster.nonZeroRequested(node.name);
  const want = podNonZeroRequests(pod);
  const cpu = freeShare(used.cpu + want.cpu, node.allocatable.cpu);
  const memory = freeShare(used.memory + want.memory, node.allocatable.memory);
  return Math.trunc((cpu + memory) / 2);
}

export function balancedAllocation(pod: SimPod, node: SimNode, cluster: Cluster): number {
  const used = cluster.requested(node.name);
  const want = podRequests(pod);
  const share = (r: number, cap: number) => (cap === 0 ? 0 : Math.min(1, r / cap));
  const cpu = share(used.cpu + want.cpu, node.allocatable.cpu);
  const memory = share(used.memory + want.memory, node.allocatable.memory);
  return Math.trunc((1 - Math.abs(cpu - memory) / 2) * MAX_NODE_SCORE);
}
