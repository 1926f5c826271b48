/**
 * `helm template` of a chart with values, as Argo CD renders it: release name
 * = unit name, the unit's namespace, CRDs included, and the API versions the
 * platform installs announced so charts render what they render in the cluster.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ToolError } from '../lib/errors.js';
import { parseYamlStream, toYaml } from '../lib/yaml.js';
import type { Values } from '../lib/values.js';
import type { K8sObject } from '../model/k8s.js';
import { run } from './exec.js';

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
 * Work one process can reuse between checks of similar platforms (tests that
 * seed one fault each, the benchmark's repeated runs): rendered charts, keyed
 * by everything that changes the output (chart file, release, namespace,
 * values, announced API versions), and any other memo keyed by content
 * (chart models, compiled CRD schemas).
 */
export class RenderCache {
  private readonly entries = new Map<string, Promise<K8sObject[]>>();
  private readonly memos = new Map<string, unknown>();
  hits = 0;
  misses = 0;

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
    const pending = render();
    this.entries.set(key, pending);
    pending.catch(() => this.entries.delete(key));
    return pending.then((objs) => structuredClone(objs));
  }
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
