/**
 * Kyverno ClusterPolicy / Policy `match` and `exclude` blocks: `any` (one filter
 * suffices), `all` (every filter), or a bare `resources` description. Within a
 * description every field given must hold: kinds (`Pod`, `apps/v1/Deployment`,
 * wildcards), names and namespaces (wildcards), annotations, selector,
 * namespaceSelector, operations. Subjects are checked against the request's user;
 * roles and clusterRoles cannot be known offline and never match.
 */
import type { Attributes } from '../admission/request.js';
import type { KyvernoMatch, ResourceDescription, ResourceFilter, Subject } from '../types.js';
import { kindSelector } from './filters.js';
import { selectorMatches } from './selector.js';
import { wildcardMatch } from './wildcard.js';

export function kindMatches(selector: string, a: Attributes): boolean {
  const [group, version, kind, subresource] = kindSelector(selector);
  return wildcardMatch(group, a.type.group) && wildcardMatch(version, a.version) && wildcardMatch(kind, a.type.kind) && (subresource === '' || subresource === '*');
}

// eslint-disable-next-line complexity -- one check per field of a Kyverno ResourceDescription (kinds, names, namespaces, annotations, selector, namespaceSelector, operations), in Kyverno's order
function descriptionMatches(d: ResourceDescription, a: Attributes): boolean {
  const object = a.object ?? a.oldObject;
  if (d.kinds?.length && !d.kinds.some((k) => kindMatches(k, a))) return false;
  const names = [...(d.names ?? []), ...(d.name ? [d.name] : [])];
  if (names.length && !names.some((n) => wildcardMatch(n, a.name))) return false;
  const namespace = a.type.kind === 'Namespace' && a.type.group === '' ? a.name : a.namespace;
  if (d.namespaces?.length && !d.namespaces.some((n) => wildcardMatch(n, namespace))) return false;
  const annotations = object?.metadata.annotations ?? {};
  for (const [k, v] of Object.entries(d.annotations ?? {})) if (!(k in annotations) || !wildcardMatch(v, annotations[k]!)) return false;
  if (d.selector && !selectorMatches(d.selector, object?.metadata.labels)) return false;
  if (d.namespaceSelector) {
    const nsLabels = a.type.kind === 'Namespace' && a.type.group === '' ? object?.metadata.labels : a.namespaceObject?.metadata.labels;
    if (!selectorMatches(d.namespaceSelector, nsLabels ?? {})) return false;
  }
  if (d.operations?.length && !d.operations.includes(a.operation)) return false;
  return true;
}

function subjectMatches(s: Subject, a: Attributes): boolean {
  switch (s.kind) {
    case 'User':
      return wildcardMatch(s.name, a.userInfo.username);
    case 'Group':
      return (a.userInfo.groups ?? []).some((g) => wildcardMatch(s.name, g));
    case 'ServiceAccount':
      return a.userInfo.username === `system:serviceaccount:${s.namespace ?? ''}:${s.name}`;
    default:
      return false;
  }
}

function filterMatches(f: ResourceFilter, a: Attributes): boolean {
  if (f.roles?.length || f.clusterRoles?.length) return false;
  if (f.subjects?.length && !f.subjects.some((s) => subjectMatches(s, a))) return false;
  return f.resources ? descriptionMatches(f.resources, a) : Boolean(f.subjects?.length);
}

// eslint-disable-next-line complexity -- one term per field of a Kyverno match block (any, all, resources, subjects, roles, clusterRoles)
function isEmpty(m: KyvernoMatch | undefined): boolean {
  return !m || (!m.any?.length && !m.all?.length && !m.resources && !m.subjects?.length && !m.roles?.length && !m.clusterRoles?.length);
}

export function kyvernoMatches(m: KyvernoMatch | undefined, a: Attributes): boolean {
  if (!m || isEmpty(m)) return false;
  if (m.any?.length) return m.any.some((f) => filterMatches(f, a));
  if (m.all?.length) return m.all.every((f) => filterMatches(f, a));
  return filterMatches(m, a);
}

/** A rule applies when its match holds and its exclude (if any) does not. */
export function kyvernoRuleApplies(match: KyvernoMatch | undefined, exclude: KyvernoMatch | undefined, a: Attributes): boolean {
  return kyvernoMatches(match, a) && !(exclude && !isEmpty(exclude) && kyvernoMatches(exclude, a));
}
