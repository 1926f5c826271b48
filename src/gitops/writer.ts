/**
 * Writes the generated repository into its output folder, touching only the
 * files plan owns (ADR 023), and never leaving it half-written: the new
 * files are staged in a temporary folder next to the output, and only when
 * every one is on disk are they moved in, file by file, each old one parked
 * first so that a failed move puts everything back. The marker
 * (.plinth/owned.json) says which files plan owns. Everything else in the
 * folder (.git, apps/<team>/..., the user's own files, even inside
 * platform/) is kept byte for byte.
 */
import { homedir } from 'node:os';
import { lstat, mkdir, mkdtemp, readdir, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ConfigError, type ErrorDetail, OutputFolderError, PlinthError } from '../lib/errors.js';
import { utf8Problem } from '../lib/input-file.js';
import type { RepoFiles } from '../synth/files.js';
import { isManaged, MANAGED_ENTRIES } from '../synth/layout.js';
import { refuseCheckout, refuseRootOrHome } from './out-guard.js';
import { decideOwnership } from './ownership.js';
import { OWNED_DIR, OWNED_FILE, renderOwned } from './owned.js';
import { passedOver, STAGING_PREFIX, surveyOut } from './survey.js';
import { swapIn, type SwapStep } from './swap.js';

export interface WriteOptions {
  /** Write into a folder plan did not write, replacing only the files plan writes. */
  force?: boolean;
  /** The folder the command runs in (its git checkout is refused as output). Default: process.cwd(). */
  cwd?: string;
  /** The user's home folder (refused as output). Default: os.homedir(). */
  home?: string;
  /** The output folder as the user named it, for messages. Default: `outDir`. */
  outArg?: string;
}

export interface WriteResult {
  outDir: string;
  written: number;
  /** Owned files that differ from what was there before (added, changed or removed). */
  changed: string[];
  /** Files (and top-level entries) plan did not write and kept, outside .git and the team folders. */
  kept: string[];
}

export async function writeRepo(outDir: string, planned: RepoFiles, options: WriteOptions = {}): Promise<WriteResult> {
  const out = resolve(outDir);
  const outArg = options.outArg ?? outDir;
  for (const path of planned.keys()) {
    if (!isManaged(path)) {
      // Invariant, not input: synth writes only under its entries; this guards the user's files against a bug (exit 70).
      throw new Error(`refusing to write ${path}: outside the entries plan manages (${MANAGED_ENTRIES.join(', ')})`);
    }
  }
  await refuseRootOrHome(out, outArg, options.home ?? homedir());
  const root = await openOut(out, outArg);
  const survey = await surveyOut(root, outArg);
  if (!(survey.marker && 'files' in survey.marker)) await refuseCheckout(root, outArg, options.cwd ?? process.cwd());
  const own = decideOwnership(survey, planned, { force: options.force ?? false, outArg });

  const before = new Map<string, string>();
  for (const path of [...own.files.keys(), OWNED_FILE]) if (survey.entries.get(path) === 'file') before.set(path, await readFile(join(root, path), 'utf8'));
  const marker = renderOwned(own.files.keys());
  const toPlace = [...own.files].filter(([p, text]) => before.get(p) !== text);
  const changed = [...toPlace.map(([p]) => p), ...own.remove].sort();

  // Staging folders of a plan that was killed mid-way.
  for (const name of await readdir(root)) if (name.startsWith(STAGING_PREFIX)) await rm(join(root, name), { recursive: true, force: true });
  if (changed.length > 0 || before.get(OWNED_FILE) !== marker) {
    const staging = await mkdtemp(join(root, STAGING_PREFIX));
    try {
      const stage = async (name: string, content: string): Promise<string> => {
        const target = join(staging, 'tree', name);
        await mkdir(dirname(target), { recursive: true });
        await writeFile(target, content);
        return target;
      };
      const steps: SwapStep[] = [];
      // The marker first owns old and new files alike, so a plan killed mid-way leaves none unowned.
      if (changed.length > 0) steps.push({ path: OWNED_FILE, staged: await stage('during.json', renderOwned(own.during)) });
      for (const path of own.remove) steps.push({ path });
      for (const [path, content] of toPlace) steps.push({ path, staged: await stage(`files/${path}`, content) });
      steps.push({ path: OWNED_FILE, staged: await stage('owned.json', marker) });
      await swapIn(root, staging, steps);
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  }
  return { outDir: out, written: own.files.size, changed, kept: own.kept };
}

/** Creates the output folder if it is missing; its real path (a symlink naming the folder itself is the user's choice). */
async function openOut(out: string, outArg: string): Promise<string> {
  try {
    await mkdir(dirname(out), { recursive: true });
    const existing = await lstat(out).catch(() => undefined);
    if (existing && !(await realpath(out).then((r) => lstat(r)).then((s) => s.isDirectory()))) throw new OutputFolderError(`${outArg} exists and is not a directory; choose another --out`);
    await mkdir(out, { recursive: true });
    return await realpath(out);
  } catch (cause) {
    if (cause instanceof PlinthError) throw cause;
    throw new PlinthError(`cannot create the output folder ${outArg}: ${(cause as Error).message}`, { cause });
  }
}

/** The files of a repository that check parses: its JSON and YAML under plan's entries and apps/. */
const PARSED_FILE = /^(apps|platform|bootstrap|clusters)\/.*\.(json|ya?ml)$/;

/** Reads every file of a repository (without .git, plan's marker and staging folders; symlinks are not followed), for `check` and tests. */
export async function readRepo(dir: string): Promise<Map<string, string>> {
  if (!(await lstat(dir).then(() => true, () => false))) throw new ConfigError([{ file: dir, message: 'does not exist; expected a GitOps repository folder', hint: 'pass the folder `plinth plan` wrote (--repo DIR)' }]);
  const files = new Map<string, string>();
  const problems: ErrorDetail[] = [];
  const walk = async (abs: string, rel: string): Promise<void> => {
    const s = await lstat(abs);
    if (s.isSymbolicLink()) return;
    if (!s.isDirectory()) {
      const bytes = await readFile(abs);
      // A file Plinth parses is UTF-8 or refused, never read with U+FFFD in place of a bad byte.
      const bad = PARSED_FILE.test(rel) ? utf8Problem(bytes, rel) : undefined;
      if (bad) problems.push(bad);
      files.set(rel, bytes.toString('utf8'));
      return;
    }
    for (const name of (await readdir(abs)).sort()) {
      if (rel === '' && (passedOver(name) || name === OWNED_DIR)) continue;
      await walk(join(abs, name), rel ? `${rel}/${name}` : name);
    }
  };
  await walk(await realpath(dir), '');
  if (problems.length > 0) throw new ConfigError(problems);
  return files;
}
