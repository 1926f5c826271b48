/**
 * Reading a written GitOps repository back into units, so what `plan` wrote
 * (not only what it meant to write) can be checked, and so tools can work
 * from a repository alone.
 */
import { z } from 'zod';
import { contractProblems, expectContract, type InputKind, parseYamlDocument, parseYamlInput, problemCollector } from '../lib/input-file.js';
import { kustomizeConfigSchema, manifestSchema } from '../model/k8s-contract.js';
import type { Values } from '../lib/values.js';
import type { K8sObject } from '../model/k8s.js';
import type { Endpoint, Unit } from '../model/unit.js';
import { type ComponentDescriptor, readComponentDescriptor } from '../synth/component-descriptor.js';

export type { ComponentDescriptor } from '../synth/component-descriptor.js';

export interface WrittenComponent {
  dir: string;
  descriptor: ComponentDescriptor;
  values?: Values;
  manifests: { file: string; object: K8sObject }[];
}

export interface WrittenRepo {
  components: WrittenComponent[];
  /** Every other YAML file plan writes (bootstrap, ApplicationSets, Flux's clusters/), parsed; apps/ is read by tenants/service.ts. */
  documents: { file: string; object: K8sObject }[];
}

const VALUES: InputKind = { expected: 'Helm values: a map', hint: 'files under platform/ and bootstrap/ are generated: run `plinth plan` again instead of editing them' };
const MANIFESTS: InputKind = { expected: 'Kubernetes objects: maps with apiVersion, kind and metadata.name', hint: VALUES.hint };
const valuesSchema = z.record(z.string(), z.unknown(), { error: 'Helm values: a map' });

/** A component's Helm values, read back through their contract; undefined when it has no values file or the file is absent. */
function valuesOf(file: string | undefined, files: ReadonlyMap<string, string>): Values | undefined {
  const text = file ? files.get(file) : undefined;
  if (file === undefined || text === undefined) return undefined;
  return expectContract(contractProblems(parseYamlDocument(text, file, VALUES), valuesSchema, VALUES)) as Values;
}

/** Reads what plan wrote; every problem of every file (component.json, values, manifests) in one ConfigError. */
export function parseWrittenRepo(files: ReadonlyMap<string, string>): WrittenRepo {
  const components: WrittenComponent[] = [];
  const documents: WrittenRepo['documents'] = [];
  const { collect, throwIfAny } = problemCollector();

  const objects = (file: string, text: string) =>
    collect(() => {
      const schema = file.endsWith('/kustomization.yaml') ? kustomizeConfigSchema : manifestSchema;
      return parseYamlInput(text, file, MANIFESTS).map((d) => ({ file, object: expectContract(contractProblems(d, schema, MANIFESTS)) as K8sObject }));
    });
  for (const [path, text] of files) {
    const m = /^platform\/[^/]+\/[^/]+\/component\.json$/.exec(path);
    if (!m) continue;
    const dir = path.slice(0, -'/component.json'.length);
    const descriptor = collect(() => readComponentDescriptor(text, path));
    const values = collect(() => valuesOf(descriptor?.valuesFile, files));
    const manifests = [...files.entries()].filter(([p]) => p.startsWith(`${dir}/manifests/`) && p.endsWith('.yaml')).flatMap(([file, t]) => objects(file, t) ?? []);
    if (descriptor) components.push({ dir, descriptor, ...(values !== undefined ? { values } : {}), manifests });
  }
  const valuesFiles = new Set(components.map((c) => c.descriptor.valuesFile));
  // apps/ holds the teams' services, read by their own reader (tenants/service.ts).
  const loose = (file: string) => file.endsWith('.yaml') && !file.startsWith('platform/') && !file.startsWith('apps/') && !valuesFiles.has(file);
  for (const [file, text] of files) if (loose(file)) documents.push(...(objects(file, text) ?? []));
  throwIfAny();
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
    // Pod labels and volume claims are not written: they come back empty.
    workloads: d.workloads.map((w) => ({ ...w, namespace: d.namespace, podLabels: {}, volumeClaims: [] })),
    endpoints: d.endpoints.map((e): Endpoint => ({ name: e.name, title: e.title, host: e.url.replace(/^https:\/\//, ''), service: e.service, port: e.port })),
    secrets: [],
    dependsOn: d.dependsOn,
    crdGroups: d.crds,
    usesGroups: [],
    provides: d.provides,
    wave: d.wave,
  }));
}
