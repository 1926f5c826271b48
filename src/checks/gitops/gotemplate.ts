/**
 * The part of Go's text/template that ApplicationSet templates use, enough to
 * evaluate a `templatePatch` offline for one generator element: field paths
 * (`.a.b`), `toJson`, `quote`, pipelines into them, `if`/`else`/`end` on a
 * path, and `{{-`/`-}}` whitespace trimming. Anything else is refused with the
 * action that could not be read, so a check never guesses.
 */

export class TemplateUnsupported extends Error {}

type Node = { text: string } | { expr: string } | { cond: string; then: Node[]; else: Node[] };

interface Token {
  kind: 'text' | 'action';
  value: string;
}

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const open = src.indexOf('{{', i);
    if (open === -1) {
      out.push({ kind: 'text', value: src.slice(i) });
      break;
    }
    let text = src.slice(i, open);
    let start = open + 2;
    if (src[start] === '-' && /\s/.test(src[start + 1] ?? '')) {
      text = text.replace(/\s+$/, '');
      start += 1;
    }
    out.push({ kind: 'text', value: text });
    const close = src.indexOf('}}', start);
    if (close === -1) throw new TemplateUnsupported(`an action opened at offset ${open} is never closed`);
    let end = close;
    let trimAfter = false;
    if (src[close - 1] === '-' && /\s/.test(src[close - 2] ?? '')) {
      end = close - 1;
      trimAfter = true;
    }
    out.push({ kind: 'action', value: src.slice(start, end).trim() });
    i = close + 2;
    if (trimAfter) while (i < src.length && /\s/.test(src[i]!)) i++;
  }
  return out.filter((t) => t.kind === 'action' || t.value.length > 0);
}

function parse(tokens: Token[]): Node[] {
  let pos = 0;
  const block = (stopAt: Set<string>): Node[] => {
    const nodes: Node[] = [];
    while (pos < tokens.length) {
      const t = tokens[pos]!;
      if (t.kind === 'text') {
        nodes.push({ text: t.value });
        pos++;
        continue;
      }
      const word = t.value.split(/\s+/)[0]!;
      if (stopAt.has(word)) return nodes;
      pos++;
      if (word === 'if') {
        const cond = t.value.slice(2).trim();
        const then = block(new Set(['else', 'end']));
        let otherwise: Node[] = [];
        if (tokens[pos]?.value === 'else') {
          pos++;
          otherwise = block(new Set(['end']));
        }
        if (tokens[pos]?.value !== 'end') throw new TemplateUnsupported(`{{ if ${cond} }} has no {{ end }}`);
        pos++;
        nodes.push({ cond, then, else: otherwise });
      } else if (['range', 'with', 'define', 'template', 'block'].includes(word) || word.startsWith('/*')) {
        throw new TemplateUnsupported(`{{ ${t.value} }} is not evaluated offline`);
      } else nodes.push({ expr: t.value });
    }
    return nodes;
  };
  const nodes = block(new Set());
  if (pos < tokens.length) throw new TemplateUnsupported(`unexpected {{ ${tokens[pos]!.value} }}`);
  return nodes;
}

function lookup(path: string, data: unknown, strict: boolean): unknown {
  if (path === '.') return data;
  if (!/^(\.[A-Za-z_][A-Za-z0-9_]*)+$/.test(path)) throw new TemplateUnsupported(`${path} is not a field path`);
  let cur: unknown = data;
  for (const key of path.slice(1).split('.')) {
    if (cur === null || typeof cur !== 'object' || !(key in (cur as object))) {
      if (strict) throw new TemplateUnsupported(`map has no entry for key "${key}" (missingkey=error)`);
      return undefined;
    }
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** Go's text/template truth: false, 0, nil, empty strings, lists and maps are false. */
function truthy(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v as object).length > 0;
  return true;
}

function evalExpr(expr: string, data: unknown, strict: boolean): string {
  const stages = expr.split('|').map((s) => s.trim());
  let value: unknown;
  stages.forEach((stage, i) => {
    const words = stage.split(/\s+/);
    const fn = words[0]!;
    const arg = i === 0 ? words[1] : undefined;
    if (i === 0 && fn.startsWith('.')) {
      if (words.length > 1) throw new TemplateUnsupported(`{{ ${expr} }} is not evaluated offline`);
      value = lookup(fn, data, strict);
      return;
    }
    const input = i === 0 ? (arg !== undefined ? lookup(arg, data, strict) : undefined) : value;
    if (fn === 'toJson') value = JSON.stringify(input ?? null);
    else if (fn === 'quote') value = JSON.stringify(String(input ?? ''));
    else throw new TemplateUnsupported(`the function ${fn} is not evaluated offline`);
  });
  if (value === undefined || value === null) return '<no value>';
  return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Renders a template for one set of parameters; `missingkey=error` makes unknown keys an error, as in the controller. */
export function renderGoTemplate(src: string, data: unknown, opts: { missingKeyError?: boolean } = {}): string {
  const strict = opts.missingKeyError ?? false;
  const run = (nodes: Node[]): string =>
    nodes
      .map((n) => {
        if ('text' in n) return n.text;
        if ('expr' in n) return evalExpr(n.expr, data, strict);
        return run(truthy(lookup(n.cond, data, false)) ? n.then : n.else);
      })
      .join('');
  return run(parse(tokenize(src)));
}
