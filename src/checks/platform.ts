/**
 * `check` of a whole platform from its plinth.yaml: build the desired state
 * (a dependency cycle becomes the one finding, since nothing can be ordered),
 * render, and run every checker, the ones that need the rendered platform
 * included.
 */
import { CATALOG, type Component } from '../catalog/index.js';
import type { LoadedConfig } from '../config/load.js';
import type { PoolFootprint } from '../desired/footprint.js';
import { buildDesiredState, type DesiredState } from '../desired/state.js';
import { resolvePlatform } from '../desired/resolve.js';
import { cacheHas, requireChartCache, type ChartCache, type RenderCache } from '../helm/index.js';
import { CycleError } from '../lib/errors.js';
import type { Finding } from './finding.js';
import { checkFootprint, checkWorkNeeds, renderedFootprint } from './footprint.js';
import { type CheckReport, type ExtraChecker, podSources, runChecks } from './run.js';
import { readTenantUnits, TENANT_POOL } from '../tenants/service.js';
import { homePool } from '../model/profiles.js';
import { checkPlan } from '../planner/findings.js';
import { checkRepo } from './repo.js';
import { checkPolicies, type PolicySummaryRow } from './policy.js';
import { checkMirror } from './mirror.js';
import { buildHelmIndex } from '../mirror/helm-index.js';

export interface PlatformCheckOptions {
  helm: string;
  cache: ChartCache;
  catalog?: readonly Component[];
  renderCache?: RenderCache;
  /** Changes the desired state before checking (tests seed faults this way). */
  mutate?: (state: DesiredState) => DesiredState;
  /** Files of the GitOps repository, for its tenant services (`apps/<team>/<service>/`). */
  repoFiles?: ReadonlyMap<string, string>;
  /** Changes the repository the GitOps checks read (tests seed faults this way). */
  mutateRepo?: (files: Map<string, string>) => Map<string, string>;
}

export interface PlatformCheck {
  report: CheckReport;
  footprint?: PoolFootprint[];
  policy?: PolicySummaryRow[];
  state?: DesiredState;
}

export async function checkPlatform(loaded: LoadedConfig, opts: PlatformCheckOptions): Promise<PlatformCheck> {
  const catalog = opts.catalog ?? CATALOG;
  const platform = resolvePlatform(loaded, catalog);
  let state: DesiredState;
  try {
    state = buildDesiredState(platform, catalog);
  } catch (e) {
    if (!(e instanceof CycleError)) throw e;
    return { report: cycleReport(e) };
  }
  if (opts.mutate) state = opts.mutate(state);
  const platformState = state;
  if (opts.repoFiles) {
    const tenants = readTenantUnits(opts.repoFiles, Math.max(...state.units.map((u) => u.wave)), homePool(state.platform.profile, TENANT_POOL));
    state = { ...state, units: [...state.units, ...tenants] };
  }
  const sink: { footprint?: PoolFootprint[]; policy?: PolicySummaryRow[] } = {};
  const extra: ExtraChecker[] = [
    {
      name: 'footprint',
      run: (ctx) => {
        sink.footprint = renderedFootprint(ctx.state.platform, podSources(ctx));
        return [...checkFootprint(sink.footprint), ...checkWorkNeeds(ctx.rendered)];
      },
    },
    {
      name: 'policy',
      run: (ctx) => {
        const outcome = checkPolicies(ctx.state.units, podSources(ctx));
        sink.policy = outcome.summary;
        return outcome.findings;
      },
    },
    // The failure scenarios of seed 001 on the rendered pods (tenant services included).
    { name: 'plan', run: (ctx) => checkPlan(ctx.state, { rendered: podSources(ctx) }) },
    ...(opts.repoFiles ? [{ name: 'repo' as const, run: () => checkRepo(platformState, opts.repoFiles!) }] : []),
    ...(platform.config.charts?.mirror ? [{ name: 'mirror' as const, run: () => mirrorFindings(state, platform.config.charts.mirror!, opts.cache) }] : []),
  ];
  requireChartCache(opts.cache);
  const report = await runChecks(state, {
    helm: opts.helm,
    cache: opts.cache,
    ...(opts.renderCache ? { renderCache: opts.renderCache } : {}),
    extra,
    ...(opts.repoFiles ? { repoFiles: opts.repoFiles } : {}),
    ...(opts.mutateRepo ? { mutateRepo: opts.mutateRepo } : {}),
  });
  return { report, ...(sink.footprint ? { footprint: sink.footprint } : {}), ...(sink.policy ? { policy: sink.policy } : {}), state };
}

/** Against what `plinth charts serve` would serve from this chart cache. */
async function mirrorFindings(state: DesiredState, mirror: string, cache: ChartCache): Promise<Finding[]> {
  const index = await buildHelmIndex(cache.dir);
  return checkMirror(state.units, mirror, { charts: index.charts, hasFile: (name) => cacheHas(cache, name) });
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
  return { findings: [finding], counts: { graph: { error: 1, warning: 0, info: 0 } }, checkers: ['graph'] };
}
