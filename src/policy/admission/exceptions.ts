/**
 * Kyverno PolicyExceptions. For ValidatingPolicy (policies.kyverno.io): an exception
 * names the policy in `policyRefs` and applies when all its CEL `matchConditions`
 * hold, before the policy's own matchConditions run. One without `images` or
 * `allowedValues` exempts the resource (result skip, or pass with
 * `reportResult: pass`); one with them only feeds `exceptions.allowedImages` /
 * `exceptions.allowedValues` to the policy. Expired exceptions (`expiresAt`) and
 * exceptions outside Kyverno's exception namespace do not count.
 * For ClusterPolicy (kyverno.io/v2): `exceptions[].policyName/ruleNames` and a `match` block.
 */
import type { K8sObject } from '../../model/k8s.js';
import type { CelBindings } from '../cel/compile.js';
import { PolicyCompiler } from '../cel/compile.js';
import { kyvernoRuleApplies } from '../match/kyverno.js';
import { wildcardMatch } from '../match/wildcard.js';
import type { CelPolicyExceptionSpec, FailurePolicy, KyvernoPolicyExceptionSpec } from '../types.js';
import { type CompiledProgram, compileProgram, runMatchConditions } from './program.js';
import type { Attributes } from './request.js';

export const EXCEPTION_PRIORITY_LABEL = 'kyverno.io/exception-priority';

export interface ExceptionScope {
  /** Kyverno's `--enablePolicyException`: false, and no exception counts (default true). */
  enabled?: boolean;
  /** Kyverno's `--exceptionNamespace`: only exceptions there count (`*`, empty or absent: any namespace). */
  namespace?: string;
  /** Instant to judge `spec.expiresAt` against: an exception counts until then, not at or after it. Without it, no exception expires. */
  now?: Date;
}

export const exceptionKey = (o: K8sObject) => (o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name);

function inScope(o: K8sObject, scope: ExceptionScope, expiresAt: string | undefined): boolean {
  if (scope.enabled === false) return false;
  if (scope.namespace && scope.namespace !== '*' && o.metadata.namespace !== scope.namespace) return false;
  return !(scope.now && expiresAt && Date.parse(expiresAt) <= scope.now.getTime());
}

export interface CompiledCelException {
  key: string;
  program: CompiledProgram;
  images: string[];
  allowedValues: string[];
  reportResult: 'skip' | 'pass';
  priority: number;
}

export function compileCelException(o: K8sObject, file?: string): { exception: CompiledCelException; compiler: PolicyCompiler } {
  const spec = o.spec as CelPolicyExceptionSpec;
  const compiler = new PolicyCompiler('kyverno', `PolicyException/${exceptionKey(o)}`, file);
  const program = compileProgram(compiler, { matchConditions: spec.matchConditions ?? [] });
  const priority = Number(o.metadata.labels?.[EXCEPTION_PRIORITY_LABEL] ?? 0);
  return {
    exception: {
      key: exceptionKey(o),
      program,
      images: spec.images ?? [],
      allowedValues: spec.allowedValues ?? [],
      reportResult: spec.reportResult === 'pass' ? 'pass' : 'skip',
      priority: Number.isFinite(priority) ? priority : 0,
    },
    compiler,
  };
}

/** The CEL exceptions that reference a policy, in scope, sorted by key. */
export function celExceptionsOf(kind: string, name: string, exceptions: readonly K8sObject[], scope: ExceptionScope): K8sObject[] {
  return exceptions
    .filter((o) => {
      const spec = o.spec as CelPolicyExceptionSpec | undefined;
      return (spec?.policyRefs ?? []).some((r) => r.kind === kind && r.name === name) && inScope(o, scope, spec?.expiresAt);
    })
    .sort((a, b) => (exceptionKey(a) < exceptionKey(b) ? -1 : 1));
}

export type ExceptionOutcome =
  | { kind: 'none'; allowedImages: string[]; allowedValues: string[] }
  | { kind: 'exempt'; keys: string[]; reportResult: 'skip' | 'pass' }
  | { kind: 'error'; message: string };

export function applyCelExceptions(list: readonly CompiledCelException[], bindings: CelBindings, failurePolicy: FailurePolicy): ExceptionOutcome {
  const matched: CompiledCelException[] = [];
  let exempt = false;
  for (const e of list) {
    const outcome = runMatchConditions(e.program.matchConditions, bindings, failurePolicy);
    if (outcome.kind === 'error') {
      if (exempt) continue;
      return { kind: 'error', message: `exception ${e.key}: ${outcome.message}` };
    }
    if (outcome.kind === 'match') {
      matched.push(e);
      exempt ||= e.images.length === 0 && e.allowedValues.length === 0;
    }
  }
  if (exempt) {
    const decisive = matched.reduce((best, e) => (e.priority > best.priority ? e : best), matched[0]!);
    return { kind: 'exempt', keys: matched.map((e) => e.key), reportResult: decisive.reportResult };
  }
  return { kind: 'none', allowedImages: matched.flatMap((e) => e.images), allowedValues: matched.flatMap((e) => e.allowedValues) };
}

/** The kyverno.io/v2 exceptions that exempt a ClusterPolicy rule for this request. */
export function kyvernoExceptionsFor(target: { policy: string; rule: string }, a: Attributes, exceptions: readonly K8sObject[], scope: ExceptionScope): string[] {
  const { policy, rule } = target;
  return exceptions
    .filter((o) => {
      const spec = o.spec as KyvernoPolicyExceptionSpec | undefined;
      if (!spec || spec.conditions || !inScope(o, scope, undefined)) return false;
      const names = (spec.exceptions ?? []).some((e) => e.policyName === policy && (e.ruleNames ?? []).some((r) => wildcardMatch(r, rule)));
      return names && kyvernoRuleApplies(spec.match, undefined, a);
    })
    .map(exceptionKey)
    .sort();
}
