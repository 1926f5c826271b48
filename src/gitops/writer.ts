/**
 * Writes the generated repository without ever leaving it half-written: the
 * new tree is staged in a temporary folder next to the output, and only when
 * every file is on disk are the managed entries (bootstrap/, platform/,
 * README.md, apps/README.md) swapped in by rename, each old entry parked
 * first so that a failed swap puts everything back. Everything else in the
 * output folder (.git, apps/<team>/..., the user's own files) is kept.
 */
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { PlinthError } from '../lib/errors.js';
import type { RepoFiles } from '../synth/files.js';
import { APPS_DIR, isManaged, isTeamReadme, MANAGED_ENTRIES } from '../synth/layout.js';

export interface WriteResult {
  outDir: string;
  written: number;
  /** Managed files that differ from what was there before (added, changed or removed). */
  changed: string[];
}

const STAGING_PREFIX = '.plinth-staging-';

export async function writeRepo(outDir: string, planned: RepoFiles): Promise<WriteResult> {
  let files = planned;
  const out = resolve(outDir);
  for (const path of files.keys()) {
    if (!isManaged(path)) {
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
  // Staging folders of a plan that was killed mid-way.
  for (const name of await readdir(out)) if (name.startsWith(STAGING_PREFIX)) await rm(join(out, name), { recursive: true, force: true });

  // A team folder's README someone else wrote stays as it is (the folder exists either way).
  for (const path of [...files.keys()].filter((p) => isTeamReadme(p, undefined))) {
    const existing = await readFile(join(out, path), 'utf8').catch(() => undefined);
    if (existing !== undefined && !isTeamReadme(path, existing)) files = new Map([...files].filter(([p]) => p !== path));
  }
  const entries = [...MANAGED_ENTRIES, ...new Set([...[...files.keys()].filter((p) => isTeamReadme(p, undefined)), ...(await teamReadmes(out))])].sort();
  const before = new Map<string, string>();
  for (const entry of entries) for (const [p, t] of await readTree(join(out, entry), entry)) before.set(p, t);
  const staging = await mkdtemp(join(out, STAGING_PREFIX));
  try {
    for (const [path, content] of files) {
      const target = join(staging, path);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, content);
    }
    await swapIn(out, staging, entries);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }

  const changed = new Set<string>();
  for (const [path, content] of files) if (before.get(path) !== content) changed.add(path);
  for (const path of before.keys()) if (!files.has(path)) changed.add(path);
  return { outDir: out, written: files.size, changed: [...changed].sort() };
}

/** Moves each managed entry of `staging` into `out`; on any failure, every entry moved so far goes back. */
async function swapIn(out: string, staging: string, entries: readonly string[]): Promise<void> {
  const retired = join(staging, '.retired');
  await mkdir(retired);
  const done: { target: string; parked?: string; placed: boolean }[] = [];
  try {
    for (const entry of entries) {
      const fresh = join(staging, entry);
      const target = join(out, entry);
      const step: { target: string; parked?: string; placed: boolean } = { target, placed: false };
      done.push(step);
      if (await exists(target)) {
        step.parked = join(retired, entry.replaceAll('/', '__'));
        await rename(target, step.parked);
      }
      if (await exists(fresh)) {
        await mkdir(dirname(target), { recursive: true });
        await rename(fresh, target);
        step.placed = true;
      }
    }
  } catch (cause) {
    for (const step of done.reverse()) {
      if (step.placed) await rm(step.target, { recursive: true, force: true });
      if (step.parked) await rename(step.parked, step.target).catch(() => undefined);
    }
    throw new PlinthError(`could not replace the repository in ${out}; it was left as it was: ${(cause as Error).message}`, { cause });
  }
}

/** The team READMEs plan wrote earlier (apps/<team>/README.md with its title): plan replaces or removes them. */
async function teamReadmes(out: string): Promise<string[]> {
  const found: string[] = [];
  const teams = await readdir(join(out, APPS_DIR)).catch(() => [] as string[]);
  for (const team of teams.sort()) {
    const path = `${APPS_DIR}/${team}/README.md`;
    const text = await readFile(join(out, path), 'utf8').catch(() => undefined);
    if (text !== undefined && isTeamReadme(path, text)) found.push(path);
  }
  return found;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Every file under `abs` by its path relative to the repository (`rel`), in sorted order. */
async function readTree(abs: string, rel: string, skip: (name: string) => boolean = () => false): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const walk = async (a: string, r: string): Promise<void> => {
    const s = await stat(a).catch(() => undefined);
    if (!s) return;
    if (!s.isDirectory()) {
      files.set(r, await readFile(a, 'utf8'));
      return;
    }
    for (const name of (await readdir(a)).sort()) {
      if (r === '' && skip(name)) continue;
      await walk(join(a, name), r ? `${r}/${name}` : name);
    }
  };
  await walk(abs, rel);
  return files;
}

/** Reads every file of a repository (without .git and staging folders), for `check` and tests. */
export async function readRepo(dir: string): Promise<Map<string, string>> {
  if (!(await exists(dir))) throw new PlinthError(`${dir} does not exist`);
  return readTree(dir, '', (name) => name === '.git' || name.startsWith(STAGING_PREFIX));
}
