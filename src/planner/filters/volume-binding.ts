/**
 * VolumeBinding, for node-local volumes only: a pod whose claims are bound to
 * volumes on one node runs on that node or nowhere (the volumes' node affinity).
 * Not cured by preemption.
 */
import type { FilterFailure } from '../status.js';
import type { SimNode, SimPod } from '../types.js';

/** kube-scheduler 1.36's reason (`ErrReasonNodeConflict`; releases before said `node(s) had volume node affinity conflict`). */
export const ERR_VOLUME_NODE_CONFLICT = "node(s) didn't match PersistentVolume's node affinity";

export function volumeBinding(pod: SimPod, node: SimNode): FilterFailure | undefined {
  if (!pod.volumeNode || pod.volumeNode === node.name) return undefined;
  return { plugin: 'VolumeBinding', code: 'UnschedulableAndUnresolvable', reasons: [ERR_VOLUME_NODE_CONFLICT] };
}
