/**
 * The chart cache and Helm for integration tests. Under CI a missing cache is
 * a failure, never a skip; elsewhere the tests say why they cannot run.
 */
import { existsSync } from 'node:fs';
import { findHelm, locateChartCache, type ChartCache } from '../../src/helm/index.js';

export interface HelmSetup {
  helm: string;
  cache: ChartCache;
}

export async function helmSetup(): Promise<HelmSetup> {
  const cache = locateChartCache(process.env);
  if (!existsSync(cache.dir)) {
    throw new Error(
      `the chart cache is missing: ${cache.dir} (${cache.origin}). Set PLINTH_CHARTS to the folder of packaged charts (../shared/charts), or run \`plinth charts pull\`. ${process.env.CI ? 'CI must have it.' : ''}`,
    );
  }
  const helm = await findHelm(process.env);
  return { helm: helm.path, cache };
}
