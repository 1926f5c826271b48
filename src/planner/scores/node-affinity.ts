/** NodeAffinity score: the weights of the preferred terms the node matches. */
import { matchesNodeSelectorTerm } from '../labels.js';
import type { SimNode, SimPod } from '../types.js';

export function preferredNodeAffinity(pod: SimPod, node: SimNode): number {
  return (pod.affinity?.nodeAffinity?.preferred ?? []).reduce((sum, t) => sum + (matchesNodeSelectorTerm(t.preference, node) ? t.weight : 0), 0);
}
