/**
 * Rendering the units of a desired state for real: each chart through Helm
 * with the unit's final values, each upstream manifest file read from the
 * cache, glue manifests as they are. `check`, the planner and the tests read
 * the platform's objects from here.
 */
import type { K8sObject } from '../model/k8s.js';
import { entryGroup, type Unit } from '../model/unit.js';
import { type ChartCache, requireChart, requireManifest } from './cache.js';
import { upstreamManifests } from './manifests.js';
import { helmTemplate, type RenderCache } from './template.js';

export interface RenderedUnit {
  unit: Unit;
  /** Objects of the chart or upstream manifests. */
  chartObjects: K8sObject[];
  /** The unit's glue manifests. */
  glue: K8sObject[];
}

/** API versions a cluster running these units serves (their CRD groups), for `--api-versions`. */
export function servedApiVersions(units: readonly Unit[]): string[] {
  const known: Record<string, string[]> = {
    'monitoring.coreos.com': ['monitoring.coreos.com/v1'],
    'gateway.networking.k8s.io': ['gateway.networking.k8s.io/v1'],
    'cert-manager.io': ['cert-manager.io/v1'],
    'external-secrets.io': ['external-secrets.io/v1'],
    'kyverno.io': ['kyverno.io/v1', 'kyverno.io/v2'],
    'policies.kyverno.io': ['policies.kyverno.io/v1'],
    'argoproj.io': ['argoproj.io/v1alpha1'],
    'aquasecurity.github.io': ['aquasecurity.github.io/v1alpha1'],
  };
  return [...new Set(units.flatMap((u) => u.crdGroups.flatMap((g) => known[entryGroup(g)] ?? [])))].sort();
}

export interface RenderOptions {
  helm: string;
  cache: ChartCache;
  /** Reuse of earlier identical renders within this process. */
  renderCache?: RenderCache;
}

export async function renderUnit(unit: Unit, opts: RenderOptions & { apiVersions: readonly string[] }): Promise<RenderedUnit> {
  let chartObjects: K8sObject[] = [];
  if (unit.chart) {
    chartObjects = await helmTemplate({
      helm: opts.helm,
      chartFile: requireChart(opts.cache, unit.chart),
      release: unit.name,
      namespace: unit.namespace,
      values: unit.values,
      apiVersions: opts.apiVersions,
    }, opts.renderCache);
  } else if (unit.git) {
    const git = unit.git;
    const parse = () => upstreamManifests(opts.cache, git);
    chartObjects = opts.renderCache ? structuredClone(await opts.renderCache.fromFile(requireManifest(opts.cache, git), ['manifests', git.cacheArchivePath ?? ''], parse)) : await parse();
  }
  return { unit, chartObjects, glue: unit.manifests };
}

/** Renders every unit, a few at a time. */
export async function renderUnits(units: readonly Unit[], opts: RenderOptions & { concurrency?: number }): Promise<RenderedUnit[]> {
  const apiVersions = servedApiVersions(units);
  const results: RenderedUnit[] = new Array(units.length);
  let next = 0;
  const worker = async () => {
    while (next < units.length) {
      const i = next++;
      results[i] = await renderUnit(units[i]!, { ...opts, apiVersions });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 2) }, worker));
  return results;
}
