/** `plinth charts list|pull`: where the chart cache is, what it holds, and filling it from the internet. */
import { existsSync } from 'node:fs';
import { CATALOG } from '../../catalog/index.js';
import { chartFile, findHelm, locateChartCache, manifestFile } from '../../helm/index.js';
import { pullChart, pullManifest, type PullResult } from '../../helm/pull.js';
import type { ChartSource, GitSource } from '../../model/unit.js';
import { table } from '../../lib/table.js';
import type { CommandSpec } from '../command.js';

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
    return failed === 0 ? 0 : 1;
  },
};

export const chartsCommand: CommandSpec = {
  name: 'charts',
  summary: 'the chart cache: list what it holds, pull what is missing',
  usage: 'plinth charts list|pull',
  options: {},
  subcommands: [listCommand, pullCommand],
};
