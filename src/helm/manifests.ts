/**
 * Upstream manifests of a Git source, read from the chart cache: either a
 * plain YAML file, or the `.yaml` files of one folder inside a packaged chart
 * (`cacheArchivePath`), e.g. the Prometheus Operator CRDs that ship in the
 * kube-prometheus-stack package.
 */
import { readFile } from 'node:fs/promises';
import { ChartCacheError } from '../lib/errors.js';
import { parseYamlStream } from '../lib/yaml.js';
import type { K8sObject } from '../model/k8s.js';
import type { GitSource } from '../model/unit.js';
import { readArchive } from './archive.js';
import { type ChartCache, requireManifest } from './cache.js';

/** The YAML text of the source's manifests, file after file in name order. */
export async function upstreamManifestText(cache: ChartCache, git: GitSource): Promise<string> {
  const file = requireManifest(cache, git);
  if (!git.cacheArchivePath) return readFile(file, 'utf8');
  const folder = `${git.cacheArchivePath.replace(/\/+$/, '')}/`;
  const inFolder = (path: string) => path.startsWith(folder) && !path.slice(folder.length).includes('/') && /\.ya?ml$/.test(path);
  const files = [...(await readArchive(file, inFolder)).entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  if (files.length === 0) throw new ChartCacheError(`${git.cacheFile} in the chart cache ${cache.dir} has no .yaml file under ${folder}`);
  return files.map(([, data]) => data.toString('utf8').replace(/\n*$/, '\n')).join('---\n');
}

export async function upstreamManifests(cache: ChartCache, git: GitSource): Promise<K8sObject[]> {
  return parseYamlStream(await upstreamManifestText(cache, git)) as K8sObject[];
}
