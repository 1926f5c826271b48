/**
 * Kubernetes ValidatingAdmissionPolicy with its bindings. A request is checked
 * once per binding that names the policy and whose `matchResources` also match,
 * with that binding's params (`paramRef` by name or selector; none found means
 * failure under `parameterNotFoundAction: Deny`, nothing under `Allow`) and
 * actions (Deny means Enforce). A policy without binding is evaluated as the
 * Kyverno CLI does, reporting only (in the cluster it would do nothing).
 */
import type { K8sObject } from '../../model/k8s.js';
import { type CelBindings, PolicyCompiler } from '../cel/compile.js';
import { storedObject, toCel } from '../cel/values.js';
import type { CompileProblem } from '../errors.js';
import { constraintsMatch } from '../match/constraints.js';
import { selectorMatches } from '../match/selector.js';
import { makeResult, type PolicyMeta, policyMeta, type PolicyResult, type Verdict } from '../report/result.js';
import type { ParamRef, ValidatingAdmissionPolicyBindingSpec, ValidatingAdmissionPolicySpec } from '../types.js';
import { type CompiledProgram, compileProgram, type ProgramOutcome, runProgram } from './program.js';
import type { Attributes } from './request.js';

export interface CompiledAdmissionPolicy {
  meta: PolicyMeta;
  spec: ValidatingAdmissionPolicySpec;
  program: CompiledProgram;
  bindings: { name: string; spec: ValidatingAdmissionPolicyBindingSpec }[];
}

export function compileAdmissionPolicy(o: K8sObject, bindings: readonly K8sObject[], file?: string): { policy: CompiledAdmissionPolicy; problems: CompileProblem[] } {
  const spec = (o.spec ?? {}) as ValidatingAdmissionPolicySpec;
  const compiler = new PolicyCompiler('kubernetes', `ValidatingAdmissionPolicy/${o.metadata.name}`, file);
  const program = compileProgram(compiler, spec);
  const own = bindings
    .filter((b) => (b.spec as ValidatingAdmissionPolicyBindingSpec | undefined)?.policyName === o.metadata.name)
    .map((b) => ({ name: b.metadata.name, spec: b.spec as ValidatingAdmissionPolicyBindingSpec }))
    .sort((x, y) => (x.name < y.name ? -1 : 1));
  return { policy: { meta: policyMeta('ValidatingAdmissionPolicy', o.metadata.name, o.metadata.annotations), spec, program, bindings: own }, problems: compiler.problems };
}

function paramsFor(ref: ParamRef, kind: { apiVersion: string; kind: string }, a: Attributes, params: readonly K8sObject[]): K8sObject[] {
  const ofKind = params.filter((p) => p.apiVersion === kind.apiVersion && p.kind === kind.kind);
  const namespaced = ofKind.some((p) => p.metadata.namespace);
  const namespace = ref.namespace ?? (namespaced ? a.namespace : undefined);
  const inNamespace = ofKind.filter((p) => namespace === undefined || (p.metadata.namespace ?? '') === namespace);
  if (ref.name) return inNamespace.filter((p) => p.metadata.name === ref.name);
  return inNamespace.filter((p) => selectorMatches(ref.selector ?? {}, p.metadata.labels)).sort((x, y) => (x.metadata.name < y.metadata.name ? -1 : 1));
}

function verdictOf(rule: string, outcome: ProgramOutcome): Verdict {
  switch (outcome.kind) {
    case 'no-match':
      return { rule, result: 'skip', message: 'matchConditions not met', skipReason: 'match-conditions' };
    case 'error':
      return { rule, result: 'error', message: outcome.message };
    case 'fail':
      return { rule, result: 'fail', message: outcome.message, properties: { ...outcome.auditAnnotations, ...(outcome.reason ? { reason: outcome.reason } : {}) } };
    case 'pass':
      return { rule, result: 'pass', message: 'validation passed', properties: outcome.auditAnnotations };
  }
}

/** The first failure (or error) across the params decides; otherwise the last outcome stands. */
function decide(outcomes: ProgramOutcome[]): ProgramOutcome {
  return outcomes.find((o) => o.kind === 'error' || o.kind === 'fail') ?? outcomes.find((o) => o.kind === 'pass') ?? outcomes[0]!;
}

// eslint-disable-next-line complexity -- a ValidatingAdmissionPolicy's bindings in the API's order: the binding's match, its validationActions, a paramKind without paramRef, parameterNotFoundAction; each ends in that binding's result
export function evaluateAdmissionPolicy(p: CompiledAdmissionPolicy, a: Attributes, bindings: CelBindings, params: readonly K8sObject[]): PolicyResult[] {
  if (!constraintsMatch(p.spec.matchConstraints, a)) return [];
  const name = p.meta.policy;
  const targets = p.bindings.length ? p.bindings : [{ name: '', spec: { policyName: name, validationActions: ['Audit' as const] } }];
  const out: PolicyResult[] = [];
  for (const binding of targets) {
    if (!constraintsMatch(binding.spec.matchResources, a, true)) continue;
    const actions = binding.spec.validationActions ?? [];
    const action = actions.includes('Deny') ? 'Enforce' : 'Audit';
    const finish = (v: Verdict) =>
      makeResult(p.meta, { resource: a.ref, operation: a.operation, action, blockingOnError: p.program.failurePolicy === 'Fail' }, { ...v, properties: { ...v.properties, ...(binding.name ? { binding: binding.name } : {}) } });
    let values: (K8sObject | null)[] = [null];
    if (p.spec.paramKind) {
      if (!binding.spec.paramRef) {
        out.push(finish({ rule: name, result: 'error', message: `policy ${name} has a paramKind but binding ${binding.name || '(none)'} has no paramRef` }));
        continue;
      }
      values = paramsFor(binding.spec.paramRef, p.spec.paramKind, a, params);
      const denied = values.length === 0 && (binding.spec.paramRef.parameterNotFoundAction ?? 'Deny') === 'Deny';
      if (denied) out.push(finish({ rule: name, result: 'fail', message: `no params found for binding ${binding.name} (parameterNotFoundAction: Deny)` }));
      if (values.length === 0) continue;
    }
    const outcomes = values.map((param) => runProgram(p.program, { ...bindings, params: toCel(storedObject(param)) }));
    out.push(finish(verdictOf(name, decide(outcomes))));
  }
  return out;
}
