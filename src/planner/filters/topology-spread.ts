/**
 * PodTopologySpread with `whenUnsatisfiable: DoNotSchedule`: placing the pod
 * must not make its domain exceed the least-loaded eligible domain by more
 * than maxSkew. Domains come from the nodes that carry every constraint's
 * topology key and (by default) satisfy the pod's node affinity.
 */
import type { Cluster } from '../cluster.js';
import { matchesLabelSelector } from '../labels.js';
import type { FilterFailure } from '../status.js';
import { firstUntolerated } from '../tolerations.js';
import type { LabelSelector, SimNode, SimPod, TopologySpreadConstraint } from '../types.js';
import { matchesRequiredNodeAffinity } from './node-affinity.js';

export const ERR_SPREAD = "node(s) didn't match pod topology spread constraints";
export const ERR_SPREAD_LABEL = `${ERR_SPREAD} (missing required label)`;

/** The constraint's selector plus `matchLabelKeys` taken from the pod's own labels. */
export function spreadSelector(c: TopologySpreadConstraint, pod: SimPod): LabelSelector | undefined {
  const keys = (c.matchLabelKeys ?? []).filter((k) => Object.hasOwn(pod.labels, k));
  if (keys.length === 0) return c.labelSelector;
  if (!c.labelSelector) return undefined;
  return { ...c.labelSelector, matchExpressions: [...(c.labelSelector.matchExpressions ?? []), ...keys.map((k) => ({ key: k, operator: 'In' as const, values: [pod.labels[k]!] }))] };
}

function eligible(pod: SimPod, node: SimNode, c: TopologySpreadConstraint, all: readonly TopologySpreadConstraint[]): boolean {
  if (!all.every((x) => Object.hasOwn(node.labels, x.topologyKey))) return false;
  if ((c.nodeAffinityPolicy ?? 'Honor') === 'Honor' && !matchesRequiredNodeAffinity(pod, node)) return false;
  if ((c.nodeTaintsPolicy ?? 'Ignore') === 'Honor' && firstUntolerated(node.taints, pod.tolerations, ['NoSchedule', 'NoExecute'])) return false;
  return true;
}

/** Matching pods per domain of the constraint's topology key, over eligible nodes. */
function domainCounts(pod: SimPod, c: TopologySpreadConstraint, all: readonly TopologySpreadConstraint[], cluster: Cluster): Map<string, number> {
  const selector = spreadSelector(c, pod);
  const counts = new Map<string, number>();
  for (const n of cluster.nodes) {
    if (!eligible(pod, n, c, all)) continue;
    const domain = n.labels[c.topologyKey]!;
    const matching = cluster.podsOn(n.name).filter((b) => b.pod.namespace === pod.namespace && matchesLabelSelector(selector, b.pod.labels)).length;
    counts.set(domain, (counts.get(domain) ?? 0) + matching);
  }
  return counts;
}

export function topologySpread(pod: SimPod, node: SimNode, cluster: Cluster): FilterFailure | undefined {
  const hard = pod.topologySpreadConstraints.filter((c) => c.whenUnsatisfiable === 'DoNotSchedule');
  for (const c of hard) {
    if (!Object.hasOwn(node.labels, c.topologyKey)) return { plugin: 'PodTopologySpread', code: 'UnschedulableAndUnresolvable', reasons: [ERR_SPREAD_LABEL] };
  }
  for (const c of hard) {
    const counts = domainCounts(pod, c, hard, cluster);
    const min = counts.size < (c.minDomains ?? 1) || counts.size === 0 ? 0 : Math.min(...counts.values());
    const self = matchesLabelSelector(spreadSelector(c, pod), pod.labels) ? 1 : 0;
    const skew = (counts.get(node.labels[c.topologyKey]!) ?? 0) + self - min;
    if (skew > c.maxSkew) return { plugin: 'PodTopologySpread', code: 'Unschedulable', reasons: [ERR_SPREAD] };
  }
  return undefined;
}
