/**
 * A set of policy documents sorted by what they are, compiled together: every
 * expression that does not compile is collected, then reported at once in a
 * PolicyCompileError naming the policy, the field and the expression.
 */
import type { K8sObject } from '../model/k8s.js';
import { apiGroup } from '../model/k8s.js';
import { type CompiledAdmissionPolicy, compileAdmissionPolicy } from './admission/admission-policy.js';
import { type CompiledClusterPolicy, compileClusterPolicy, type UnsupportedRule } from './admission/cluster-policy.js';
import { celExceptionsOf, compileCelException, type ExceptionScope } from './admission/exceptions.js';
import { type CompiledValidatingPolicy, compileValidatingPolicy } from './admission/validating-policy.js';
import { type CompileProblem, PolicyCompileError } from './errors.js';
import { ADMISSION_GROUP, KYVERNO_GROUP, VALIDATING_POLICY_GROUP } from './types.js';

export type DocumentRole = 'validating-policy' | 'admission-policy' | 'admission-binding' | 'kyverno-policy' | 'cel-exception' | 'kyverno-exception' | 'other';

/** The role of each policy kind, by `group/Kind`. */
const ROLES = new Map<string, DocumentRole>([
  [`${VALIDATING_POLICY_GROUP}/ValidatingPolicy`, 'validating-policy'],
  [`${VALIDATING_POLICY_GROUP}/PolicyException`, 'cel-exception'],
  [`${ADMISSION_GROUP}/ValidatingAdmissionPolicy`, 'admission-policy'],
  [`${ADMISSION_GROUP}/ValidatingAdmissionPolicyBinding`, 'admission-binding'],
  [`${KYVERNO_GROUP}/ClusterPolicy`, 'kyverno-policy'],
  [`${KYVERNO_GROUP}/Policy`, 'kyverno-policy'],
  [`${KYVERNO_GROUP}/PolicyException`, 'kyverno-exception'],
]);

export function roleOf(o: K8sObject): DocumentRole {
  return ROLES.get(`${apiGroup(o.apiVersion ?? '')}/${o.kind}`) ?? 'other';
}

/** Policy documents, exceptions and bindings (and other Kyverno policy kinds, to list them as not evaluated). */
export function isPolicyDocument(o: K8sObject): boolean {
  return roleOf(o) !== 'other' || apiGroup(o.apiVersion ?? '') === VALIDATING_POLICY_GROUP;
}

export interface CompiledPolicySet {
  validatingPolicies: CompiledValidatingPolicy[];
  admissionPolicies: CompiledAdmissionPolicy[];
  kyvernoPolicies: CompiledClusterPolicy[];
  /** kyverno.io/v2 PolicyExceptions (matched at evaluation time). */
  kyvernoExceptions: K8sObject[];
  unsupported: UnsupportedRule[];
}

export interface CompileOptions {
  exceptionScope?: ExceptionScope;
  /** The file a document came from, for error messages. */
  fileOf?: (o: K8sObject) => string | undefined;
}

const byName = (a: K8sObject, b: K8sObject) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0);

/** Compiles policies, bindings and exceptions; throws PolicyCompileError listing every expression that does not compile. */
export function compilePolicySet(documents: readonly K8sObject[], options: CompileOptions = {}): CompiledPolicySet {
  const of = (role: DocumentRole) => documents.filter((o) => roleOf(o) === role).sort(byName);
  const problems: CompileProblem[] = [];
  const file = (o: K8sObject) => options.fileOf?.(o);
  const scope = options.exceptionScope ?? {};
  const celExceptions = of('cel-exception');
  const validatingPolicies = of('validating-policy').map((o) => {
    const exceptions = celExceptionsOf('ValidatingPolicy', o.metadata.name, celExceptions, scope).map((e) => {
      const compiled = compileCelException(e, file(e));
      problems.push(...compiled.compiler.problems);
      return compiled.exception;
    });
    const compiled = compileValidatingPolicy(o, exceptions, file(o));
    problems.push(...compiled.problems);
    return compiled.policy;
  });
  const bindings = of('admission-binding');
  const admissionPolicies = of('admission-policy').map((o) => {
    const compiled = compileAdmissionPolicy(o, bindings, file(o));
    problems.push(...compiled.problems);
    return compiled.policy;
  });
  const unsupported: UnsupportedRule[] = documents
    .filter((o) => roleOf(o) === 'other' && apiGroup(o.apiVersion ?? '') === VALIDATING_POLICY_GROUP)
    .map((o) => ({ policy: o.metadata.name, rule: '', reason: `${o.kind} is not evaluated offline (only ValidatingPolicy is)` }));
  const kyvernoPolicies = of('kyverno-policy').map((o) => {
    const compiled = compileClusterPolicy(o, file(o));
    problems.push(...compiled.problems);
    unsupported.push(...compiled.unsupported);
    return compiled.policy;
  });
  const seen = new Set<string>();
  const unique = problems.filter((p) => {
    const key = `${p.site.policy}\u0000${p.site.path}\u0000${p.expression}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
  if (unique.length > 0) throw new PolicyCompileError(unique);
  return { validatingPolicies, admissionPolicies, kyvernoPolicies, kyvernoExceptions: of('kyverno-exception'), unsupported };
}
