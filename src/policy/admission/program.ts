/**
 * The admission semantics around CEL shared by ValidatingAdmissionPolicy, Kyverno
 * ValidatingPolicy and ClusterPolicy `validate.cel`: matchConditions (all must hold;
 * any false skips; errors follow failurePolicy), variables (lazy, each evaluated at
 * most once per evaluation, errors included), validations in order (the first false
 * or failing one decides, as the reports of both Kyverno and the API server show),
 * message / messageExpression / reason, then auditAnnotations.
 */
import { type CelBindings, type CompiledExpression, type DeclaredVariable, PolicyCompiler } from '../cel/compile.js';
import { celText } from '../cel/values.js';
import { EvaluationError } from '../cel/vendor.js';
import type { FailurePolicy, NamedExpression, ValidatingSpec } from '../types.js';

interface Named {
  name: string;
  expr: CompiledExpression;
}

export interface CompiledValidation {
  expr: CompiledExpression;
  message?: string;
  messageExpression?: CompiledExpression;
  reason?: string;
}

export interface CompiledProgram {
  matchConditions: Named[];
  variables: Named[];
  validations: CompiledValidation[];
  auditAnnotations: { key: string; expr: CompiledExpression }[];
  failurePolicy: FailurePolicy;
  /** Whose wording failure messages follow: the API server's (VAP, ClusterPolicy validate.cel) or Kyverno's ValidatingPolicy engine. */
  messages: 'kubernetes' | 'kyverno';
}

export type MatchOutcome = { kind: 'match' } | { kind: 'no-match' } | { kind: 'error'; message: string };

export type ProgramOutcome =
  | { kind: 'no-match' }
  | { kind: 'error'; message: string; index?: number; stage?: 'match-conditions' }
  | { kind: 'fail'; message: string; index: number; reason?: string; auditAnnotations: Record<string, string> }
  | { kind: 'pass'; auditAnnotations: Record<string, string> };

/** Paths of the fields in the document, for compile errors (`spec.validations[0].expression`). */
export interface ProgramPaths {
  matchConditions: string;
  variables: string;
  validations: string;
  auditAnnotations: string;
}

export const SPEC_PATHS: ProgramPaths = {
  matchConditions: 'spec.matchConditions',
  variables: 'spec.variables',
  validations: 'spec.validations',
  auditAnnotations: 'spec.auditAnnotations',
};

/** Compiles a list of named expressions; given `variables`, they are variables, each declared into it for the ones after. */
function compileNamed(compiler: PolicyCompiler, list: NamedExpression[] | undefined, path: string, variables?: DeclaredVariable[]): Named[] {
  const isVariable = variables !== undefined;
  const declared = variables ?? [];
  const out: Named[] = [];
  (list ?? []).forEach((item, i) => {
    const expr = compiler.compile(item.expression, `${path}[${i}].expression`, isVariable ? 'any' : 'bool', [...declared]);
    // One that did not compile is declared dyn (its problem is reported already).
    if (isVariable) declared.push({ name: item.name, type: expr ? expr.type : 'dyn' });
    if (expr) out.push({ name: item.name, expr });
  });
  return out;
}

/** Compiles one spec; problems are left in `compiler.problems`. */
export function compileProgram(compiler: PolicyCompiler, spec: ValidatingSpec, paths: ProgramPaths = SPEC_PATHS, defaultMessage?: string): CompiledProgram {
  const declared: DeclaredVariable[] = [];
  const matchConditions = compileNamed(compiler, spec.matchConditions, paths.matchConditions);
  const variables = compileNamed(compiler, spec.variables, paths.variables, declared);
  const validations: CompiledValidation[] = [];
  (spec.validations ?? []).forEach((v, i) => {
    const at = `${paths.validations}[${i}]`;
    const expr = compiler.compile(v.expression, `${at}.expression`, 'bool', declared);
    const messageExpression = v.messageExpression ? compiler.compile(v.messageExpression, `${at}.messageExpression`, 'string', declared) : undefined;
    const message = v.message ?? defaultMessage;
    if (expr) validations.push({ expr, ...(message ? { message } : {}), ...(messageExpression ? { messageExpression } : {}), ...(v.reason ? { reason: v.reason } : {}) });
  });
  const auditAnnotations = (spec.auditAnnotations ?? []).flatMap((a, i) => {
    const expr = compiler.compile(a.valueExpression, `${paths.auditAnnotations}[${i}].valueExpression`, 'any', declared);
    return expr ? [{ key: a.key, expr }] : [];
  });
  return { matchConditions, variables, validations, auditAnnotations, failurePolicy: spec.failurePolicy ?? 'Fail', messages: compiler.flavor === 'kyverno' ? 'kyverno' : 'kubernetes' };
}

function reason(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!.trim();
}

function errorText(expr: CompiledExpression, error: unknown): string {
  return `expression ${JSON.stringify(expr.source)} failed: ${reason(error)}`;
}

/** `variables`: a plain map whose entries evaluate on first read, then keep their value (or error). */
export function lazyVariables(variables: Named[], bindings: CelBindings): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { name, expr } of variables) {
    let state: { value: unknown } | { error: EvaluationError } | undefined;
    Object.defineProperty(out, name, {
      enumerable: true,
      get() {
        if (!state) {
          try {
            state = { value: expr.run(bindings) };
          } catch (error) {
            state = { error: error instanceof EvaluationError ? error : new EvaluationError(`variables.${name}: ${reason(error)}`) };
          }
        }
        if ('error' in state) throw state.error;
        return state.value;
      },
    });
  }
  return out;
}

/** All match conditions must be true; a false one wins over errors; errors then follow failurePolicy. */
export function runMatchConditions(conditions: Named[], bindings: CelBindings, failurePolicy: FailurePolicy): MatchOutcome {
  const errors: string[] = [];
  for (const { name, expr } of conditions) {
    try {
      const value = expr.run(bindings);
      if (typeof value !== 'boolean') errors.push(`matchCondition ${name}: expected a bool, got ${celText(value)}`);
      else if (!value) return { kind: 'no-match' };
    } catch (error) {
      errors.push(`matchCondition ${name}: ${errorText(expr, error)}`);
    }
  }
  if (errors.length === 0) return { kind: 'match' };
  return failurePolicy === 'Ignore' ? { kind: 'no-match' } : { kind: 'error', message: errors.join('; ') };
}

/**
 * Kyverno's ValidatingPolicy wording: the messageExpression's result as is (an
 * error or a non-string says so), else the message; when that leaves nothing,
 * `CEL expression validation failed at index N`.
 */
function kyvernoMessageOf(v: CompiledValidation, bindings: CelBindings, index: number): string {
  let message = v.message ?? '';
  if (v.messageExpression) {
    try {
      const text = v.messageExpression.run(bindings);
      message = typeof text === 'string' ? text : `failed to convert message expression to string: got ${celText(text)}`;
    } catch (error) {
      message = `failed to evaluate message expression: ${reason(error)}`;
    }
  }
  return message === '' ? `CEL expression validation failed at index ${index}` : message;
}

/** The API server's wording: a non-empty messageExpression result (trimmed), else the message, else the failed expression. */
function messageOf(v: CompiledValidation, bindings: CelBindings): string {
  if (v.messageExpression) {
    try {
      const text = v.messageExpression.run(bindings);
      if (typeof text === 'string' && text.trim() !== '') return text.trim();
    } catch {
      // falls back to the static message, as the API server does
    }
  }
  return v.message ?? `failed expression: ${v.expr.source}`;
}

function auditAnnotations(program: CompiledProgram, bindings: CelBindings): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { key, expr } of program.auditAnnotations) {
    const value = expr.run(bindings);
    if (value !== null && value !== undefined && celText(value) !== '') out[key] = celText(value);
  }
  return out;
}

/** The outcome of a validation that returned false: its message and the audit annotations, or the error evaluating them. */
function failureOf(program: CompiledProgram, v: CompiledProgram['validations'][number], bindings: CelBindings, index: number): ProgramOutcome {
  try {
    const message = program.messages === 'kyverno' ? kyvernoMessageOf(v, bindings, index) : messageOf(v, bindings);
    return { kind: 'fail', message, index, ...(v.reason ? { reason: v.reason } : {}), auditAnnotations: auditAnnotations(program, bindings) };
  } catch (error) {
    return { kind: 'error', message: `auditAnnotations: ${reason(error)}`, index };
  }
}

/** Runs the program against fully prepared bindings (object, oldObject, request, ...). */
export function runProgram(program: CompiledProgram, base: CelBindings): ProgramOutcome {
  const bindings: CelBindings = { ...base };
  const match = runMatchConditions(program.matchConditions, bindings, program.failurePolicy);
  if (match.kind === 'error') return { ...match, stage: 'match-conditions' };
  if (match.kind !== 'match') return match;
  bindings.variables = lazyVariables(program.variables, bindings);
  for (const [index, v] of program.validations.entries()) {
    let value: unknown;
    try {
      value = v.expr.run(bindings);
    } catch (error) {
      return { kind: 'error', message: errorText(v.expr, error), index };
    }
    if (typeof value !== 'boolean') return { kind: 'error', message: `expression ${JSON.stringify(v.expr.source)} returned ${celText(value)}, not a bool`, index };
    if (!value) return failureOf(program, v, bindings, index);
  }
  try {
    return { kind: 'pass', auditAnnotations: auditAnnotations(program, bindings) };
  } catch (error) {
    return { kind: 'error', message: `auditAnnotations: ${reason(error)}` };
  }
}
