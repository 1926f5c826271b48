/** Findings: what checks (and the planner) return. Data, never exceptions. */

export type Severity = 'error' | 'warning' | 'info';

export interface FindingObject {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

export interface Finding {
  /** The checker that found it: render, values, budget, schema, graph, gitops, bootstrap, hygiene, availability, footprint, policy, plan, repo. */
  check: string;
  severity: Severity;
  message: string;
  /** The object concerned, when there is one. */
  object?: FindingObject;
  /** Where it comes from: the unit (component) and the file in the GitOps repository. */
  source?: { component: string; file?: string };
  /** Path inside the object (or values), e.g. `spec.template.spec.containers[0].resources.limits`. */
  path?: string;
  hint?: string;
}

export function objectOf(o: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } }): FindingObject {
  return { apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}) };
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Stable order: component, severity, check, object, path, message. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  const key = (f: Finding) =>
    [f.source?.component ?? '', SEVERITY_ORDER[f.severity], f.check, f.object?.kind ?? '', f.object?.namespace ?? '', f.object?.name ?? '', f.path ?? '', f.message].join('\u0000');
  return [...findings].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
