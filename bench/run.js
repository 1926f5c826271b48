#!/usr/bin/env node
// `npm run bench`: how long Plinth's own work takes next to the work it cannot avoid, each
// figure next to its goal (issue 17). Times are medians of PLINTH_BENCH_RUNS runs (default 3;
// the 10,000-service row runs once). Every Plinth figure below is cold unless it says warm:
// a fresh render-cache folder, so Helm renders every chart, as on a first `check`.
//  1. plan + check of each profile (edge, standard, lab) next to bare `helm template` of the
//     same charts with the same values and as many Helm processes at a time, in the same run.
//  2. `plan` of the edge platform as a user runs it (a process), with Node's start-up apart.
//  3. peak RSS of a `plinth check` process on a planned edge repository.
//  4. check with 1,000 and 10,000 tenant services (charts rendered once and reused).
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkPlatform } from '../dist/checks/platform.js';
import { parseConfig } from '../dist/config/load.js';
import { starterConfig } from '../dist/config/starter.js';
import { desiredState, SHARED_REFS } from '../dist/desired/index.js';
import { writeRepo } from '../dist/gitops/writer.js';
import { findHelm, helmTemplate, locateChartCache, requireChart, RenderCache, servedApiVersions } from '../dist/helm/index.js';
import { synthesize } from '../dist/synth/index.js';
import { tenantServiceFiles } from '../dist/tenants/service.js';

const RUNS = Number(process.env.PLINTH_BENCH_RUNS ?? 3);
const CORES = availableParallelism();
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'bin', 'plinth.js');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (n) => `${n.toFixed(0)} ms`;
const verdict = (ok) => (ok ? 'met' : 'NOT met');
const goal = (label, figure, target, ok) => console.log(`   ${label}: ${figure}   goal ${target}: ${verdict(ok)}`);

async function timed(fn) {
  const start = process.hrtime.bigint();
  const value = await fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}
const temp = () => mkdtemp(join(tmpdir(), 'plinth-bench-'));

/** A process: its wall time, and its peak RSS when it reports one on stderr (`RSS <kB>`). */
function processRun(args, cwd, env = process.env) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (b) => (err += b));
    child.on('error', reject);
    child.on('close', (code) => {
      const rss = /RSS (\d+)/.exec(err);
      resolve({ code, ms: Number(process.hrtime.bigint() - start) / 1e6, rssKb: rss ? Number(rss[1]) : undefined, stderr: err });
    });
  });
}

const env = process.env;
const helm = (await findHelm(env)).path;
const cache = locateChartCache(env);
console.log(`Plinth benchmark: ${CORES} cores (nproc), ${RUNS} runs each, Helm ${helm}`);

// 1. plan + check vs bare helm template, interleaved so both see the same machine.
async function profileRow(profile) {
  const loaded = parseConfig(starterConfig(profile), 'plinth.yaml');
  const state = desiredState(loaded);
  const charted = state.units.filter((u) => u.chart);
  const apiVersions = servedApiVersions(state.units);
  const bare = [];
  const cold = [];
  const warm = [];
  let findings = 0;
  for (let i = 0; i < RUNS; i++) {
    bare.push(
      (
        await timed(async () => {
          let next = 0;
          const worker = async () => {
            while (next < charted.length) {
              const u = charted[next++];
              await helmTemplate({ helm, chartFile: requireChart(cache, u.chart), release: u.name, namespace: u.namespace, values: u.values, apiVersions });
            }
          };
          await Promise.all(Array.from({ length: CORES }, worker));
        })
      ).ms,
    );
    const out = await temp();
    const store = join(out, 'renders');
    const planCheck = () =>
      timed(async () => {
        await writeRepo(join(out, 'gitops'), synthesize(desiredState(loaded)));
        return checkPlatform(loaded, { helm, cache, renderCache: new RenderCache({ dir: store }) });
      });
    const c = await planCheck();
    cold.push(c.ms);
    findings = c.value.report.findings.length;
    await rm(join(out, 'gitops'), { recursive: true, force: true });
    warm.push((await planCheck()).ms);
    await rm(out, { recursive: true, force: true });
  }
  return { profile, units: state.units.length, charts: charted.length, bare: median(bare), cold: median(cold), warm: median(warm), findings };
}

console.log('');
console.log(`1. plan + check vs bare helm template of the same charts (${CORES} at a time, as check renders)`);
for (const profile of ['edge', 'standard', 'lab']) {
  const r = await profileRow(profile);
  console.log(` ${r.profile}: ${r.units} units, ${r.charts} charts; ${r.findings} findings`);
  console.log(`   bare helm template: ${ms(r.bare)}; plinth plan + check cold: ${ms(r.cold)}; warm (render cache filled): ${ms(r.warm)} (ratio ${(r.warm / r.bare).toFixed(2)})`);
  goal('ratio cold plan+check / bare helm', (r.cold / r.bare).toFixed(2), '<= 1.5', r.cold / r.bare <= 1.5);
}

// 2. plan as a process; start-up measured as `plinth --version` (Node's own start and the CLI's entry, which loads no command: each command's modules load when it runs, so loading plan's modules counts as plan's work).
const plans = [];
const startups = [];
for (let i = 0; i < RUNS; i++) {
  const cwd = await temp();
  startups.push((await processRun([cli, '--version'], cwd)).ms);
  const r = await processRun([cli, 'plan', '--out', join(cwd, 'out')], cwd);
  if (r.code !== 0) throw new Error(`plan failed: ${r.stderr}`);
  plans.push(r.ms);
  await rm(cwd, { recursive: true, force: true });
}
console.log('');
console.log('2. plinth plan of the edge platform, as a process');
goal('plan wall', `${ms(median(plans))} (start-up ${ms(median(startups))}, plan's own work ${ms(median(plans) - median(startups))})`, '<= 1000 ms', median(plans) <= 1000);

// 3. peak RSS of check (cold render cache) on a planned repository.
{
  const cwd = await temp();
  await processRun([cli, 'plan', '--out', join(cwd, 'gitops')], cwd);
  const rssEnv = { ...env, PLINTH_RENDER_CACHE: join(cwd, 'renders') };
  const rss = [];
  for (let i = 0; i < RUNS; i++) {
    await rm(join(cwd, 'renders'), { recursive: true, force: true });
    const r = await processRun(['--import', join(root, 'bench', 'rss.js'), cli, 'check', '--repo', join(cwd, 'gitops')], cwd, rssEnv);
    rss.push(r.rssKb ?? NaN);
  }
  await rm(cwd, { recursive: true, force: true });
  console.log('');
  console.log('3. plinth check of the planned edge repository, as a process (cold render cache)');
  goal('peak RSS', `${(median(rss) / 1024).toFixed(0)} MB`, '<= 300 MB', median(rss) / 1024 <= 300);
}

// 4. check growth with tenant services. Charts render once (shared cache), so the
//    difference is what the services themselves cost.
const loaded = parseConfig(starterConfig(), 'plinth.yaml');
const state = desiredState(loaded);
const repo = { url: loaded.config.gitops.repo.url, branch: loaded.config.gitops.repo.branch };
function tenants(n) {
  const files = new Map(synthesize(state));
  for (let i = 0; i < n; i++) {
    const name = `svc-${String(i).padStart(5, '0')}`;
    for (const [p, t] of tenantServiceFiles(state.platform, SHARED_REFS, repo, { team: 'team-a', name, image: `ghcr.io/team-a/${name}:1.0.${i}`, port: 8080 })) files.set(p, t);
  }
  return files;
}
const renderCache = new RenderCache();
await checkPlatform(loaded, { helm, cache, renderCache }); // warm: charts and chart models, in memory
const results = new Map();
for (const [n, runs] of [[1000, RUNS], [10000, 1]]) {
  const files = tenants(n);
  const times = [];
  let report;
  for (let i = 0; i < runs; i++) {
    const run = await timed(() => checkPlatform(loaded, { helm, cache, renderCache, repoFiles: files }));
    times.push(run.ms);
    report = run.value.report;
  }
  const objects = report.context.state.units.filter((u) => u.stack === 'apps').reduce((sum, u) => sum + u.manifests.length, 0);
  results.set(n, { ms: median(times), objects, findings: report.findings.length });
}
console.log('');
console.log('4. check with synthetic tenant services (charts rendered once and reused)');
const small = results.get(1000);
const large = results.get(10000);
goal(`1,000 services (${small.objects} objects, ${small.findings} findings)`, ms(small.ms), '<= 5000 ms', small.ms <= 5000);
goal(`10,000 services (${large.objects} objects, ${large.findings} findings)`, ms(large.ms), '<= 50000 ms', large.ms <= 50000);
goal('growth 10,000 / 1,000', (large.ms / small.ms).toFixed(2), '<= 11 (linear is 10)', large.ms / small.ms <= 11);
