/**
 * The record a golden path leaves beside a service (`golden-path.json`):
 * template, version, the values the developer chose, and a digest of every
 * file it wrote, so an upgrade keeps the values and never overwrites a file
 * somebody edited by hand.
 */
import { createHash } from 'node:crypto';
import { toJson } from '../lib/yaml.js';
import type { GoldenValues } from './types.js';

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

export function parseRecord(text: string, file: string): GoldenRecord {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    throw new Error(`${file} is not JSON: ${(cause as Error).message}`);
  }
  const r = data as Partial<GoldenRecord>;
  if (typeof r.template !== 'string' || typeof r.version !== 'number' || typeof r.values !== 'object' || r.values === null || typeof r.files !== 'object' || r.files === null) {
    throw new Error(`${file} is not a golden-path record (template, version, values, files)`);
  }
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
