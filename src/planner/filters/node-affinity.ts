/**
 * NodeAffinity: the pod's nodeSelector and its required node affinity. Terms
 * that name nodes (`matchFields` on `metadata.name`, as DaemonSet pods do)
 * narrow the candidates before any filter runs; the other nodes are then
 * reported as not satisfying the plugin.
 */
import { matchesNodeSelectorMap, matchesNodeSelectorTerms } from '../labels.js';
import type { FilterFailure } from '../status.js';
import type { NodeSelectorTerm, SimNode, SimPod } from '../types.js';

export const ERR_NODE_AFFINITY = "node(s) didn't match Pod's node affinity/selector";
export const ERR_AFFINITY_CONFLICT = 'pod affinity terms conflict';

/** Whether the node satisfies the pod's nodeSelector and required node affinity (also used by topology spread). */
export function matchesRequiredNodeAffinity(pod: SimPod, node: SimNode): boolean {
  if (!matchesNodeSelectorMap(pod.nodeSelector, node.labels)) return false;
  const required = pod.affinity?.nodeAffinity?.required;
  return required === undefined || matchesNodeSelectorTerms(required, node);
}

export function nodeAffinity(pod: SimPod, node: SimNode): FilterFailure | undefined {
  if (matchesRequiredNodeAffinity(pod, node)) return undefined;
  return { plugin: 'NodeAffinity', code: 'UnschedulableAndUnresolvable', reasons: [ERR_NODE_AFFINITY] };
}

export type PreFilterResult = { nodes: 'all' } | { nodes: ReadonlySet<string> } | { failure: FilterFailure };

/**
 * The nodes the pod may go to at all when every required term names nodes:
 * the union over terms of the names each term's `metadata.name In` fields allow.
 */
/** The node names one term allows: the intersection of its `metadata.name In` fields, undefined when it has none. */
function namesOfTerm(term: NodeSelectorTerm): Set<string> | undefined {
  let names: Set<string> | undefined;
  for (const f of term.matchFields ?? []) {
    if (f.key !== 'metadata.name' || f.operator !== 'In') continue;
    const values = new Set(f.values ?? []);
    names = names ? new Set([...names].filter((n) => values.has(n))) : values;
  }
  return names;
}

export function nodeAffinityPreFilter(pod: SimPod): PreFilterResult {
  const terms = pod.affinity?.nodeAffinity?.required;
  if (!terms) return { nodes: 'all' };
  const union = new Set<string>();
  for (const term of terms) {
    const names = namesOfTerm(term);
    if (!names) return { nodes: 'all' };
    for (const n of names) union.add(n);
  }
  if (union.size === 0) return { failure: { plugin: 'NodeAffinity', code: 'UnschedulableAndUnresolvable', reasons: [ERR_AFFINITY_CONFLICT] } };
  return { nodes: union };
}
