import { describe, expect, it } from 'vitest';
import type { K8sObject } from '../../model/k8s.js';
import { evaluatePolicies } from '../engine.js';
import { deployment, namespace, pod, POD_RULES, vpol } from '../test-helpers.js';

const deployRules = { resourceRules: [{ apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['deployments'] }] };

const maxReplicas: K8sObject = {
  apiVersion: 'admissionregistration.k8s.io/v1',
  kind: 'ValidatingAdmissionPolicy',
  metadata: { name: 'max-replicas' },
  spec: {
    paramKind: { apiVersion: 'v1', kind: 'ConfigMap' },
    matchConstraints: deployRules,
    variables: [{ name: 'limit', expression: 'int(params.data.maxReplicas)' }],
    validations: [{ expression: 'object.spec.replicas <= variables.limit', messageExpression: "'replicas must be at most ' + string(variables.limit)" }],
  },
};

function binding(name: string, spec: Record<string, unknown>): K8sObject {
  return { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name }, spec: { policyName: 'max-replicas', ...spec } };
}

const limits = (name: string, ns: string, max: number, labels: Record<string, string> = {}): K8sObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: ns, labels },
  data: { maxReplicas: String(max) },
});

const scaled = (name: string, replicas: number, ns = 'team-a') => {
  const d = deployment(name, { containers: [{ name: 'app', image: 'x:1' }] }, ns);
  (d.spec as Record<string, unknown>).replicas = replicas;
  return d;
};

describe('ValidatingAdmissionPolicy with bindings and params', () => {
  it('evaluates once per binding, with its params and its actions', () => {
    const strict = binding('strict', { paramRef: { name: 'limits', namespace: 'platform' }, validationActions: ['Deny'] });
    const lax = binding('lax', { paramRef: { name: 'lax-limits', namespace: 'platform' }, validationActions: ['Audit'] });
    const params = [limits('limits', 'platform', 3), limits('lax-limits', 'platform', 10)];
    const out = evaluatePolicies([maxReplicas, strict, lax], [scaled('web', 5)], { params }).results;
    expect(out.map((r) => [r.properties.binding, r.result, r.action, r.blocking, r.rule, r.source])).toEqual([
      ['lax', 'pass', 'Audit', false, 'max-replicas', 'ValidatingAdmissionPolicy'],
      ['strict', 'fail', 'Enforce', true, 'max-replicas', 'ValidatingAdmissionPolicy'],
    ]);
    expect(out[1]!.message).toBe('replicas must be at most 3');
  });

  it('takes params from the request namespace, or by selector', () => {
    const perNamespace = binding('per-namespace', { paramRef: { name: 'limits', parameterNotFoundAction: 'Deny' }, validationActions: ['Deny'] });
    const params = [limits('limits', 'team-a', 2), limits('limits', 'team-b', 8)];
    const out = evaluatePolicies([maxReplicas, perNamespace], [scaled('a', 4, 'team-a'), scaled('b', 4, 'team-b'), scaled('c', 4, 'team-c')], { params }).results;
    expect(out.map((r) => `${r.resource.namespace}:${r.result}`)).toEqual(['team-a:fail', 'team-b:pass', 'team-c:fail']);
    expect(out[2]!.message).toContain('no params found');
    const selected = binding('selected', { paramRef: { selector: { matchLabels: { tier: 'web' } }, namespace: 'platform', parameterNotFoundAction: 'Allow' }, validationActions: ['Deny'] });
    const some = [limits('one', 'platform', 5, { tier: 'web' }), limits('two', 'platform', 3, { tier: 'web' })];
    expect(evaluatePolicies([maxReplicas, selected], [scaled('d', 4)], { params: some }).results[0]).toMatchObject({ result: 'fail', message: 'replicas must be at most 3' });
    expect(evaluatePolicies([maxReplicas, selected], [scaled('d', 4)], { params: [] }).results).toEqual([]);
  });

  it("narrows with the binding's matchResources", () => {
    const prodOnly = binding('prod-only', { paramRef: { name: 'limits', namespace: 'platform' }, validationActions: ['Deny'], matchResources: { namespaceSelector: { matchLabels: { env: 'prod' } } } });
    const namespaces = [namespace('shop', { env: 'prod' }), namespace('lab', { env: 'lab' })];
    const out = evaluatePolicies([maxReplicas, prodOnly], [scaled('a', 9, 'shop'), scaled('b', 9, 'lab')], { params: [limits('limits', 'platform', 3)], namespaces }).results;
    expect(out.map((r) => r.resource.namespace)).toEqual(['shop']);
  });

  it('allows mixed-type list literals, as the API server does', () => {
    const vap: K8sObject = { ...maxReplicas, metadata: { name: 'mixed' }, spec: { matchConstraints: POD_RULES, validations: [{ expression: "size([1, 'a']) == 2" }] } };
    expect(evaluatePolicies([vap], [pod('p')]).results[0]).toMatchObject({ result: 'pass', action: 'Audit' });
  });
});

describe('ClusterPolicy validate.cel', () => {
  const clusterPolicy = (spec: Record<string, unknown>, annotations?: Record<string, string>): K8sObject => ({
    apiVersion: 'kyverno.io/v1',
    kind: 'ClusterPolicy',
    metadata: { name: 'labels', ...(annotations ? { annotations } : {}) },
    spec,
  });
  const rule = {
    name: 'team-label',
    match: { any: [{ resources: { kinds: ['Pod'], namespaces: ['team-*'] } }] },
    exclude: { any: [{ resources: { selector: { matchLabels: { exempt: 'true' } } } }] },
    celPreconditions: [{ name: 'not-jobs', expression: "!has(object.metadata.ownerReferences) || object.metadata.ownerReferences.all(o, o.kind != 'Job')" }],
    validate: { message: 'pods need a team label', cel: { expressions: [{ expression: "has(object.metadata.labels) && 'team' in object.metadata.labels" }] } },
  };

  it('matches kinds and namespaces with wildcards, excludes by selector, gates on celPreconditions', () => {
    const policy = clusterPolicy({ validationFailureAction: 'Audit', rules: [rule] }, { 'pod-policies.kyverno.io/autogen-controllers': 'none' });
    const resources = [
      pod('unlabelled'),
      pod('labelled', {}, { labels: { team: 'a' } }),
      pod('exempt', {}, { labels: { exempt: 'true' } }),
      pod('elsewhere', {}, { namespace: 'lab' }),
      pod('job-pod', {}, { ownerReferences: [{ kind: 'Job', name: 'j', apiVersion: 'batch/v1', uid: '1' }] }),
    ];
    const out = evaluatePolicies([policy], resources, { includeMatchConditionSkips: true }).results;
    expect(Object.fromEntries(out.map((r) => [r.resource.name, `${r.result}:${r.message}`]))).toEqual({
      unlabelled: 'fail:pods need a team label',
      labelled: 'pass:validation rule team-label passed',
      'job-pod': 'skip:celPreconditions not met',
    });
    expect(out[0]).toMatchObject({ policyKind: 'ClusterPolicy', rule: 'team-label', source: 'kyverno' });
  });

  it('takes the action per rule, and honours kyverno.io/v2 PolicyExceptions', () => {
    // no label selector in match/exclude: the rule can be autogenerated for controllers
    const enforced = { name: rule.name, match: rule.match, validate: { ...rule.validate, failureAction: 'Enforce' } };
    const policy = clusterPolicy({ rules: [enforced] });
    const exception: K8sObject = {
      apiVersion: 'kyverno.io/v2',
      kind: 'PolicyException',
      metadata: { name: 'legacy', namespace: 'kyverno' },
      spec: { exceptions: [{ policyName: 'labels', ruleNames: ['team-label', 'autogen-*'] }], match: { any: [{ resources: { kinds: ['Pod', 'Deployment'], names: ['legacy*'] } }] } },
    };
    const out = evaluatePolicies([policy, exception], [pod('new'), pod('legacy-1'), deployment('legacy-app', { containers: [] })]).results;
    expect(out.map((r) => `${r.resource.name}:${r.rule}:${r.result}:${r.blocking}`)).toEqual([
      'legacy-app:autogen-team-label:skip:false',
      'legacy-1:team-label:skip:false',
      'new:team-label:fail:true',
    ]);
    expect(out[1]!.exceptions).toEqual(['kyverno/legacy']);
  });

  it('reports an evaluation error as a failure, as Kyverno does for validate.cel', () => {
    const broken = { name: 'broken', match: { any: [{ resources: { kinds: ['Pod'] } }] }, validate: { cel: { expressions: [{ expression: 'object.spec.nothing.here == true' }] } } };
    const out = evaluatePolicies([clusterPolicy({ rules: [broken] }, { 'pod-policies.kyverno.io/autogen-controllers': 'none' })], [pod('p')]).results;
    expect(out[0]).toMatchObject({ result: 'fail', message: expect.stringContaining('nothing') });
  });

  it('does not autogenerate a rule that selects by labels', () => {
    const policy = clusterPolicy({ rules: [rule] });
    expect(evaluatePolicies([policy], [deployment('app', { containers: [] })]).results).toEqual([]);
  });

  it('lists rules it cannot evaluate offline instead of guessing', () => {
    const policy = clusterPolicy({ rules: [{ name: 'pattern', match: { any: [{ resources: { kinds: ['Pod'] } }] }, validate: { pattern: { spec: {} } } }] });
    const e = evaluatePolicies([policy], [pod('p')]);
    expect(e.results).toEqual([]);
    expect(e.unsupported).toEqual([{ policy: 'labels', rule: 'pattern', reason: expect.stringContaining('validate rule without cel') }]);
  });
});

describe('PolicyExceptions for ValidatingPolicy', () => {
  const policy = vpol('no-privileged', { validationActions: ['Deny'], validations: [{ expression: 'object.spec.containers.all(c, !c.?securityContext.?privileged.orValue(false))' }] });
  const privileged = (name: string, ns = 'kube-system') => pod(name, { containers: [{ name: 'agent', image: 'x:1', securityContext: { privileged: true } }] }, { namespace: ns });
  const exception = (name: string, spec: Record<string, unknown>, ns = 'kyverno'): K8sObject => ({
    apiVersion: 'policies.kyverno.io/v1',
    kind: 'PolicyException',
    metadata: { name, namespace: ns },
    spec: { policyRefs: [{ kind: 'ValidatingPolicy', name: 'no-privileged' }], matchConditions: [{ name: 'ns', expression: "object.metadata.namespace == 'kube-system'" }], ...spec },
  });

  it('exempts the matching resources (skip, or pass with reportResult), not the others', () => {
    const out = evaluatePolicies([policy, exception('agents', {})], [privileged('cilium-abc'), privileged('rogue', 'team-a')]).results;
    expect(out.map((r) => `${r.resource.name}:${r.result}:${r.blocking}:${(r.exceptions ?? []).join()}`)).toEqual(['cilium-abc:skip:false:kyverno/agents', 'rogue:fail:true:']);
    const passing = evaluatePolicies([policy, exception('agents', { reportResult: 'pass' })], [privileged('cilium-abc')]).results;
    expect(passing[0]).toMatchObject({ result: 'pass', skipReason: 'exception' });
  });

  it('ignores expired exceptions and those outside the exception namespace', () => {
    const expiring = exception('agents', { expiresAt: '2025-01-01T00:00:00Z' });
    expect(evaluatePolicies([policy, expiring], [privileged('a')], { exceptionScope: { now: new Date('2024-06-01T00:00:00Z') } }).results[0]!.result).toBe('skip');
    expect(evaluatePolicies([policy, expiring], [privileged('a')], { exceptionScope: { now: new Date('2025-06-01T00:00:00Z') } }).results[0]!.result).toBe('fail');
    const elsewhere = exception('agents', {}, 'team-a');
    expect(evaluatePolicies([policy, elsewhere], [privileged('a')], { exceptionScope: { namespace: 'kyverno' } }).results[0]!.result).toBe('fail');
  });

  it('with images, only feeds exceptions.allowedImages to the policy', () => {
    const registries = vpol('registries', {
      validations: [{ expression: "object.spec.containers.all(c, c.image.startsWith('ghcr.io/') || c.image in exceptions.allowedImages)" }],
    });
    const partial: K8sObject = { ...exception('quay', { images: ['quay.io/cilium/cilium:v1'] }), spec: { policyRefs: [{ kind: 'ValidatingPolicy', name: 'registries' }], images: ['quay.io/cilium/cilium:v1'] } };
    const images = (name: string, image: string) => pod(name, { containers: [{ name: 'c', image }] });
    const out = evaluatePolicies([registries, partial], [images('cilium', 'quay.io/cilium/cilium:v1'), images('other', 'quay.io/x/y:1')]).results;
    expect(out.map((r) => `${r.resource.name}:${r.result}`)).toEqual(['cilium:pass', 'other:fail']);
  });
});
