/**
 * `plinth check [--config FILE] [--format text|json|sarif|markdown] [--fail-on error|warning] [--charts DIR]`:
 * prove the platform sound offline. Exit 0 when no finding reaches --fail-on,
 * 1 otherwise, 2 on a usage or config error.
 */
import { readFile } from 'node:fs/promises';
import { CATALOG } from '../../catalog/index.js';
import type { Finding } from '../../checks/finding.js';
import { checkFootprint, renderedFootprint } from '../../checks/footprint.js';
import { type CheckReport, type ExtraChecker, runChecks } from '../../checks/run.js';
import { desiredState } from '../../desired/index.js';
import { resolvePlatform } from '../../desired/resolve.js';
import type { PoolFootprint } from '../../desired/footprint.js';
import { findHelm, locateChartCache } from '../../helm/index.js';
import { CycleError, UsageError } from '../../lib/errors.js';
import { checkJson } from '../../report/check-json.js';
import { checkMarkdown } from '../../report/check-markdown.js';
import { checkSarif } from '../../report/check-sarif.js';
import { checkText } from '../../report/check-text.js';
import type { CommandSpec } from '../command.js';
import { loadConfigFor } from '../config-arg.js';

const FORMATS = ['text', 'json', 'sarif', 'markdown'] as const;
const FAIL_ON = ['error', 'warning'] as const;

/** Checkers that need the rendered platform, beyond those `runChecks` always runs. */
export function extraCheckers(sink: { footprint?: PoolFootprint[] }): ExtraChecker[] {
  return [
    {
      name: 'footprint',
      run: (ctx) => {
        sink.footprint = renderedFootprint(ctx.state.platform, ctx.rendered);
        return checkFootprint(sink.footprint);
      },
    },
  ];
}

function cycleReport(e: CycleError): CheckReport {
  const finding: Finding = {
    check: 'graph',
    severity: 'error',
    source: { component: e.cycle[0]! },
    path: 'dependsOn',
    message: `dependency cycle: ${e.cycle.join(' -> ')}`,
    hint: 'remove one of these dependencies; nothing else can be checked until the order exists',
  };
  return { findings: [finding], counts: { graph: { error: 1, warning: 0, info: 0 } }, checkers: ['graph'], context: undefined as never };
}

export const checkCommand: CommandSpec = {
  name: 'check',
  summary: 'prove the platform sound offline: render, values, schemas, graph, hygiene, footprint',
  usage: 'plinth check [--config FILE] [--format text|json|sarif|markdown] [--fail-on error|warning] [--charts DIR]',
  options: {
    config: { type: 'string', description: 'plinth.yaml to use (default: ./plinth.yaml, else the built-in edge example)' },
    format: { type: 'string', description: `output format: ${FORMATS.join(', ')} (default text)` },
    'fail-on': { type: 'string', description: 'lowest severity that fails the run: error (default) or warning' },
    charts: { type: 'string', description: 'chart cache folder (default: PLINTH_CHARTS, else ../shared/charts, else the user cache)' },
  },
  async run(io, args) {
    const format = (args.values.format as string | undefined) ?? 'text';
    if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format: got ${JSON.stringify(format)}; expected one of: ${FORMATS.join(', ')}`);
    const failOn = (args.values['fail-on'] as string | undefined) ?? 'error';
    if (!(FAIL_ON as readonly string[]).includes(failOn)) throw new UsageError(`--fail-on: got ${JSON.stringify(failOn)}; expected one of: ${FAIL_ON.join(', ')}`);
    const env = args.values.charts ? { ...io.env, PLINTH_CHARTS: args.values.charts as string } : io.env;

    const loaded = await loadConfigFor(io, args.values.config as string | undefined);
    const sink: { footprint?: PoolFootprint[] } = {};
    let report: CheckReport;
    let platformName = loaded.config.cluster.name;
    try {
      const state = desiredState(loaded);
      platformName = state.platform.name;
      const cache = locateChartCache(env);
      const helm = (await findHelm(env)).path;
      report = await runChecks(state, { helm, cache, extra: extraCheckers(sink) });
    } catch (e) {
      if (!(e instanceof CycleError)) throw e;
      resolvePlatform(loaded, CATALOG);
      report = cycleReport(e);
    }

    const version = (JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
    const text =
      format === 'json'
        ? checkJson(report, sink.footprint)
        : format === 'sarif'
          ? checkSarif(report, version)
          : format === 'markdown'
            ? checkMarkdown(report, platformName, sink.footprint)
            : checkText(report, sink.footprint);
    io.stdout.write(text);
    const failing = report.findings.some((f) => f.severity === 'error' || (failOn === 'warning' && f.severity === 'warning'));
    return failing ? 1 : 0;
  },
};
