import { describe, expect, it } from 'vitest';
import type { K8sObject } from '../../model/k8s.js';
import { PolicyCompiler } from '../cel/compile.js';
import { evaluatePolicies } from '../engine.js';
import { compileProblemDetail, PolicyCompileError } from '../errors.js';
import { namespace, pod, POD_RULES, vpol } from '../test-helpers.js';
import type { MatchResources } from '../types.js';
import { compileProgram, runProgram } from './program.js';

const always = [{ expression: 'true' }];
const results = (policies: Parameters<typeof evaluatePolicies>[0], resources: Parameters<typeof evaluatePolicies>[1], options: Parameters<typeof evaluatePolicies>[2] = {}) =>
  evaluatePolicies(policies, resources, { includeMatchConditionSkips: true, ...options }).results;

describe('matchConstraints', () => {
  it('match and exclude by operation', () => {
    const constraints: MatchResources = {
      resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE', 'DELETE'], resources: ['pods'] }],
      excludeResourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['DELETE'], resources: ['pods'] }],
    };
    const policy = vpol('ops', { matchConstraints: constraints, validations: always });
    expect(results([policy], [pod('p')], { operation: 'CREATE' })).toHaveLength(1);
    expect(results([policy], [pod('p')], { operation: 'UPDATE' })).toHaveLength(1);
    expect(results([policy], [pod('p')], { operation: 'DELETE' })).toHaveLength(0);
    const createOnly = vpol('create-only', { matchConstraints: { resourceRules: [{ ...POD_RULES.resourceRules![0]!, operations: ['CREATE'] }] }, validations: always });
    expect(results([createOnly], [pod('p')], { operation: 'UPDATE' })).toHaveLength(0);
  });

  it('match by group, version, resource, name and scope', () => {
    const wildcard = vpol('any', { matchConstraints: { resourceRules: [{ apiGroups: ['*'], apiVersions: ['*'], operations: ['*'], resources: ['*'], scope: 'Namespaced' }] }, validations: always });
    const byName = vpol('named', { matchConstraints: { resourceRules: [{ ...POD_RULES.resourceRules![0]!, resourceNames: ['web'] }] }, validations: always });
    const out = results([wildcard, byName], [pod('web'), pod('db'), namespace('team-a')]);
    expect(out.map((r) => `${r.policy} ${r.resource.kind}/${r.resource.name}`)).toEqual(['any Pod/db', 'any Pod/web', 'named Pod/web']);
  });

  it('namespaceSelector: the namespace labels; a Namespace its own labels', () => {
    const prod = vpol('prod-only', { matchConstraints: { ...POD_RULES, namespaceSelector: { matchLabels: { environment: 'production' } } }, validations: always });
    const namespaces = [namespace('shop', { environment: 'production' }), namespace('lab', { environment: 'lab' })];
    const pods = [pod('a', {}, { namespace: 'shop' }), pod('b', {}, { namespace: 'lab' }), pod('c', {}, { namespace: 'unknown' })];
    expect(results([prod], pods, { namespaces }).map((r) => r.resource.name)).toEqual(['a']);
    // every namespace carries kubernetes.io/metadata.name, as the API server sets it
    const byName = vpol('by-name', { matchConstraints: { ...POD_RULES, namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['unknown'] }] } }, validations: always });
    expect(results([byName], pods, { namespaces }).map((r) => r.resource.name)).toEqual(['c']);
    const nsPolicy = vpol('ns', {
      matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['namespaces'] }], namespaceSelector: { matchExpressions: [{ key: 'environment', operator: 'NotIn', values: ['lab'] }] } },
      validations: always,
    });
    expect(results([nsPolicy], namespaces).map((r) => r.resource.name)).toEqual(['shop']);
  });

  it('objectSelector on the object labels', () => {
    const selected = vpol('selected', { matchConstraints: { ...POD_RULES, objectSelector: { matchExpressions: [{ key: 'tier', operator: 'Exists' }] } }, validations: always });
    const out = results([selected], [pod('labelled', {}, { labels: { tier: 'web' } }), pod('bare')]);
    expect(out.map((r) => r.resource.name)).toEqual(['labelled']);
  });
});

describe('matchConditions', () => {
  const failing = [{ expression: 'object.spec.nothing.here == 1' }];

  it('a false condition skips the policy before any validation runs', () => {
    const policy = vpol('gated', {
      matchConditions: [
        { name: 'is-web', expression: "object.metadata.name == 'web'" },
        { name: 'would-fail', expression: 'object.spec.nothing.here == 1' },
      ],
      validations: failing,
    });
    const [r] = results([policy], [pod('db')]);
    expect(r).toMatchObject({ result: 'skip', skipReason: 'match-conditions' });
    // not reported, as in Kyverno's background scan
    expect(evaluatePolicies([policy], [pod('db')]).results).toEqual([]);
  });

  it('errors follow failurePolicy: Fail reports an error, Ignore skips', () => {
    const conditions = [{ name: 'broken', expression: 'object.spec.nothing.here == 1' }];
    const fail = vpol('fail', { matchConditions: conditions, validations: always });
    const ignore = vpol('ignore', { matchConditions: conditions, validations: always, failurePolicy: 'Ignore' });
    const byPolicy = Object.fromEntries(results([fail, ignore], [pod('p')]).map((r) => [r.policy, r]));
    expect(byPolicy.fail).toMatchObject({ result: 'error' });
    expect(byPolicy.fail!.message).toContain('broken');
    expect(byPolicy.ignore).toMatchObject({ result: 'skip' });
  });

  it('a false condition wins over an erroring one', () => {
    const policy = vpol('mixed', { matchConditions: [{ name: 'broken', expression: 'object.spec.nothing.here == 1' }, { name: 'no', expression: 'false' }], validations: always });
    expect(results([policy], [pod('p')])[0]).toMatchObject({ result: 'skip' });
  });
});

describe('variables', () => {
  it('are lazy and each evaluated at most once per request', () => {
    const compiler = new PolicyCompiler('kyverno', 'ValidatingPolicy/count');
    const program = compileProgram(compiler, {
      variables: [
        { name: 'names', expression: 'object.spec.containers.map(c, c.name)' },
        { name: 'unused', expression: 'object.spec.containers.size()' },
        { name: 'first', expression: 'variables.names[0]' },
      ],
      validations: [
        { expression: 'size(variables.names) > 0' },
        { expression: "variables.first == 'app' && 'app' in variables.names" },
        { expression: 'false', messageExpression: "'containers: ' + variables.names.join(', ')" },
      ],
    });
    expect(compiler.problems).toEqual([]);
    const counts: Record<string, number> = {};
    for (const v of program.variables) {
      const run = v.expr.run;
      v.expr = { ...v.expr, run: (b) => ((counts[v.name] = (counts[v.name] ?? 0) + 1), run(b)) };
    }
    const outcome = runProgram(program, { object: { spec: { containers: [{ name: 'app' }, { name: 'sidecar' }] } }, variables: {} });
    expect(outcome).toMatchObject({ kind: 'fail', message: 'containers: app, sidecar', index: 2 });
    expect(counts).toEqual({ names: 1, first: 1 });
  });

  it('keep their error: a failing variable fails the validation that reads it', () => {
    const policy = vpol('bad-var', { variables: [{ name: 'x', expression: 'object.spec.nope' }], validations: [{ expression: 'variables.x == 1' }] });
    const [r] = results([policy], [pod('p')]);
    expect(r).toMatchObject({ result: 'error' });
    expect(r!.message).toMatch(/variables\.x == 1.*nope/);
  });
});

describe('validations and messages', () => {
  it('the first failing validation decides; messageExpression wins over message', () => {
    const policy = vpol('msgs', {
      validations: [
        { expression: 'true', message: 'never' },
        { expression: "object.metadata.name != 'bad'", message: 'static message', messageExpression: "'pod ' + object.metadata.name + ' is bad'", reason: 'Forbidden' },
        { expression: 'false', message: 'not reached' },
      ],
    });
    const [r] = results([policy], [pod('bad')]);
    expect(r).toMatchObject({ result: 'fail', message: 'pod bad is bad', properties: { 'cel.validationIndex': '1', reason: 'Forbidden' } });
  });

  it('ValidatingPolicy messages are worded as Kyverno words them', () => {
    const broken = vpol('broken', { validations: [{ expression: 'false', message: 'static', messageExpression: "'x' + object.spec.nope" }] });
    expect(results([broken], [pod('p')])[0]!.message).toMatch(/^failed to evaluate message expression: .*nope/);
    const bare = vpol('bare', { validations: always.concat([{ expression: "object.metadata.name == 'x'" }]) });
    expect(results([bare], [pod('p')])[0]!.message).toBe('CEL expression validation failed at index 1');
    const empty = vpol('empty', { validations: [{ expression: 'false', message: 'static', messageExpression: "''" }] });
    expect(results([empty], [pod('p')])[0]!.message).toBe('CEL expression validation failed at index 0');
    const erring = vpol('erring', { matchConditions: [{ name: 'broken', expression: 'object.spec.nope == 1' }], validations: always });
    expect(results([erring], [pod('p')])[0]).toMatchObject({ rule: 'evaluation', result: 'error', message: expect.stringMatching(/^failed to load context: matchCondition broken: /) });
  });

  it('ValidatingAdmissionPolicy messages keep the API server wording: message, then the failed expression', () => {
    const vap = (name: string, validation: Record<string, unknown>): K8sObject[] => [
      { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy', metadata: { name }, spec: { matchConstraints: POD_RULES, validations: [validation] } },
      { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name }, spec: { policyName: name, validationActions: ['Audit'] } },
    ];
    expect(results(vap('fallback', { expression: 'false', message: 'static', messageExpression: "'x' + object.spec.nope" }), [pod('p')])[0]!.message).toBe('static');
    expect(results(vap('bare', { expression: "object.metadata.name == 'x'" }), [pod('p')])[0]!.message).toBe("failed expression: object.metadata.name == 'x'");
  });

  it('auditAnnotations become properties', () => {
    const policy = vpol('audit', { validations: always, auditAnnotations: [{ key: 'image', valueExpression: 'object.spec.containers[0].image' }] });
    expect(results([policy], [pod('p')])[0]!.properties).toMatchObject({ image: 'ghcr.io/acme/app:1.0' });
  });

  it('optional fields: .?, orValue, hasValue, optional index', () => {
    const policy = vpol('optional', {
      validations: [
        { expression: 'object.spec.?securityContext.?runAsNonRoot.orValue(false) == true', message: 'runAsNonRoot' },
        { expression: "!object.metadata.?labels[?'team'].hasValue() || object.metadata.labels.team != ''", message: 'team' },
      ],
    });
    const out = results([policy], [pod('secure', { securityContext: { runAsNonRoot: true } }), pod('plain'), pod('empty-team', { securityContext: { runAsNonRoot: true } }, { labels: { team: '' } })]);
    expect(Object.fromEntries(out.map((r) => [r.resource.name, `${r.result}:${r.message}`]))).toEqual({
      secure: 'pass:validation passed',
      plain: 'fail:runAsNonRoot',
      'empty-team': 'fail:team',
    });
  });

  it('orValue on a plain value returns the value (cel-go before 0.28, Kyverno compat)', () => {
    const policy = vpol('compat', {
      validations: [{ expression: 'object.spec.containers.all(c, c.ports.orValue([]).size() == 1)', message: 'one port' }],
    });
    const withPort = pod('p', { containers: [{ name: 'app', image: 'x:1', ports: [{ containerPort: 80 }] }] });
    expect(results([policy], [withPort])[0]).toMatchObject({ result: 'pass' });
    // the receiver's own error still propagates
    expect(results([policy], [pod('no-ports')])[0]).toMatchObject({ result: 'error' });
  });

  it('binds request, namespaceObject and oldObject', () => {
    const policy = vpol('bindings', {
      matchConstraints: { resourceRules: [{ ...POD_RULES.resourceRules![0]!, operations: ['*'] }] },
      validations: [
        { expression: "request.operation == 'UPDATE' ? oldObject != null && object != null : oldObject == null", message: 'objects' },
        { expression: "namespaceObject.metadata.labels['kubernetes.io/metadata.name'] == request.namespace", message: 'namespace' },
        { expression: "request.kind.kind == 'Pod' && request.resource.resource == 'pods' && request.userInfo.username == 'plinth'", message: 'request' },
      ],
    });
    for (const operation of ['CREATE', 'UPDATE'] as const) expect(results([policy], [pod('p')], { operation })[0]).toMatchObject({ result: 'pass' });
  });
});

describe('compile errors', () => {
  it('name the policy, the field and the expression, all at once', () => {
    const broken = vpol('broken', {
      variables: [{ name: 'ok', expression: 'object.spec' }],
      validations: [{ expression: 'object.spec.containers.all(c, c.image.endsWith(' }, { expression: 'variables.missing == 1' }, { expression: 'size(object.spec.containers)' }],
    });
    const other = vpol('other', { validations: [{ expression: 'nosuchfunction(object)' }] });
    let error: PolicyCompileError | undefined;
    try {
      evaluatePolicies([broken, other], [pod('p')]);
    } catch (e) {
      error = e as PolicyCompileError;
    }
    expect(error).toBeInstanceOf(PolicyCompileError);
    expect(error!.problems.map((p) => `${p.site.policy} ${p.site.path}`)).toEqual([
      'ValidatingPolicy/broken spec.validations[0].expression',
      'ValidatingPolicy/broken spec.validations[1].expression',
      'ValidatingPolicy/broken spec.validations[2].expression',
      'ValidatingPolicy/other spec.validations[0].expression',
    ]);
    expect(error!.message).toContain('ValidatingPolicy/broken: spec.validations[0].expression: expression "object.spec.containers.all(c, c.image.endsWith(" does not compile');
    expect(error!.problems[1]!.reason).toContain('undefined variable variables.missing');
    expect(error!.problems[2]!.reason).toContain('must evaluate to bool, not int');
    expect(error!.problems[3]!.reason).toContain('nosuchfunction');
  });

  it('require exactly bool and string, as the API server and Kyverno do (object is dyn there; request and variables are typed)', () => {
    const policy = vpol('types', {
      matchConditions: [{ name: 'bare', expression: 'object.metadata.?labels.?team.orValue(false)' }],
      variables: [
        { name: 'ok', expression: "object.spec.containers.all(c, c.image != '')" },
        { name: 'raw', expression: 'object.spec.hostNetwork' },
        { name: 'alias', expression: 'variables.ok' },
      ],
      validations: [
        { expression: 'object.spec.hostNetwork' },
        { expression: 'variables.raw' },
        { expression: "'true'" },
        { expression: 'size(object.spec.containers)' },
        { expression: 'object.spec.hostNetwork == true', messageExpression: 'object.metadata.name' },
        // accepted: typed as the cluster types them
        { expression: 'variables.ok', messageExpression: "request.userInfo.username + ' ' + namespaceObject.metadata.name" },
        { expression: 'variables.alias && !variables.raw', messageExpression: 'request.name' },
        { expression: 'request.dryRun', messageExpression: "namespaceObject.metadata.labels['team']" },
        { expression: 'variables.?ok.orValue(false)', messageExpression: "string(object.metadata.name)" },
      ],
    });
    let error: PolicyCompileError | undefined;
    try {
      evaluatePolicies([policy], [pod('p')]);
    } catch (e) {
      error = e as PolicyCompileError;
    }
    expect(error!.problems.map((p) => `${p.site.path}: ${p.reason.replace(/ \(the cluster.*/, '')}`)).toEqual([
      'spec.matchConditions[0].expression: must evaluate to bool, not dyn',
      'spec.validations[0].expression: must evaluate to bool, not dyn',
      'spec.validations[1].expression: must evaluate to bool, not dyn',
      'spec.validations[2].expression: must evaluate to bool, not string',
      'spec.validations[3].expression: must evaluate to bool, not int',
      'spec.validations[4].messageExpression: must evaluate to string, not dyn',
    ]);
    expect(error!.message).toContain('ValidatingPolicy/types: spec.validations[0].expression: expression "object.spec.hostNetwork" does not compile: must evaluate to bool, not dyn (the cluster requires exactly bool');
    // the fix the message proposes compiles and behaves
    const fixed = vpol('fixed', { validations: [{ expression: 'object.spec.?hostNetwork.orValue(false) != true' }, { expression: 'bool(object.spec.?ok.orValue(true))' }] });
    expect(results([fixed], [pod('p')])[0]).toMatchObject({ result: 'pass' });
  });

  it('say when a library only exists in the cluster', () => {
    const policy = vpol('lookup', { variables: [{ name: 'cm', expression: "resource.Get('v1', 'configmaps', 'default', 'x')" }], validations: always });
    try {
      evaluatePolicies([policy], []);
      expect.unreachable();
    } catch (e) {
      expect((e as PolicyCompileError).problems[0]).toMatchObject({ offline: true, reason: expect.stringContaining('resource is a cluster-side library') });
      expect((e as Error).message).toContain('evaluate the policy in the cluster');
    }
  });

  it('say when the cluster accepts what the offline engine does not implement', () => {
    const unsupported = [
      "'abc'.reverse() == 'cba'",
      "strings.quote('a') == '\"a\"'",
      '[2, 1].sort() == [1, 2]',
      '[1, 2, 3].slice(0, 1) == [1]',
      '[[1], [2]].flatten() == [1, 2]',
      'math.greatest(1, 2) == 2',
      "base64.encode(b'a') == 'YQ=='",
      'has(object.spec.containers[0].name)',
    ];
    // the libraries Plinth implements compile; a wrong call to one is a real mistake
    const implemented = ["isURL('https://a.example')", "cidr('10.0.0.0/8').containsIP('10.1.2.3')", "ip.isCanonical('10.0.0.1')", "semver('1.2.3').major() == 1", "'%s'.format(['a']) == 'a'"];
    expect(evaluatePolicies([vpol('implemented', { validations: implemented.map((expression) => ({ expression })) })], [pod('p')]).results[0]).toMatchObject({ result: 'pass' });
    const policy = vpol('library', { validations: [...unsupported, 'nosuchfunction(object)', 'has(object.spec[0])', 'ip(1).isLoopback()'].map((expression) => ({ expression })) });
    let error: PolicyCompileError | undefined;
    try {
      evaluatePolicies([policy], []);
    } catch (e) {
      error = e as PolicyCompileError;
    }
    const details = error!.problems.map((p) => compileProblemDetail(p));
    expect(details.slice(0, unsupported.length).every((d) => d.hint === 'not supported offline by Plinth (the cluster accepts it): evaluate the policy in the cluster, or keep it out of offline checks')).toBe(true);
    // real mistakes, which the cluster rejects too, keep the old hint
    expect(details.slice(unsupported.length).map((d) => d.hint)).toEqual(Array(3).fill('fix the CEL expression: the cluster would reject this policy too'));
    expect(error!.message).toContain("strings.* is a Kubernetes CEL library function Plinth's offline engine does not implement");
    expect(error!.message).toContain("string.reverse() is a Kubernetes CEL library function Plinth's offline engine does not implement");
  });

  it('a variable may only use variables declared before it', () => {
    const policy = vpol('order', { variables: [{ name: 'a', expression: 'variables.b' }, { name: 'b', expression: '1' }], validations: always });
    expect(() => evaluatePolicies([policy], [])).toThrow(/spec\.variables\[0\]\.expression.*undefined variable variables\.b/s);
  });

  it('ValidatingPolicy has no params; Kyverno rejects mixed-type list literals', () => {
    expect(() => evaluatePolicies([vpol('params', { validations: [{ expression: 'params == null' }] })], [])).toThrow(/params/);
    expect(() => evaluatePolicies([vpol('mixed', { validations: [{ expression: "[1, 'a'].size() == 2" }] })], [])).toThrow(/same type/);
  });
});

describe('Enforce and Audit', () => {
  it('Deny is Enforce: a failure would block the request; Audit only reports', () => {
    const rule = [{ expression: "object.metadata.name != 'bad'" }];
    const enforce = vpol('enforced', { validationActions: ['Deny'], validations: rule });
    const audit = vpol('audited', { validationActions: ['Audit', 'Warn'], validations: rule });
    const out = Object.fromEntries(results([enforce, audit], [pod('bad')]).map((r) => [r.policy, r]));
    expect(out.enforced).toMatchObject({ result: 'fail', action: 'Enforce', blocking: true });
    expect(out.audited).toMatchObject({ result: 'fail', action: 'Audit', blocking: false });
  });

  it('an error blocks under failurePolicy Fail only', () => {
    const broken = [{ expression: 'object.spec.nope == 1' }];
    const fail = vpol('fail', { validationActions: ['Deny'], validations: broken });
    const ignore = vpol('ignore', { validationActions: ['Deny'], validations: broken, failurePolicy: 'Ignore' });
    const out = Object.fromEntries(results([fail, ignore], [pod('p')]).map((r) => [r.policy, r]));
    expect(out.fail).toMatchObject({ result: 'error', blocking: true });
    expect(out.ignore).toMatchObject({ result: 'error', blocking: false });
  });

  it('an unscored policy reports warn instead of fail', () => {
    const policy = vpol('unscored', { validations: [{ expression: 'false' }] }, { 'policies.kyverno.io/scored': 'false' });
    expect(results([policy], [pod('p')])[0]).toMatchObject({ result: 'warn' });
  });
});

describe('objects as the API server stores them', () => {
  it('drops fields set to null, as a chart may render them', () => {
    const policy = vpol('annotations', { validations: [{ expression: "object.metadata.?annotations.orValue({}).all(k, k != 'forbidden')" }] });
    expect(results([policy], [pod('p', {}, { annotations: null })])[0]).toMatchObject({ result: 'pass' });
  });

  it('keeps the fields Kubernetes serializes as null, and reads a null template metadata as empty', () => {
    const rbac = vpol('rules', {
      matchConstraints: { resourceRules: [{ apiGroups: ['rbac.authorization.k8s.io'], apiVersions: ['v1'], operations: ['CREATE'], resources: ['clusterroles'] }] },
      validations: [{ expression: "object.rules == null || !object.rules.exists(r, '*' in r.verbs)" }],
    });
    const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'empty' }, rules: null };
    expect(results([rbac], [role as never])[0]).toMatchObject({ result: 'pass' });
    const annotated = vpol('annotated', { validations: [{ expression: "object.metadata.?annotations[?'team'].orValue('') != ''", message: 'team' }] });
    const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', namespace: 'team-a' }, spec: { template: { metadata: null, spec: { containers: [] } } } };
    expect(results([annotated], [job as never])[0]).toMatchObject({ result: 'fail', message: 'team' });
  });
});
