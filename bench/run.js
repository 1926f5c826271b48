#!/usr/bin/env node
// `npm run bench`: how long Plinth's own work takes next to the work it cannot avoid.
//  1. plan + check of the edge platform, next to bare `helm template` of the same charts with
//     the same values, in the same run: the ratio says what Plinth adds on top of Helm.
//  2. check with 100 and 1,000 synthetic tenant services (apps/<team>/<service>/): the growth
//     ratio says how check scales with the size of the repository (10x services).
// Times are medians of several runs; what to compare are the ratios and the counts.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkPlatform } from '../dist/checks/platform.js';
import { parseConfig } from '../dist/config/load.js';
import { starterConfig } from '../dist/config/starter.js';
import { desiredState, SHARED_REFS } from '../dist/desired/index.js';
import { writeRepo } from '../dist/gitops/writer.js';
import { findHelm, helmTemplate, locateChartCache, requireChart, RenderCache, servedApiVersions } from '../dist/helm/index.js';
import { synthesize } from '../dist/synth/index.js';
import { tenantServiceFiles } from '../dist/tenants/service.js';

const RUNS = Number(process.env.PLINTH_BENCH_RUNS ?? 3);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (n) => `${n.toFixed(0)} ms`;

async function timed(fn) {
  const start = process.hrtime.bigint();
  const value = await fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

const env = process.env;
const helm = (await findHelm(env)).path;
const cache = locateChartCache(env);
const loaded = parseConfig(starterConfig(), 'plinth.yaml');
const state = desiredState(loaded);
const charted = state.units.filter((u) => u.chart);
const apiVersions = servedApiVersions(state.units);

console.log(`Plinth benchmark: edge platform, ${state.units.length} units (${charted.length} charts), ${RUNS} runs each, Helm ${helm}`);

// 1. plan + check vs bare helm template, interleaved so both see the same machine.
const bare = [];
const plinth = [];
let findings = 0;
for (let i = 0; i < RUNS; i++) {
  // Bare Helm with the same two renders at a time that check uses.
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
        await Promise.all([worker(), worker()]);
      })
    ).ms,
  );
  const out = await mkdtemp(join(tmpdir(), 'plinth-bench-'));
  const run = await timed(async () => {
    await writeRepo(join(out, 'gitops'), synthesize(desiredState(loaded)));
    return checkPlatform(loaded, { helm, cache });
  });
  findings = run.value.report.findings.length;
  plinth.push(run.ms);
  await rm(out, { recursive: true, force: true });
}
const bareMs = median(bare);
const plinthMs = median(plinth);
console.log('');
console.log('1. plan + check of the edge platform vs bare helm template of the same charts');
console.log(`   helm template x ${charted.length} charts (two at a time, as check renders): ${ms(bareMs)}`);
console.log(`   plinth plan + check (render, values, budget, schema, graph, hygiene, footprint, policy, plan): ${ms(plinthMs)}; ${findings} findings`);
console.log(`   ratio plan+check / bare helm: ${(plinthMs / bareMs).toFixed(2)}`);

// 2. check growth with tenant services. Charts render once (shared cache), so the
//    difference is what the services themselves cost.
const platform = state.platform;
const repo = { url: loaded.config.gitops.repo.url, branch: loaded.config.gitops.repo.branch };
// A repository as plan writes it, plus n tenant services written the golden-path way.
function tenants(n) {
  const files = new Map(synthesize(state));
  for (let i = 0; i < n; i++) {
    const name = `svc-${String(i).padStart(4, '0')}`;
    for (const [p, t] of tenantServiceFiles(platform, SHARED_REFS, repo, { team: 'team-a', name, image: `ghcr.io/team-a/${name}:1.0.${i}`, port: 8080 })) files.set(p, t);
  }
  return files;
}
const renderCache = new RenderCache();
await checkPlatform(loaded, { helm, cache, renderCache }); // warm: charts, chart models, CRD validators
const sizes = [100, 1000];
const results = new Map();
for (const n of sizes) {
  const files = tenants(n);
  const times = [];
  let report;
  for (let i = 0; i < RUNS; i++) {
    const run = await timed(() => checkPlatform(loaded, { helm, cache, renderCache, repoFiles: files }));
    times.push(run.ms);
    report = run.value.report;
  }
  const objects = report.context.state.units.filter((u) => u.stack === 'apps').reduce((sum, u) => sum + u.manifests.length, 0);
  results.set(n, { ms: median(times), objects, findings: report.findings.length });
}
console.log('');
console.log('2. check with synthetic tenant services (charts rendered once and reused)');
for (const [n, r] of results) console.log(`   ${String(n).padStart(5)} services, ${r.objects} objects: ${ms(r.ms)}; ${r.findings} findings`);
const [small, large] = sizes.map((n) => results.get(n));
console.log(`   growth ratio for 10x services: ${(large.ms / small.ms).toFixed(2)} (linear would be 10)`);
