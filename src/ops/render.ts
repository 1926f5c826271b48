/**
 * Rendering units for `plinth up`: the chart (or upstream manifests) of a
 * unit as the objects Helm renders, through src/helm. Passed in as an
 * interface so tests can hand over fixed objects; rendered units are cached
 * for the run.
 */
import { findHelm, locateChartCache, renderUnit, servedApiVersions } from '../helm/index.js';
import type { K8sObject } from '../model/k8s.js';
import type { Unit } from '../model/unit.js';

export interface UnitRenderer {
  /** The objects of the unit's chart or upstream manifests (not its glue); [] when it has neither. */
  render(unit: Unit, all: readonly Unit[]): Promise<K8sObject[]>;
}

/** Helm from PLINTH_HELM / PATH / the npm package, charts from the chart cache. */
export function helmRenderer(env: NodeJS.ProcessEnv): UnitRenderer {
  let helm: Promise<string> | undefined;
  return {
    async render(unit, all) {
      if (!unit.chart && !unit.git) return [];
      helm ??= findHelm(env).then((h) => h.path);
      const rendered = await renderUnit(unit, { helm: await helm, cache: locateChartCache(env), apiVersions: servedApiVersions(all) });
      return rendered.chartObjects;
    },
  };
}

export function cachedRenderer(inner: UnitRenderer): UnitRenderer {
  const cache = new Map<string, Promise<K8sObject[]>>();
  return {
    render(unit, all) {
      let hit = cache.get(unit.name);
      if (!hit) {
        hit = inner.render(unit, all);
        cache.set(unit.name, hit);
      }
      return hit;
    },
  };
}
