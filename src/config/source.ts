/** A parsed YAML file that can say on which line a path sits, so errors point at it. */
import YAML, { LineCounter } from 'yaml';
import { ConfigError } from '../lib/errors.js';

export type DataPath = readonly (string | number)[];

export interface SourceFile {
  readonly file: string;
  readonly data: unknown;
  /** Line and column (1-based) of the value at `path`, or of its nearest existing parent. */
  locate(path: DataPath): { line: number; column: number } | undefined;
}

export function parseYamlSource(text: string, file: string): SourceFile {
  const lineCounter = new LineCounter();
  const doc = YAML.parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        return {
          file,
          line: pos?.line,
          column: pos?.col,
          message: `not valid YAML: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
          hint: 'fix the YAML syntax first (indentation, quotes, a duplicated key)',
        };
      }),
    );
  }
  const data = doc.toJS() as unknown;
  return {
    file,
    data,
    locate(path) {
      for (let n = path.length; n >= 0; n--) {
        const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
        const keyNode = n > 0 ? findKeyNode(doc, path.slice(0, n)) : undefined;
        const range = keyNode?.range ?? node?.range;
        if (range) {
          const { line, col } = lineCounter.linePos(range[0]);
          return { line, column: col };
        }
      }
      return undefined;
    },
  };
}

/** The key node of the last path element when the parent is a map: errors read better pointing at `memory:` than at its value. */
function findKeyNode(doc: YAML.Document, path: DataPath): { range?: [number, number, number] } | undefined {
  const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
  if (!YAML.isMap(parent)) return undefined;
  const last = path[path.length - 1];
  const pair = parent.items.find((p) => YAML.isScalar(p.key) && p.key.value === last);
  return pair && YAML.isScalar(pair.key) ? (pair.key as { range?: [number, number, number] }) : undefined;
}

/** `cluster.nodes[2].memory` from `['cluster', 'nodes', 2, 'memory']`. */
export function formatPath(path: DataPath): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (/^[A-Za-z_][\w-]*$/.test(key)) out += out ? `.${key}` : key;
    else out += `[${JSON.stringify(key)}]`;
  }
  return out;
}

/** A short, single-line rendering of a value for an error message. */
export function renderValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
