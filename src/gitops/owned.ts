/**
 * The marker `plan` leaves in its output folder: which generator wrote the
 * folder and every file it owns there, sorted. It is what lets a later plan
 * tell its own files from the user's (ADR 023). Deterministic: the same
 * plinth.yaml gives the same bytes.
 */
import { isManaged } from '../synth/layout.js';

export const OWNED_DIR = '.plinth';
export const OWNED_FILE = `${OWNED_DIR}/owned.json`;
const GENERATOR = 'plinth plan';
const ABOUT = 'The files plan wrote in this folder. plan replaces and removes these only; every other file here is kept. Do not edit.';

export function renderOwned(files: Iterable<string>): string {
  return `${JSON.stringify({ generator: GENERATOR, about: ABOUT, files: [...new Set(files)].sort() }, null, 2)}\n`;
}

/** The owned paths a marker lists, or why it cannot be trusted (a marker is input: it must not name files outside plan's entries). */
export function parseOwned(text: string): { files: string[] } | { problem: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { problem: 'is not JSON' };
  }
  const d = data as { generator?: unknown; files?: unknown };
  if (d === null || typeof d !== 'object' || d.generator !== GENERATOR) return { problem: `does not name the generator "${GENERATOR}"` };
  if (!Array.isArray(d.files) || !d.files.every((f): f is string => typeof f === 'string')) return { problem: 'has no list of files' };
  const bad = d.files.find((f) => !safeManagedPath(f));
  if (bad !== undefined) return { problem: `lists ${JSON.stringify(bad)}, which is not a file plan writes` };
  return { files: d.files };
}

/** A relative path under one of plan's entries, with no `.`, `..` or empty segment. */
export function safeManagedPath(path: string): boolean {
  return isManaged(path) && path.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
}
