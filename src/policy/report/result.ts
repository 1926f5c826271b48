/**
 * One policy result per (policy, rule, resource): the flat form `plinth check`
 * lists, and the material of PolicyReports. Vocabulary of Policy Reporter:
 * result pass / fail / warn / error / skip, source, category, severity, properties.
 */
import type { ResourceRef } from '../admission/request.js';
import type { Operation } from '../types.js';

export type ResultStatus = 'pass' | 'fail' | 'warn' | 'error' | 'skip';
export type PolicyKind = 'ValidatingPolicy' | 'ValidatingAdmissionPolicy' | 'ClusterPolicy' | 'Policy';
/** Enforce: the cluster would reject the object; Audit: it would only report it. */
export type PolicyAction = 'Enforce' | 'Audit';

export const SOURCES: Record<PolicyKind, string> = {
  ValidatingPolicy: 'KyvernoValidatingPolicy',
  ValidatingAdmissionPolicy: 'ValidatingAdmissionPolicy',
  ClusterPolicy: 'kyverno',
  Policy: 'kyverno',
};

export interface PolicyResult {
  /** Policy name (`namespace/name` for a namespaced Kyverno Policy). */
  policy: string;
  policyKind: PolicyKind;
  /** Rule name: ClusterPolicy rule (`autogen-…` for controllers), the policy name for a VAP, empty for a ValidatingPolicy (as Kyverno reports it). */
  rule: string;
  resource: ResourceRef;
  result: ResultStatus;
  message: string;
  action: PolicyAction;
  /** True when the cluster would deny the request: a failure (or an error under failurePolicy Fail) of an Enforce policy. */
  blocking: boolean;
  /**
   * `outside-webhook`: Kyverno's webhooks never see this object (their namespaceSelector leaves its
   * namespace out), so even an Enforce failure only shows in background-scan reports.
   */
  admission?: 'outside-webhook';
  source: string;
  category?: string;
  severity?: string;
  scored: boolean;
  /** The exceptions (`namespace/name`) that made this result a skip (or pass). */
  exceptions?: string[];
  /** Why a skip: the policy's matchConditions did not hold (not reported in PolicyReports), or an exception applied. */
  skipReason?: 'match-conditions' | 'exception';
  properties: Record<string, string>;
  operation: Operation;
  /** The component (unit) the resource belongs to, when the caller said (EvaluateOptions.componentOf). */
  component?: string;
}

/**
 * How serious a result is for `plinth check` (same words as findings): error when the
 * cluster would deny the request, warning for any other fail, warn or error, info for
 * a skip granted by an exception (shown, not hidden); undefined for the rest.
 */
export function resultSeverity(r: PolicyResult): 'error' | 'warning' | 'info' | undefined {
  if (r.blocking) return 'error';
  if (r.result === 'fail' || r.result === 'warn' || r.result === 'error') return 'warning';
  if (r.skipReason === 'exception') return 'info';
  return undefined;
}

/** What every result of one policy shares. */
export interface PolicyMeta {
  policy: string;
  policyKind: PolicyKind;
  category?: string;
  severity?: string;
  scored: boolean;
}

export function policyMeta(kind: PolicyKind, name: string, annotations: Record<string, string> | undefined): PolicyMeta {
  const a = annotations ?? {};
  const category = a['policies.kyverno.io/category'];
  const severity = a['policies.kyverno.io/severity'];
  return {
    policy: name,
    policyKind: kind,
    ...(category ? { category } : {}),
    ...(severity && ['critical', 'high', 'medium', 'low', 'info'].includes(severity) ? { severity } : {}),
    scored: a['policies.kyverno.io/scored'] !== 'false',
  };
}

export interface Verdict {
  rule: string;
  result: ResultStatus;
  message: string;
  properties?: Record<string, string>;
  exceptions?: string[];
  skipReason?: PolicyResult['skipReason'];
}

/** The request a result is about and how the policy acts on it. */
export interface ResultContext {
  resource: ResourceRef;
  operation: Operation;
  action: PolicyAction;
  /** failurePolicy Fail: an error denies the request too (under Enforce). */
  blockingOnError: boolean;
}

/** Builds a result; an unscored policy reports warn instead of fail, as Kyverno does. */
// eslint-disable-next-line complexity -- a PolicyResult record: the count is the optional fields (category, severity, exceptions, skipReason) left out when unset, and the blocking rule
export function makeResult(meta: PolicyMeta, ctx: ResultContext, v: Verdict): PolicyResult {
  const { resource, operation, action } = ctx;
  const result = v.result === 'fail' && !meta.scored ? 'warn' : v.result;
  const blocking = action === 'Enforce' && (v.result === 'fail' || (v.result === 'error' && ctx.blockingOnError));
  return {
    policy: meta.policy,
    policyKind: meta.policyKind,
    rule: v.rule,
    resource,
    result,
    message: v.message,
    action,
    blocking,
    source: SOURCES[meta.policyKind],
    ...(meta.category ? { category: meta.category } : {}),
    ...(meta.severity ? { severity: meta.severity } : {}),
    scored: meta.scored,
    ...(v.exceptions?.length ? { exceptions: v.exceptions } : {}),
    ...(v.skipReason ? { skipReason: v.skipReason } : {}),
    properties: v.properties ?? {},
    operation,
  };
}

const refKey = (r: ResourceRef) => [r.namespace ?? '', r.kind, r.name, r.apiVersion].join('\u0000');

/** Stable order: resource (namespace, kind, name), policy, rule. */
export function sortResults(results: readonly PolicyResult[]): PolicyResult[] {
  const key = (r: PolicyResult) => [refKey(r.resource), r.policy, r.rule, r.properties.binding ?? '', r.operation].join('\u0001');
  return [...results].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
