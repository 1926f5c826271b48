/**
 * Compiling policy expressions: parse and type-check each one in the policy's
 * environment, check what it must evaluate to and which `variables.<name>` it
 * may use, and collect every problem (named by policy, field and expression)
 * so the caller fails once with all of them.
 */
import type { CompileProblem } from '../errors.js';
import { applyOrValueCompat } from './compat.js';
import { type CelFlavor, parseCel, typingEnvironment } from './environment.js';
import { engineLimit } from './limits.js';
import type { ASTNode, ParseResult } from './vendor.js';

export type CelBindings = Record<string, unknown>;

export interface CompiledExpression {
  readonly source: string;
  /** The type the cluster's checker gives it; undefined when Plinth cannot tell. */
  readonly type: string | undefined;
  run(bindings: CelBindings): unknown;
}

/** A variable declared before an expression, with the type of its own expression (undefined: unknown). */
export interface DeclaredVariable {
  name: string;
  type: string | undefined;
}

export type ResultType = 'bool' | 'string' | 'any';

/** Libraries of Kyverno (and the API server's authorizer) that read the cluster, a registry or the clock. */
const CLUSTER_LIBRARIES = ['resource', 'image', 'http', 'globalContext', 'imagedata', 'time', 'authorizer', 'parseServiceAccount', 'parseImageReference', 'random', 'x509'];

/**
 * The type an expression must have, exactly: the API server (`must evaluate to bool`)
 * and Kyverno (`output is expected to be of type bool`) both compare the checked
 * type with `bool` / `string`, and `dyn` is neither. They declare `object`,
 * `oldObject` and `params` as `dyn` whatever the resource's schema (the schema only
 * feeds warnings in a ValidatingAdmissionPolicy's `status.typeChecking`), so a bare
 * `object.spec.hostNetwork` is refused; `request`, `namespaceObject` and
 * `variables.<name>` are typed there (`typingEnvironment`), so `variables.ok` is
 * bool when its expression is.
 */
const REQUIRED: Record<ResultType, string | undefined> = { bool: 'bool', string: 'string', any: undefined };

const HOW_TO: Record<string, string> = {
  bool: 'compare the value (`x == true`) or convert it (`bool(x)`)',
  string: 'convert the value (`string(x)`)',
};

/** Bindings whose fields the cluster types: a `dyn` result that reads them may be typed there. */
const TYPED_READ = /(^|[^\w.])(request|namespaceObject|variables)\s*\.\??/;

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}

/** `variables.<name>` and `variables.?<name>` references in an expression. */
export function referencedVariables(ast: ASTNode): string[] {
  const found = new Set<string>();
  // eslint-disable-next-line complexity -- a walk over cel-js's AST node shapes (list, plain object, op node) that picks `variables.x` and `variables.?x` selections
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(visit);
    const n = node as { op?: string; args?: unknown };
    if (typeof n.op === 'string') {
      if ((n.op === '.' || n.op === '.?') && Array.isArray(n.args)) {
        const [target, field] = n.args as [{ op?: string; args?: unknown }, unknown];
        if (target?.op === 'id' && target.args === 'variables' && typeof field === 'string') found.add(field);
      }
      return visit(n.args);
    }
    Object.values(n).forEach(visit);
  };
  visit(ast);
  return [...found].sort();
}

/** Compiles the expressions of one policy; `problems` holds what did not compile. */
export class PolicyCompiler {
  readonly problems: CompileProblem[] = [];

  constructor(
    readonly flavor: CelFlavor,
    readonly policy: string,
    readonly file?: string,
  ) {}

  // eslint-disable-next-line complexity -- the compile steps in order (empty, parse, type check, undeclared variables, result type), each ending in its own problem with its own reason
  compile(source: string, path: string, type: ResultType, variables: readonly DeclaredVariable[]): CompiledExpression | undefined {
    const problem = (reason: string) => {
      const library = CLUSTER_LIBRARIES.find((l) => new RegExp(`(^|[^\\w.])${l}\\s*[.(]`).test(source));
      const limit = library ? undefined : engineLimit(source, reason);
      const kind = library
        ? { offline: true, reason: `${reason} (${library} is a cluster-side library, not available offline)` }
        : limit
          ? { unsupported: true, reason: `${reason} (${limit})` }
          : { reason };
      this.problems.push({ site: { policy: this.policy, path, ...(this.file ? { file: this.file } : {}) }, expression: source, ...kind });
      return undefined;
    };
    if (typeof source !== 'string' || source.trim() === '') return problem('the expression is empty');
    let parsed: ParseResult;
    try {
      parsed = parseCel(this.flavor, source);
    } catch (cause) {
      return problem(firstLine((cause as Error).message));
    }
    const checked = parsed.check();
    if (!checked.valid) return problem(firstLine(checked.error?.message ?? 'type check failed'));
    const names = variables.map((v) => v.name);
    const unknown = referencedVariables(parsed.ast).filter((v) => !names.includes(v));
    if (unknown.length > 0) {
      const known = names.length ? `declared before it: ${names.join(', ')}` : 'no variable is declared before it';
      return problem(`undefined variable${unknown.length > 1 ? 's' : ''} ${unknown.map((v) => `variables.${v}`).join(', ')} (${known})`);
    }
    const resultType = checked.type === 'dyn' && TYPED_READ.test(source) ? this.clusterType(source, variables) : (checked.type ?? 'dyn');
    const required = REQUIRED[type];
    if (required && resultType !== undefined && resultType !== required) {
      return problem(`must evaluate to ${required}, not ${resultType}${resultType === 'dyn' ? ` (the cluster requires exactly ${required}; fields of object, oldObject and params are dyn: ${HOW_TO[required]})` : ''}`);
    }
    applyOrValueCompat(parsed.ast);
    return { source, type: resultType, run: (bindings) => parsed(bindings) as unknown };
  }

  /**
   * The result type the cluster's checker gives an expression that reads typed
   * bindings; undefined when Plinth cannot tell (then it is not refused).
   */
  private clusterType(source: string, variables: readonly DeclaredVariable[]): string | undefined {
    // A variable of unknown type: an expression reading variables is not refused.
    if (variables.some((v) => v.type === undefined) && /(^|[^\w.])variables\b/.test(source)) return undefined;
    const declared = Object.fromEntries(variables.map((v) => [v.name, v.type!]));
    try {
      const checked = parseCel(this.flavor, source, typingEnvironment(this.flavor, declared)).check();
      return checked.valid ? checked.type : undefined;
    } catch {
      return undefined;
    }
  }
}
