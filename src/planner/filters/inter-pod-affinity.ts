/**
 * InterPodAffinity, required terms only: the pod's affinity needs a matching
 * pod in the node's topology domain; its anti-affinity and that of the pods
 * already running forbid sharing a domain.
 */
import type { Cluster } from '../cluster.js';
import { termSelects } from '../pod-terms.js';
import type { FilterFailure } from '../status.js';
import type { PodAffinityTerm, SimNode, SimPod } from '../types.js';

export const ERR_AFFINITY = "node(s) didn't match pod affinity rules";
export const ERR_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
export const ERR_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";

const pairKey = (key: string, value: string) => `${key}\u0000${value}`;

/** Domains holding a pod that matches every term, per term's topology key: how many such pods each holds. */
function matchingDomains(pod: SimPod, terms: readonly PodAffinityTerm[], cluster: Cluster): Map<string, number> {
  const counts = new Map<string, number>();
  for (const b of cluster.each()) {
    if (!terms.every((t) => termSelects(t, pod, b.pod, cluster.namespaceLabels))) continue;
    const where = cluster.node(b.node)!;
    for (const t of terms) {
      const v = where.labels[t.topologyKey];
      if (v !== undefined) counts.set(pairKey(t.topologyKey, v), (counts.get(pairKey(t.topologyKey, v)) ?? 0) + 1);
    }
  }
  return counts;
}

function satisfiesAffinity(pod: SimPod, node: SimNode, cluster: Cluster): boolean {
  const terms = pod.affinity?.podAffinity?.required ?? [];
  if (terms.length === 0) return true;
  if (terms.some((t) => !Object.hasOwn(node.labels, t.topologyKey))) return false;
  const counts = matchingDomains(pod, terms, cluster);
  if (terms.every((t) => (counts.get(pairKey(t.topologyKey, node.labels[t.topologyKey]!)) ?? 0) > 0)) return true;
  // The first pod of a group with affinity to itself may go anywhere its topology exists.
  return counts.size === 0 && terms.every((t) => termSelects(t, pod, pod, cluster.namespaceLabels));
}

function satisfiesAntiAffinity(pod: SimPod, node: SimNode, cluster: Cluster): boolean {
  for (const t of pod.affinity?.podAntiAffinity?.required ?? []) {
    const domain = node.labels[t.topologyKey];
    if (domain === undefined) continue;
    for (const b of cluster.each()) {
      if (cluster.node(b.node)!.labels[t.topologyKey] === domain && termSelects(t, pod, b.pod, cluster.namespaceLabels)) return false;
    }
  }
  return true;
}

function satisfiesExistingAntiAffinity(pod: SimPod, node: SimNode, cluster: Cluster): boolean {
  for (const b of cluster.each()) {
    for (const t of b.pod.affinity?.podAntiAffinity?.required ?? []) {
      const domain = cluster.node(b.node)!.labels[t.topologyKey];
      if (domain !== undefined && node.labels[t.topologyKey] === domain && termSelects(t, b.pod, pod, cluster.namespaceLabels)) return false;
    }
  }
  return true;
}

export function interPodAffinity(pod: SimPod, node: SimNode, cluster: Cluster): FilterFailure | undefined {
  if (!satisfiesAffinity(pod, node, cluster)) return { plugin: 'InterPodAffinity', code: 'UnschedulableAndUnresolvable', reasons: [ERR_AFFINITY] };
  if (!satisfiesAntiAffinity(pod, node, cluster)) return { plugin: 'InterPodAffinity', code: 'Unschedulable', reasons: [ERR_ANTI_AFFINITY] };
  if (!satisfiesExistingAntiAffinity(pod, node, cluster)) return { plugin: 'InterPodAffinity', code: 'Unschedulable', reasons: [ERR_EXISTING_ANTI_AFFINITY] };
  return undefined;
}
