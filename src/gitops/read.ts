/**
 * Reading a written GitOps repository back into units, so what `plan` wrote
 * (not only what it meant to write) can be checked, and so tools can work
 * from a repository alone.
 */
import YAML from 'yaml';
import { parseYamlStream } from '../lib/yaml.js';
import type { Values } from '../lib/values.js';
import type { K8sObject } from '../model/k8s.js';
import type { Tier } from '../model/tiers.js';
import type { Endpoint, ProvidedObject, Stack, Unit, Workload } from '../model/unit.js';

export interface WrittenComponent {
  dir: string;
  descriptor: ComponentDescriptor;
  values?: Values;
  manifests: { file: string; object: K8sObject }[];
}

export interface ComponentDescriptor {
  name: string;
  description: string;
  stack: Stack;
  tier: Tier;
  pool: string;
  namespace: string;
  project: string;
  wave: number;
  dependsOn: string[];
  chart?: { repoURL: string; name: string; version: string };
  valuesFile?: string;
  git?: { repoURL: string; path: string; ref: string };
  crds: string[];
  provides: ProvidedObject[];
  endpoints: { name: string; title: string; url: string; service: string; port: number }[];
  workloads: Omit<Workload, 'namespace' | 'podLabels'>[];
  sources: Record<string, unknown>[];
}

export interface WrittenRepo {
  components: WrittenComponent[];
  /** Every other YAML file (bootstrap, ApplicationSets), parsed. */
  documents: { file: string; object: K8sObject }[];
}

export function parseWrittenRepo(files: ReadonlyMap<string, string>): WrittenRepo {
  const components: WrittenComponent[] = [];
  const documents: WrittenRepo['documents'] = [];
  for (const [path, text] of files) {
    const m = /^platform\/[^/]+\/[^/]+\/component\.json$/.exec(path);
    if (!m) continue;
    const dir = path.slice(0, -'/component.json'.length);
    const descriptor = JSON.parse(text) as ComponentDescriptor;
    const valuesText = descriptor.valuesFile ? files.get(descriptor.valuesFile) : undefined;
    const manifests = [...files.entries()]
      .filter(([p]) => p.startsWith(`${dir}/manifests/`) && p.endsWith('.yaml'))
      .flatMap(([file, t]) => parseYamlStream(t).map((object) => ({ file, object: object as K8sObject })));
    components.push({ dir, descriptor, ...(valuesText !== undefined ? { values: (YAML.parse(valuesText) ?? {}) as Values } : {}), manifests });
  }
  for (const [file, text] of files) {
    if (file.endsWith('.yaml') && !file.startsWith('platform/')) {
      for (const object of parseYamlStream(text)) documents.push({ file, object: object as K8sObject });
    }
  }
  return { components, documents };
}

/** The written components as units, for the checks. Pod labels are not written and come back empty. */
export function unitsOf(repo: WrittenRepo): Unit[] {
  return repo.components.map(({ descriptor: d, values, manifests }) => ({
    name: d.name,
    description: d.description,
    stack: d.stack,
    tier: d.tier,
    pool: d.pool,
    namespace: d.namespace,
    ...(d.chart ? { chart: { repoUrl: d.chart.repoURL, chart: d.chart.name, version: d.chart.version } } : {}),
    ...(d.git ? { git: { repoUrl: d.git.repoURL, path: d.git.path, ref: d.git.ref, cacheFile: '' } } : {}),
    values: values ?? {},
    manifests: manifests.map((m) => m.object),
    workloads: d.workloads.map((w) => ({ ...w, namespace: d.namespace, podLabels: {} })),
    endpoints: d.endpoints.map((e): Endpoint => ({ name: e.name, title: e.title, host: e.url.replace(/^https:\/\//, ''), service: e.service, port: e.port })),
    secrets: [],
    dependsOn: d.dependsOn,
    crdGroups: d.crds,
    usesGroups: [],
    provides: d.provides,
    wave: d.wave,
  }));
}
