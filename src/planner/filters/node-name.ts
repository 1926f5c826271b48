/** NodeName: a pod that names its node runs there or nowhere. */
import type { FilterFailure } from '../status.js';
import type { SimNode, SimPod } from '../types.js';

export const ERR_NODE_NAME = "node(s) didn't match the requested node name";

export function nodeName(pod: SimPod, node: SimNode): FilterFailure | undefined {
  if (!pod.nodeName || pod.nodeName === node.name) return undefined;
  return { plugin: 'NodeName', code: 'UnschedulableAndUnresolvable', reasons: [ERR_NODE_NAME] };
}
