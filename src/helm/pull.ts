/**
 * Filling the chart cache from the public repositories (machines with
 * internet): `helm pull` of each pinned chart, and the upstream release asset
 * of each manifest source. Files already present are kept.
 */
import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ToolError } from '../lib/errors.js';
import type { ChartSource, GitSource } from '../model/unit.js';
import { type ChartCache, chartFile, manifestFile } from './cache.js';
import { run } from './exec.js';

export interface PullResult {
  file: string;
  status: 'present' | 'pulled' | 'failed';
  message?: string;
}

export async function pullChart(helm: string, cache: ChartCache, chart: ChartSource): Promise<PullResult> {
  const file = chartFile(cache, chart);
  if (existsSync(file)) return { file, status: 'present' };
  await mkdir(cache.dir, { recursive: true });
  const repo = chart.repoUrl.replace(/^oci:\/\/.*$/, '');
  const args = repo
    ? ['pull', chart.chart, '--repo', chart.repoUrl, '--version', chart.version, '--destination', cache.dir]
    : ['pull', `${chart.repoUrl}/${chart.chart}`, '--version', chart.version, '--destination', cache.dir];
  const result = await run(helm, args);
  if (result.code !== 0) return { file, status: 'failed', message: result.stderr.trim() };
  return { file, status: existsSync(file) ? 'pulled' : 'failed', ...(existsSync(file) ? {} : { message: `helm pull wrote no ${file}` }) };
}

export async function pullManifest(cache: ChartCache, git: GitSource, fetchImpl: typeof fetch = fetch): Promise<PullResult> {
  const file = manifestFile(cache, git);
  if (existsSync(file)) return { file, status: 'present' };
  if (!git.downloadUrl) return { file, status: 'failed', message: `no download address for ${git.cacheFile}` };
  try {
    const response = await fetchImpl(git.downloadUrl);
    if (!response.ok) throw new ToolError(`${git.downloadUrl}: HTTP ${response.status}`);
    await mkdir(cache.dir, { recursive: true });
    const partial = join(cache.dir, `.${git.cacheFile}.partial`);
    await writeFile(partial, Buffer.from(await response.arrayBuffer()));
    await rename(partial, file);
    return { file, status: 'pulled' };
  } catch (cause) {
    return { file, status: 'failed', message: (cause as Error).message };
  }
}
