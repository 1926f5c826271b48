/** Label and field selectors as the API server reads them from list and watch queries. */

type Labels = Record<string, string>;
type Test = (labels: Labels) => boolean;

function splitTop(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) parts.push(cur);
  return parts.map((p) => p.trim()).filter(Boolean);
}

function requirement(text: string): Test {
  const set = /^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(text);
  if (set) {
    const [, key, op, list] = set as unknown as [string, string, string, string];
    const values = list.split(',').map((v) => v.trim());
    return op === 'in' ? (l) => key in l && values.includes(l[key]!) : (l) => !(key in l) || !values.includes(l[key]!);
  }
  const cmp = /^([^!=\s]+)\s*(==|=|!=)\s*(.*)$/.exec(text);
  if (cmp) {
    const [, key, op, value] = cmp as unknown as [string, string, string, string];
    return op === '!=' ? (l) => l[key] !== value : (l) => l[key] === value;
  }
  if (text.startsWith('!')) return (l) => !(text.slice(1) in l);
  return (l) => text in l;
}

export function labelMatcher(selector: string | null | undefined): Test {
  if (!selector) return () => true;
  const tests = splitTop(selector).map(requirement);
  return (labels) => tests.every((t) => t(labels));
}

/** `metadata.name=x,metadata.namespace=y` (and `!=`). */
export function fieldMatcher(selector: string | null | undefined): (o: { metadata: { name: string; namespace?: string } }) => boolean {
  if (!selector) return () => true;
  const tests = splitTop(selector).map((part) => {
    const m = /^([^!=]+)(==|=|!=)(.*)$/.exec(part);
    if (!m) return () => true;
    const [, field, op, value] = m as unknown as [string, string, string, string];
    const read = (o: { metadata: { name: string; namespace?: string } }) =>
      field === 'metadata.name' ? o.metadata.name : field === 'metadata.namespace' ? (o.metadata.namespace ?? '') : undefined;
    return op === '!=' ? (o: { metadata: { name: string; namespace?: string } }) => read(o) !== value : (o: { metadata: { name: string; namespace?: string } }) => read(o) === value;
  });
  return (o) => tests.every((t) => t(o));
}
