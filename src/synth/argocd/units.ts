/** One folder per unit: component.json (what the ApplicationSet reads), values.yaml, manifests/. */
import { toJson, toYaml } from '../../lib/yaml.js';
import type { Unit } from '../../model/unit.js';
import type { ComponentDescriptor } from '../component-descriptor.js';
import type { RepoFiles } from '../files.js';
import { manifestFileName } from '../files.js';
import { unitDir } from '../layout.js';
import { ENGINE_UNITS } from '../../desired/bootstrap.js';
import { ARGOCD_UNIT, ENGINE_VALUES_FILE, projectForStack } from './constants.js';

export interface GitopsRepo {
  url: string;
  branch: string;
}

/**
 * Units whose resources outlive their Application: the GitOps engine, tier 0
 * (the CNI), units made only of CRDs (deleting a CRD deletes every object
 * of its kind) and units that say why theirs must (`keepOnDelete`). Removing such a unit from Git stops managing it; it does not
 * delete what it installed.
 */
export function preservedOnDelete(unit: Unit): boolean {
  return (ENGINE_UNITS as readonly string[]).includes(unit.name) || unit.tier === 0 || unit.keepOnDelete !== undefined || (unit.crdGroups.length > 0 && unit.workloads.length === 0 && unit.manifests.length === 0);
}

export function valuesFileOf(unit: Unit): string {
  return unit.name === ARGOCD_UNIT ? ENGINE_VALUES_FILE : `${unitDir(unit)}/values.yaml`;
}

/** The Application sources of a unit: upstream chart or Git manifests, values from this repo, glue manifests. */
export function unitSources(unit: Unit, repo: GitopsRepo): Record<string, unknown>[] {
  const sources: Record<string, unknown>[] = [];
  if (unit.chart) {
    const helm = { releaseName: unit.name, valueFiles: [`$values/${valuesFileOf(unit)}`] };
    // A chart published only as an OCI artifact: Argo CD's OCI source (3.1+), the chart at the artifact's root.
    const oci = unit.chart.repoUrl.startsWith('oci://');
    sources.push(
      oci
        ? { repoURL: `${unit.chart.repoUrl}/${unit.chart.chart}`, targetRevision: unit.chart.version, path: '.', helm }
        : { repoURL: unit.chart.repoUrl, chart: unit.chart.chart, targetRevision: unit.chart.version, helm },
    );
    sources.push({ repoURL: repo.url, targetRevision: repo.branch, ref: 'values' });
  }
  if (unit.git) sources.push({ repoURL: unit.git.repoUrl, targetRevision: unit.git.ref, path: unit.git.path });
  if (unit.manifests.length > 0) {
    sources.push({ repoURL: repo.url, targetRevision: repo.branch, path: `${unitDir(unit)}/manifests` });
  }
  return sources;
}

/** The unit's component.json, typed by its contract (synth/component-descriptor.ts), which the reader validates. */
export function componentDescriptor(unit: Unit, repo: GitopsRepo): ComponentDescriptor {
  return {
    name: unit.name,
    description: unit.description,
    stack: unit.stack,
    tier: unit.tier,
    pool: unit.pool,
    namespace: unit.namespace,
    project: projectForStack(unit.stack),
    wave: unit.wave,
    preserveOnDelete: preservedOnDelete(unit),
    dependsOn: unit.dependsOn,
    ...(unit.chart ? { chart: { repoURL: unit.chart.repoUrl, name: unit.chart.chart, version: unit.chart.version }, valuesFile: valuesFileOf(unit) } : {}),
    ...(unit.git ? { git: { repoURL: unit.git.repoUrl, path: unit.git.path, ref: unit.git.ref } } : {}),
    crds: unit.crdGroups,
    provides: unit.provides,
    endpoints: unit.endpoints.map((e) => ({ name: e.name, title: e.title, url: `https://${e.host}`, service: e.service, port: e.port })),
    workloads: unit.workloads.map((w) => ({
      kind: w.kind,
      name: w.name,
      tier: w.tier,
      replicas: w.replicas,
      placement: w.placement,
      containers: w.containers,
      initContainers: w.initContainers,
    })),
    sources: unitSources(unit, repo),
  };
}

export function unitFiles(unit: Unit, repo: GitopsRepo, files: RepoFiles): void {
  const dir = unitDir(unit);
  files.set(`${dir}/component.json`, toJson(componentDescriptor(unit, repo)));
  if (unit.chart) files.set(valuesFileOf(unit), toYaml(unit.values));
  for (const m of unit.manifests) {
    const path = `${dir}/manifests/${manifestFileName(m.kind, m.metadata.name, m.metadata.namespace, unit.namespace)}`;
    // Invariant, not input: glue manifests and unit files are the catalog's; a clash is a bug (exit 70).
    if (files.has(path)) throw new Error(`two glue manifests of ${unit.name} would be written to ${path}`);
    files.set(path, toYaml(m));
  }
  for (const [rel, text] of Object.entries(unit.files ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (rel.startsWith('manifests/') || rel === 'values.yaml' || rel === 'component.json' || rel.includes('..')) throw new Error(`unit ${unit.name}: file ${rel} would clash with the unit's own files`);
    files.set(`${dir}/${rel}`, text);
  }
}
