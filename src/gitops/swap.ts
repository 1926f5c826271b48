/**
 * Puts staged files in place one by one, journaled: each file plan replaces
 * or removes is parked in the staging folder first, so that a failure puts
 * every one of them back. Only the paths named are touched; every other file
 * in the folder, inside plan's entries or not, stays where it is.
 */
import { lstat, mkdir, readdir, rename, rm, rmdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { PlinthError } from '../lib/errors.js';

/** Put the staged file (absolute path) at `path`, or, with no `staged`, remove the file at `path`. */
export interface SwapStep {
  path: string;
  staged?: string;
}

interface Done {
  target: string;
  parked?: string;
  placed: boolean;
}

const exists = (abs: string) => lstat(abs).then(() => true, () => false);

/** Runs every step in order, or, if one fails, none of them. */
export async function swapIn(root: string, staging: string, steps: readonly SwapStep[]): Promise<void> {
  const retired = join(staging, '.retired');
  await mkdir(retired);
  const journal: Done[] = [];
  const created: string[] = [];
  let parkedCount = 0;
  const park = async (step: Done) => {
    step.parked = join(retired, String(parkedCount++));
    await rename(step.target, step.parked);
  };
  try {
    for (const { path, staged } of steps) {
      const step: Done = { target: join(root, path), placed: false };
      journal.push(step);
      if (staged === undefined) {
        await park(step);
        continue;
      }
      await makeParents(root, path, created);
      if (await exists(step.target)) await park(step);
      await rename(staged, step.target);
      step.placed = true;
    }
  } catch (cause) {
    for (const step of journal.reverse()) {
      if (step.placed) await rm(step.target, { force: true });
      if (step.parked) await rename(step.parked, step.target).catch(() => undefined);
    }
    for (const dir of created.reverse()) await rmdir(dir).catch(() => undefined);
    throw new PlinthError(`could not replace the repository in ${root}; it was left as it was: ${(cause as Error).message}`, { cause });
  }
  await pruneEmptyParents(root, steps.filter((s) => s.staged === undefined).map((s) => s.path));
}

/** Creates the missing folders on the way to `path`, noting each one (for the rollback). */
async function makeParents(root: string, path: string, created: string[]): Promise<void> {
  const segments = path.split('/').slice(0, -1);
  let dir = root;
  for (const s of segments) {
    dir = join(dir, s);
    if (await exists(dir)) continue;
    await mkdir(dir);
    created.push(dir);
  }
}

/** The folders a removal left empty go too (as plan's own tree did when it was swapped whole); a folder holding anything stays. */
async function pruneEmptyParents(root: string, removed: readonly string[]): Promise<void> {
  for (const path of removed) {
    for (let dir = dirname(join(root, path)); dir !== root && dir.startsWith(root); dir = dirname(dir)) {
      const left = await readdir(dir).catch(() => undefined);
      if (left === undefined || left.length > 0) break;
      await rmdir(dir).catch(() => undefined);
    }
  }
}
