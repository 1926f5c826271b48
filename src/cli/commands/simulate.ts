/**
 * `plinth simulate [--config FILE] [--scenario NAME|all] [--fail NODE[,NODE]]
 * [--format text|json|svg] [--offline] [--jobs]`: schedule the platform's pods
 * onto its nodes as kube-scheduler would, healthy and in failure scenarios.
 * Pods come from the charts rendered by Helm when the chart cache is there,
 * else (or with --offline) from the budgets the components declare.
 */
import type { LoadedConfig } from '../../config/load.js';
import { desiredState, type DesiredState } from '../../desired/index.js';
import { findHelm, HelmError, locateChartCache, type RenderedUnit, renderUnits } from '../../helm/index.js';
import { ChartCacheError, ToolError, UsageError } from '../../lib/errors.js';
import { declaredInput, renderedInput } from '../../planner/input.js';
import { SCENARIO_NAMES_HELP, selectScenarios } from '../../planner/scenarios.js';
import { simulate } from '../../planner/simulate.js';
import { simulationSvg } from '../../planner/svg.js';
import { simulationText } from '../../planner/text.js';
import type { PlanInput } from '../../planner/types.js';
import type { CommandSpec } from '../command.js';
import { loadConfigFor } from '../config-arg.js';
import type { CliIO } from '../io.js';

const FORMATS = ['text', 'json', 'svg'] as const;

export interface SimulateDeps {
  desired(loaded: LoadedConfig): DesiredState;
  /** The units rendered by Helm; throws ChartCacheError or ToolError when charts or Helm are not at hand. */
  render(state: DesiredState, env: NodeJS.ProcessEnv): Promise<RenderedUnit[]>;
}

async function renderWithHelm(state: DesiredState, env: NodeJS.ProcessEnv): Promise<RenderedUnit[]> {
  const cache = locateChartCache(env);
  const helm = await findHelm(env);
  return renderUnits(state.units, { helm: helm.path, cache });
}

/** Rendered pods when possible; declared budgets (with a note why) otherwise. */
async function planInput(io: CliIO, deps: SimulateDeps, state: DesiredState, opts: { offline: boolean; includeJobs: boolean }): Promise<PlanInput> {
  if (opts.offline) return declaredInput(state, opts);
  try {
    return renderedInput(state, await deps.render(state, io.env), opts);
  } catch (error) {
    if (error instanceof HelmError || !(error instanceof ChartCacheError || error instanceof ToolError)) throw error;
    io.stderr.write(`Charts not rendered (${error.message}); simulating with the budgets the components declare.\n`);
    return declaredInput(state, opts);
  }
}

function listOption(v: unknown): string[] {
  const items = Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
  return items.flatMap((s) => String(s).split(',')).map((s) => s.trim()).filter((s) => s !== '');
}

export function makeSimulateCommand(deps: SimulateDeps): CommandSpec {
  return {
    name: 'simulate',
    summary: 'schedule the platform onto its nodes, healthy and with nodes lost (seed 001 scenarios)',
    usage: 'plinth simulate [--config FILE] [--scenario NAME|all] [--fail NODE[,NODE]] [--format text|json|svg] [--offline] [--jobs]',
    options: {
      config: { type: 'string', description: 'plinth.yaml to use (default: ./plinth.yaml, else the built-in edge example)' },
      scenario: { type: 'string', description: `${SCENARIO_NAMES_HELP} (default: all)` },
      fail: { type: 'string', multiple: true, description: 'also simulate losing these nodes (comma-separated)' },
      format: { type: 'string', description: 'text (default), json, or svg (one picture, a panel per scenario)' },
      offline: { type: 'boolean', description: 'do not render the charts: use the budgets the components declare' },
      jobs: { type: 'boolean', description: 'schedule Jobs and CronJobs too' },
    },
    async run(io: CliIO, args) {
      const format = (args.values.format as string | undefined) ?? 'text';
      if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format: got ${JSON.stringify(format)}; expected one of: ${FORMATS.join(', ')}`);
      const loaded = await loadConfigFor(io, args.values.config as string | undefined);
      const state = deps.desired(loaded);
      const input = await planInput(io, deps, state, { offline: args.values.offline === true, includeJobs: args.values.jobs === true });
      const scenarios = selectScenarios(input.nodes, { scenario: args.values.scenario as string | undefined, fail: listOption(args.values.fail) });
      const report = simulate(input, scenarios);
      if (format === 'json') io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else if (format === 'svg') io.stdout.write(simulationSvg(report));
      else io.stdout.write(simulationText(report));
      return 0;
    },
  };
}

export const simulateCommand = makeSimulateCommand({ desired: (loaded) => desiredState(loaded), render: renderWithHelm });
