/**
 * Label selectors (pods) and node selectors (nodes), with the operators of
 * the Kubernetes API: In, NotIn, Exists, DoesNotExist, and Gt/Lt for nodes.
 */
import type { Labels, LabelSelector, LabelSelectorRequirement, NodeSelectorRequirement, NodeSelectorTerm, SimNode } from './types.js';

const INTEGER = /^[+-]?\d+$/;

// eslint-disable-next-line complexity -- one case per operator of a Kubernetes node selector requirement (In, NotIn, Exists, DoesNotExist, Gt, Lt); the switch is that table
function matchesRequirement(labels: Labels, r: NodeSelectorRequirement): boolean {
  const has = Object.hasOwn(labels, r.key);
  const value = labels[r.key];
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return has && values.includes(value!);
    case 'NotIn':
      return !has || !values.includes(value!);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
    case 'Lt': {
      // One integer to compare with, and an integer label; anything else matches nothing.
      if (!has || values.length !== 1 || !INTEGER.test(value!) || !INTEGER.test(values[0]!)) return false;
      const label = BigInt(value!);
      const bound = BigInt(values[0]!);
      return r.operator === 'Gt' ? label > bound : label < bound;
    }
    default:
      return false;
  }
}

/** A label selector against labels. An absent selector matches nothing; `{}` matches everything. */
export function matchesLabelSelector(selector: LabelSelector | undefined, labels: Labels): boolean {
  if (!selector) return false;
  const wanted = selector.matchLabels;
  if (wanted) {
    for (const k in wanted) if (labels[k] !== wanted[k]) return false;
  }
  return selector.matchExpressions === undefined || selector.matchExpressions.every((r: LabelSelectorRequirement) => matchesRequirement(labels, r));
}

/** `nodeSelector`: every key with exactly that value. */
export function matchesNodeSelectorMap(selector: Labels | undefined, labels: Labels): boolean {
  return Object.entries(selector ?? {}).every(([k, v]) => labels[k] === v);
}

/** A node selector requirement against a node's labels (all six operators). */
export function matchesNodeRequirement(r: NodeSelectorRequirement, labels: Labels): boolean {
  return matchesRequirement(labels, r);
}

/** `matchFields` knows one field, `metadata.name`, with In and NotIn. */
function matchesField(r: NodeSelectorRequirement, node: Pick<SimNode, 'name'>): boolean {
  if (r.key !== 'metadata.name' || (r.operator !== 'In' && r.operator !== 'NotIn')) return false;
  return matchesRequirement({ 'metadata.name': node.name }, r);
}

/** One term: its expressions and fields ANDed; a term with neither matches no node. */
export function matchesNodeSelectorTerm(term: NodeSelectorTerm, node: Pick<SimNode, 'name' | 'labels'>): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  return exprs.every((r) => matchesRequirement(node.labels, r)) && fields.every((r) => matchesField(r, node));
}

/** Terms are ORed; no term matches no node. */
export function matchesNodeSelectorTerms(terms: readonly NodeSelectorTerm[], node: Pick<SimNode, 'name' | 'labels'>): boolean {
  return terms.some((t) => matchesNodeSelectorTerm(t, node));
}
