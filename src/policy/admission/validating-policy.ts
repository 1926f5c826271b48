/**
 * Kyverno ValidatingPolicy (policies.kyverno.io/v1): compile the policy and its
 * autogen variants, then evaluate a request: the first variant whose
 * matchConstraints match, exceptions, then the program. Actions: Deny means
 * Enforce; Audit and Warn only report.
 */
import type { K8sObject } from '../../model/k8s.js';
import { autogenVariants } from '../autogen/validating-policy.js';
import { PolicyCompiler } from '../cel/compile.js';
import type { CompileProblem } from '../errors.js';
import { constraintsMatch } from '../match/constraints.js';
import { makeResult, type PolicyAction, type PolicyMeta, policyMeta, type PolicyResult, type Verdict } from '../report/result.js';
import type { FailurePolicy, MatchResources, ValidatingPolicySpec } from '../types.js';
import type { CelBindings } from '../cel/compile.js';
import { applyCelExceptions, type CompiledCelException } from './exceptions.js';
import { type CompiledProgram, compileProgram, type ProgramOutcome, runProgram } from './program.js';
import type { Attributes } from './request.js';

interface Variant {
  label: string;
  match: MatchResources | undefined;
  program: CompiledProgram;
}

export interface CompiledValidatingPolicy {
  meta: PolicyMeta;
  action: PolicyAction;
  failurePolicy: FailurePolicy;
  variants: Variant[];
  exceptions: CompiledCelException[];
}

export function compileValidatingPolicy(o: K8sObject, exceptions: CompiledCelException[], file?: string): { policy: CompiledValidatingPolicy; problems: CompileProblem[] } {
  const spec = (o.spec ?? {}) as ValidatingPolicySpec;
  const name = `ValidatingPolicy/${o.metadata.name}`;
  const compiler = new PolicyCompiler('kyverno', name, file);
  const variants: Variant[] = [{ label: 'pods', match: spec.matchConstraints, program: compileProgram(compiler, spec) }];
  const generated = new PolicyCompiler('kyverno', `${name} (autogen)`, file);
  for (const v of autogenVariants(spec)) variants.push({ label: v.template, match: v.spec.matchConstraints, program: compileProgram(generated, v.spec) });
  const problems = compiler.problems.length ? compiler.problems : generated.problems;
  const actions = spec.validationActions ?? [];
  return {
    policy: {
      meta: policyMeta('ValidatingPolicy', o.metadata.name, o.metadata.annotations),
      action: actions.includes('Deny') ? 'Enforce' : 'Audit',
      failurePolicy: spec.failurePolicy ?? 'Fail',
      variants,
      exceptions,
    },
    problems,
  };
}

function verdictOf(outcome: ProgramOutcome): Verdict {
  switch (outcome.kind) {
    case 'no-match':
      return { rule: '', result: 'skip', message: 'matchConditions not met', skipReason: 'match-conditions' };
    case 'error':
      // Kyverno reports a matchCondition that fails to evaluate under the rule `evaluation`.
      if (outcome.stage === 'match-conditions') return { rule: 'evaluation', result: 'error', message: `failed to load context: ${outcome.message}` };
      return { rule: '', result: 'error', message: outcome.message, ...(outcome.index !== undefined ? { properties: { 'cel.validationIndex': String(outcome.index) } } : {}) };
    case 'fail':
      return { rule: '', result: 'fail', message: outcome.message, properties: { ...outcome.auditAnnotations, 'cel.validationIndex': String(outcome.index), ...(outcome.reason ? { reason: outcome.reason } : {}) } };
    case 'pass':
      return { rule: '', result: 'pass', message: 'validation passed', properties: outcome.auditAnnotations };
  }
}

/** The result of one policy on one request, or undefined when the policy does not match it. */
export function evaluateValidatingPolicy(p: CompiledValidatingPolicy, a: Attributes, bindings: CelBindings): PolicyResult | undefined {
  const variant = p.variants.find((v) => constraintsMatch(v.match, a));
  if (!variant) return undefined;
  const context = { resource: a.ref, operation: a.operation, action: p.action, blockingOnError: p.failurePolicy === 'Fail' };
  const finish = (v: Verdict) => makeResult(p.meta, context, { ...v, properties: { ...v.properties, process: 'background scan' } });
  const exceptions = applyCelExceptions(p.exceptions, bindings, p.failurePolicy);
  if (exceptions.kind === 'error') return finish({ rule: 'exception', result: 'error', message: exceptions.message });
  if (exceptions.kind === 'exempt') {
    const verb = exceptions.reportResult === 'pass' ? 'passed' : 'skipped';
    return finish({
      rule: 'exception',
      result: exceptions.reportResult,
      message: `${verb} by policy exception ${exceptions.keys.join(', ')}`,
      exceptions: exceptions.keys,
      skipReason: 'exception',
      properties: { exceptions: exceptions.keys.join(',') },
    });
  }
  const outcome = runProgram(variant.program, { ...bindings, exceptions: { allowedImages: exceptions.allowedImages, allowedValues: exceptions.allowedValues } });
  return finish(verdictOf(outcome));
}
