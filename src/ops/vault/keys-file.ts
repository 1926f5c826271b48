/**
 * The local file holding Vault's unseal keys and root token: written once,
 * when Vault is initialised, with mode 0600 in a 0700 folder, outside any
 * repository by default; read to unseal after restarts. Its contents are
 * never printed.
 */
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { PlinthError } from '../../lib/errors.js';

export interface VaultKeys {
  cluster: string;
  /** Key shares, base64 as Vault gives them. */
  unsealKeys: string[];
  threshold: number;
  rootToken: string;
}

/** plinth.yaml `bootstrap.vaultKeysFile` (read from any config shape, so tests can pass plain objects). */
export function configuredKeysFile(config: unknown): string | undefined {
  const value = (config as { bootstrap?: { vaultKeysFile?: unknown } } | undefined)?.bootstrap?.vaultKeysFile;
  return typeof value === 'string' && value ? value : undefined;
}

/** `$XDG_CONFIG_HOME/plinth/<cluster>/vault-keys.json`, else `~/.config/plinth/<cluster>/vault-keys.json`. */
export function defaultKeysFile(cluster: string, env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CONFIG_HOME ? resolve(env.XDG_CONFIG_HOME) : join(env.HOME ?? homedir(), '.config');
  return join(base, 'plinth', cluster, 'vault-keys.json');
}

function expandHome(path: string, env: NodeJS.ProcessEnv): string {
  return path === '~' || path.startsWith('~/') ? join(env.HOME ?? homedir(), path.slice(1)) : path;
}

/** --vault-keys FILE, else bootstrap.vaultKeysFile of plinth.yaml, else the default. */
export function resolveKeysFile(o: { flag?: string; config?: unknown; cluster: string; env: NodeJS.ProcessEnv; cwd: string }): string {
  const chosen = o.flag ?? configuredKeysFile(o.config);
  return chosen ? resolve(o.cwd, expandHome(chosen, o.env)) : defaultKeysFile(o.cluster, o.env);
}

/** The Git work tree a path is in, if any. */
export function gitWorkTree(path: string): string | undefined {
  let dir = dirname(resolve(path));
  for (;;) {
    if (existsSync(join(dir, '.git'))) return dir;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/**
 * Writes the keys with mode 0600 (atomically: a temporary file, then a
 * rename). An existing file is kept beside it as `<file>.<n>.previous`, never overwritten.
 */
export async function writeKeysFile(file: string, keys: VaultKeys): Promise<{ previous?: string }> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  let previous: string | undefined;
  if (existsSync(file)) {
    for (let n = 1; ; n++) {
      const candidate = `${file}.${n}.previous`;
      if (!existsSync(candidate)) {
        previous = candidate;
        break;
      }
    }
    await rename(file, previous);
  }
  const partial = `${file}.${process.pid}.partial`;
  const text = `${JSON.stringify({ ...keys, note: 'Vault unseal keys and root token. Move them to safe storage and delete this file.' }, null, 2)}\n`;
  await writeFile(partial, text, { mode: 0o600, flag: 'wx' });
  await chmod(partial, 0o600);
  await rename(partial, file);
  return previous ? { previous } : {};
}

export async function readKeysFile(file: string): Promise<{ keys: VaultKeys; looseMode?: string } | undefined> {
  if (!existsSync(file)) return undefined;
  let parsed: Partial<VaultKeys>;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<VaultKeys>;
  } catch (cause) {
    throw new PlinthError(`${file} is not a Vault keys file written by Plinth (not JSON)`, { cause });
  }
  if (!Array.isArray(parsed.unsealKeys) || typeof parsed.rootToken !== 'string') {
    throw new PlinthError(`${file} is not a Vault keys file written by Plinth (no unsealKeys and rootToken)`);
  }
  const mode = (await stat(file)).mode & 0o777;
  return {
    keys: { cluster: parsed.cluster ?? '', unsealKeys: parsed.unsealKeys, threshold: parsed.threshold ?? parsed.unsealKeys.length, rootToken: parsed.rootToken },
    ...(mode & 0o077 ? { looseMode: mode.toString(8).padStart(4, '0') } : {}),
  };
}
