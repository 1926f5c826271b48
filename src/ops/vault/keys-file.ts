/**
 * The local file holding Vault's unseal keys and root token: its place is
 * taken (folder and an empty 0600 file) before Vault is initialised, written
 * once when it is, in a 0700 folder outside any repository by default; read to
 * unseal after restarts. Its contents are never printed.
 */
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError, PlinthError } from '../../lib/errors.js';
import { contractProblems, expectContract, type InputKind, parseJsonInput } from '../../lib/input-file.js';

export interface VaultKeys {
  cluster: string;
  /** Key shares, base64 as Vault gives them. */
  unsealKeys: string[];
  threshold: number;
  rootToken: string;
}

/** The contract of the keys file as `writeKeysFile` writes it; `cluster` and `threshold` are optional for files of older versions. */
const keysFileSchema = z.looseObject(
  {
    cluster: z.string({ error: 'a string' }).optional(),
    unsealKeys: z.array(z.string({ error: 'a key: a string' }), { error: 'a list of unseal keys' }).min(1, { error: 'at least one unseal key' }),
    threshold: z.number({ error: 'a whole number' }).int({ error: 'a whole number' }).min(1, { error: 'at least 1' }).optional(),
    rootToken: z.string({ error: 'a string' }).min(1, { error: 'a non-empty string' }),
  },
  { error: 'a map with unsealKeys and rootToken' },
);

const KEYS_FILE: InputKind = {
  expected: 'a Vault keys file written by Plinth (JSON with unsealKeys and rootToken)',
  hint: 'pass the file `plinth up` wrote (--vault-keys FILE); if it is lost, Vault must be initialised again',
  maxBytes: 64 * 1024,
  secret: true,
};

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

/** Creates the missing folders of `dir` with mode 0700, one by one (Node's recursive mkdir can spin forever under /proc). */
async function ensurePrivateDir(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let d = resolve(dir); !existsSync(d); d = dirname(d)) {
    missing.unshift(d);
    if (dirname(d) === d) break;
  }
  for (const d of missing) await mkdir(d, { mode: 0o700 });
}

function keysText(keys: VaultKeys): string {
  return `${JSON.stringify({ ...keys, note: 'Vault unseal keys and root token. Move them to safe storage and delete this file.' }, null, 2)}\n`;
}

const codeOf = (error: unknown): string => (error as NodeJS.ErrnoException | undefined)?.code ?? (error instanceof Error ? error.message : String(error));

/** Writes a new file with mode 0600 (never an existing one) and reads it back; throws unless the whole text is there. */
async function writePrivate(file: string, text: string): Promise<void> {
  await writeFile(file, text, { mode: 0o600, flag: 'wx' });
  await chmod(file, 0o600);
  // Caught by the callers, which name the file and turn this into a PlinthError (exit 3).
  if ((await readFile(file, 'utf8')) !== text) throw new Error('the file does not read back as written');
}

export interface SavedKeys {
  /** Where the keys are. */
  file: string;
  /** An older keys file at the chosen path, kept under this name. */
  previous?: string;
  /** Why they are not at the chosen path (written elsewhere). */
  notAt?: string;
}

/**
 * A place for Vault's keys, taken before Vault is initialised: the folder
 * exists (0700 when created) and an empty 0600 file could be created in it,
 * so the keys Vault hands out once are not lost to an unwritable path.
 */
export interface KeysFileSlot {
  readonly file: string;
  /**
   * Writes the keys there (an existing file is kept as `<file>.<n>.previous`,
   * never overwritten). If that fails now, they go to a new 0600 file in the
   * first of `fallbackDirs` that takes it; says where they went. Throws only
   * when no place at all took them.
   */
  save(keys: VaultKeys, fallbackDirs: readonly string[]): Promise<SavedKeys>;
  /** Gives the place up (Vault was not initialised after all). */
  release(): Promise<void>;
}

/** Takes the place for the keys file, or throws a PlinthError naming why it cannot be written. */
export async function reserveKeysFile(file: string): Promise<KeysFileSlot> {
  const partial = `${file}.${process.pid}.partial`;
  try {
    await ensurePrivateDir(dirname(file));
    await writePrivate(partial, '');
  } catch (cause) {
    throw new PlinthError(
      `cannot write Vault's keys file ${file} (${codeOf(cause)}); Vault was not initialised. Choose a writable place outside the repository with --vault-keys FILE or bootstrap.vaultKeysFile in plinth.yaml`,
      { cause },
    );
  }
  return {
    file,
    async release() {
      await rm(partial, { force: true });
    },
    async save(keys, fallbackDirs) {
      const text = keysText(keys);
      try {
        await writeFile(partial, text, { mode: 0o600 });
        // Caught below with the other reasons the file could not be written (a PlinthError, exit 3).
        if ((await readFile(partial, 'utf8')) !== text) throw new Error('the file does not read back as written');
        let previous: string | undefined;
        if (existsSync(file)) {
          previous = nextPrevious(file);
          await rename(file, previous);
        }
        await rename(partial, file);
        return previous ? { file, previous } : { file };
      } catch (cause) {
        const why = `${file}: ${codeOf(cause)}`;
        // Written whole but not renamed: the partial file is a keys file of its own.
        if (existsSync(partial) && (await readFile(partial, 'utf8').catch(() => '')) === text) return { file: partial, notAt: why };
        return saveElsewhere(keys, text, fallbackDirs, why);
      }
    },
  };
}

function nextPrevious(file: string): string {
  for (let n = 1; ; n++) {
    const candidate = `${file}.${n}.previous`;
    if (!existsSync(candidate)) return candidate;
  }
}

async function saveElsewhere(keys: VaultKeys, text: string, dirs: readonly string[], why: string): Promise<SavedKeys> {
  const failures = [why];
  for (const dir of dirs) {
    const file = join(dir, `plinth-vault-keys-${keys.cluster || 'cluster'}-${Date.now()}.json`);
    try {
      await writePrivate(file, text);
      return { file, notAt: why };
    } catch (cause) {
      failures.push(`${file}: ${codeOf(cause)}`);
    }
  }
  throw new PlinthError(
    `Vault was initialised, but its unseal keys and root token could not be written anywhere (${failures.join('; ')}). They are lost when this run ends: Vault must be initialised again (delete its data volume), with a writable --vault-keys FILE`,
  );
}

export async function readKeysFile(file: string): Promise<{ keys: VaultKeys; looseMode?: string } | undefined> {
  if (!existsSync(file)) return undefined;
  const text = await readFile(file, 'utf8').catch((cause: NodeJS.ErrnoException) => {
    throw new ConfigError([{ file, message: `cannot read the Vault keys file (${cause.code ?? 'unreadable'})`, hint: 'check that the file is readable by you' }], { cause });
  });
  const parsed = expectContract(contractProblems(parseJsonInput(text, file, KEYS_FILE), keysFileSchema, KEYS_FILE));
  const mode = (await stat(file)).mode & 0o777;
  return {
    keys: { cluster: parsed.cluster ?? '', unsealKeys: parsed.unsealKeys, threshold: parsed.threshold ?? parsed.unsealKeys.length, rootToken: parsed.rootToken },
    ...(mode & 0o077 ? { looseMode: mode.toString(8).padStart(4, '0') } : {}),
  };
}
