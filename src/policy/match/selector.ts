/** Kubernetes label selectors: matchLabels and matchExpressions (In, NotIn, Exists, DoesNotExist). */
import type { LabelSelector } from '../types.js';

/** An absent selector matches everything, like an empty one. */
export function selectorMatches(selector: LabelSelector | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector) return true;
  const l = labels ?? {};
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (l[k] !== v) return false;
  return (selector.matchExpressions ?? []).every((e) => expressionMatches(e, l));
}

/** One of matchExpressions; an unknown operator matches nothing. */
function expressionMatches(e: NonNullable<LabelSelector['matchExpressions']>[number], l: Record<string, string>): boolean {
  const has = Object.hasOwn(l, e.key);
  const values = e.values ?? [];
  switch (e.operator) {
    case 'In':
      return has && values.includes(l[e.key]!);
    case 'NotIn':
      return !(has && values.includes(l[e.key]!));
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    default:
      return false;
  }
}
