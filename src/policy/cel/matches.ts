/**
 * Routes `x.matches(re)` of a parsed expression to the RE2 overload
 * (`library/regex.ts`): each call site is renamed for type checking, which
 * binds it to the RE2 handler, then given its name back so that messages
 * still say `matches`.
 */
import { RE2_MATCHES } from './library/regex.js';
import type { ASTNode } from './vendor.js';

interface CallNode {
  op: string;
  args: [string, ...unknown[]];
  meta?: { alternate?: unknown };
}

/** The `matches` receiver calls of a parsed expression. */
function matchesCalls(ast: ASTNode): CallNode[] {
  const found: CallNode[] = [];
  const seen = new Set<object>();
  // eslint-disable-next-line complexity -- a walk over cel-js's AST node shapes (list, plain object, op node, macro alternate) that collects the `matches` receiver calls
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) return node.forEach(visit);
    const n = node as Partial<CallNode>;
    if (typeof n.op !== 'string') return Object.values(n).forEach(visit);
    if (n.op === 'rcall' && Array.isArray(n.args) && n.args[0] === 'matches' && n.args.length === 3) found.push(n as CallNode);
    visit(n.args);
    if (n.meta?.alternate) visit(n.meta.alternate);
  };
  visit(ast);
  return found;
}

/** Renames the `matches` calls to the RE2 overload; returns a function that gives them their name back. */
export function routeMatchesToRe2(ast: ASTNode): () => void {
  const calls = matchesCalls(ast);
  for (const c of calls) c.args[0] = RE2_MATCHES;
  return () => {
    for (const c of calls) c.args[0] = 'matches';
  };
}

/** A type checker's message about the renamed call, in the user's words. */
export function withMatchesName(message: string): string {
  return message.split(RE2_MATCHES).join('matches');
}
