/**
 * The chart mirror with real clients: Helm adds it as a repository, searches,
 * pulls (byte-identical to the cache) and renders from it; its index equals
 * what `helm repo index` writes for the same packages (but for the times Helm
 * takes from the clock); git clones the upstream-manifest repositories at
 * their pinned tags and finds the manifests the checks render.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOG } from '../src/catalog/index.js';
import { GATEWAY_API_CRDS } from '../src/catalog/charts.js';
import { PROMETHEUS_OPERATOR_CRDS } from '../src/catalog/components/prometheus-operator-crds.js';
import { mirrorGitPath } from '../src/desired/mirror.js';
import { upstreamManifestText } from '../src/helm/index.js';
import { startChartMirror, type RunningMirror } from '../src/mirror/server.js';
import { parseYamlStream } from '../src/lib/yaml.js';
import { helmSetup, type HelmSetup } from './support/charts.js';
import { tempDir } from './support/cli.js';

const run = promisify(execFile);

describe('plinth charts serve, with real Helm and git', () => {
  let setup: HelmSetup;
  let mirror: RunningMirror;
  let home: string;
  const helm = async (...args: string[]) => {
    const env = { ...process.env, HELM_CACHE_HOME: join(home, 'cache'), HELM_CONFIG_HOME: join(home, 'config'), HELM_DATA_HOME: join(home, 'data') };
    return (await run(setup.helm, args, { env, maxBuffer: 64 << 20 })).stdout;
  };

  beforeAll(async () => {
    setup = await helmSetup();
    home = await tempDir('plinth-mirror-helm-');
    mirror = await startChartMirror({ cache: setup.cache, port: 0, gitSources: CATALOG.flatMap((c) => (c.git ? [c.git] : [])) });
    await helm('repo', 'add', 'plinth-mirror', mirror.url);
  });
  afterAll(async () => mirror?.close());

  it('is a Helm repository that lists every chart of the cache at its version', async () => {
    const listed = JSON.parse(await helm('search', 'repo', 'plinth-mirror/', '--versions', '--output', 'json')) as { name: string; version: string }[];
    const cache = JSON.parse(await readFile(join(setup.cache.dir, 'index.json'), 'utf8')) as { name: string; version: string; type: string }[];
    const expected = cache.filter((c) => c.type === 'helm-chart').map((c) => `plinth-mirror/${c.name} ${c.version}`).sort();
    expect(listed.map((c) => `${c.name} ${c.version}`).sort()).toEqual(expected);
  });

  it('serves the packages byte for byte, and Helm renders from it', async () => {
    const out = await tempDir('plinth-mirror-pull-');
    await helm('pull', 'plinth-mirror/cert-manager', '--version', 'v1.21.1', '--destination', out);
    const sha = async (f: string) => createHash('sha256').update(await readFile(f)).digest('hex');
    expect(await sha(join(out, 'cert-manager-v1.21.1.tgz'))).toBe(await sha(join(setup.cache.dir, 'cert-manager-v1.21.1.tgz')));
    const rendered = parseYamlStream(await helm('template', 'vault', 'plinth-mirror/vault', '--version', '0.34.1', '--namespace', 'vault')) as { kind: string }[];
    expect(rendered.map((o) => o.kind)).toContain('StatefulSet');
    // Two versions of one chart (loki) are both there, newest first.
    const index = YAML.parse(mirror.index.text) as { entries: Record<string, { version: string }[]> };
    expect(index.entries.loki!.map((v) => v.version)).toEqual(['18.11.0', '7.3.0']);
  });

  it('writes the index `helm repo index` writes, with stable times', async () => {
    const copy = await tempDir('plinth-mirror-index-');
    for (const f of (await readdir(setup.cache.dir)).filter((f) => f.endsWith('.tgz'))) await copyFile(join(setup.cache.dir, f), join(copy, f));
    await helm('repo', 'index', copy);
    const strip = (text: string) => {
      const i = YAML.parse(text) as { generated?: unknown; entries: Record<string, Record<string, unknown>[]> };
      delete i.generated;
      for (const versions of Object.values(i.entries)) for (const v of versions) delete v.created;
      return i;
    };
    expect(strip(mirror.index.text)).toEqual(strip(await readFile(join(copy, 'index.yaml'), 'utf8')));
    // `created` comes from the packages, not the clock: a second build is identical.
    const again = await startChartMirror({ cache: setup.cache, port: 0 });
    try {
      expect(again.index.text).toBe(mirror.index.text);
    } finally {
      await again.close();
    }
  });

  it('serves the plain manifest files, and nothing outside the cache', async () => {
    const res = await fetch(`${mirror.url}/${GATEWAY_API_CRDS.cacheFile}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(await readFile(join(setup.cache.dir, GATEWAY_API_CRDS.cacheFile), 'utf8'));
    for (const path of ['/index.json', '/../package.json', '/%2e%2e/package.json', '/nope.tgz']) expect((await fetch(`${mirror.url}${path}`)).status).toBe(404);
    expect((await fetch(`${mirror.url}/index.yaml`, { method: 'PUT', body: 'x' })).status).toBe(405);
  });

  it('serves the upstream manifests as Git repositories at their pinned tags', async () => {
    for (const source of [GATEWAY_API_CRDS, PROMETHEUS_OPERATOR_CRDS]) {
      const dir = join(await tempDir('plinth-mirror-clone-'), 'repo');
      await run('git', ['clone', '--quiet', '--depth', '1', '--branch', source.ref, `${mirror.url}/${mirrorGitPath(source.repoUrl)}`, dir]);
      const files = (await readdir(join(dir, source.path))).filter((f) => f.endsWith('.yaml')).sort();
      expect(files.length).toBeGreaterThan(0);
      const objects = (await Promise.all(files.map(async (f) => parseYamlStream(await readFile(join(dir, source.path, f), 'utf8'))))).flat();
      expect(objects).toEqual(parseYamlStream(await upstreamManifestText(setup.cache, source)));
    }
    // The same cache makes the same commits.
    expect(mirror.git.repos.find((r) => r.path === mirrorGitPath(GATEWAY_API_CRDS.repoUrl))!.tags[GATEWAY_API_CRDS.ref]).toMatch(/^[0-9a-f]{40}$/);
    const again = await startChartMirror({ cache: setup.cache, port: 0, gitSources: [GATEWAY_API_CRDS] });
    try {
      expect(again.git.repos[0]!.tags).toEqual(mirror.git.repos.find((r) => r.path === again.git.repos[0]!.path)!.tags);
    } finally {
      await again.close();
    }
    // Read-only: a push is refused.
    const push = await fetch(`${mirror.url}/${mirrorGitPath(GATEWAY_API_CRDS.repoUrl)}/info/refs?service=git-receive-pack`);
    expect(push.status).toBe(403);
  });
});

describe('mirror git paths', () => {
  it('map upstream URLs below git/', () => {
    expect(mirrorGitPath('https://github.com/kubernetes-sigs/gateway-api.git')).toBe('git/github.com/kubernetes-sigs/gateway-api.git');
    expect(mirrorGitPath('git@github.com:org/repo')).toBe('git/github.com/org/repo.git');
  });
});

describe('plinth charts serve (the command)', () => {
  it('serves until interrupted, then stops cleanly', async () => {
    const { spawn } = await import('node:child_process');
    const bin = join(process.cwd(), 'bin', 'plinth.js');
    const child = spawn(process.execPath, [bin, 'charts', 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      for (let i = 0; i < 300 && !/at (http:\/\/\S+)\n/.test(out); i++) await new Promise((r) => setTimeout(r, 100));
      const url = /at (http:\/\/\S+)\n/.exec(out)?.[1];
      expect(url, out).toBeDefined();
      expect((await fetch(`${url}/index.yaml`)).status).toBe(200);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    expect(out).toContain('Stopped.');
  });

  it('says when the port is taken', async () => {
    const { cache } = await helmSetup();
    const taken = await startChartMirror({ cache, port: 0 });
    try {
      const port = new URL(taken.url).port;
      const { runCli } = await import('./support/cli.js');
      const run = await runCli(['charts', 'serve', '--port', port], await tempDir());
      expect(run).toMatchObject({ code: 2 });
      expect(run.stderr).toContain(`cannot listen on 127.0.0.1:${port} (EADDRINUSE); choose another --port or --host`);
      expect((await runCli(['charts', 'serve', '--port', 'x'], await tempDir())).stderr).toContain('--port: got "x"; expected a port number from 0 to 65535');
    } finally {
      await taken.close();
    }
  });
});
