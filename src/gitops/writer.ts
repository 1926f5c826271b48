/**
 * Writes the generated repository without ever leaving it half-written: the
 * new tree is staged in a temporary folder next to the output, and only when
 * every file is on disk are the managed entries (bootstrap/, platform/,
 * README.md, apps/README.md) swapped in by rename. Everything else in the
 * output folder (.git, apps/<team>/..., the user's own files) is kept.
 */
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { PlinthError } from '../lib/errors.js';
import type { RepoFiles } from '../synth/files.js';
import { MANAGED_ENTRIES } from '../synth/layout.js';

export interface WriteResult {
  outDir: string;
  written: number;
  /** Managed files that differ from what was there before (added, changed or removed). */
  changed: string[];
}

export async function writeRepo(outDir: string, files: RepoFiles): Promise<WriteResult> {
  const out = resolve(outDir);
  for (const path of files.keys()) {
    if (!MANAGED_ENTRIES.some((e) => path === e || path.startsWith(`${e}/`))) {
      throw new Error(`refusing to write ${path}: outside the entries plan manages (${MANAGED_ENTRIES.join(', ')})`);
    }
  }
  try {
    await mkdir(dirname(out), { recursive: true });
    const existing = await stat(out).catch(() => undefined);
    if (existing && !existing.isDirectory()) throw new PlinthError(`${outDir} exists and is not a directory; choose another --out`);
    await mkdir(out, { recursive: true });
  } catch (cause) {
    if (cause instanceof PlinthError) throw cause;
    throw new PlinthError(`cannot create the output folder ${outDir}: ${(cause as Error).message}`, { cause });
  }

  const before = await readManaged(out);
  const staging = await mkdtemp(join(out, '.plinth-staging-'));
  try {
    for (const [path, content] of files) {
      const target = join(staging, path);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, content);
    }
    await swapIn(out, staging);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }

  const changed = new Set<string>();
  for (const [path, content] of files) if (before.get(path) !== content) changed.add(path);
  for (const path of before.keys()) if (!files.has(path)) changed.add(path);
  return { outDir: out, written: files.size, changed: [...changed].sort() };
}

/** Moves each managed entry of `staging` into `out`, replacing the old one; entries plan no longer writes are removed. */
async function swapIn(out: string, staging: string): Promise<void> {
  const retired = join(staging, '.retired');
  await mkdir(retired);
  for (const entry of MANAGED_ENTRIES) {
    const fresh = join(staging, entry);
    const target = join(out, entry);
    const hasFresh = await exists(fresh);
    if (await exists(target)) {
      const parking = join(retired, entry.replaceAll('/', '__'));
      await rename(target, parking);
    }
    if (hasFresh) {
      await mkdir(dirname(target), { recursive: true });
      await rename(fresh, target);
    }
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Current content of the managed entries, to report what a plan changed. */
async function readManaged(out: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const walk = async (rel: string): Promise<void> => {
    const abs = join(out, rel);
    const s = await stat(abs).catch(() => undefined);
    if (!s) return;
    if (s.isDirectory()) {
      for (const name of (await readdir(abs)).sort()) await walk(rel ? `${rel}/${name}` : name);
    } else {
      files.set(rel, await readFile(abs, 'utf8'));
    }
  };
  for (const entry of MANAGED_ENTRIES) await walk(entry);
  return files;
}

/** Reads every file under `dir` (for tests and `check` of a written repo). */
export async function readRepo(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const walk = async (rel: string): Promise<void> => {
    const abs = join(dir, rel);
    const s = await stat(abs);
    if (s.isDirectory()) {
      for (const name of (await readdir(abs)).sort()) {
        if (rel === '' && (name === '.git' || name.startsWith('.plinth-staging-'))) continue;
        await walk(rel ? `${rel}/${name}` : name);
      }
    } else files.set(rel, await readFile(abs, 'utf8'));
  };
  await walk('');
  return files;
}

