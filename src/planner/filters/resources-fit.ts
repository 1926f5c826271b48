/**
 * NodeResourcesFit: the pod's requests against what the node has left, and the
 * node's pod limit. Not cured by preemption when a request exceeds the node's
 * whole allocatable.
 */
import type { Cluster } from '../cluster.js';
import { podRequests } from '../requests.js';
import type { FilterFailure } from '../status.js';
import type { SimNode, SimPod } from '../types.js';

export function resourcesFit(pod: SimPod, node: SimNode, cluster: Cluster): FilterFailure | undefined {
  const reasons: string[] = [];
  if (cluster.podsOn(node.name).length + 1 > node.maxPods) reasons.push('Too many pods');
  const want = podRequests(pod);
  const used = cluster.requested(node.name);
  if (want.cpu > 0 && want.cpu > node.allocatable.cpu - used.cpu) reasons.push('Insufficient cpu');
  if (want.memory > 0 && want.memory > node.allocatable.memory - used.memory) reasons.push('Insufficient memory');
  // A request beyond the node's whole allocatable: no preemption can make room (kube-scheduler's `Unresolvable`).
  const beyond = want.cpu > node.allocatable.cpu || want.memory > node.allocatable.memory;
  return reasons.length === 0 ? undefined : { plugin: 'NodeResourcesFit', code: beyond ? 'UnschedulableAndUnresolvable' : 'Unschedulable', reasons };
}
