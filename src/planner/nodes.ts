/** The platform's nodes as the scheduler sees them: labels (with the ones the kubelet adds), taints, allocatable. */
import type { Node } from '../model/platform.js';
import type { SimNode } from './types.js';

/** The kubelet's default pod limit. */
export const DEFAULT_MAX_PODS = 110;
export const HOSTNAME_LABEL = 'kubernetes.io/hostname';
export const OS_LABEL = 'kubernetes.io/os';

export function simNode(n: Node): SimNode {
  return {
    name: n.name,
    pool: n.pool,
    role: n.role,
    labels: { [HOSTNAME_LABEL]: n.name, [OS_LABEL]: 'linux', ...n.labels },
    taints: n.taints.map((t) => ({ ...t })),
    allocatable: { ...n.allocatable },
    maxPods: DEFAULT_MAX_PODS,
    unschedulable: false,
  };
}

export function simNodes(nodes: readonly Node[]): SimNode[] {
  return nodes.map(simNode);
}
