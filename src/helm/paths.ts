/** Where Plinth keeps things on this machine: the package root and the user cache. */
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Root of the installed plinth package (the folder holding package.json). */
export function packageRoot(): string {
  // This file is src/helm/paths.ts (tests) or dist/helm/paths.js (built): two levels below the root.
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
}

/** `PLINTH_CACHE_DIR`, else `$XDG_CACHE_HOME/plinth`, else `~/.cache/plinth`. */
export function userCacheDir(env: NodeJS.ProcessEnv): string {
  if (env.PLINTH_CACHE_DIR) return resolve(env.PLINTH_CACHE_DIR);
  const base = env.XDG_CACHE_HOME ? resolve(env.XDG_CACHE_HOME) : join(homedir(), '.cache');
  return join(base, 'plinth');
}
