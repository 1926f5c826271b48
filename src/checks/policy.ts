/**
 * Policy checker: the platform's own policies (the ValidatingPolicies and
 * PolicyExceptions the Kyverno unit ships) evaluated offline over everything
 * the platform and its tenants apply, configured as the Kyverno unit configures
 * Kyverno, as Kyverno's background scan would report them:
 *
 * - resourceFilters: the chart's defaults with Kyverno's namespace. What they
 *   filter (kube-system: Cilium; Kyverno's own controllers) is never evaluated
 *   in the cluster either; each such workload a policy would apply to is shown
 *   as an info finding ("not evaluated"), so nothing disappears silently;
 * - PolicyExceptions: only with `features.policyExceptions.enabled`, only
 *   those in `features.policyExceptions.namespace`, and not once their
 *   `expiresAt` has passed (judged at `now`, the current time unless given);
 * - the webhooks' namespaceSelector (`config.webhooks`, plus Kyverno's own
 *   namespace): Kyverno never admits objects outside it, so an Enforce
 *   failure there is reported, not blocking.
 *
 * Enforce failures Kyverno admits are errors (the API server would reject the
 * object), other failures warnings, excepted results info (with the exception's name).
 */
import { getIn } from '../lib/values.js';
import { apiGroup, type K8sObject } from '../model/k8s.js';
import {
  compilePolicySet,
  defaultKyvernoResourceFilters,
  evaluateCompiled,
  type ExceptionScope,
  type FilteredResource,
  type PolicyResult,
  resultSeverity,
} from '../policy/index.js';
import type { LabelSelector } from '../policy/types.js';
import type { RenderedUnit } from '../helm/index.js';
import type { Unit } from '../model/unit.js';
import { CLUSTER_SCOPED_KINDS } from './builtin.js';
import type { Finding } from './finding.js';

const CHECK = 'policy';
const POLICY_GROUP = 'policies.kyverno.io';
const NAME_LABEL = 'kubernetes.io/metadata.name';

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

export interface PolicyCheckOptions {
  /** The instant PolicyException `expiresAt` is judged against (default: the current time). */
  now?: Date;
}

/** How the Kyverno unit configures Kyverno, as far as the offline evaluation needs it. */
export interface KyvernoSettings {
  namespace: string;
  exceptionScope: ExceptionScope;
  webhookNamespaceSelector: LabelSelector;
}

const isTestHook = (o: K8sObject) => /(^|,)\s*test(-success|-failure)?\s*(,|$)/.test(o.metadata.annotations?.['helm.sh/hook'] ?? '');

/** An object as the API server stores it: in its release's namespace when the chart left it out. */
function placed(o: K8sObject, namespace: string): K8sObject {
  if (o.metadata.namespace || CLUSTER_SCOPED_KINDS.has(o.kind)) return o;
  return { ...o, metadata: { ...o.metadata, namespace } };
}

/** Kyverno's settings from the final values of its unit (chart defaults where the values say nothing). */
export function kyvernoSettings(units: readonly Unit[], now: Date): KyvernoSettings {
  const unit = units.find((u) => u.chart?.chart === 'kyverno');
  const namespace = unit?.namespace ?? 'kyverno';
  const values = unit?.values ?? {};
  const exceptionNamespace = getIn(values, 'features.policyExceptions.namespace');
  const exceptionScope: ExceptionScope = {
    enabled: getIn(values, 'features.policyExceptions.enabled') === true,
    ...(typeof exceptionNamespace === 'string' && exceptionNamespace ? { namespace: exceptionNamespace } : {}),
    now,
  };
  // The chart's default selector leaves out kube-system; `excludeKyvernoNamespace` (default true) adds Kyverno's namespace.
  const configured = getIn(values, 'config.webhooks.namespaceSelector') as LabelSelector | undefined;
  const selector: LabelSelector = configured ?? { matchExpressions: [{ key: NAME_LABEL, operator: 'NotIn', values: ['kube-system'] }] };
  const own = getIn(values, 'config.excludeKyvernoNamespace') !== false;
  const webhookNamespaceSelector: LabelSelector = own
    ? { ...selector, matchExpressions: [...(selector.matchExpressions ?? []), { key: NAME_LABEL, operator: 'NotIn', values: [namespace] }] }
    : selector;
  return { namespace, exceptionScope, webhookNamespaceSelector };
}

export function checkPolicies(units: readonly Unit[], sources: readonly RenderedUnit[], options: PolicyCheckOptions = {}): PolicyOutcome {
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

  const kyverno = kyvernoSettings(units, options.now ?? new Date());
  const set = compilePolicySet(policies, { exceptionScope: kyverno.exceptionScope });
  const evaluation = evaluateCompiled(set, resources, {
    resourceFilters: defaultKyvernoResourceFilters(kyverno.namespace),
    exceptionScope: kyverno.exceptionScope,
    kyvernoWebhookNamespaceSelector: kyverno.webhookNamespaceSelector,
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
  findings.push(...filteredFindings(evaluation.filtered, resources, componentOf, (subset) => evaluateCompiled(set, subset, { exceptionScope: kyverno.exceptionScope }).results));
  return { findings, summary: [...rows.values()].sort((a, b) => (a.component < b.component ? -1 : 1)) };
}

const sameRef = (o: K8sObject, f: FilteredResource) => o.kind === f.kind && o.apiVersion === f.apiVersion && o.metadata.name === f.name && (o.metadata.namespace ?? undefined) === f.namespace;

/**
 * The filtered resources some platform policy would apply to, one info finding
 * each: evaluated without the filters only to say how many policies would apply
 * and which would fail (exceptions count, as they would if Kyverno saw it).
 */
function filteredFindings(
  filtered: readonly FilteredResource[],
  resources: readonly K8sObject[],
  componentOf: ReadonlyMap<K8sObject, string>,
  evaluate: (subset: K8sObject[]) => PolicyResult[],
): Finding[] {
  const objects = filtered.map((f) => ({ f, o: resources.find((o) => sameRef(o, f)) })).filter((x): x is { f: FilteredResource; o: K8sObject } => x.o !== undefined);
  const results = evaluate(objects.map((x) => x.o));
  return objects.flatMap(({ f, o }) => {
    const mine = results.filter((r) => r.resource.kind === f.kind && r.resource.name === f.name && r.resource.namespace === f.namespace);
    const policies = new Set(mine.map((r) => r.policy));
    if (policies.size === 0) return [];
    const failing = [...new Set(mine.filter((r) => r.result === 'fail' || r.result === 'warn' || r.result === 'error').map((r) => r.policy))].sort();
    const applies = `${policies.size} ${policies.size === 1 ? 'policy' : 'policies'} would apply`;
    const outcome = failing.length ? `, ${failing.length} would fail (${failing.join(', ')})` : ', none would fail';
    return [
      {
        check: CHECK,
        severity: 'info' as const,
        object: { apiVersion: f.apiVersion, kind: f.kind, ...(f.namespace ? { namespace: f.namespace } : {}), name: f.name },
        source: { component: componentOf.get(o) ?? '(unknown)' },
        message: `not evaluated (Kyverno resource filter ${f.filter}): ${applies}${outcome}`,
        hint: 'Kyverno never admits nor scans it in the cluster either: no PolicyReport, nothing enforced',
      },
    ];
  });
}

function finding(r: PolicyResult, severity: 'error' | 'warning' | 'info', component: string): Finding {
  const excepted = r.skipReason === 'exception';
  return {
    check: CHECK,
    severity,
    object: { apiVersion: r.resource.apiVersion, kind: r.resource.kind, ...(r.resource.namespace ? { namespace: r.resource.namespace } : {}), name: r.resource.name },
    source: { component },
    message: excepted ? `${r.policy}: excepted by ${(r.exceptions ?? []).join(', ')}` : `${r.policy}: ${r.message}`,
    hint: hintOf(r, excepted),
  };
}

function hintOf(r: PolicyResult, excepted: boolean): string {
  if (excepted) return 'a documented PolicyException of the component (see its reason annotation)';
  if (r.action !== 'Enforce') return 'audit: reported in PolicyReports and Policy Reporter, not blocked';
  if (r.admission === 'outside-webhook') {
    return `enforced, but Kyverno's webhooks leave namespace ${r.resource.namespace ?? r.resource.name} out: not blocked, only reported by background scans`;
  }
  return 'enforced: the API server rejects this object';
}
