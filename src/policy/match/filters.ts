/**
 * Kyverno's `resourceFilters` (its ConfigMap): resources Kyverno never admits
 * nor scans, so they never appear in its reports. Entries are `[Kind,Namespace,Name]`
 * with wildcards; Kind may be `Kind`, `Kind/subresource`, `version/Kind` or
 * `group/version/Kind`. A Namespace is also filtered when its own name matches
 * the namespace field (so the kube-system entry also covers the kube-system Namespace).
 */
import type { Attributes } from '../admission/request.js';
import { wildcardMatch } from './wildcard.js';

export interface ResourceFilterEntry {
  group: string;
  version: string;
  kind: string;
  subresource: string;
  namespace: string;
  name: string;
  /** The entry as written, e.g. `[Event,*,*]`. */
  text: string;
}

const VERSION = /^(v\d+((alpha|beta)\d+)?|\*)$/;

// eslint-disable-next-line complexity -- one case per form of Kyverno's kind selector (Kind, Group/Kind or version/Kind, group/version/Kind, with a subresource), as Kyverno parses it
export function kindSelector(input: string): [group: string, version: string, kind: string, subresource: string] {
  const slash = input.split('/');
  const parts = [...slash.slice(0, -1), ...slash[slash.length - 1]!.split('.')];
  const [a = '', b = '', c = '', d = ''] = parts;
  switch (parts.length) {
    case 1:
      return ['*', '*', a, ''];
    case 2:
      if (a === '*' && b === '*') return ['*', '*', '*', '*'];
      if (a === '*' && b.toLowerCase() === b) return ['*', '*', a, b];
      return VERSION.test(a) ? ['*', a, b, ''] : ['*', '*', a, b];
    case 3:
      return VERSION.test(a) ? ['*', a, b, c] : [a, b, c, ''];
    default:
      return [a, b, c, d];
  }
}

// Parses the ConfigMap text, e.g. `[Event,*,*][*/*,kube-system,*]`.
export function parseResourceFilters(text: string | readonly string[]): ResourceFilterEntry[] {
  const joined = typeof text === 'string' ? text : text.join('');
  return [...joined.matchAll(/\[([^[\]]*)\]/g)].map((m) => {
    const [kind = '', namespace = '', name = ''] = m[1]!.split(',');
    const [group, version, k, subresource] = kindSelector(kind.trim());
    return { group, version, kind: k, subresource, namespace: namespace.trim(), name: name.trim(), text: m[0] };
  });
}

/**
 * The filters of the Kyverno chart's default values (chart 3.9: `config.resourceFilters`,
 * with `excludeKyvernoNamespace` adding Kyverno's own namespace). The chart also
 * filters Kyverno's own RBAC and workloads by release name; its namespace entry covers them.
 */
export function defaultKyvernoResourceFilters(kyvernoNamespace = 'kyverno'): string[] {
  return [
    `[*/*,${kyvernoNamespace},*]`,
    '[Event,*,*]', '[*/*,kube-system,*]', '[*/*,kube-public,*]', '[*/*,kube-node-lease,*]',
    '[Node,*,*]', '[Node/?*,*,*]', '[APIService,*,*]', '[APIService/?*,*,*]',
    '[TokenReview,*,*]', '[SubjectAccessReview,*,*]', '[SelfSubjectAccessReview,*,*]',
    '[Binding,*,*]', '[Pod/binding,*,*]', '[ReplicaSet,*,*]', '[ReplicaSet/?*,*,*]',
    '[EphemeralReport,*,*]', '[ClusterEphemeralReport,*,*]',
  ];
}

/** The first entry that filters the request, or undefined. */
export function filterOf(filters: readonly ResourceFilterEntry[], a: Attributes): ResourceFilterEntry | undefined {
  return filters.find((f) => {
    const w = wildcardMatch;
    if (!(w(f.group, a.type.group) && w(f.version, a.version) && w(f.kind, a.type.kind) && w(f.subresource, ''))) return false;
    if (w(f.namespace, a.namespace) && w(f.name, a.name)) return true;
    return a.type.group === '' && a.version === 'v1' && a.type.kind === 'Namespace' && w(f.namespace, a.name);
  });
}

export function isFiltered(filters: readonly ResourceFilterEntry[], a: Attributes): boolean {
  return filterOf(filters, a) !== undefined;
}
