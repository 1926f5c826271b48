/** NodeUnschedulable: a cordoned node takes only pods that tolerate its unschedulable taint. */
import type { FilterFailure } from '../status.js';
import { isTolerated, UNSCHEDULABLE_TAINT } from '../tolerations.js';
import type { SimNode, SimPod } from '../types.js';

export const ERR_NODE_UNSCHEDULABLE = 'node(s) were unschedulable';

export function nodeUnschedulable(pod: SimPod, node: SimNode): FilterFailure | undefined {
  if (!node.unschedulable || isTolerated(UNSCHEDULABLE_TAINT, pod.tolerations)) return undefined;
  return { plugin: 'NodeUnschedulable', code: 'UnschedulableAndUnresolvable', reasons: [ERR_NODE_UNSCHEDULABLE] };
}
