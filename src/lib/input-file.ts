/**
 * Files Plinth reads back that it did not just write itself: a repository's
 * component.json, service.json, values and manifests, a credentials file.
 * Each is parsed with the guards plinth.yaml has (size, nesting, aliases that
 * cycle or explode, non-finite numbers, `__proto__` keys) and validated against
 * the typed contract its writer uses; every problem comes back as an
 * ErrorDetail naming the file, the line and column and the path inside, so a
 * broken file is one ConfigError (exit 2), never a stack trace.
 */
import YAML, { LineCounter } from 'yaml';
import type { z } from 'zod';
import { type DataPath, formatPath } from './data-path.js';
import { ConfigError, type ErrorDetail } from './errors.js';
import { firstInvalidUtf8, formatBytes, LIMITS } from './input-limits.js';
import { aliasBombMessage, documentProblems } from './yaml-checks.js';

/** What a file is, for messages: `a service.json (name, team, project, namespace, sources)`. */
export interface InputKind {
  /** What the file should hold, the "expected ..." half of a message. */
  expected: string;
  /** What to do when it does not. */
  hint: string;
  /** At most this many bytes (default: the plinth.yaml limit, 1 MiB). */
  maxBytes?: number;
  /** The file holds secrets: no message quotes it (the parser's own text, a value found). */
  secret?: boolean;
}

/** Where a path of a parsed file sits in its text. */
export type Locate = (path: DataPath) => { line: number; column: number } | undefined;

export interface ParsedInput {
  file: string;
  data: unknown;
  locate: Locate;
}

function sizeProblem(file: string, bytes: number, kind: InputKind): ErrorDetail | undefined {
  const max = kind.maxBytes ?? LIMITS.fileBytes;
  if (bytes <= max) return undefined;
  return { file, message: `the file is ${bytes} bytes; expected at most ${formatBytes(max)} for ${kind.expected}`, hint: kind.hint };
}

/** A file read as bytes: UTF-8 or a located problem (never replaced by U+FFFD). */
export function utf8Problem(bytes: Uint8Array, file: string): ErrorDetail | undefined {
  const bad = firstInvalidUtf8(bytes);
  if (!bad) return undefined;
  const hex = bytes[bad.offset]!.toString(16).toUpperCase().padStart(2, '0');
  return { file, line: bad.line, column: bad.column, message: `byte 0x${hex} at offset ${bad.offset} is not UTF-8; expected a UTF-8 text file`, hint: 'save the file as UTF-8' };
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: Math.min(offset, text.length) - start + 1 };
}

/** Locates paths of a JSON text through the YAML parser (JSON is YAML), only when a problem needs a line. */
function jsonLocator(text: string): Locate {
  let doc: YAML.Document | undefined;
  const counter = new LineCounter();
  return (path) => {
    try {
      doc ??= YAML.parseDocument(text, { lineCounter: counter, uniqueKeys: false });
    } catch {
      return undefined;
    }
    return locateIn(doc, counter, path);
  };
}

/** The line and column of the deepest node of `path` the document has (the value itself, else its nearest parent). */
function locateIn(doc: YAML.Document, counter: LineCounter, path: DataPath): { line: number; column: number } | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    if (range) {
      const { line, col } = counter.linePos(range[0]);
      return { line, column: col };
    }
  }
  return undefined;
}

/** A JSON file as data; a syntax error is a problem with its line and column. */
export function parseJsonInput(text: string, file: string, kind: InputKind): ParsedInput {
  const large = sizeProblem(file, Buffer.byteLength(text), kind);
  if (large) throw new ConfigError([large]);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    const message = (cause as Error).message;
    const at = /at position (\d+)/.exec(message);
    const pos = lineColumn(text, at ? Number(at[1]) : text.length);
    const why = message.replace(/ in JSON at position \d+.*$/, '').replace(/^Unexpected end of JSON input$/, 'the file ends before the JSON does');
    // No `cause` for a secret file: the parser's message quotes the text around the error.
    throw new ConfigError([{ file, ...pos, message: `not valid JSON${kind.secret ? '' : ` (${why})`}; expected ${kind.expected}`, hint: kind.hint }], kind.secret ? undefined : { cause });
  }
  return { file, data, locate: jsonLocator(text) };
}

function syntaxProblem(e: YAML.YAMLError, file: string, kind: InputKind): ErrorDetail {
  const pos = e.linePos?.[0];
  const at = { file, line: pos?.line, column: pos?.col };
  if (e.code === 'RESOURCE_EXHAUSTION') return { ...at, message: `nested too deeply to parse; expected at most ${LIMITS.depth} levels of maps and lists`, hint: 'flatten the structure' };
  // The parser's own text quotes the line; keep only its first sentence (a credentials file must not be echoed).
  const why = kind.secret ? '' : `: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`;
  return { ...at, message: `not valid YAML${why}; expected ${kind.expected}`, hint: kind.hint };
}

function documentData(doc: YAML.Document, file: string): unknown {
  try {
    return doc.toJS({ maxAliasCount: LIMITS.aliases }) as unknown;
  } catch (cause) {
    // documentProblems finds what toJS refuses; this is the yaml library's own guard, reported the same way.
    if (!(cause instanceof ReferenceError)) throw cause;
    throw new ConfigError([{ file, message: /alias count/i.test(cause.message) ? aliasBombMessage() : `not valid YAML: ${cause.message}`, hint: 'write the repeated values out' }], { cause });
  }
}

/**
 * The documents of a YAML file (a stream: empty documents are skipped, as
 * kubectl does), each with a locator; every syntax and structure problem of
 * every document in one ConfigError.
 */
export function parseYamlInput(text: string, file: string, kind: InputKind): ParsedInput[] {
  const large = sizeProblem(file, Buffer.byteLength(text), kind);
  if (large) throw new ConfigError([large]);
  const counter = new LineCounter();
  let docs: YAML.Document[];
  try {
    // An empty stream is an empty list (with `empty: true`).
    docs = [...YAML.parseAllDocuments(text, { lineCounter: counter, uniqueKeys: false, prettyErrors: true })] as YAML.Document[];
  } catch (cause) {
    // The parser recurses once per flow level; a RangeError here is nesting past what it can parse.
    if (!(cause instanceof RangeError)) throw cause;
    throw new ConfigError([{ file, message: `nested too deeply to parse; expected at most ${LIMITS.depth} levels of maps and lists`, hint: 'flatten the structure' }], { cause });
  }
  const problems = docs.flatMap((d) => (d.errors.length > 0 ? d.errors.map((e) => syntaxProblem(e, file, kind)) : documentProblems(d, file, counter)));
  if (problems.length > 0) throw new ConfigError(problems);
  return docs
    .filter((d) => d.contents !== null && !(YAML.isScalar(d.contents) && d.contents.value === null))
    .map((d) => ({
      file,
      data: documentData(d, file),
      locate: (path: DataPath) => locateIn(d, counter, path),
    }));
}

/** One document exactly (a values file, a credentials file): none is `{}`, more than one is a problem. */
export function parseYamlDocument(text: string, file: string, kind: InputKind): ParsedInput {
  const docs = parseYamlInput(text, file, kind);
  if (docs.length > 1) {
    const second = docs[1]!.locate([]);
    throw new ConfigError([{ file, ...second, message: `a second YAML document starts here; expected one document: ${kind.expected}`, hint: kind.hint }]);
  }
  return docs[0] ?? { file, data: {}, locate: () => undefined };
}

/** A short rendering of a value for a message: never the whole of a large value. */
function shown(value: unknown): string {
  if (value === undefined) return 'missing';
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    text = undefined;
  }
  text ??= String(value);
  return `got ${text.length > 60 ? `${text.slice(0, 57)}...` : text}`;
}

function valueAt(data: unknown, path: DataPath): unknown {
  let cur = data;
  for (const step of path) {
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, step)) return undefined;
    cur = (cur as Record<string | number, unknown>)[step];
  }
  return cur;
}

/** A problem at a path of a parsed file, located. */
export function inputProblem(input: ParsedInput, path: DataPath, message: string, hint?: string): ErrorDetail {
  const pos = input.locate(path);
  return { file: input.file, ...(pos ? { line: pos.line, column: pos.column } : {}), ...(path.length > 0 ? { path: formatPath(path) } : {}), message, ...(hint ? { hint } : {}) };
}

/**
 * A file's data against its contract: the schema's problems and the
 * cross-field rules' (run on the data as it is, whatever the schema found),
 * together, each located; a secret kind never shows the values found.
 */
export function contractProblems<T>(
  input: ParsedInput,
  schema: z.ZodType<T>,
  kind: InputKind,
  crossField: (data: unknown) => { path: DataPath; message: string; hint?: string }[] = () => [],
): { value?: T; problems: ErrorDetail[] } {
  const result = schema.safeParse(input.data);
  const problems: ErrorDetail[] = result.success ? [] : result.error.issues.flatMap((issue) => issueProblems(input, issue, kind));
  for (const p of crossField(input.data)) problems.push(inputProblem(input, p.path, p.message, p.hint ?? kind.hint));
  return result.success && problems.length === 0 ? { value: result.data, problems } : { problems };
}

/** One schema issue as located problems: an unknown key each, or the value found (never shown for a secret kind) and what was expected. */
function issueProblems(input: ParsedInput, issue: z.core.$ZodIssue, kind: InputKind): ErrorDetail[] {
  const path = issue.path as (string | number)[];
  if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => inputProblem(input, [...path, key], `unknown key ${JSON.stringify(key)}; expected ${kind.expected}`, kind.hint));
  const value = valueAt(input.data, path);
  const got = kind.secret ? (value === undefined ? 'missing' : `got a ${Array.isArray(value) ? 'list' : typeof value}`) : shown(value);
  return [inputProblem(input, path, `${got}; expected ${issue.message.startsWith('Invalid') ? expectedOf(issue) : issue.message}`, kind.hint)];
}

/**
 * Reads on past a bad file: `collect` runs a reader and keeps the details of
 * the ConfigError it throws (anything else is rethrown), so one error at the
 * end (`throwIfAny`) names every problem of every file.
 */
export function problemCollector(): { problems: ErrorDetail[]; collect<T>(read: () => T): T | undefined; throwIfAny(): void } {
  const problems: ErrorDetail[] = [];
  return {
    problems,
    collect<T>(read: () => T): T | undefined {
      try {
        return read();
      } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        problems.push(...e.details);
        return undefined;
      }
    },
    throwIfAny() {
      if (problems.length > 0) throw new ConfigError(problems);
    },
  };
}

function expectedOf(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') return `a value of type ${issue.expected}`;
  if (issue.code === 'invalid_value') return `one of: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  return issue.message;
}

/** The value, or one ConfigError with every problem. */
export function expectContract<T>(checked: { value?: T; problems: ErrorDetail[] }): T {
  if (checked.problems.length > 0) throw new ConfigError(checked.problems);
  return checked.value as T;
}

export { formatPath };
