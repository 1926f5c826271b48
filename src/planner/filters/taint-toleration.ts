/** TaintToleration: every NoSchedule and NoExecute taint of the node must be tolerated (PreferNoSchedule only scores). */
import type { FilterFailure } from '../status.js';
import { firstUntolerated, taintText } from '../tolerations.js';
import type { SimNode, SimPod } from '../types.js';

export function taintToleration(pod: SimPod, node: SimNode): FilterFailure | undefined {
  const taint = firstUntolerated(node.taints, pod.tolerations, ['NoSchedule', 'NoExecute']);
  if (!taint) return undefined;
  return { plugin: 'TaintToleration', code: 'UnschedulableAndUnresolvable', reasons: [`node(s) had untolerated taint ${taintText(taint)}`] };
}
