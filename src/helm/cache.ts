/**
 * The chart cache: packaged charts (`<chart>-<version>.tgz`) and plain
 * manifests, found through one setting: `PLINTH_CHARTS`, else the
 * `../shared/charts` folder beside the plinth checkout when present, else the
 * user cache that `plinth charts pull` fills from the public repositories.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ChartCacheError } from '../lib/errors.js';
import type { ChartSource, GitSource } from '../model/unit.js';
import { packageRoot, userCacheDir } from './paths.js';

export interface ChartCache {
  dir: string;
  /** How the folder was chosen, for messages. */
  origin: 'PLINTH_CHARTS' | 'shared' | 'user cache';
}

export function locateChartCache(env: NodeJS.ProcessEnv): ChartCache {
  if (env.PLINTH_CHARTS) return { dir: resolve(env.PLINTH_CHARTS), origin: 'PLINTH_CHARTS' };
  const shared = resolve(packageRoot(), '..', 'shared', 'charts');
  if (existsSync(shared)) return { dir: shared, origin: 'shared' };
  return { dir: join(userCacheDir(env), 'charts'), origin: 'user cache' };
}

export function chartFile(cache: ChartCache, chart: ChartSource): string {
  return join(cache.dir, `${chart.chart}-${chart.version}.tgz`);
}

export function manifestFile(cache: ChartCache, git: GitSource): string {
  return join(cache.dir, git.cacheFile);
}

/** Whether the cache holds this file (a chart archive or a manifest, by its name in the cache). */
export function cacheHas(cache: ChartCache, name: string): boolean {
  return existsSync(join(cache.dir, name));
}

/** Whether the cache holds this version of a chart. */
export function hasChart(cache: ChartCache, chart: Pick<ChartSource, 'chart' | 'version'>): boolean {
  return existsSync(join(cache.dir, `${chart.chart}-${chart.version}.tgz`));
}

/** A ChartCacheError when the cache folder itself is missing: `check` renders every chart for real. */
export function requireChartCache(cache: ChartCache): void {
  if (!existsSync(cache.dir)) {
    throw new ChartCacheError(
      `the chart cache ${cache.dir} (${cache.origin}) does not exist: check renders every chart for real; set PLINTH_CHARTS or --charts to the folder of packaged charts, or run \`plinth charts pull\` with internet access`,
    );
  }
}

/** The cached file of a chart, or a ChartCacheError saying how to get it. */
export function requireChart(cache: ChartCache, chart: ChartSource): string {
  const file = chartFile(cache, chart);
  if (!existsSync(file)) {
    throw new ChartCacheError(
      `chart ${chart.chart} ${chart.version} is not in the chart cache ${cache.dir} (${cache.origin}); run \`plinth charts pull\` with internet access, or set PLINTH_CHARTS to a folder holding ${chart.chart}-${chart.version}.tgz`,
    );
  }
  return file;
}

export function requireManifest(cache: ChartCache, git: GitSource): string {
  const file = manifestFile(cache, git);
  if (!existsSync(file)) {
    throw new ChartCacheError(`${git.cacheFile} is not in the chart cache ${cache.dir} (${cache.origin}); run \`plinth charts pull\`, or set PLINTH_CHARTS`);
  }
  return file;
}
