/**
 * Just enough PromQL to say which metrics a query selects and which labels it
 * uses (in selectors and in `by`/`without`/`on`/`ignoring`/`group_*` lists).
 * Strings, durations, numbers and Go template placeholders (`{{args.x}}`)
 * are skipped; function and aggregation names are not metrics.
 */

export interface MetricUse {
  metric: string;
  /** Labels matched in the metric's own selector. */
  labels: string[];
}

export interface QueryUses {
  metrics: MetricUse[];
  /** Labels of grouping and matching clauses (apply to every metric of the query). */
  groupingLabels: string[];
}

const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'offset', 'and', 'or', 'unless', 'atan2', 'inf', 'nan', 'start', 'end']);
const GROUPING = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);
/** Aggregation operators: `sum by (le) (...)` puts the clause between the name and its parenthesis. */
const AGGREGATORS = new Set(['sum', 'avg', 'min', 'max', 'count', 'stddev', 'stdvar', 'topk', 'bottomk', 'quantile', 'count_values', 'group', 'limitk', 'limit_ratio']);

export function queryUses(query: string): QueryUses {
  const text = query.replace(/\{\{[^}]*\}\}/g, 'ARG');
  const metrics: MetricUse[] = [];
  const grouping: string[] = [];
  let i = 0;
  const peek = (from: number) => {
    let j = from;
    while (j < text.length && /\s/.test(text[j]!)) j++;
    return { ch: text[j], at: j };
  };
  const skipString = (at: number) => {
    const q = text[at]!;
    let j = at + 1;
    while (j < text.length && text[j] !== q) j += text[j] === '\\' ? 2 : 1;
    return j + 1;
  };
  /** Label names of a `{...}` selector starting at `at`; returns them and the index after `}`. */
  const selector = (at: number): { labels: string[]; next: number } => {
    const labels: string[] = [];
    let j = at + 1;
    while (j < text.length && text[j] !== '}') {
      const c = text[j]!;
      if (c === '"' || c === "'" || c === '`') j = skipString(j);
      else if (/[A-Za-z_]/.test(c)) {
        const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(j))!;
        labels.push(m[0]);
        j += m[0].length;
      } else j++;
    }
    return { labels, next: j + 1 };
  };
  /** Identifiers of a `(...)` list after a grouping keyword. */
  const labelList = (at: number): { labels: string[]; next: number } => {
    const close = text.indexOf(')', at);
    const inner = text.slice(at + 1, close === -1 ? text.length : close);
    return { labels: [...inner.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)].map((m) => m[0]), next: close === -1 ? text.length : close + 1 };
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"' || c === "'" || c === '`') {
      i = skipString(i);
      continue;
    }
    if (c === '[') {
      const close = text.indexOf(']', i);
      i = close === -1 ? text.length : close + 1;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      // A duration (`offset 5m`, `1h30m`) or a number (`0.95`, `1e-9`, `0x1f`).
      const m = /^(?:(?:[0-9]+(?:ms|[smhdwy]))+(?![A-Za-z0-9_])|0x[0-9a-f]+|[0-9]*\.?[0-9]+(?:e[+-]?[0-9]+)?)/i.exec(text.slice(i));
      i += m ? Math.max(1, m[0].length) : 1;
      continue;
    }
    if (c === '{') {
      // A selector without a metric name: `{__name__="x"}`.
      const s = selector(i);
      i = s.next;
      continue;
    }
    if (/[A-Za-z_:]/.test(c)) {
      const m = /^[A-Za-z_:][A-Za-z0-9_:]*/.exec(text.slice(i))!;
      const ident = m[0];
      i += ident.length;
      const next = peek(i);
      if (GROUPING.has(ident) && next.ch === '(') {
        const l = labelList(next.at);
        grouping.push(...l.labels);
        i = l.next;
      } else if (KEYWORDS.has(ident.toLowerCase()) || AGGREGATORS.has(ident) || next.ch === '(') {
        // a keyword, or a function / aggregation call
      } else if (ident === 'ARG') {
        // a template placeholder outside quotes
      } else if (next.ch === '{') {
        const s = selector(next.at);
        metrics.push({ metric: ident, labels: s.labels });
        i = s.next;
      } else {
        metrics.push({ metric: ident, labels: [] });
      }
      continue;
    }
    i++;
  }
  return { metrics, groupingLabels: [...new Set(grouping)] };
}
