/**
 * What the offline engine cannot compile although the cluster can: Kubernetes
 * CEL library functions Plinth does not implement (the strings extension's
 * `reverse` and `strings.quote`, the lists/math/base64 extensions) and cel-js's narrower
 * `has()`, which only takes a field path starting from a variable (cel-go takes
 * any field selection). A compile error caused by one of these is an engine
 * limit, not a mistake in the policy.
 */

/** Receiver functions of the Kubernetes CEL libraries that Plinth lacks, by receiver type. */
const RECEIVER_FUNCTIONS: Record<string, readonly string[]> = {
  string: ['reverse'],
  list: ['sort', 'sortBy', 'slice', 'flatten', 'reverse', 'distinct', 'first', 'last'],
};
/** Namespaced functions (`strings.quote(…)`, `math.greatest(…)`, …) that Plinth lacks. */
const NAMESPACES = ['strings', 'lists', 'math', 'base64'];
const NOT_HERE = "a Kubernetes CEL library function Plinth's offline engine does not implement";

/** The arguments of each `has(…)` in an expression (balanced parentheses, strings ignored). */
function hasArguments(source: string): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(/\bhas\s*\(/g)) {
    const start = m.index + m[0].length;
    out.push(source.slice(start, pastClosingParen(source, start) - 1));
  }
  return out;
}

/** The index just past the `)` that closes a parenthesis opened before `start`, strings skipped (the source's end when it is not closed). */
function pastClosingParen(source: string, start: number): number {
  let depth = 1;
  let quote = '';
  let i = start;
  for (; i < source.length && depth > 0; i++) {
    const ch = source[i]!;
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
  }
  return i;
}

/**
 * Why the cluster would accept an expression the engine rejected, or undefined
 * when the engine's reason is one the cluster would give too.
 */
// eslint-disable-next-line complexity -- one rule per limit of cel-js the cluster does not share (receiver overloads, namespaced library functions, has() on any selection), each matched on the engine's message
export function engineLimit(source: string, reason: string): string | undefined {
  const overload = /found no matching overload for '(?:(\w+)(?:<[^']*>)?\.)?(\w+)\(/.exec(reason);
  if (overload) {
    const [, receiver, name] = overload as unknown as [string, string | undefined, string];
    if (receiver !== undefined && RECEIVER_FUNCTIONS[receiver]?.includes(name)) return `${receiver}.${name}() is ${NOT_HERE}`;
  }
  const variable = /^Unknown variable: (\w+)/.exec(reason)?.[1];
  if (variable && NAMESPACES.includes(variable) && new RegExp(`(^|[^\\w.])${variable}\\.\\w+\\s*\\(`).test(source)) {
    return `${variable}.* is ${NOT_HERE}`;
  }
  if (/^has\(\) invalid argument/.test(reason) && hasArguments(source).some((a) => /\.\s*[A-Za-z_]\w*\s*$/.test(a) && !/^\s*[A-Za-z_]\w*(\s*\.\s*[A-Za-z_]\w*)+\s*$/.test(a))) {
    return "Plinth's engine (cel-js) only takes has() on a field path starting from a variable; the cluster takes any field selection";
  }
  return undefined;
}
