/** `plinth charts list|pull`: where the chart cache is, what it holds, and filling it from the internet. */
import { existsSync } from 'node:fs';
import { CATALOG } from '../../catalog/index.js';
import { chartFile, findHelm, locateChartCache, manifestFile } from '../../helm/index.js';
import { pullChart, pullManifest, type PullResult } from '../../helm/pull.js';
import type { ChartSource, GitSource } from '../../model/unit.js';
import { table } from '../../lib/table.js';
import type { CommandSpec } from '../command.js';
import { EXIT, UsageError } from '../../lib/errors.js';
import { startChartMirror } from '../../mirror/server.js';
import { buildHelmIndex } from '../../mirror/helm-index.js';
import { readServedMirror } from '../../mirror/served.js';
import { checkMirror, checkServedMirror } from '../../checks/mirror.js';
import { desiredState } from '../../desired/index.js';
import { loadConfigFor } from '../config-arg.js';
import { join } from 'node:path';

function pinned(): { name: string; chart?: ChartSource; git?: GitSource }[] {
  return CATALOG.flatMap((c) => (c.chart || c.git ? [{ name: c.name, ...(c.chart ? { chart: c.chart } : {}), ...(c.git ? { git: c.git } : {}) }] : []));
}

const listCommand: CommandSpec = {
  name: 'list',
  summary: 'show the chart cache and which pinned charts it holds',
  usage: 'plinth charts list',
  options: {},
  async run(io) {
    const cache = locateChartCache(io.env);
    io.stdout.write(`chart cache: ${cache.dir} (${cache.origin})\n\n`);
    const rows = pinned().map((p) => {
      const file = p.chart ? chartFile(cache, p.chart) : manifestFile(cache, p.git!);
      const what = p.chart ? `${p.chart.chart} ${p.chart.version}` : `${p.git!.repoUrl} ${p.git!.path} @ ${p.git!.ref}`;
      return [p.name, what, existsSync(file) ? 'present' : 'missing'];
    });
    io.stdout.write(`${table(['component', 'source', 'cache'], rows)}\n`);
    const missing = rows.filter((r) => r[2] === 'missing').length;
    io.stdout.write(missing === 0 ? '\nEvery pinned chart is in the cache.\n' : `\n${missing} missing: run \`plinth charts pull\` on a machine with internet, or set PLINTH_CHARTS.\n`);
    return missing === 0 ? 0 : 1;
  },
};

const pullCommand: CommandSpec = {
  name: 'pull',
  summary: 'download the pinned charts from their public repositories into the cache',
  usage: 'plinth charts pull',
  options: {},
  async run(io) {
    const cache = locateChartCache(io.env);
    const helm = (await findHelm(io.env)).path;
    const results: { name: string; result: PullResult }[] = [];
    for (const p of pinned()) {
      const result = p.chart ? await pullChart(helm, cache, p.chart) : await pullManifest(cache, p.git!);
      results.push({ name: p.name, result });
      io.stdout.write(`${result.status.padEnd(7)} ${p.name}: ${result.file}${result.message ? `\n        ${result.message}` : ''}\n`);
    }
    const failed = results.filter((r) => r.result.status === 'failed').length;
    io.stdout.write(failed === 0 ? `Chart cache ready: ${cache.dir}\n` : `${failed} could not be pulled.\n`);
    // A chart that could not be downloaded is a network or registry failure: exit 3.
    return failed === 0 ? EXIT.ok : EXIT.failure;
  },
};

const serveCommand: CommandSpec = {
  name: 'serve',
  summary: 'serve the chart cache as a Helm repository (and upstream manifests as Git repositories) until stopped',
  usage: 'plinth charts serve [--port N] [--host 127.0.0.1] [--charts DIR]',
  options: {
    port: { type: 'string', description: 'port to listen on (default 8879; 0 picks a free one)' },
    host: { type: 'string', description: 'address to listen on (default 127.0.0.1)' },
    charts: { type: 'string', description: 'chart cache folder (default: PLINTH_CHARTS, else ../shared/charts, else the user cache)' },
  },
  async run(io, args) {
    const portArg = (args.values.port as string | undefined) ?? '8879';
    const port = Number(portArg);
    if (!/^\d+$/.test(portArg) || port > 65535) throw new UsageError(`--port: got ${JSON.stringify(portArg)}; expected a port number from 0 to 65535`);
    const host = (args.values.host as string | undefined) ?? '127.0.0.1';
    const cache = locateChartCache(args.values.charts ? { ...io.env, PLINTH_CHARTS: args.values.charts as string } : io.env);
    if (!existsSync(cache.dir)) throw new UsageError(`the chart cache ${cache.dir} (${cache.origin}) does not exist; set PLINTH_CHARTS or --charts, or run \`plinth charts pull\``);
    let mirror;
    try {
      mirror = await startChartMirror({ cache, host, port, gitSources: pinned().flatMap((p) => (p.git ? [p.git] : [])) });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') throw new UsageError(`cannot listen on ${host}:${port} (${code}); choose another --port or --host`);
      throw e;
    }
    io.stdout.write(`Serving the chart cache ${cache.dir} at ${mirror.url}\n`);
    io.stdout.write(`  ${mirror.index.charts.length} charts (index.yaml), ${mirror.manifests.length} manifest files, ${mirror.git.repos.length} Git repositories (${mirror.git.repos.map((r) => `${mirror.url}/${r.path}`).join(', ')})\n`);
    for (const s of mirror.index.skipped) io.stderr.write(`warning: ${s.file} is not served: ${s.reason}\n`);
    for (const s of mirror.git.skipped) io.stderr.write(`warning: ${s.source.repoUrl} @ ${s.source.ref} is not served: ${s.reason}\n`);
    io.stdout.write(`Set \`charts: { mirror: ${mirror.url} }\` in plinth.yaml to pull from it. Stop with Ctrl-C.\n`);
    await new Promise<void>((resolveStop) => {
      process.once('SIGINT', () => resolveStop());
      process.once('SIGTERM', () => resolveStop());
    });
    await mirror.close();
    io.stdout.write('Stopped.\n');
    return 0;
  },
};

const verifyCommand: CommandSpec = {
  name: 'verify',
  summary: 'ask the running chart mirror (charts.mirror) whether it serves every pinned chart, byte for byte, and every upstream manifest tag',
  usage: 'plinth charts verify [--config FILE] [--charts DIR]',
  options: {
    config: { type: 'string', description: 'plinth.yaml naming charts.mirror (default: ./plinth.yaml)' },
    charts: { type: 'string', description: 'the local chart cache to compare with (default: PLINTH_CHARTS, else ../shared/charts, else the user cache)' },
  },
  async run(io, args) {
    const loaded = await loadConfigFor(io, args.values.config as string | undefined);
    const mirror = loaded.config.charts.mirror;
    if (!mirror) throw new UsageError(`${loaded.file} sets no charts.mirror: nothing to verify`);
    const cache = locateChartCache(args.values.charts ? { ...io.env, PLINTH_CHARTS: args.values.charts as string } : io.env);
    const state = desiredState(loaded);
    const index = await buildHelmIndex(cache.dir);
    const local = { charts: index.charts, hasFile: (name: string) => existsSync(join(cache.dir, name)) };
    const served = await readServedMirror(mirror, state.units.flatMap((u) => (u.git ? [u.git.repoUrl] : [])));
    if (served.indexError) io.stderr.write(`error: ${mirror}/index.yaml: ${served.indexError}\n`);
    const findings = [...checkMirror(state.units, mirror, local), ...checkServedMirror(state.units, mirror, local, served)];
    for (const f of findings) io.stdout.write(`${f.severity} ${f.source?.component}: ${f.message}${f.hint ? `\n    hint: ${f.hint}` : ''}\n`);
    const pinnedCount = state.units.filter((u) => u.chart || u.git).length;
    io.stdout.write(findings.length === 0 ? `The mirror ${mirror} serves all ${pinnedCount} pinned charts and manifest sources.\n` : `${findings.length} problem${findings.length === 1 ? '' : 's'} with the mirror ${mirror}.\n`);
    // A mirror that does not answer is an I/O failure (3); what it lacks are findings (1).
    return served.indexError ? EXIT.failure : findings.length === 0 ? EXIT.ok : EXIT.findings;
  },
};

export const chartsCommand: CommandSpec = {
  name: 'charts',
  summary: 'the chart cache: list what it holds, pull what is missing, serve it as a mirror, verify a mirror',
  usage: 'plinth charts list|pull|serve|verify',
  options: {},
  subcommands: [listCommand, pullCommand, serveCommand, verifyCommand],
};
