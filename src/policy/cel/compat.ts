/**
 * `orValue` on a plain value: cel-go before v0.28 (the Kubernetes API server's,
 * and Kyverno's through a compatibility macro) returns `x` from `x.orValue(y)`
 * when `x` is not an optional, and the Kyverno policy library relies on it
 * (`container.volumeMounts.orValue([])`). cel-js implements `orValue` as a macro
 * on optionals only, so each `orValue` call site of a parsed expression gets an
 * evaluation that passes plain values through. Errors of the receiver still
 * propagate, as in cel-go.
 */
import { type ASTNode, Optional } from './vendor.js';

interface OrValueMacro {
  functionDesc?: string;
  receiver: unknown;
  arg: unknown;
  evaluate: (ev: Evaluator, macro: OrValueMacro, ctx: unknown) => unknown;
}

interface Evaluator {
  run(node: unknown, ctx: unknown): unknown;
}

function compatEvaluate(ev: Evaluator, macro: OrValueMacro, ctx: unknown): unknown {
  const value = ev.run(macro.receiver, ctx);
  if (!(value instanceof Optional)) return value;
  return value.hasValue() ? value.value() : ev.run(macro.arg, ctx);
}

/** Patches every `orValue` call site of a parsed expression; returns how many were patched. */
export function applyOrValueCompat(ast: ASTNode): number {
  let patched = 0;
  const seen = new Set<object>();
  // eslint-disable-next-line complexity -- a walk over cel-js's AST node shapes (list, plain object, op node, macro alternate), patching the one call site shape of optional.orValue
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) return node.forEach(visit);
    const n = node as { op?: string; args?: unknown; meta?: { macro?: OrValueMacro; alternate?: unknown } };
    if (typeof n.op !== 'string') return Object.values(n).forEach(visit);
    const macro = n.meta?.macro;
    if (n.op === 'rcall' && Array.isArray(n.args) && n.args[0] === 'orValue' && macro?.functionDesc === 'optional.orValue(value)') {
      macro.evaluate = compatEvaluate;
      patched++;
    }
    visit(n.args);
    if (n.meta?.alternate) visit(n.meta.alternate);
  };
  visit(ast);
  return patched;
}
