/** Pod (anti-)affinity terms: which pods a term selects, by namespace and labels. */
import { matchesLabelSelector } from './labels.js';
import type { Labels, PodAffinityTerm, SimPod } from './types.js';

/**
 * Whether `term`, written in `owner`'s spec, selects `target`: the target's
 * namespace is listed, or picked by the namespaceSelector (`{}` picks all), or
 * is the owner's own when the term names none; and its labels match.
 */
export function termSelects(term: PodAffinityTerm, owner: Pick<SimPod, 'namespace'>, target: Pick<SimPod, 'namespace' | 'labels'>, namespaceLabels: ReadonlyMap<string, Labels>): boolean {
  const listed = term.namespaces ?? [];
  let inNamespace: boolean;
  if (listed.length === 0 && term.namespaceSelector === undefined) inNamespace = target.namespace === owner.namespace;
  else inNamespace = listed.includes(target.namespace) || (term.namespaceSelector !== undefined && matchesLabelSelector(term.namespaceSelector, namespaceLabels.get(target.namespace) ?? {}));
  return inNamespace && matchesLabelSelector(term.labelSelector, target.labels);
}
