/**
 * Where the e2e suite's real components live on this machine, shared by the build
 * script (scripts/e2e/build.ts) and the harness (test/e2e/).
 *
 * Each component is built into `<cache>/<component>-<version>/` with a `build.json`
 * stamp naming what was built from which module; the cache is
 * `PLINTH_E2E_CACHE`, else `$XDG_CACHE_HOME/plinth/e2e`, else `~/.cache/plinth/e2e`.
 * Nothing here is ever written inside the repository.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ModulePin {
  module: string;
  version: string;
}

export interface Versions {
  go: { minimum: string };
  etcd: ModulePin;
  kubernetes: ModulePin & { commands: string[] };
  kwok: ModulePin;
  argocd: ModulePin & { chart: string; commit?: string; gitopsEngine?: string; default?: boolean };
}

export type ComponentName = 'etcd' | 'kubernetes' | 'kwok' | 'argocd';
export const COMPONENTS: ComponentName[] = ['etcd', 'kubernetes', 'kwok', 'argocd'];

export const VERSIONS_FILE = fileURLToPath(new URL('../../test/e2e/versions.json', import.meta.url));

export function readVersions(): Versions {
  return JSON.parse(readFileSync(VERSIONS_FILE, 'utf8')) as Versions;
}

export function e2eCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PLINTH_E2E_CACHE) return resolve(env.PLINTH_E2E_CACHE);
  const base = env.XDG_CACHE_HOME ? resolve(env.XDG_CACHE_HOME) : join(homedir(), '.cache');
  return join(base, 'plinth', 'e2e');
}

export function componentDir(name: ComponentName, versions: Versions, env: NodeJS.ProcessEnv = process.env): string {
  return join(e2eCacheRoot(env), `${name}-${versions[name].version}`);
}

/** The stamp written after a successful build; its `key` changes whenever the pin or the recipe does. */
export interface BuildStamp {
  component: ComponentName;
  key: string;
  module: string;
  version: string;
  go: string;
  binaries: string[];
  seconds: number;
  builtAt: string;
  notes?: string[];
}

export function readStamp(dir: string): BuildStamp | undefined {
  const file = join(dir, 'build.json');
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as BuildStamp;
  } catch {
    return undefined;
  }
}

export interface E2eBinaries {
  etcd: string;
  kubeApiserver: string;
  kubeControllerManager: string;
  kubeScheduler: string;
  kwok: string;
  /** kwok Stage configs copied from the kwok module at build time. */
  kwokStages: string[];
  /** The multi-call Argo CD binary (application-controller, repo-server, applicationset-controller). */
  argocd: string;
}

/**
 * Locates the built binaries, or explains exactly what is missing and the command
 * that builds it.
 */
export function locateBinaries(env: NodeJS.ProcessEnv = process.env): E2eBinaries {
  const versions = readVersions();
  const missing: string[] = [];
  const need = (name: ComponentName, file: string): string => {
    const dir = componentDir(name, versions, env);
    const path = join(dir, file);
    if (!readStamp(dir) || !existsSync(path)) missing.push(`${name} ${versions[name].version} (${path})`);
    return path;
  };
  const kwokDir = componentDir('kwok', versions, env);
  const stamp = readStamp(kwokDir);
  const found: E2eBinaries = {
    etcd: need('etcd', 'bin/etcd'),
    kubeApiserver: need('kubernetes', 'bin/kube-apiserver'),
    kubeControllerManager: need('kubernetes', 'bin/kube-controller-manager'),
    kubeScheduler: need('kubernetes', 'bin/kube-scheduler'),
    kwok: need('kwok', 'bin/kwok'),
    kwokStages: (stamp?.binaries ?? []).filter((b) => b.startsWith('stages/')).map((b) => join(kwokDir, b)),
    argocd: need('argocd', 'bin/argocd'),
  };
  if (missing.length > 0) {
    throw new Error(
      `the e2e binaries are not built: ${missing.join('; ')}.\n` +
        `Build them (needs Go ${versions.go.minimum} and the Go module proxy; the first build takes a while): npm run e2e:build`,
    );
  }
  return found;
}
