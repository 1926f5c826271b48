/**
 * The render cache on disk (ADR 024) changes how fast `check` is, never what
 * it finds: the edge platform checked with a fresh cache folder (every chart
 * rendered by Helm), then again with the folder it filled (no Helm at all),
 * then with none, gives the same findings, counts and footprint, whole; and
 * the CLI's JSON report is byte-identical cold and warm.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkPlatform } from '../src/checks/platform.js';
import { parseConfig } from '../src/config/load.js';
import { starterConfig } from '../src/config/starter.js';
import { RenderCache } from '../src/helm/index.js';
import { helmSetup, type HelmSetup } from './support/charts.js';
import { runCli, tempDir } from './support/cli.js';

let setup: HelmSetup;
beforeAll(async () => {
  setup = await helmSetup();
});

const loaded = () => parseConfig(starterConfig(), 'plinth.yaml');
const seen = async (renderCache: RenderCache) => {
  const { report, footprint, policy } = await checkPlatform(loaded(), { helm: setup.helm, cache: setup.cache, renderCache });
  return { findings: report.findings, counts: report.counts, checkers: report.checkers, footprint, policy };
};

describe('check with a cold, a warm and no render cache', () => {
  it('finds exactly the same, and the warm run renders nothing with Helm', async () => {
    const dir = await tempDir();
    const cold = new RenderCache({ dir });
    const first = await seen(cold);
    expect(cold.stored).toBe(0);
    const kept = (await readdir(dir)).filter((f) => f.endsWith('.json'));
    expect(kept.length).toBeGreaterThanOrEqual(14);

    // A new process with the same folder: every render and chart model read back from disk.
    const warm = new RenderCache({ dir });
    const second = await seen(warm);
    expect(warm.stored).toBe(kept.length);
    const none = await seen(new RenderCache());

    expect(first.findings.length).toBeGreaterThan(10);
    expect(second).toEqual(first);
    expect(none).toEqual(first);
  }, 600_000);

  it('renders again when a stored file is damaged, with the same findings', async () => {
    const dir = await tempDir();
    const first = await seen(new RenderCache({ dir }));
    const files = (await readdir(dir)).filter((f) => f.endsWith('.json'));
    const biggest = (await Promise.all(files.map(async (f) => ({ f, n: (await readFile(join(dir, f))).length })))).sort((a, b) => b.n - a.n)[0]!.f;
    await writeFile(join(dir, biggest), '{"truncated": ');
    const again = new RenderCache({ dir });
    expect(await seen(again)).toEqual(first);
    expect(again.stored).toBe(files.length - 1);
  }, 600_000);

  it('gives the same JSON report from the CLI cold and warm (PLINTH_RENDER_CACHE)', async () => {
    const cwd = await tempDir();
    const env = { ...process.env, PLINTH_RENDER_CACHE: join(cwd, 'renders'), PLINTH_CHARTS: setup.cache.dir };
    const coldRun = await runCli(['check', '--format', 'json'], cwd, env);
    const warmRun = await runCli(['check', '--format', 'json'], cwd, env);
    expect(coldRun.stdout.length).toBeGreaterThan(1000);
    expect(warmRun.stdout).toBe(coldRun.stdout);
    expect(warmRun.code).toBe(coldRun.code);
  }, 600_000);
});
