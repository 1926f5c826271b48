#!/usr/bin/env node
// `npm run bench:portal`: the portal under load. A GitOps repository as plan writes it plus
// 1,000 tenant services written by the `service` golden path, committed in a temporary git
// repository; the portal started on it (its own process, 127.0.0.1); once its background
// `plinth check` is done, 200 concurrent clients, each with its own session, read catalog
// pages, service pages and the catalog API for 60 s. Prints requests, errors and latency
// percentiles; the target is 0 errors and p95 <= 50 ms for catalog pages.
// PLINTH_BENCH_SECONDS, PLINTH_BENCH_CLIENTS and PLINTH_BENCH_SERVICES change the figures.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConfig } from '../dist/config/load.js';
import { starterConfig } from '../dist/config/starter.js';
import { desiredState, SHARED_REFS } from '../dist/desired/index.js';
import { templateNamed } from '../dist/golden/index.js';
import { renderServiceFiles } from '../dist/golden/render.js';
import { synthesize } from '../dist/synth/index.js';

const SECONDS = Number(process.env.PLINTH_BENCH_SECONDS ?? 60);
const CLIENTS = Number(process.env.PLINTH_BENCH_CLIENTS ?? 200);
const SERVICES = Number(process.env.PLINTH_BENCH_SERVICES ?? 1000);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// 1. The repository.
const work = await mkdtemp(join(tmpdir(), 'plinth-portal-bench-'));
const repo = join(work, 'gitops');
const loaded = parseConfig(starterConfig(), 'plinth.yaml');
const state = desiredState(loaded);
const files = new Map(synthesize(state));
const template = templateNamed('service');
const names = [];
for (let i = 0; i < SERVICES; i++) {
  const name = `svc-${String(i).padStart(4, '0')}`;
  names.push(name);
  const values = { team: 'team-a', name, image: `ghcr.io/team-a/${name}:1.0.${i}`, port: 8080, expose: i % 2 === 0, replicas: 1, metricsPath: '/metrics' };
  for (const [p, t] of renderServiceFiles({ platform: state.platform, refs: SHARED_REFS, repo: { url: loaded.config.gitops.repo.url, branch: 'main' }, template, version: 2, values })) files.set(p, t);
}
for (const [p, t] of files) {
  await mkdir(dirname(join(repo, p)), { recursive: true });
  await writeFile(join(repo, p), t);
}
const git = (...args) => execFileSync('git', ['-c', 'user.name=Bench', '-c', 'user.email=bench@example.com', ...args], { cwd: repo, stdio: 'pipe' });
git('init', '-q', '-b', 'main');
git('add', '-A');
git('commit', '-q', '-m', 'bench repository');
git('config', 'user.name', 'Bench');
git('config', 'user.email', 'bench@example.com');
console.log(`Portal load: ${files.size} files (${SERVICES} services) in ${repo}; ${CLIENTS} clients for ${SECONDS} s`);

// 2. The portal, in its own process.
const nodeArgs = (process.env.PLINTH_BENCH_PORTAL_NODE_ARGS ?? '').split(' ').filter(Boolean);
const child = spawn(process.execPath, [...nodeArgs, join(root, 'bin/plinth.js'), 'portal', '--repo', repo, '--port', '0'], { cwd: work, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
let out = '';
child.stderr.on('data', (d) => process.stderr.write(d));
const { url, token } = await new Promise((resolve, reject) => {
  child.stdout.on('data', (d) => {
    out += d;
    const u = /Plinth portal on (http:\/\/\S+)/.exec(out);
    const t = /Login token: (\S+)/.exec(out);
    if (u && t) resolve({ url: u[1], token: t[1] });
  });
  child.on('exit', (code) => reject(new Error(`the portal exited (${code}): ${out}`)));
});
const { hostname, port } = new URL(url);
const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS + 10 });

function request(method, path, { cookie, body, headers = {} } = {}) {
  return new Promise((resolve) => {
    const start = process.hrtime.bigint();
    const req = http.request({ host: hostname, port, method, path, agent, headers: { ...(cookie ? { cookie } : {}), ...headers } }, (res) => {
      let size = 0;
      res.on('data', (c) => (size += c.length));
      res.on('end', () => resolve({ status: res.statusCode, ms: Number(process.hrtime.bigint() - start) / 1e6, headers: res.headers, size }));
    });
    req.on('error', (e) => resolve({ status: 0, error: e.message, ms: Number(process.hrtime.bigint() - start) / 1e6 }));
    req.end(body);
  });
}

async function login() {
  const r = await request('POST', '/login', { body: `token=${encodeURIComponent(token)}`, headers: { origin: url, 'content-type': 'application/x-www-form-urlencoded' } });
  if (r.status !== 303) throw new Error(`login failed: ${r.status}`);
  return String(r.headers['set-cookie']).split(';')[0];
}

try {
  // 3. Wait for the portal's own background check of main (it renders every chart).
  const warm = await login();
  const waitStart = Date.now();
  for (;;) {
    const page = await new Promise((resolve) => http.get({ host: hostname, port, path: '/', agent, headers: { cookie: warm } }, (res) => { let t = ''; res.on('data', (c) => (t += c)); res.on('end', () => resolve(t)); }));
    if (!page.includes('plinth check running')) break;
    if (Date.now() - waitStart > 600_000) throw new Error('the background check did not finish in 10 minutes');
    await new Promise((r) => setTimeout(r, 1000));
  }
  console.log(`background plinth check of main done after ${((Date.now() - waitStart) / 1000).toFixed(1)} s`);

  // 4. The load.
  const pages = Math.ceil((SERVICES + 30) / 50);
  const routes = [
    ['catalog', () => '/catalog'],
    ['catalog', () => `/catalog?kind=&q=&page=${1 + Math.floor(Math.random() * pages)}`],
    ['catalog', () => `/catalog?kind=Component&q=svc-0${Math.floor(Math.random() * 100)}&page=1`],
    ['service', () => `/services/team-a/${names[Math.floor(Math.random() * names.length)]}`],
    ['api', () => `/api/catalog?page=${1 + Math.floor(Math.random() * pages)}`],
  ];
  const cookies = await Promise.all(Array.from({ length: CLIENTS }, login));
  const loadBefore = loadavg()[0];
  // CPU seconds of the portal process (from /proc) and of these clients, over the load window.
  const portalCpu = () => {
    try {
      const f = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return (Number(f[11]) + Number(f[12])) / 100;
    } catch {
      return NaN;
    }
  };
  const cpu0 = { portal: portalCpu(), clients: process.cpuUsage() };
  const samples = new Map(routes.map(([g]) => [g, []]));
  let errors = 0;
  const errorKinds = new Map();
  const deadline = Date.now() + SECONDS * 1000;
  await Promise.all(
    cookies.map(async (cookie, i) => {
      let n = i;
      while (Date.now() < deadline) {
        const [group, path] = routes[n++ % routes.length];
        const r = await request('GET', path(), { cookie });
        samples.get(group).push(r.ms);
        if (r.status !== 200) {
          errors++;
          const k = r.error ?? String(r.status);
          errorKinds.set(k, (errorKinds.get(k) ?? 0) + 1);
        }
      }
    }),
  );
  const pct = (xs, p) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
  const all = [...samples.values()].flat().sort((a, b) => a - b);
  const clientCpu = process.cpuUsage(cpu0.clients);
  console.log(`\nCPU over the ${SECONDS} s: portal ${(portalCpu() - cpu0.portal).toFixed(1)} s, clients ${((clientCpu.user + clientCpu.system) / 1e6).toFixed(1)} s (2 cores: ${2 * SECONDS} s available)`);
  console.log(`machine load average (1 min) ${loadBefore.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after (the portal and these clients share the machine with whatever else runs)`);
  console.log(`${all.length} requests in ${SECONDS} s (${(all.length / SECONDS).toFixed(0)}/s), ${errors} errors${errors ? ` (${[...errorKinds].map(([k, v]) => `${k}: ${v}`).join(', ')})` : ''}`);
  console.log('route      requests   p50 ms   p95 ms   p99 ms   max ms');
  for (const [g, xs] of [...samples, ['all', all]]) {
    xs.sort((a, b) => a - b);
    console.log(`${g.padEnd(10)} ${String(xs.length).padStart(8)} ${pct(xs, 50).toFixed(1).padStart(8)} ${pct(xs, 95).toFixed(1).padStart(8)} ${pct(xs, 99).toFixed(1).padStart(8)} ${xs[xs.length - 1].toFixed(1).padStart(8)}`);
  }
  const catalogP95 = pct(samples.get('catalog').sort((a, b) => a - b), 95);
  console.log(`\ncatalog pages p95 ${catalogP95.toFixed(1)} ms (target <= 50 ms): ${catalogP95 <= 50 ? 'met' : 'NOT met'}; errors ${errors} (target 0): ${errors === 0 ? 'met' : 'NOT met'}`);
  process.exitCode = errors === 0 ? 0 : 1;
} finally {
  child.kill('SIGTERM');
  agent.destroy();
  await rm(work, { recursive: true, force: true });
}
