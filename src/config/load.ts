/** Reads and validates plinth.yaml; every problem is collected into one ConfigError. */
import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { ConfigError, type ErrorDetail } from '../lib/errors.js';
import { closest } from '../lib/suggest.js';
import { configSchema, type PlinthConfig } from './schema.js';
import { firstInvalidUtf8, LIMITS } from '../lib/input-limits.js';
import { type DataPath, formatPath, parseYamlSource, type SourceFile, tooLarge } from './source.js';

export interface LoadedConfig {
  /** The file as the user named it, or `(built-in edge example)`. */
  readonly file: string;
  readonly config: PlinthConfig;
  readonly source: SourceFile;
}

/** Loads `path`; messages name the file as `displayName` (what the user typed). */
export async function loadConfigFile(path: string, displayName: string = path): Promise<LoadedConfig> {
  const file = displayName;
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new ConfigError(
      [
        {
          file,
          message: code === 'ENOENT' ? 'file not found' : `cannot read the file (${code ?? String(cause)})`,
          hint: code === 'ENOENT' ? 'create one with `plinth init`, or pass another with --config FILE' : undefined,
        },
      ],
      { cause },
    );
  }
  return parseConfigBytes(bytes, file);
}

/** The file's bytes: at most the size limit, and UTF-8 (a byte that is not is reported, never replaced by U+FFFD). */
export function parseConfigBytes(bytes: Uint8Array, file: string): LoadedConfig {
  if (bytes.length > LIMITS.fileBytes) throw new ConfigError([tooLarge(file, bytes.length)]);
  const bad = firstInvalidUtf8(bytes);
  if (bad) {
    const hex = bytes[bad.offset]!.toString(16).toUpperCase().padStart(2, '0');
    throw new ConfigError([
      {
        file,
        line: bad.line,
        column: bad.column,
        message: `byte 0x${hex} at offset ${bad.offset} is not UTF-8; expected a UTF-8 text file`,
        hint: 'save the file as UTF-8 (for example `iconv -f latin1 -t utf-8`)',
      },
    ]);
  }
  return parseConfig(new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes), file);
}

export function parseConfig(text: string, file: string): LoadedConfig {
  const source = parseYamlSource(text, file);
  if (source.data === null || typeof source.data !== 'object' || Array.isArray(source.data)) {
    throw new ConfigError([
      { file, message: `got ${source.render([], source.data)}; expected a map with apiVersion, kind, cluster and gitops`, hint: 'start from `plinth init`' },
    ]);
  }
  const result = configSchema.safeParse(source.data);
  if (!result.success) {
    throw new ConfigError(result.error.issues.flatMap((issue) => describeIssue(issue, source)));
  }
  return { file, config: result.data, source };
}

/** A problem found after schema validation (cross-field rules), located in the file. */
export function configProblem(source: SourceFile, path: DataPath, message: string, hint?: string): ErrorDetail {
  const pos = source.locate(path);
  return { file: source.file, line: pos?.line, column: pos?.column, path: formatPath(path), message, hint };
}

/** Settings that existed once, with what replaced them. */
const REMOVED_KEYS: Readonly<Record<string, string>> = {
  'gitops.progressiveSync':
    'is no longer a setting: RollingSync switched off self-heal and ordered one stack only; the root Application now orders every component by its sync wave (docs/adr/002-argocd-layout-and-waves.md)',
};

function describeIssue(issue: z.core.$ZodIssue, source: SourceFile): ErrorDetail[] {
  const path = issue.path as (string | number)[];
  if (issue.code === 'unrecognized_keys') {
    const allowed = allowedKeysAt(path);
    return issue.keys.map((key) => {
      const removed = REMOVED_KEYS[[...path, key].join('.')];
      if (removed) return configProblem(source, [...path, key], `${key} ${removed}`, 'delete this key');
      const suggestion = closest(key, allowed);
      return configProblem(
        source,
        [...path, key],
        `unknown key ${JSON.stringify(key)}; expected one of: ${allowed.join(', ')}`,
        suggestion ? `did you mean ${JSON.stringify(suggestion)}?` : 'remove it',
      );
    });
  }
  const value = valueAt(source.data, path);
  const expected = expectation(issue);
  const got = value === undefined ? 'missing' : `got ${source.render(path, value)}`;
  return [configProblem(source, path, `${got}; expected ${expected}`)];
}

function expectation(issue: z.core.$ZodIssue): string {
  // Our schema sets every message to the "expected ..." text; zod's defaults are used only as a fallback.
  const message = issue.message;
  if (!message.startsWith('Invalid input') && !message.startsWith('Invalid option')) return message;
  if (issue.code === 'invalid_value') return `one of: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  if (issue.code === 'invalid_type') return `a value of type ${issue.expected}`;
  return message;
}

function valueAt(data: unknown, path: readonly (string | number)[]): unknown {
  let cur = data;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[key];
  }
  return cur;
}

/** The keys a strict object accepts at `path`, read from the schema itself. */
function allowedKeysAt(path: readonly (string | number)[]): string[] {
  let schema: z.ZodType | undefined = configSchema;
  for (const key of path) {
    schema = schema ? childSchema(schema, key) : undefined;
  }
  const shape = schema ? objectShape(schema) : undefined;
  return shape ? Object.keys(shape) : [];
}

function unwrap(schema: z.ZodType): z.ZodType {
  let cur = schema as z.ZodType & { _zod: { def: { innerType?: z.ZodType; in?: z.ZodType } } };
  while (cur._zod.def.innerType || (cur._zod.def as { type?: string }).type === 'pipe') {
    cur = (cur._zod.def.innerType ?? cur._zod.def.in) as typeof cur;
  }
  return cur;
}

function objectShape(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  const s = unwrap(schema) as z.ZodType & { shape?: Record<string, z.ZodType> };
  return s.shape;
}

function childSchema(schema: z.ZodType, key: string | number): z.ZodType | undefined {
  const s = unwrap(schema) as z.ZodType & { _zod: { def: { type: string; element?: z.ZodType; valueType?: z.ZodType } } };
  const def = s._zod.def;
  if (def.type === 'array') return def.element;
  if (def.type === 'record') return def.valueType;
  return objectShape(s)?.[String(key)];
}
