/** A parsed YAML file that can say on which line a path sits, so errors point at it. */
import YAML, { LineCounter } from 'yaml';
import { ConfigError, type ErrorDetail } from '../lib/errors.js';
import { aliasBombMessage, documentProblems, renderNumber, scalarText } from '../lib/yaml-checks.js';
import { formatBytes, LIMITS } from '../lib/input-limits.js';

import type { DataPath } from '../lib/data-path.js';

export { type DataPath, formatPath } from '../lib/data-path.js';

export interface SourceFile {
  readonly file: string;
  readonly data: unknown;
  /** Line and column (1-based) of the value at `path`, or of its nearest existing parent. */
  locate(path: DataPath): { line: number; column: number } | undefined;
  /** The value at `path` for an error message; a number as the file writes it (`1e309`, not `Infinity`). */
  render(path: DataPath, value: unknown): string;
}

function syntaxProblem(e: YAML.YAMLError, file: string): ErrorDetail {
  const pos = e.linePos?.[0];
  const at = { file, line: pos?.line, column: pos?.col };
  if (e.code === 'MULTIPLE_DOCS') {
    return { ...at, message: 'a second YAML document starts here; expected one document (one platform) per file', hint: 'remove this `---` and what follows, or move that document to a file of its own' };
  }
  if (e.code === 'RESOURCE_EXHAUSTION') {
    return { ...at, message: `nested too deeply to parse; expected at most ${LIMITS.depth} levels of maps and lists`, hint: 'flatten the structure' };
  }
  return {
    ...at,
    message: `not valid YAML: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
    hint: 'fix the YAML syntax first (indentation, quotes, a duplicated key)',
  };
}

export function tooLarge(file: string, bytes: number): ErrorDetail {
  return {
    file,
    message: `the file is ${bytes} bytes; expected at most ${formatBytes(LIMITS.fileBytes)} (${LIMITS.fileBytes} bytes) for a config file`,
    hint: 'plinth.yaml describes the platform: keep large data (dashboards, certificates, long lists) out of it',
  };
}

export function parseYamlSource(text: string, file: string): SourceFile {
  const bytes = Buffer.byteLength(text);
  if (bytes > LIMITS.fileBytes) throw new ConfigError([tooLarge(file, bytes)]);
  const lineCounter = new LineCounter();
  let doc: YAML.Document;
  try {
    doc = YAML.parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: false });
  } catch (cause) {
    // The parser recurses once per flow level; a RangeError here is nesting past what it can parse.
    if (!(cause instanceof RangeError)) throw cause;
    throw new ConfigError([{ file, message: `nested too deeply to parse; expected at most ${LIMITS.depth} levels of maps and lists`, hint: 'flatten the structure' }], { cause });
  }
  if (doc.errors.length > 0) throw new ConfigError(doc.errors.map((e) => syntaxProblem(e, file)));
  const problems = documentProblems(doc, file, lineCounter);
  if (problems.length > 0) throw new ConfigError(problems);
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: LIMITS.aliases }) as unknown;
  } catch (cause) {
    // The checks above find what toJS refuses; this is the yaml library's own guard, reported the same way.
    if (!(cause instanceof ReferenceError)) throw cause;
    throw new ConfigError([{ file, message: /alias count/i.test(cause.message) ? aliasBombMessage() : `not valid YAML: ${cause.message}`, hint: 'write the repeated values out, or use fewer aliases' }], { cause });
  }
  const index = nodeIndex(doc);
  return {
    file,
    data,
    locate(path) {
      for (let n = path.length; n >= 0; n--) {
        const { node, key } = index.at(path.slice(0, n));
        const range = key?.range ?? node?.range;
        if (range) {
          const { line, col } = lineCounter.linePos(range[0]);
          return { line, column: col };
        }
      }
      return undefined;
    },
    render(path, value) {
      const node = typeof value === 'number' ? index.at(path).node : undefined;
      return YAML.isScalar(node) ? scalarText(node) : renderValue(value);
    },
  };
}

type Ranged = { range?: [number, number, number] | null };

/**
 * Finds the node at a path, and the key node when its parent is a map (errors
 * read better pointing at `memory:` than at its value). Each map's keys are
 * indexed on first use: a file with thousands of keys and as many errors
 * stays linear.
 */
function nodeIndex(doc: YAML.Document): { at(path: DataPath): { node?: Ranged; key?: Ranged } } {
  const maps = new WeakMap<YAML.YAMLMap, Map<unknown, YAML.Pair>>();
  const pairOf = (map: YAML.YAMLMap, key: string | number): YAML.Pair | undefined => {
    let keys = maps.get(map);
    if (!keys) {
      keys = new Map();
      for (const p of map.items) if (YAML.isScalar(p.key) && !keys.has(String(p.key.value))) keys.set(String(p.key.value), p);
      maps.set(map, keys);
    }
    return keys.get(String(key));
  };
  return {
    at(path) {
      let node: unknown = doc.contents;
      let key: Ranged | undefined;
      for (const step of path) {
        key = undefined;
        if (YAML.isMap(node)) {
          const pair = pairOf(node, step);
          if (!pair) return {};
          key = pair.key as Ranged;
          node = pair.value;
        } else if (YAML.isSeq(node) && typeof step === 'number') {
          node = node.items[step];
        } else return {};
      }
      return { node: (node ?? undefined) as Ranged | undefined, key };
    },
  };
}

/** A short, single-line rendering of a value for an error message. */
export function renderValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'number' && !Number.isFinite(value)) return renderNumber(value);
  let text: string | undefined;
  try {
    text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? `\u0000${renderNumber(v)}` : v))?.replace(/"\\u0000([^"]*)"/g, '$1');
  } catch {
    return 'a value that contains itself';
  }
  if (text === undefined) return String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
