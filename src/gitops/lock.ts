/**
 * One Plinth writer at a time per clone: an in-process queue, and a lock
 * file in the git directory (created exclusively, holding the pid) so a CLI
 * run and a portal on the same clone take turns too. A lock left by a
 * process that no longer runs is taken over; waiting is bounded.
 */
import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PlinthError } from '../lib/errors.js';

const queues = new Map<string, Promise<unknown>>();
const LOCK_FILE = 'plinth.lock';
const WAIT_MS = 50;
const MAX_WAITS = 600;

export async function withRepoLock<T>(gitDir: string, body: () => Promise<T>): Promise<T> {
  const previous = queues.get(gitDir) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(() => withLockFile(gitDir, body));
  queues.set(gitDir, run);
  try {
    return await run;
  } finally {
    if (queues.get(gitDir) === run) queues.delete(gitDir);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function withLockFile<T>(gitDir: string, body: () => Promise<T>): Promise<T> {
  const path = join(gitDir, LOCK_FILE);
  for (let i = 0; ; i++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && !alive(holder)) {
        await rm(path, { force: true });
        continue;
      }
      if (i >= MAX_WAITS) throw new PlinthError(`another Plinth process (pid ${holder || '?'}) is writing to this repository (${path}); try again when it is done`);
      await new Promise((r) => setTimeout(r, WAIT_MS));
    }
  }
  try {
    return await body();
  } finally {
    await rm(path, { force: true });
  }
}
