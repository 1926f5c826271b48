/**
 * Kubernetes admission matching (`matchConstraints` of ValidatingAdmissionPolicy
 * and Kyverno ValidatingPolicy, a binding's `matchResources`): resource rules by
 * API group, version, resource, operation, name and scope; exclusions;
 * namespaceSelector (on the namespace's labels, on the object's own for a
 * Namespace, ignored for other cluster-scoped objects) and objectSelector
 * (on the object or the old object). Subresources are never evaluated offline.
 */
import type { Attributes } from '../admission/request.js';
import type { MatchResources, ResourceRule } from '../types.js';
import { selectorMatches } from './selector.js';

const anyOf = (list: string[] | undefined, value: string) => (list ?? []).some((x) => x === '*' || x === value);

function resourceMatches(resources: string[] | undefined, plural: string): boolean {
  return (resources ?? []).some((r) => r === '*' || r === '*/*' || r === plural);
}

export function ruleMatches(rule: ResourceRule, a: Attributes): boolean {
  if (!anyOf(rule.apiGroups, a.type.group) || !anyOf(rule.apiVersions, a.version)) return false;
  if (!resourceMatches(rule.resources, a.type.resource) || !anyOf(rule.operations, a.operation)) return false;
  if (rule.resourceNames && rule.resourceNames.length > 0 && !rule.resourceNames.includes(a.name)) return false;
  const scope = rule.scope ?? '*';
  return scope === '*' || (scope === 'Namespaced') === a.type.namespaced;
}

function labelsOf(o: { metadata?: { labels?: Record<string, string> } } | null): Record<string, string> | undefined {
  return o?.metadata?.labels;
}

export function namespaceSelectorMatches(m: MatchResources, a: Attributes): boolean {
  if (!m.namespaceSelector) return true;
  if (a.type.kind === 'Namespace' && a.type.group === '') return selectorMatches(m.namespaceSelector, labelsOf(a.object ?? a.oldObject));
  if (!a.type.namespaced) return true;
  return selectorMatches(m.namespaceSelector, labelsOf(a.namespaceObject));
}

export function objectSelectorMatches(m: MatchResources, a: Attributes): boolean {
  if (!m.objectSelector) return true;
  return [a.object, a.oldObject].some((o) => o !== null && selectorMatches(m.objectSelector, labelsOf(o)));
}

/**
 * Absent constraints match nothing (both the API server and Kyverno require them).
 * A binding's `matchResources` (`binding: true`) only narrows: absent, or without
 * resource rules, it keeps everything its policy matches.
 */
export function constraintsMatch(m: MatchResources | undefined, a: Attributes, binding = false): boolean {
  if (!m) return binding;
  const rules = m.resourceRules ?? [];
  if (!(binding && rules.length === 0) && !rules.some((r) => ruleMatches(r, a))) return false;
  if ((m.excludeResourceRules ?? []).some((r) => ruleMatches(r, a))) return false;
  return namespaceSelectorMatches(m, a) && objectSelectorMatches(m, a);
}
