/**
 * InterPodAffinity score: preferred terms of the pod towards the pods running
 * in each topology domain (affinity adds its weight, anti-affinity subtracts
 * it), and the same of the running pods' terms towards the pod; a running
 * pod's required affinity that selects the pod counts with weight 1.
 */
import type { Cluster } from '../cluster.js';
import { termSelects } from '../pod-terms.js';
import type { SimNode, SimPod } from '../types.js';

const HARD_POD_AFFINITY_WEIGHT = 1;

/** Raw scores, one per node given, in their order. */
// eslint-disable-next-line complexity -- kube-scheduler's InterPodAffinity score in one pass over the bound pods: one line per kind of term (the pod's preferred affinity and anti-affinity, the bound pod's required and preferred affinity and preferred anti-affinity)
export function interPodAffinityScores(pod: SimPod, nodes: readonly SimNode[], cluster: Cluster): number[] {
  const byDomain = new Map<string, Map<string, number>>();
  const add = (key: string, value: string | undefined, w: number) => {
    if (value === undefined || w === 0) return;
    const m = byDomain.get(key) ?? new Map<string, number>();
    m.set(value, (m.get(value) ?? 0) + w);
    byDomain.set(key, m);
  };
  const ns = cluster.namespaceLabels;
  const affinity = pod.affinity?.podAffinity?.preferred ?? [];
  const anti = pod.affinity?.podAntiAffinity?.preferred ?? [];
  const own = affinity.length + anti.length > 0;
  for (const b of cluster.each()) {
    const theirs = b.pod.affinity;
    if (!own && !theirs?.podAffinity && !theirs?.podAntiAffinity) continue;
    const labels = cluster.node(b.node)!.labels;
    for (const t of affinity) if (termSelects(t.podAffinityTerm, pod, b.pod, ns)) add(t.podAffinityTerm.topologyKey, labels[t.podAffinityTerm.topologyKey], t.weight);
    for (const t of anti) if (termSelects(t.podAffinityTerm, pod, b.pod, ns)) add(t.podAffinityTerm.topologyKey, labels[t.podAffinityTerm.topologyKey], -t.weight);
    for (const t of theirs?.podAffinity?.required ?? []) if (termSelects(t, b.pod, pod, ns)) add(t.topologyKey, labels[t.topologyKey], HARD_POD_AFFINITY_WEIGHT);
    for (const t of theirs?.podAffinity?.preferred ?? []) if (termSelects(t.podAffinityTerm, b.pod, pod, ns)) add(t.podAffinityTerm.topologyKey, labels[t.podAffinityTerm.topologyKey], t.weight);
    for (const t of theirs?.podAntiAffinity?.preferred ?? []) if (termSelects(t.podAffinityTerm, b.pod, pod, ns)) add(t.podAffinityTerm.topologyKey, labels[t.podAffinityTerm.topologyKey], -t.weight);
  }
  return nodes.map((n) => [...byDomain].reduce((sum, [key, values]) => sum + (n.labels[key] !== undefined ? (values.get(n.labels[key]!) ?? 0) : 0), 0));
}
