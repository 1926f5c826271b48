/**
 * Kyverno ClusterPolicy and Policy rules with `validate.cel`, including their
 * autogen rules. Each rule that applies (match, not exclude; a Policy only in
 * its namespace) gives one result: skip when a kyverno.io PolicyException covers
 * it or its celPreconditions do not hold, otherwise pass or fail. Kyverno runs
 * these rules through the API server's validator without a failure policy
 * (meaning Fail), so evaluation errors deny and are reported as failures. Rules of
 * other types (patterns, deny, JMESPath preconditions, context) are listed as
 * unsupported rather than guessed.
 */
import type { K8sObject } from '../../model/k8s.js';
import { autogenControllers, autogenRules } from '../autogen/cluster-policy.js';
import { type CelBindings, PolicyCompiler } from '../cel/compile.js';
import { storedObject, toCel } from '../cel/values.js';
import type { CompileProblem } from '../errors.js';
import { kyvernoRuleApplies } from '../match/kyverno.js';
import { selectorMatches } from '../match/selector.js';
import { makeResult, type PolicyAction, type PolicyMeta, policyMeta, type PolicyResult, type Verdict } from '../report/result.js';
import type { KyvernoPolicySpec, KyvernoRule } from '../types.js';
import { type ExceptionScope, kyvernoExceptionsFor } from './exceptions.js';
import { type CompiledProgram, compileProgram, type ProgramOutcome, runProgram } from './program.js';
import type { Attributes } from './request.js';

export interface UnsupportedRule {
  policy: string;
  rule: string;
  reason: string;
}

interface CompiledRule {
  rule: KyvernoRule;
  action: PolicyAction;
  program: CompiledProgram;
}

export interface CompiledClusterPolicy {
  meta: PolicyMeta;
  namespace?: string;
  rules: CompiledRule[];
}

function unsupportedReason(rule: KyvernoRule): string | undefined {
  if (!rule.validate) return 'not a validate rule';
  if (!rule.validate.cel) return 'validate rule without cel (patterns, deny, podSecurity, manifests are not evaluated offline)';
  if (rule.preconditions) return 'JMESPath preconditions are not evaluated offline (use celPreconditions)';
  if (rule.context?.length) return 'context entries are not evaluated offline';
  return undefined;
}

function actionOf(spec: KyvernoPolicySpec, rule: KyvernoRule): PolicyAction {
  const a = rule.validate?.failureAction ?? spec.validationFailureAction ?? 'Audit';
  return a.toLowerCase() === 'enforce' ? 'Enforce' : 'Audit';
}

export function compileClusterPolicy(o: K8sObject, file?: string): { policy: CompiledClusterPolicy; problems: CompileProblem[]; unsupported: UnsupportedRule[] } {
  const kind = o.kind === 'Policy' ? 'Policy' : 'ClusterPolicy';
  const key = kind === 'Policy' ? `${o.metadata.namespace ?? 'default'}/${o.metadata.name}` : o.metadata.name;
  const spec = (o.spec ?? {}) as KyvernoPolicySpec;
  const compiler = new PolicyCompiler('kubernetes', `${kind}/${key}`, file);
  const controllers = autogenControllers(spec, o.metadata.annotations);
  const rules: CompiledRule[] = [];
  const unsupported: UnsupportedRule[] = [];
  (spec.rules ?? []).forEach((rule, i) => {
    const reason = unsupportedReason(rule);
    if (reason) return void unsupported.push({ policy: key, rule: rule.name, reason });
    for (const r of [rule, ...autogenRules(rule, controllers)]) {
      const at = `spec.rules[${i}]${r === rule ? '' : ` (${r.name})`}`;
      const cel = r.validate!.cel!;
      const program = compileProgram(
        compiler,
        { matchConditions: r.celPreconditions, variables: cel.variables, validations: cel.expressions, auditAnnotations: cel.auditAnnotations },
        { matchConditions: `${at}.celPreconditions`, variables: `${at}.validate.cel.variables`, validations: `${at}.validate.cel.expressions`, auditAnnotations: `${at}.validate.cel.auditAnnotations` },
        r.validate!.message,
      );
      rules.push({ rule: r, action: actionOf(spec, r), program });
    }
  });
  const problems = [...new Map(compiler.problems.map((p) => [`${p.expression}\u0000${p.reason}`, p])).values()];
  return {
    policy: { meta: policyMeta(kind, key, o.metadata.annotations), ...(kind === 'Policy' ? { namespace: o.metadata.namespace ?? 'default' } : {}), rules },
    problems,
    unsupported,
  };
}

function verdictOf(rule: string, outcome: ProgramOutcome): Verdict {
  switch (outcome.kind) {
    case 'no-match':
      return { rule, result: 'skip', message: 'celPreconditions not met', skipReason: 'match-conditions' };
    case 'error':
      // Kyverno validates `validate.cel` with the API server's validator and no failure
      // policy, which means Fail: an evaluation error denies, and is reported as a failure.
      return { rule, result: 'fail', message: outcome.message };
    case 'fail':
      return { rule, result: 'fail', message: outcome.message, properties: outcome.auditAnnotations };
    case 'pass':
      return { rule, result: 'pass', message: `validation rule ${rule} passed`, properties: outcome.auditAnnotations };
  }
}

export interface ClusterPolicyContext {
  params: readonly K8sObject[];
  exceptions: readonly K8sObject[];
  scope: ExceptionScope;
}

function ruleOutcome(r: CompiledRule, a: Attributes, bindings: CelBindings, params: readonly K8sObject[]): ProgramOutcome {
  const cel = r.rule.validate!.cel!;
  if (!cel.paramKind) return runProgram(r.program, bindings);
  const ref = cel.paramRef ?? {};
  const candidates = params.filter((p) => p.apiVersion === cel.paramKind!.apiVersion && p.kind === cel.paramKind!.kind);
  const namespace = ref.namespace ?? (candidates.some((p) => p.metadata.namespace) ? a.namespace : undefined);
  const found = candidates
    .filter((p) => namespace === undefined || (p.metadata.namespace ?? '') === namespace)
    .filter((p) => (ref.name ? p.metadata.name === ref.name : selectorMatches(ref.selector ?? {}, p.metadata.labels)));
  if (found.length === 0) return { kind: 'error', message: `no params of kind ${cel.paramKind.kind} found for rule ${r.rule.name}` };
  const outcomes = found.map((p) => runProgram(r.program, { ...bindings, params: toCel(storedObject(p)) }));
  return outcomes.find((o) => o.kind === 'error' || o.kind === 'fail' || o.kind === 'no-match') ?? outcomes[0]!;
}

export function evaluateClusterPolicy(p: CompiledClusterPolicy, a: Attributes, bindings: CelBindings, ctx: ClusterPolicyContext): PolicyResult[] {
  if (p.namespace !== undefined && a.namespace !== p.namespace) return [];
  const out: PolicyResult[] = [];
  for (const r of p.rules) {
    if (!kyvernoRuleApplies(r.rule.match, r.rule.exclude, a)) continue;
    const finish = (v: Verdict) => makeResult(p.meta, { resource: a.ref, operation: a.operation, action: r.action, blockingOnError: true }, v);
    const excepted = kyvernoExceptionsFor({ policy: p.meta.policy, rule: r.rule.name }, a, ctx.exceptions, ctx.scope);
    if (excepted.length) {
      out.push(finish({ rule: r.rule.name, result: 'skip', message: `skipped by policy exception ${excepted.join(', ')}`, exceptions: excepted, skipReason: 'exception', properties: { exceptions: excepted.join(',') } }));
      continue;
    }
    out.push(finish(verdictOf(r.rule.name, ruleOutcome(r, a, bindings, ctx.params))));
  }
  return out;
}
