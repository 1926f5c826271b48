/**
 * Running a Kyverno CLI test: evaluate the loaded documents once per operation
 * the expectations use, then compare each expected (policy, rule, kind,
 * resource) result with what the engine produced. A policy that does not
 * apply to a resource produces nothing: that satisfies only `skip` (stricter
 * than the Kyverno CLI, which passes any expectation for an excluded resource).
 */
import type { K8sObject } from '../../model/k8s.js';
import type { ExceptionScope } from '../admission/exceptions.js';
import type { UserInfo } from '../admission/request.js';
import { evaluateCompiled } from '../engine.js';
import { compilePolicySet } from '../policy-set.js';
import type { PolicyResult, ResultStatus } from '../report/result.js';
import type { Operation } from '../types.js';
import type { KyvernoTest, TestExpectation } from './manifest.js';

export interface LoadedTest {
  test: KyvernoTest;
  file: string;
  /** Policies, bindings and exceptions. */
  policies: K8sObject[];
  resources: K8sObject[];
  namespaces: K8sObject[];
  params: K8sObject[];
  userInfo?: UserInfo;
  operation?: Operation;
  fileOf?: (o: K8sObject) => string | undefined;
}

export interface TestCheck {
  test: string;
  file: string;
  policy: string;
  rule?: string;
  /** `Kind/namespace/name` (or the name as written when not found). */
  resource: string;
  expected: ResultStatus;
  /** What the engine said: one status per result, `none` when the policy did not apply, `not found` when no such resource was loaded. */
  actual: string;
  passed: boolean;
  message?: string;
}

const ruleless = new Set(['ValidatingPolicy', 'ValidatingAdmissionPolicy']);

function ruleMatches(r: PolicyResult, rule: string | undefined): boolean {
  if (!rule || ruleless.has(r.policyKind)) return true;
  return r.rule === rule || r.rule === `autogen-${rule}` || r.rule === `autogen-cronjob-${rule}`;
}

function targets(e: TestExpectation, resources: readonly K8sObject[], entry: string): K8sObject[] {
  const [ns, name] = entry.includes('/') ? entry.split('/', 2) : [undefined, entry];
  return resources.filter((r) => r.kind === e.kind && r.metadata.name === name && (ns === undefined || (r.metadata.namespace ?? 'default') === ns));
}

function refText(o: K8sObject, results: readonly PolicyResult[]): string {
  const ns = results[0]?.resource.namespace ?? o.metadata.namespace;
  return ns ? `${o.kind}/${ns}/${o.metadata.name}` : `${o.kind}/${o.metadata.name}`;
}

export interface RunOptions {
  /** Which PolicyExceptions count (Kyverno's exception namespace) and the instant for their `expiresAt`. */
  exceptionScope?: ExceptionScope;
}

// eslint-disable-next-line complexity -- each expected result against each named resource, with Kyverno's test rules: per-operation results cached, a resource not found, none matched means skip
export function runKyvernoTest(loaded: LoadedTest, options: RunOptions = {}): TestCheck[] {
  const scope = options.exceptionScope ?? {};
  const set = compilePolicySet(loaded.policies, { exceptionScope: scope, ...(loaded.fileOf ? { fileOf: loaded.fileOf } : {}) });
  const byOperation = new Map<Operation, PolicyResult[]>();
  const resultsFor = (operation: Operation) => {
    let results = byOperation.get(operation);
    if (!results) {
      results = evaluateCompiled(set, loaded.resources, {
        operation,
        namespaces: loaded.namespaces,
        params: loaded.params,
        exceptionScope: scope,
        ...(loaded.userInfo ? { userInfo: loaded.userInfo } : {}),
        includeMatchConditionSkips: true,
      }).results;
      byOperation.set(operation, results);
    }
    return results;
  };
  const checks: TestCheck[] = [];
  for (const e of loaded.test.results) {
    const all = resultsFor(e.operation ?? loaded.operation ?? 'CREATE');
    const policy = e.policy.split('/').pop()!;
    const base = { test: loaded.test.name, file: loaded.file, policy: e.policy, ...(e.rule ? { rule: e.rule } : {}), expected: e.result };
    for (const entry of e.resources) {
      const found = targets(e, loaded.resources, entry);
      if (found.length === 0) {
        checks.push({ ...base, resource: `${e.kind}/${entry}`, actual: 'not found', passed: false, message: `no ${e.kind} named ${entry} among the test's resources` });
        continue;
      }
      for (const o of found) {
        const mine = all.filter(
          (r) =>
            r.resource.kind === o.kind &&
            r.resource.name === o.metadata.name &&
            r.resource.apiVersion === o.apiVersion &&
            (o.metadata.namespace === undefined || r.resource.namespace === o.metadata.namespace) &&
            (r.policy === policy || r.policy.split('/').pop() === policy) &&
            ruleMatches(r, e.rule),
        );
        const actual = mine.length ? [...new Set(mine.map((r) => r.result))].join(',') : 'none';
        const passed = mine.length ? mine.every((r) => r.result === e.result) : e.result === 'skip';
        const message = mine.find((r) => r.result !== e.result)?.message ?? mine[0]?.message;
        checks.push({ ...base, resource: refText(o, mine), actual, passed, ...(message ? { message } : {}) });
      }
    }
  }
  return checks;
}
