/**
 * Folders `plan` never writes into, whatever --force says (ADR 023): the
 * file-system root, the home folder and the folders above it, and the top of
 * the project checkout the command runs in unless plan wrote it before.
 * Symlinks in the folder are never followed: one that leaves it is refused.
 */
import { lstat, readlink, realpath } from 'node:fs/promises';
import { dirname, join, parse, resolve, sep } from 'node:path';
import { OutputFolderError } from '../lib/errors.js';

/** `path` is `root` or below it (both absolute and resolved). */
export function isInside(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : `${root}${sep}`);
}

export async function realOrResolved(path: string): Promise<string> {
  return realpath(path).catch(() => resolve(path));
}

const CHOOSE = 'choose a folder of its own for the GitOps repository, e.g. --out gitops';

export async function refuseRootOrHome(out: string, outArg: string, home: string | undefined): Promise<void> {
  const real = await realOrResolved(out);
  if (real === parse(real).root) throw new OutputFolderError(`refusing to write the GitOps repository into ${outArg}: it is the root of the file system\n    hint: ${CHOOSE}`);
  if (!home) return;
  const h = await realOrResolved(home);
  if (isInside(real, h)) {
    const what = real === h ? 'your home folder' : `above your home folder (${h})`;
    throw new OutputFolderError(`refusing to write the GitOps repository into ${outArg}: it is ${what}\n    hint: ${CHOOSE}`);
  }
}

/** The top of the git work tree `cwd` is in (the nearest folder holding `.git`), if any. */
export async function checkoutTop(cwd: string): Promise<string | undefined> {
  let dir = await realOrResolved(cwd);
  for (;;) {
    if (await lstat(join(dir, '.git')).then(() => true, () => false)) return dir;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** Refuses an output folder that holds the checkout the command runs in (its `.git`), when plan did not write that folder. */
export async function refuseCheckout(out: string, outArg: string, cwd: string): Promise<void> {
  const top = await checkoutTop(cwd);
  const real = await realOrResolved(out);
  if (top === undefined || !isInside(real, top)) return;
  throw new OutputFolderError(
    `refusing to write the GitOps repository into ${outArg}: it holds the git checkout you run plinth in (${top}), and plan did not write it` +
      `\n    hint: ${CHOOSE}; --force does not change this`,
  );
}

/** Where a symlink at `abs` points, resolved as far as it exists. */
export async function symlinkTarget(abs: string): Promise<string> {
  return realOrResolved(resolve(dirname(abs), await readlink(abs)));
}
