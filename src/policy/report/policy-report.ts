/**
 * PolicyReports (wgpolicyk8s.io/v1alpha2) from results, one report per resource
 * as Kyverno writes them: a PolicyReport in the resource's namespace, or a
 * ClusterPolicyReport for a cluster-scoped resource, with `scope`, `summary` and
 * the results. Skips caused by matchConditions are internal routing, never
 * reported (as in Kyverno). No timestamps: same input, same reports.
 */
import type { K8sObject } from '../../model/k8s.js';
import { MANAGED_BY, MANAGED_BY_LABEL } from '../../model/labels.js';
import type { ResourceRef } from '../admission/request.js';
import { type PolicyResult, type ResultStatus, sortResults } from './result.js';

export const POLICY_REPORT_API_VERSION = 'wgpolicyk8s.io/v1alpha2';

export type ReportSummary = Record<ResultStatus, number>;

export function summarize(results: readonly PolicyResult[]): ReportSummary {
  const s: ReportSummary = { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
  for (const r of results) s[r.result]++;
  return s;
}

function reportName(ref: ResourceRef): string {
  const group = ref.apiVersion.includes('/') ? `.${ref.apiVersion.split('/')[0]}` : '';
  return `${ref.kind}${group}-${ref.name}`
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 253);
}

function reportResult(r: PolicyResult): Record<string, unknown> {
  return {
    policy: r.policy,
    ...(r.rule ? { rule: r.rule } : {}),
    result: r.result,
    message: r.message,
    source: r.source,
    scored: r.scored,
    ...(r.category ? { category: r.category } : {}),
    ...(r.severity ? { severity: r.severity } : {}),
    ...(Object.keys(r.properties).length ? { properties: r.properties } : {}),
  };
}

export function policyReports(results: readonly PolicyResult[]): K8sObject[] {
  const byResource = new Map<string, { ref: ResourceRef; results: PolicyResult[] }>();
  for (const r of sortResults(results)) {
    if (r.skipReason === 'match-conditions') continue;
    const key = JSON.stringify([r.resource.namespace ?? '', r.resource.apiVersion, r.resource.kind, r.resource.name]);
    const entry = byResource.get(key) ?? { ref: r.resource, results: [] };
    entry.results.push(r);
    byResource.set(key, entry);
  }
  return [...byResource.values()].map(({ ref, results: rs }) => ({
    apiVersion: POLICY_REPORT_API_VERSION,
    kind: ref.namespace ? 'PolicyReport' : 'ClusterPolicyReport',
    metadata: { name: reportName(ref), ...(ref.namespace ? { namespace: ref.namespace } : {}), labels: { [MANAGED_BY_LABEL]: MANAGED_BY } },
    scope: { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name, ...(ref.namespace ? { namespace: ref.namespace } : {}) },
    summary: summarize(rs),
    results: rs.map(reportResult),
  }));
}
