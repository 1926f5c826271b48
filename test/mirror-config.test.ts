/**
 * `charts.mirror` in plinth.yaml: validated; every generated source points at
 * the mirror; the mirror checker finds what the mirror cannot serve (offline,
 * against the chart cache), and `plinth charts verify` asks a running mirror.
 */
import { existsSync } from 'node:fs';
import { copyFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOG } from '../src/catalog/index.js';
import { checkMirror } from '../src/checks/mirror.js';
import { parseConfig } from '../src/config/load.js';
import { starterConfig } from '../src/config/starter.js';
import { desiredState } from '../src/desired/index.js';
import { ConfigError } from '../src/lib/errors.js';
import { buildHelmIndex } from '../src/mirror/helm-index.js';
import { startChartMirror, type RunningMirror } from '../src/mirror/server.js';
import { synthesize } from '../src/synth/index.js';
import { helmSetup, type HelmSetup } from './support/charts.js';
import { runCli, tempDir } from './support/cli.js';

const MIRROR = 'http://charts.edge.local:8879';
const withMirror = (url: string) => starterConfig().replace(/\npolicy:|\n*$/, (m) => `\ncharts:\n  mirror: ${url}\n${m.startsWith('\npolicy') ? m : ''}`);

describe('charts.mirror', () => {
  it('is validated with the path and what is expected', () => {
    for (const bad of ['ftp://charts.local', 'charts.local:8879', 'http://x/?q=1']) {
      try {
        parseConfig(withMirror(bad), 'plinth.yaml');
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        expect((e as ConfigError).details).toEqual([expect.objectContaining({ path: 'charts.mirror', message: expect.stringContaining('expected a Helm repository URL with http:// or https://') })]);
      }
    }
    expect(() => parseConfig(starterConfig().replace(/$/, '\ncharts:\n  mirrors: http://x\n'), 'plinth.yaml')).toThrow(/charts\.mirrors: unknown key "mirrors"; expected one of: mirror/);
  });

  it('points every Application source at the mirror or this repository, nothing public', () => {
    const loaded = parseConfig(withMirror(`${MIRROR}/`), 'plinth.yaml');
    const files = synthesize(desiredState(loaded));
    const repo = loaded.config.gitops.repo.url;
    const sources = [...files].filter(([p]) => p.endsWith('/component.json')).flatMap(([, t]) => (JSON.parse(t) as { sources: { repoURL: string }[] }).sources.map((s) => s.repoURL));
    expect(sources.length).toBeGreaterThan(20);
    expect(sources.filter((u) => u !== repo && u !== MIRROR && !u.startsWith(`${MIRROR}/git/`))).toEqual([]);
    expect(sources).toContain(`${MIRROR}/git/github.com/kubernetes-sigs/gateway-api.git`);
    const everything = [...files.values()].join('\n');
    for (const upstream of CATALOG.flatMap((c) => [c.chart?.repoUrl, c.git?.repoUrl]).filter((u): u is string => Boolean(u))) expect(everything).not.toContain(upstream);
    // AppProjects allow the mirror.
    expect([...files].find(([p]) => p === 'bootstrap/root/appprojects.yaml')![1]).toContain(MIRROR);
  });

  it('leaves plan unchanged without a mirror', () => {
    const plain = parseConfig(starterConfig(), 'plinth.yaml');
    expect(desiredState(plain).units.find((u) => u.name === 'vault')!.chart!.repoUrl).toBe('https://helm.releases.hashicorp.com');
  });
});

describe('the mirror checker (offline, against the chart cache)', () => {
  let setup: HelmSetup;
  beforeAll(async () => {
    setup = await helmSetup();
  });
  const servable = async (dir: string) => ({ charts: (await buildHelmIndex(dir)).charts, hasFile: (f: string) => existsSync(join(dir, f)) });

  it('finds nothing when the cache holds every pinned chart', async () => {
    const state = desiredState(parseConfig(withMirror(MIRROR), 'plinth.yaml'));
    expect(checkMirror(state.units, MIRROR, await servable(setup.cache.dir))).toEqual([]);
  });

  it('names the chart, the version and what the mirror has instead', async () => {
    const state = desiredState(parseConfig(withMirror(MIRROR), 'plinth.yaml'));
    const units = state.units.map((u) =>
      u.name === 'vault' ? { ...u, chart: { ...u.chart!, version: '0.99.0' } } : u.name === 'gateway-api-crds' ? { ...u, git: { ...u.git!, ref: 'a'.repeat(40) } } : u,
    );
    const findings = checkMirror(units, MIRROR, await servable(setup.cache.dir));
    expect(findings.map((f) => `${f.source?.component}: ${f.message}`).sort()).toEqual([
      'gateway-api-crds: the mirror cannot serve http://charts.edge.local:8879/git/github.com/kubernetes-sigs/gateway-api.git at commit aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa: it serves tags only',
      'vault: the mirror does not serve chart vault at 0.99.0: the chart cache it serves has only 0.34.1',
    ]);
    // A chart still pulled from its public repository is a finding too.
    const unmirrored = desiredState(parseConfig(starterConfig(), 'plinth.yaml'));
    expect(checkMirror(unmirrored.units, MIRROR, await servable(setup.cache.dir)).filter((f) => f.path === 'chart').length).toBe(unmirrored.units.filter((u) => u.chart).length);
  });
});

describe('plinth charts verify (a running mirror)', () => {
  let setup: HelmSetup;
  let good: RunningMirror;
  let partial: RunningMirror;
  beforeAll(async () => {
    setup = await helmSetup();
    const gitSources = CATALOG.flatMap((c) => (c.git ? [c.git] : []));
    good = await startChartMirror({ cache: setup.cache, port: 0, gitSources });
    // A mirror of a cache that lost vault and the Gateway API CRDs.
    const copy = await tempDir('plinth-partial-cache-');
    for (const f of await readdir(setup.cache.dir)) if (f.endsWith('.tgz') && !f.startsWith('vault-')) await copyFile(join(setup.cache.dir, f), join(copy, f));
    partial = await startChartMirror({ cache: { dir: copy, origin: 'PLINTH_CHARTS' }, port: 0, gitSources: gitSources.filter((g) => g.cacheArchivePath) });
  });
  afterAll(async () => {
    await good?.close();
    await partial?.close();
  });

  const verify = async (url: string) => {
    const dir = await tempDir('plinth-verify-');
    await writeFile(join(dir, 'plinth.yaml'), withMirror(url));
    return runCli(['charts', 'verify'], dir);
  };

  it('passes against a mirror of the same cache', async () => {
    const run = await verify(good.url);
    expect(run.stdout).toMatch(/The mirror http:\/\/127\.0\.0\.1:\d+ serves all \d+ pinned charts and manifest sources\./);
    expect(run.code).toBe(0);
  });

  it('names what a mirror of another cache lacks', async () => {
    const run = await verify(partial.url);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`error vault: ${partial.url}/index.yaml does not list vault 0.34.1`);
    expect(run.stdout).toContain(`error gateway-api-crds: ${partial.url}/git/github.com/kubernetes-sigs/gateway-api.git does not answer as a Git repository`);
  });

  it('says when nothing answers', async () => {
    const closed = await startChartMirror({ cache: setup.cache, port: 0 });
    const url = closed.url;
    await closed.close();
    const run = await verify(url);
    // A mirror that does not answer is an I/O failure: exit 3, not the findings' 1.
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(`error: ${url}/index.yaml:`);
  });
});

describe('plinth check with charts.mirror', () => {
  it('runs the mirror checker over the rendered platform, and the platform still passes', async () => {
    const dir = await tempDir('plinth-check-mirror-');
    await writeFile(join(dir, 'plinth.yaml'), withMirror(MIRROR));
    const run = await runCli(['check', '--format', 'json'], dir);
    expect(run.code, run.stdout.slice(0, 2000)).toBe(0);
    const report = JSON.parse(run.stdout) as { summary: { checkers: Record<string, { error: number }> } };
    expect(report.summary.checkers.mirror).toEqual({ error: 0, warning: 0, info: 0 });
    expect(report.summary.checkers.render).toEqual({ error: 0, warning: 0, info: 0 });
  }, 180_000);
});
