/** TaintToleration: every NoSchedule and NoExecute taint of the node must be tolerated (PreferNoSchedule only scores). */
import type { FilterFailure } from '../status.js';
import { firstUntolerated } from '../tolerations.js';
import type { SimNode, SimPod } from '../types.js';

/** kube-scheduler 1.36's reason; the taint itself is only in its log (older releases named it: `untolerated taint {key: value}`). */
export const UNTOLERATED_TAINT = 'node(s) had untolerated taint(s)';

export function taintToleration(pod: SimPod, node: SimNode): FilterFailure | undefined {
  const taint = firstUntolerated(node.taints, pod.tolerations, ['NoSchedule', 'NoExecute']);
  if (!taint) return undefined;
  return { plugin: 'TaintToleration', code: 'UnschedulableAndUnresolvable', reasons: [UNTOLERATED_TAINT] };
}
