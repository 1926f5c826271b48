import { describe, expect, it } from 'vitest';
import { evaluatePolicies } from '../engine.js';
import { defaultKyvernoResourceFilters, parseResourceFilters } from '../match/filters.js';
import { deployment, namespace, pod, vpol } from '../test-helpers.js';

const policies = [
  vpol('named', { validations: [{ expression: "object.metadata.name != 'bad'", message: 'bad name' }] }, { 'policies.kyverno.io/category': 'Best Practices', 'policies.kyverno.io/severity': 'high' }),
  vpol('gated', { matchConditions: [{ name: 'never', expression: 'false' }], validations: [{ expression: 'true' }] }),
  vpol('namespaces', {
    validationActions: ['Deny'],
    matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['namespaces'] }] },
    validations: [{ expression: "'owner' in object.metadata.?labels.orValue({})", message: 'no owner' }],
  }),
];

describe('PolicyReports', () => {
  it('writes one report per resource (namespaced or cluster), with summary, sorted, without match-condition skips', () => {
    const e = evaluatePolicies(policies, [pod('bad'), pod('good'), namespace('team-a')]);
    expect(e.reports.map((r) => `${r.kind} ${r.metadata.namespace ?? '-'} ${r.metadata.name}`)).toEqual(['ClusterPolicyReport - namespace-team-a', 'PolicyReport team-a pod-bad', 'PolicyReport team-a pod-good']);
    const bad = e.reports[1]!;
    expect(bad.apiVersion).toBe('wgpolicyk8s.io/v1alpha2');
    expect(bad.scope).toEqual({ apiVersion: 'v1', kind: 'Pod', name: 'bad', namespace: 'team-a' });
    expect(bad.summary).toEqual({ pass: 0, fail: 1, warn: 0, error: 0, skip: 0 });
    expect(bad.results).toEqual([
      { policy: 'named', result: 'fail', message: 'bad name', source: 'KyvernoValidatingPolicy', scored: true, category: 'Best Practices', severity: 'high', properties: { 'cel.validationIndex': '0', process: 'background scan' } },
    ]);
    expect(JSON.stringify(e.reports)).not.toContain('gated');
  });

  it('is deterministic: same input, same output, whatever the input order', () => {
    const resources = [pod('bad'), pod('good'), namespace('team-a'), deployment('web', { containers: [] })];
    const a = evaluatePolicies(policies, resources);
    const b = evaluatePolicies([...policies].reverse(), [...resources].reverse());
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });
});

describe("Kyverno's resourceFilters", () => {
  it('parses the ConfigMap syntax', () => {
    expect(parseResourceFilters('[Event,*,*][*/*,kube-system,*][apps/v1/Deployment,ns,web][Pod/binding,*,*]')).toEqual([
      { group: '*', version: '*', kind: 'Event', subresource: '', namespace: '*', name: '*', text: '[Event,*,*]' },
      { group: '*', version: '*', kind: '*', subresource: '*', namespace: 'kube-system', name: '*', text: '[*/*,kube-system,*]' },
      { group: 'apps', version: 'v1', kind: 'Deployment', subresource: '', namespace: 'ns', name: 'web', text: '[apps/v1/Deployment,ns,web]' },
      { group: '*', version: '*', kind: 'Pod', subresource: 'binding', namespace: '*', name: '*', text: '[Pod/binding,*,*]' },
    ]);
  });

  it('keeps filtered resources out of results and reports, and lists them', () => {
    const resources = [pod('bad', {}, { namespace: 'kube-system' }), pod('bad', {}, { namespace: 'kyverno' }), namespace('kube-system'), pod('bad')];
    const e = evaluatePolicies(policies, resources, { resourceFilters: defaultKyvernoResourceFilters() });
    expect(e.results.map((r) => `${r.resource.namespace}/${r.resource.name}`)).toEqual(['team-a/bad']);
    expect(e.filtered.map((f) => [f.kind, f.namespace ?? '', f.name, f.filter])).toEqual([
      ['Namespace', '', 'kube-system', '[*/*,kube-system,*]'],
      ['Pod', 'kube-system', 'bad', '[*/*,kube-system,*]'],
      ['Pod', 'kyverno', 'bad', '[*/*,kyverno,*]'],
    ]);
  });
});

describe('results for plinth check', () => {
  it('carry the component and a finding severity', async () => {
    const { resultSeverity } = await import('./result.js');
    const e = evaluatePolicies(policies, [pod('bad'), namespace('team-a')], { componentOf: (o) => (o.kind === 'Pod' ? 'shop' : undefined) });
    expect(e.results.map((r) => [r.resource.name, r.component, resultSeverity(r)])).toEqual([
      ['team-a', undefined, 'error'],
      ['bad', 'shop', 'warning'],
    ]);
  });
});
