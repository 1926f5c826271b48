/**
 * `helm template` of a chart with values, as Argo CD renders it: release name
 * = unit name, the unit's namespace, CRDs included, and the API versions the
 * platform installs announced so charts render what they render in the cluster.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ToolError } from '../lib/errors.js';
import { parseYamlStream, toYaml } from '../lib/yaml.js';
import type { Values } from '../lib/values.js';
import type { K8sObject } from '../model/k8s.js';
import { run } from './exec.js';
import { userCacheDir } from './paths.js';

/** Kubernetes version charts are rendered for (k3s of the edge profile). */
export const KUBE_VERSION = '1.34.0';

export interface TemplateRequest {
  helm: string;
  chartFile: string;
  release: string;
  namespace: string;
  values: Values;
  /** `group/version` strings to announce with --api-versions (e.g. `monitoring.coreos.com/v1`). */
  apiVersions?: readonly string[];
}

export class HelmError extends ToolError {
  readonly stderr: string;
  constructor(message: string, stderr: string) {
    super(message);
    this.stderr = stderr;
  }
}

/**
 * Where renders are kept between runs: `PLINTH_RENDER_CACHE` (a folder, or `off`
 * to keep none), else `renders/` in the user cache. Undefined when turned off.
 */
export function renderStoreDir(env: NodeJS.ProcessEnv): string | undefined {
  const set = env.PLINTH_RENDER_CACHE;
  if (set === 'off') return undefined;
  return set ? resolve(set) : join(userCacheDir(env), 'renders');
}

/** Format of a stored render: a change of what is stored or how it is keyed changes this. */
const STORE_FORMAT = 1;

/**
 * Work one process can reuse between checks of similar platforms (tests that
 * seed one fault each, the benchmark's repeated runs): rendered charts, keyed
 * by everything that changes the output (chart file, release, namespace,
 * values, announced API versions), and any other memo keyed by content
 * (chart models, compiled CRD schemas).
 *
 * With a `dir`, renders are also kept on disk between runs (ADR 024), as the
 * JSON of the parsed objects under the hash of what Helm is given: the chart
 * archive's content, release, namespace, values, API versions, Kubernetes
 * version, and the Helm binary (path, size, time). A render whose objects
 * JSON would not carry exactly (a non-finite number, -0) is not stored; a
 * stored file that does not read back is rendered again.
 */
export class RenderCache {
  private readonly entries = new Map<string, Promise<K8sObject[]>>();
  private readonly memos = new Map<string, unknown>();
  private readonly dir: string | undefined;
  hits = 0;
  misses = 0;
  /** Renders read from disk instead of running Helm. */
  stored = 0;

  constructor(opts: { dir?: string } = {}) {
    this.dir = opts.dir;
  }

  /** The value for `key`, computed once. */
  memo<T>(key: string, compute: () => T): T {
    if (!this.memos.has(key)) this.memos.set(key, compute());
    return this.memos.get(key) as T;
  }

  get(req: TemplateRequest, render: () => Promise<K8sObject[]>): Promise<K8sObject[]> {
    const key = createHash('sha256')
      .update(JSON.stringify([req.chartFile, req.release, req.namespace, toYaml(req.values), [...(req.apiVersions ?? [])]]))
      .digest('hex');
    const known = this.entries.get(key);
    if (known) {
      this.hits++;
      return known.then((objs) => structuredClone(objs));
    }
    this.misses++;
    const pending = this.dir ? this.throughDisk(this.dir, req, render) : render();
    this.entries.set(key, pending);
    pending.catch(() => this.entries.delete(key));
    return pending.then((objs) => structuredClone(objs));
  }

  private async throughDisk(dir: string, req: TemplateRequest, render: () => Promise<K8sObject[]>): Promise<K8sObject[]> {
    const kept = await this.kept<K8sObject[]>(dir, await storeKey(req), render);
    return Array.isArray(kept) ? kept : render();
  }

  /**
   * What `compute` gives for the content of `file` (a chart archive, a manifest file) and `parts`,
   * kept on disk when the cache has a folder (parsed manifests, chart models), else computed.
   */
  async fromFile<T>(file: string, parts: readonly string[], compute: () => Promise<T>): Promise<T> {
    if (!this.dir) return compute();
    const key = createHash('sha256').update(JSON.stringify([STORE_FORMAT, await fileHash(file), ...parts])).digest('hex');
    return this.kept(this.dir, key, compute);
  }

  private async kept<T>(dir: string, key: string, compute: () => Promise<T>): Promise<T> {
    const file = join(dir, `${key}.json`);
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text !== undefined) {
      try {
        const value = JSON.parse(text, revive) as T;
        this.stored++;
        return value;
      } catch {
        // unreadable: computed again and rewritten below
      }
    }
    const value = await compute();
    const out = exactJson(value);
    if (out !== undefined) {
      // A cache that cannot be written is only a slower next run.
      const partial = `${file}.${process.pid}.partial`;
      await mkdir(dir, { recursive: true })
        .then(() => writeFile(partial, out))
        .then(() => rename(partial, file))
        .catch(() => rm(partial, { force: true }));
    }
    return value;
  }
}

const fileHashes = new Map<string, Promise<string>>();

/** The sha256 of a file's content, once per path, size and time in this process. */
async function fileHash(path: string): Promise<string> {
  const s = await stat(path);
  const id = `${path}\0${s.size}\0${s.mtimeMs}`;
  let known = fileHashes.get(id);
  if (!known) fileHashes.set(id, (known = readFile(path).then((b) => createHash('sha256').update(b).digest('hex'))));
  return known;
}

async function storeKey(req: TemplateRequest): Promise<string> {
  const helm = await stat(req.helm).then((s) => `${resolve(req.helm)}\0${s.size}\0${s.mtimeMs}`, () => req.helm);
  const chart = await fileHash(req.chartFile);
  return createHash('sha256')
    .update(JSON.stringify([STORE_FORMAT, helm, chart, req.release, req.namespace, toYaml(req.values), [...(req.apiVersions ?? [])], KUBE_VERSION]))
    .digest('hex');
}

const MAP = '\u0000map';
const SET = '\u0000set';

/** Whether JSON gives this key and value back as they are (no non-finite or negative-zero number, no key that clashes with a tag). */
function exactlyCarried(k: string, v: unknown): boolean {
  if (k === '__proto__') return false;
  if (typeof v === 'number') return Number.isFinite(v) && !Object.is(v, -0);
  return !(typeof v === 'object' && v !== null && !(v instanceof Map) && !(v instanceof Set) && (Object.hasOwn(v, MAP) || Object.hasOwn(v, SET)));
}

/** JSON of parsed YAML (Maps and Sets tagged), or undefined when JSON would not give back the same values. */
function exactJson(value: unknown): string | undefined {
  let exact = true;
  const text = JSON.stringify(value, (k, v: unknown) => {
    if (!exactlyCarried(k, v)) exact = false;
    if (v instanceof Map) return { [MAP]: [...v] };
    if (v instanceof Set) return { [SET]: [...v] };
    return v;
  });
  return exact && text !== undefined ? text : undefined;
}

function revive(_k: string, v: unknown): unknown {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
  const o = v as Record<string, unknown>;
  if (Array.isArray(o[MAP])) return new Map(o[MAP] as [unknown, unknown][]);
  if (Array.isArray(o[SET])) return new Set(o[SET] as unknown[]);
  return v;
}

export async function helmTemplate(req: TemplateRequest, cache?: RenderCache): Promise<K8sObject[]> {
  return cache ? cache.get(req, () => runHelmTemplate(req)) : runHelmTemplate(req);
}

async function runHelmTemplate(req: TemplateRequest): Promise<K8sObject[]> {
  const dir = await mkdtemp(join(tmpdir(), 'plinth-helm-'));
  try {
    const valuesFile = join(dir, 'values.yaml');
    await writeFile(valuesFile, toYaml(req.values));
    const args = ['template', req.release, req.chartFile, '--namespace', req.namespace, '--values', valuesFile, '--include-crds', '--kube-version', KUBE_VERSION];
    for (const v of req.apiVersions ?? []) args.push('--api-versions', v);
    const result = await run(req.helm, args, { env: { ...process.env, HELM_CACHE_HOME: join(dir, 'cache'), HELM_CONFIG_HOME: join(dir, 'config'), HELM_DATA_HOME: join(dir, 'data') } });
    if (result.code !== 0) {
      throw new HelmError(`helm template ${req.release} failed: ${result.stderr.trim()}`, result.stderr);
    }
    return parseYamlStream(result.stdout).filter((o): o is K8sObject => isObject(o));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function isObject(o: unknown): boolean {
  return typeof o === 'object' && o !== null && typeof (o as K8sObject).kind === 'string' && typeof (o as K8sObject).apiVersion === 'string';
}
