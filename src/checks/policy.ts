/**
 * Policy checker: the platform's own policies (the ValidatingPolicies and
 * PolicyExceptions the Kyverno unit ships) evaluated offline over everything
 * the platform and its tenants apply, with Kyverno's default resource filters,
 * as Kyverno's background scan would report them. Enforce failures are errors
 * (the API server would reject the object), Audit failures warnings,
 * excepted results are shown as such (info, with the exception's name).
 */
import { apiGroup, type K8sObject } from '../model/k8s.js';
import { defaultKyvernoResourceFilters, evaluatePolicies, type PolicyResult, resultSeverity } from '../policy/index.js';
import type { RenderedUnit } from '../helm/index.js';
import type { Unit } from '../model/unit.js';
import { CLUSTER_SCOPED_KINDS } from './builtin.js';
import type { Finding } from './finding.js';

const CHECK = 'policy';
const POLICY_GROUP = 'policies.kyverno.io';

export interface PolicySummaryRow {
  component: string;
  pass: number;
  fail: number;
  excepted: number;
  error: number;
}

export interface PolicyOutcome {
  findings: Finding[];
  summary: PolicySummaryRow[];
}

const isTestHook = (o: K8sObject) => /(^|,)\s*test(-success|-failure)?\s*(,|$)/.test(o.metadata.annotations?.['helm.sh/hook'] ?? '');

/** An object as the API server stores it: in its release's namespace when the chart left it out. */
function placed(o: K8sObject, namespace: string): K8sObject {
  if (o.metadata.namespace || CLUSTER_SCOPED_KINDS.has(o.kind)) return o;
  return { ...o, metadata: { ...o.metadata, namespace } };
}

export function checkPolicies(units: readonly Unit[], sources: readonly RenderedUnit[]): PolicyOutcome {
  const policies = units.flatMap((u) => u.manifests.filter((m) => apiGroup(m.apiVersion) === POLICY_GROUP));
  if (policies.length === 0) return { findings: [], summary: [] };

  const componentOf = new Map<K8sObject, string>();
  const resources: K8sObject[] = [];
  const add = (o: K8sObject, unit: Unit) => {
    if (apiGroup(o.apiVersion) === POLICY_GROUP || o.kind === 'CustomResourceDefinition' || isTestHook(o)) return;
    const p = placed(o, unit.namespace);
    componentOf.set(p, unit.name);
    resources.push(p);
  };
  const rendered = new Map(sources.map((s) => [s.unit.name, s]));
  for (const u of units) {
    for (const o of u.manifests) add(o, u);
    for (const o of rendered.get(u.name)?.chartObjects ?? []) if (!u.manifests.includes(o)) add(o, u);
  }

  const evaluation = evaluatePolicies(policies, resources, {
    resourceFilters: defaultKyvernoResourceFilters(),
    componentOf: (o) => componentOf.get(o),
  });

  const findings: Finding[] = [];
  const rows = new Map<string, PolicySummaryRow>();
  for (const r of evaluation.results) {
    const component = r.component ?? '(unknown)';
    const row = rows.get(component) ?? { component, pass: 0, fail: 0, excepted: 0, error: 0 };
    rows.set(component, row);
    const severity = resultSeverity(r);
    if (r.result === 'pass') row.pass++;
    else if (r.skipReason === 'exception') row.excepted++;
    else if (r.result === 'error') row.error++;
    else if (r.result === 'fail' || r.result === 'warn') row.fail++;
    if (!severity) continue;
    findings.push(finding(r, severity, component));
  }
  return { findings, summary: [...rows.values()].sort((a, b) => (a.component < b.component ? -1 : 1)) };
}

function finding(r: PolicyResult, severity: 'error' | 'warning' | 'info', component: string): Finding {
  const excepted = r.skipReason === 'exception';
  return {
    check: CHECK,
    severity,
    object: { apiVersion: r.resource.apiVersion, kind: r.resource.kind, ...(r.resource.namespace ? { namespace: r.resource.namespace } : {}), name: r.resource.name },
    source: { component },
    message: excepted ? `${r.policy}: excepted by ${(r.exceptions ?? []).join(', ')}` : `${r.policy}: ${r.message}`,
    hint: excepted
      ? 'a documented PolicyException of the component (see its reason annotation)'
      : r.action === 'Enforce'
        ? 'enforced: the API server rejects this object'
        : 'audit: reported in PolicyReports and Policy Reporter, not blocked',
  };
}
