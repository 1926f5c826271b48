/**
 * The record a golden path leaves beside a service (`golden-path.json`):
 * template, version, the values the developer chose, and a digest of every
 * file it wrote, so an upgrade keeps the values and never overwrites a file
 * somebody edited by hand.
 */
import { createHash } from 'node:crypto';
import { toJson } from '../lib/yaml.js';
import type { GoldenValues } from './types.js';
import { ConfigError, type ErrorDetail } from '../lib/errors.js';
import { type InputKind, inputProblem, parseJsonInput } from '../lib/input-file.js';

export const RECORD_FILE = 'golden-path.json';

export interface GoldenRecord {
  template: string;
  version: number;
  values: GoldenValues;
  /** Path → `sha256:<hex>` of each file written with it (the record itself excluded). */
  files: Record<string, string>;
}

export const digest = (text: string): string => `sha256:${createHash('sha256').update(text).digest('hex')}`;

export function recordText(r: GoldenRecord): string {
  return toJson(r);
}

const RECORD: InputKind = {
  expected: 'a golden-path record (JSON with template, version, values and files)',
  hint: 'the record is written by `plinth new` and `plinth upgrade`; restore it from Git rather than editing it',
};

const isMap = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Each field of a record: what it must be, and what to say when it is not. */
const RECORD_FIELDS: [keyof GoldenRecord, (v: unknown) => boolean, string][] = [
  ['template', (v) => typeof v === 'string', 'expected the template name: a string'],
  ['version', (v) => typeof v === 'number' && Number.isInteger(v), 'expected the template version: a whole number'],
  ['values', isMap, 'expected the values given: a map'],
  ['files', isMap, 'expected the files written with their digests: a map'],
];

/** A record read back from the repository: the typed record, or a ConfigError naming the file, line and path. */
export function parseRecord(text: string, file: string): GoldenRecord {
  const input = parseJsonInput(text, file, RECORD);
  const r = input.data as Partial<GoldenRecord> | null;
  const problems: ErrorDetail[] = [];
  if (r === null || typeof r !== 'object' || Array.isArray(r)) problems.push(inputProblem(input, [], `got ${Array.isArray(r) ? 'a list' : String(r)}; expected ${RECORD.expected}`, RECORD.hint));
  else for (const [key, ok, expected] of RECORD_FIELDS) if (!ok(r[key])) problems.push(inputProblem(input, [key], expected, RECORD.hint));
  if (problems.length > 0) throw new ConfigError(problems);
  return r as GoldenRecord;
}

/** A service folder in the repository: `apps/<team>/<name>/`. */
export interface ServiceEntry {
  team: string;
  name: string;
  dir: string;
  record?: GoldenRecord;
  /** Why the record could not be read. */
  recordError?: string;
}

const SERVICE_FILE = /^apps\/([^/]+)\/([^/]+)\/(service\.json|golden-path\.json|catalog-info\.yaml)$/;

/** Every service folder of a repository's files, sorted by team and name. */
export function servicesIn(files: ReadonlyMap<string, string>): ServiceEntry[] {
  const found = new Map<string, ServiceEntry>();
  for (const path of files.keys()) {
    const m = SERVICE_FILE.exec(path);
    if (!m) continue;
    const key = `${m[1]}/${m[2]}`;
    if (!found.has(key)) found.set(key, { team: m[1]!, name: m[2]!, dir: `apps/${key}` });
  }
  for (const entry of found.values()) {
    const path = `${entry.dir}/${RECORD_FILE}`;
    const text = files.get(path);
    if (text === undefined) continue;
    try {
      entry.record = parseRecord(text, path);
    } catch (e) {
      entry.recordError = (e as Error).message;
    }
  }
  return [...found.values()].sort((a, b) => (a.dir < b.dir ? -1 : 1));
}
