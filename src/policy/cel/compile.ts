/**
 * Compiling policy expressions: parse and type-check each one in the policy's
 * environment, check what it must evaluate to and which `variables.<name>` it
 * may use, and collect every problem (named by policy, field and expression)
 * so the caller fails once with all of them.
 */
import type { CompileProblem } from '../errors.js';
import { applyOrValueCompat } from './compat.js';
import { type CelFlavor, parseCel } from './environment.js';
import { engineLimit } from './limits.js';
import type { ASTNode, ParseResult } from './vendor.js';

export type CelBindings = Record<string, unknown>;

export interface CompiledExpression {
  readonly source: string;
  run(bindings: CelBindings): unknown;
}

export type ResultType = 'bool' | 'string' | 'any';

/** Libraries of Kyverno (and the API server's authorizer) that read the cluster, a registry or the clock. */
const CLUSTER_LIBRARIES = ['resource', 'image', 'http', 'globalContext', 'imagedata', 'time', 'authorizer', 'parseServiceAccount', 'parseImageReference', 'random', 'x509'];

const ACCEPTED: Record<ResultType, readonly string[] | undefined> = {
  bool: ['bool', 'dyn'],
  string: ['string', 'dyn'],
  any: undefined,
};

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}

/** `variables.<name>` and `variables.?<name>` references in an expression. */
export function referencedVariables(ast: ASTNode): string[] {
  const found = new Set<string>();
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

  compile(source: string, path: string, type: ResultType, variables: readonly string[]): CompiledExpression | undefined {
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
    const accepted = ACCEPTED[type];
    if (accepted && checked.type && !accepted.includes(checked.type)) return problem(`must evaluate to ${type}, not ${checked.type}`);
    const unknown = referencedVariables(parsed.ast).filter((v) => !variables.includes(v));
    if (unknown.length > 0) {
      const known = variables.length ? `declared before it: ${variables.join(', ')}` : 'no variable is declared before it';
      return problem(`undefined variable${unknown.length > 1 ? 's' : ''} ${unknown.map((v) => `variables.${v}`).join(', ')} (${known})`);
    }
    applyOrValueCompat(parsed.ast);
    return { source, run: (bindings) => parsed(bindings) as unknown };
  }
}
