/**
 * InterPodAffinity score: preferred terms of the pod towards the pods running
 * in each topology domain (affinity adds its weight, anti-affinity subtracts
 * it), and the same of the running pods' terms towards the pod; a running
 * pod's required affinity that selects the pod counts with weight 1.
 */
import type { Cluster } from '../cluster.js';
import { termSelects } from '../pod-terms.js';
import type { PodAffinityTerm, SimNode, SimPod } from '../types.js';

const HARD_POD_AFFINITY_WEIGHT = 1;

/** Raw scores, one per node given, in their order. */
export function interPodAffinityScores(pod: SimPod, nodes: readonly SimNode[], cluster: Cluster): number[] {
  const byDomain = new Map<string, Map<string, number>>();
  const add = (key: string, value: string | undefined, w: number) => {
    if (value === undefined || w === 0) return;
    const m = byDomain.get(key) ?? new Map<string, number>();
    m.set(value, (m.get(value) ?? 0) + w);
    byDomain.set(key, m);
  };
  const ns = cluster.namespaceLabels;
  for (const b of cluster.each()) {
    const labels = cluster.node(b.node)!.labels;
    const towards = (owner: SimPod, target: SimPod, t: PodAffinityTerm, w: number) => {
      if (termSelects(t, owner, target, ns)) add(t.topologyKey, labels[t.topologyKey], w);
    };
    for (const t of pod.affinity?.podAffinity?.preferred ?? []) towards(pod, b.pod, t.podAffinityTerm, t.weight);
    for (const t of pod.affinity?.podAntiAffinity?.preferred ?? []) towards(pod, b.pod, t.podAffinityTerm, -t.weight);
    for (const t of b.pod.affinity?.podAffinity?.required ?? []) towards(b.pod, pod, t, HARD_POD_AFFINITY_WEIGHT);
    for (const t of b.pod.affinity?.podAffinity?.preferred ?? []) towards(b.pod, pod, t.podAffinityTerm, t.weight);
    for (const t of b.pod.affinity?.podAntiAffinity?.preferred ?? []) towards(b.pod, pod, t.podAffinityTerm, -t.weight);
  }
  return nodes.map((n) => [...byDomain].reduce((sum, [key, values]) => sum + (n.labels[key] !== undefined ? (values.get(n.labels[key]!) ?? 0) : 0), 0));
}
