/**
 * From workloads to pods: replicas of Deployments and StatefulSets, one pod
 * per eligible node for DaemonSets (as the DaemonSet controller decides:
 * node selector and affinity, taints it tolerates, each pod pinned to its node).
 */
import { matchesRequiredNodeAffinity } from './filters/index.js';
import { firstUntolerated } from './tolerations.js';
import type { Affinity, SimNode, SimPod, SimWorkload, Toleration } from './types.js';

/** Tolerations the DaemonSet controller adds to its pods. */
export const DAEMONSET_TOLERATIONS: readonly Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];

export function isDaemonSet(w: Pick<SimWorkload, 'kind'>): boolean {
  return w.kind === 'DaemonSet';
}

export function isJob(w: Pick<SimWorkload, 'kind'>): boolean {
  return w.kind === 'Job' || w.kind === 'CronJob';
}

function podOf(w: SimWorkload, name: string): SimPod {
  return { ...w.template, name, namespace: w.namespace, unit: w.unit, workload: { kind: w.kind, name: w.name }, tier: w.tier };
}

/** Whether the DaemonSet controller wants a pod of `w` on `node`. */
export function daemonSetWantsNode(w: SimWorkload, node: SimNode): boolean {
  const pod = podOf(w, w.name);
  if (pod.nodeName && pod.nodeName !== node.name) return false;
  if (!matchesRequiredNodeAffinity(pod, node)) return false;
  return !firstUntolerated(node.taints, [...pod.tolerations, ...DAEMONSET_TOLERATIONS], ['NoSchedule', 'NoExecute']);
}

/** The DaemonSet pod for one node: the required node affinity replaced by the node's name. */
function pinned(affinity: Affinity | undefined, node: string): Affinity {
  return {
    ...affinity,
    nodeAffinity: {
      required: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }],
      preferred: affinity?.nodeAffinity?.preferred ?? [],
    },
  };
}

/** The pods of one workload on these nodes; Jobs only when asked. */
export function podsOf(w: SimWorkload, nodes: readonly SimNode[], opts: { includeJobs?: boolean } = {}): SimPod[] {
  if (isJob(w) && !opts.includeJobs) return [];
  if (isDaemonSet(w)) {
    return [...nodes]
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .filter((n) => daemonSetWantsNode(w, n))
      .map((n) => ({ ...podOf(w, `${w.name}-${n.name}`), tolerations: [...w.template.tolerations, ...DAEMONSET_TOLERATIONS], affinity: pinned(w.template.affinity, n.name) }));
  }
  return Array.from({ length: Math.max(0, w.replicas) }, (_, i) => podOf(w, `${w.name}-${i}`));
}
