/**
 * `plinth check`: every checker over the desired state and over each chart
 * rendered for real. Checkers return findings; this collects them in a
 * stable order with counts per checker.
 */
import { chartFile, hasChart, type ChartCache, type RenderCache, type RenderedUnit } from '../helm/index.js';
import { loadChartModel } from '../helm/chart-model.js';
import type { DesiredState } from '../desired/state.js';
import type { K8sObject } from '../model/k8s.js';
import type { Unit } from '../model/unit.js';
import { unitDir } from '../synth/layout.js';
import { synthesize } from '../synth/index.js';
import { valuesFileOf } from '../synth/argocd/units.js';
import { parseYamlStream } from '../lib/yaml.js';
import { manifestFileName } from '../synth/files.js';
import { type Finding, type Severity, sortFindings } from './finding.js';
import { checkGraph } from './graph.js';
import { checkNetwork } from './network/index.js';
import { checkWiring } from './wiring/index.js';
import { checkProjects } from './argocd.js';
import { checkArgoCdRepository } from './gitops/argocd.js';
import { checkFluxRepository } from './gitops/flux.js';
import { checkBootstrapNames, checkStartupDiscovery } from './gitops/bootstrap.js';
import { PLATFORM_BASE_UNIT } from '../desired/state.js';
import { PROJECTS_FILE, ROOT_APP_FILE } from '../synth/argocd/constants.js';
import { rootFile as fluxRootFile, sourceFile as fluxSourceFile } from '../synth/flux/constants.js';
import { checkHygiene, checkPlatformSettings } from './hygiene.js';
import { checkCertificateReloads } from './certificates.js';
import { renderForChecks } from './render.js';
import { checkSchemas } from './schema/index.js';
import { checkValues } from './values.js';
import { checkAvailability } from './availability/index.js';
import { auditWorkloads } from './workloads.js';
import { isWorkload } from './pods.js';
import { TENANT_STACK } from '../model/unit.js';

/** Checkers in the order they run and report. */
export const CHECKERS = ['render', 'values', 'budget', 'schema', 'graph', 'network', 'wiring', 'gitops', 'bootstrap', 'hygiene', 'availability', 'footprint', 'policy', 'plan', 'repo', 'mirror'] as const;
export type CheckerName = (typeof CHECKERS)[number];

export interface CheckContext {
  state: DesiredState;
  rendered: readonly RenderedUnit[];
  renderedByUnit: ReadonlyMap<string, readonly K8sObject[]>;
  fileOf(unit: Unit, obj: K8sObject): string | undefined;
}

/** A checker that needs the rendered platform (footprint, policy, plan), plugged in by the caller. */
export type ExtraChecker = { name: CheckerName; run(ctx: CheckContext): Promise<Finding[]> | Finding[] };

export interface CheckOptions {
  helm: string;
  cache: ChartCache;
  renderCache?: RenderCache;
  concurrency?: number;
  extra?: readonly ExtraChecker[];
  /** Files of a written repository: its tenant services (`apps/`) join what `plan` writes, for the GitOps checks. */
  repoFiles?: ReadonlyMap<string, string>;
  /** Changes the repository the GitOps checks read (tests seed faults this way). */
  mutateRepo?: (files: Map<string, string>) => Map<string, string>;
}

export interface CheckReport {
  findings: Finding[];
  counts: Record<string, Record<Severity, number>>;
  checkers: string[];
  /** What the checkers saw; absent when checking stopped before rendering (a dependency cycle). */
  context?: CheckContext;
}

export function glueFile(unit: Unit, obj: K8sObject): string {
  if (unit.stack === TENANT_STACK) return `apps/${unit.name}/manifests/`;
  return `${unitDir(unit)}/manifests/${manifestFileName(obj.kind, obj.metadata.name, obj.metadata.namespace, unit.namespace)}`;
}

/** The repository the GitOps checks read: what `plan` writes, and the tenant services of a written repository. */
export function repositoryFiles(state: DesiredState, opts: Pick<CheckOptions, 'repoFiles' | 'mutateRepo'>): Map<string, string> {
  const platformOnly = { ...state, units: state.units.filter((u) => u.stack !== TENANT_STACK) };
  const files = new Map(synthesize(platformOnly));
  for (const [path, text] of opts.repoFiles ?? []) if (path.startsWith('apps/')) files.set(path, text);
  return opts.mutateRepo ? opts.mutateRepo(files) : files;
}

/**
 * The engine's objects `plan` writes, checked like the rest: under Argo CD the
 * root Application, AppProjects, Applications and ApplicationSets; under Flux
 * the GitRepositories, Kustomizations, the tenants' access and every unit's
 * chart source and HelmRelease.
 */
export function bootstrapObjects(files: ReadonlyMap<string, string>): { component: string; file: string; object: K8sObject }[] {
  const fluxRelease = /^platform\/[^/]+\/([^/]+)\/release\.yaml$/;
  return [...files]
    .filter(([path]) => ((path.startsWith('bootstrap/') || path.startsWith('clusters/')) && path.endsWith('.yaml') && !path.endsWith('/values.yaml')) || fluxRelease.test(path))
    .flatMap(([file, text]) => (parseYamlStream(text) as K8sObject[]).filter(Boolean).map((object) => ({ component: fluxRelease.exec(file)?.[1] ?? '(bootstrap)', file, object })));
}

/** What `up` applies in its root phase: the AppProjects and the root Application, or Flux's GitRepository and root Kustomization. */
function rootObjects(files: ReadonlyMap<string, string>, platform: DesiredState['platform']): K8sObject[] {
  const roots = platform.choices.engine === 'flux' ? [fluxSourceFile(platform.name), fluxRootFile(platform.name)] : [PROJECTS_FILE, ROOT_APP_FILE];
  return roots.flatMap((f) => parseYamlStream(files.get(f) ?? '') as K8sObject[]);
}

/**
 * Everything that runs pods, as rendered units: the charts Helm rendered, and
 * the units made of plain manifests (tenant services), whose workloads are
 * their manifests. What the footprint, the planner and the policies look at.
 */
export function podSources(ctx: Pick<CheckContext, 'state' | 'rendered'>): RenderedUnit[] {
  const plain = ctx.state.units.filter((u) => !u.chart && !u.git && u.manifests.some(isWorkload));
  return [...ctx.rendered, ...plain.map((unit) => ({ unit, chartObjects: unit.manifests.filter(isWorkload), glue: unit.manifests.filter((m) => !isWorkload(m)) }))];
}

export async function runChecks(state: DesiredState, opts: CheckOptions): Promise<CheckReport> {
  const units = state.units;
  const render = await renderForChecks(units, { helm: opts.helm, cache: opts.cache, ...(opts.renderCache ? { renderCache: opts.renderCache } : {}), ...(opts.concurrency ? { concurrency: opts.concurrency } : {}) });
  const renderedByUnit = new Map(render.rendered.map((r) => [r.unit.name, r.chartObjects]));
  const ctx: CheckContext = { state, rendered: render.rendered, renderedByUnit, fileOf: glueFile };
  const by: Record<string, Finding[]> = { render: render.findings };

  by.values = [];
  for (const u of units) {
    if (!u.chart || !renderedByUnit.has(u.name)) continue;
    const file = chartFile(opts.cache, u.chart);
    const renderCache = opts.renderCache;
    const model = await (renderCache ? renderCache.memo(`chart-model:${file}`, () => renderCache.fromFile(file, ['chart-model'], () => loadChartModel(file))) : loadChartModel(file));
    by.values.push(...checkValues(u, model, valuesFileOf(u)));
  }
  by.budget = render.rendered.flatMap((r) => auditWorkloads(r.unit, r.chartObjects));
  const compiled = opts.renderCache?.memo('crd-validators', () => new Map());
  const files = repositoryFiles(state, opts);
  by.schema = await checkSchemas({ units, rendered: renderedByUnit, fileOf: glueFile, extra: bootstrapObjects(files), ...(compiled ? { compiled } : {}) });
  by.graph = [...checkGraph({ units, rendered: renderedByUnit }), ...checkProjects(state.platform, units, renderedByUnit)];
  by.network = checkNetwork(units, render.rendered, renderedByUnit);
  by.wiring = checkWiring({ units, rendered: renderedByUnit });
  const engine = state.platform.choices.engine;
  by.gitops =
    engine === 'argocd'
      ? checkArgoCdRepository({ units, files, rendered: renderedByUnit })
      : checkFluxRepository({ platform: state.platform, units, files, hasChart: (chart, version) => hasChart(opts.cache, { chart, version }) });
  const bootstrap = { units, rendered: renderedByUnit, baseUnit: PLATFORM_BASE_UNIT, engine, root: rootObjects(files, state.platform), files };
  by.bootstrap = [...checkBootstrapNames(bootstrap), ...checkStartupDiscovery(bootstrap)];
  by.hygiene = [...checkHygiene({ units, rendered: renderedByUnit, secretsProvider: state.platform.choices.secrets }), ...checkPlatformSettings(state.platform, units), ...checkCertificateReloads(units, renderedByUnit)];
  by.availability = checkAvailability(state, podSources(ctx));
  for (const extra of opts.extra ?? []) by[extra.name] = [...(by[extra.name] ?? []), ...(await extra.run(ctx))];

  const checkers = CHECKERS.filter((c) => by[c] !== undefined);
  const counts: CheckReport['counts'] = {};
  for (const c of checkers) {
    counts[c] = { error: 0, warning: 0, info: 0 };
    for (const f of by[c]!) counts[c][f.severity]++;
  }
  return { findings: sortFindings(checkers.flatMap((c) => by[c]!)), counts, checkers, context: ctx };
}
