/**
 * Golden files of every profile's example, shared by test/golden.test.ts
 * (reads and compares, never writes) and scripts/golden-update.ts
 * (`npm run golden:update`, the only writer of test/golden/).
 *
 * A profile's example is the plinth.yaml `plinth init --profile P` writes.
 * Its golden files are every file `plinth plan` writes into an empty folder
 * (the marker .plinth/owned.json included), produced by the real commands
 * run in process (`init --profile P`, then `plan --out gitops`) in a fresh
 * temporary folder and read back byte for byte: the same code path as a
 * user's `plan`, not a reimplementation of it. Plan is offline: it runs with
 * PLINTH_CHARTS and HOME pointing at empty folders, so a plan that started
 * to need a chart, or anything else outside the example, fails loudly here
 * instead of depending on the machine.
 *
 * Layout: test/golden/<profile>/ holds the files at their paths in the
 * repository, and GOLDEN_MANIFEST there lists every one of them, sorted, one
 * per line.
 */
import { lstat, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROFILES } from '../../src/config/choices.js';
import { runCli } from './cli.js';

export { PROFILES };
export type Profile = (typeof PROFILES)[number];

/** The folder that holds one folder of golden files per profile. */
export const GOLDEN_ROOT = new URL('../golden/', import.meta.url);
/** The file, in each profile's golden folder, that lists the paths of its golden files. */
export const GOLDEN_MANIFEST = 'golden-files.txt';
export const UPDATE_HINT = 'run `npm run golden:update` and review the diff like code';

export function goldenDir(profile: Profile): string {
  return new URL(`${profile}/`, GOLDEN_ROOT).pathname;
}

/** Path → bytes, sorted by path (code unit order, like the marker). */
export type GoldenFiles = Map<string, Buffer>;

/** Every file `plinth plan` writes for the profile's example, as `plinth init` writes it. */
export async function generate(profile: Profile): Promise<GoldenFiles> {
  const root = await mkdtemp(join(tmpdir(), `plinth-golden-${profile}-`));
  try {
    const work = join(root, 'work');
    const home = join(root, 'home');
    const charts = join(root, 'no-charts');
    for (const d of [work, home, charts]) await mkdir(d);
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home, PLINTH_CHARTS: charts };
    const run = async (args: string[]) => {
      const r = await runCli(args, work, env);
      if (r.code !== 0) throw new Error(`plinth ${args.join(' ')} (profile ${profile}) exited ${r.code}:\n${r.stderr}${r.stdout}`);
    };
    await run(['init', '--profile', profile]);
    await run(['plan', '--out', 'gitops']);
    return await readTree(join(work, 'gitops'));
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** Every file under dir (dot folders included), by relative path; anything but a file or a folder is an error. */
export async function readTree(dir: string): Promise<GoldenFiles> {
  const files: [string, Buffer][] = [];
  const walk = async (abs: string, rel: string): Promise<void> => {
    const s = await lstat(abs);
    if (s.isDirectory()) {
      for (const name of await readdir(abs)) await walk(join(abs, name), rel ? `${rel}/${name}` : name);
    } else if (s.isFile()) {
      files.push([rel, await readFile(abs)]);
    } else {
      throw new Error(`${abs} is neither a file nor a folder`);
    }
  };
  await walk(dir, '');
  return new Map(files.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function renderManifest(paths: Iterable<string>): string {
  return [...paths].map((p) => `${p}\n`).join('');
}

export function parseManifest(text: string): string[] {
  return text.split('\n').filter((line) => line !== '');
}

/** What differs between a profile's generated files and its golden folder; every list empty when they agree. */
export interface GoldenProblems {
  /** Files plan writes that the manifest does not list. */
  unpinned: string[];
  /** Files the manifest lists that plan no longer writes. */
  vanished: string[];
  /** The manifest is not the sorted list of distinct paths (edited by hand). */
  manifest: string[];
  /** Files the manifest lists that have no golden file on disk. */
  missing: string[];
  /** Golden files on disk that the manifest does not list (stale). */
  stray: string[];
  /** Files whose bytes differ from their golden file. */
  differ: string[];
}

/**
 * Compares what plan writes now with a profile's golden folder: the manifest
 * (the expected list) and the files on disk (without the manifest itself).
 */
export function goldenProblems(generated: GoldenFiles, manifest: readonly string[], onDisk: GoldenFiles): GoldenProblems {
  const listed = new Set(manifest);
  const sorted = [...listed].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    unpinned: [...generated.keys()].filter((p) => !listed.has(p)).map((p) => `plan now writes ${p}, which the manifest does not list`),
    vanished: manifest.filter((p) => !generated.has(p)).map((p) => `plan no longer writes ${p}, which the manifest lists`),
    manifest: manifest.length === sorted.length && manifest.every((p, i) => p === sorted[i]) ? [] : ['the manifest is not sorted, or lists a path twice'],
    missing: manifest.filter((p) => !onDisk.has(p)).map((p) => `${p} is listed, but its golden file is missing`),
    stray: [...onDisk.keys()].filter((p) => !listed.has(p)).map((p) => `${p} is a golden file the manifest does not list (stale)`),
    differ: [...generated]
      .filter(([p, bytes]) => listed.has(p) && onDisk.has(p) && !onDisk.get(p)!.equals(bytes))
      .map(([p]) => p),
  };
}

/** A profile's golden folder as it is on disk: its manifest (undefined when missing) and its other files. */
export async function readGolden(profile: Profile): Promise<{ manifest: string[] | undefined; files: GoldenFiles }> {
  const dir = goldenDir(profile);
  const exists = await lstat(dir).then((s) => s.isDirectory(), () => false);
  if (!exists) return { manifest: undefined, files: new Map() };
  const files = await readTree(dir);
  const text = files.get(GOLDEN_MANIFEST);
  files.delete(GOLDEN_MANIFEST);
  return { manifest: text === undefined ? undefined : parseManifest(text.toString('utf8')), files };
}
