/**
 * `plinth up`: the whole platform onto a cluster, in order, idempotent and
 * resumable. Every step reads the cluster before it writes, so a second run
 * writes nothing and an interrupted run picks up where it stopped. With
 * `dryRun`, the same steps print the ordered plan and what would change.
 */
import type { DesiredState } from '../../desired/index.js';
import { BOOTSTRAP_PHASES, type BootstrapPhaseKey } from '../../desired/bootstrap.js';
import { engineOf } from './engine.js';
import type { OpsContext } from '../context.js';
import { credentialValues } from './credentials.js';
import { endpointLines, followApplications } from './follow.js';
import { type Tally, type UpOptions, UpRun } from './run.js';
import { network, nodePools, preflight } from './steps-cluster.js';
import { repositoryCredentials, projectsAndRoot } from './steps-gitops.js';
import { customResourceDefinitions, gitopsEngine, platformBase } from './steps-platform.js';

export type { UpOptions, Tally } from './run.js';
export { PreflightError } from './steps-cluster.js';
export { engineStatus } from './steps-platform.js';
export { bootstrapObjects } from './steps-gitops.js';
export { endpointLines } from './follow.js';

/** Titles of the phases that differ between the engines. */
const TITLES: Record<'argocd' | 'flux', Partial<Record<BootstrapPhaseKey, string>>> = {
  argocd: {
    engine: 'GitOps engine (Argo CD)',
    root: 'AppProjects and the root Application',
    follow: 'Applications, wave by wave',
  },
  flux: {
    engine: 'GitOps engine (Flux)',
    root: 'the GitRepository and the root Kustomization',
    follow: 'Kustomizations, in dependency order',
  },
};

export interface Phase {
  title: string;
  /** Does the phase's work (or, in a dry run, says what it would do); returns a one-line summary. */
  run(run: UpRun): Promise<string>;
}

const RUNS: Record<BootstrapPhaseKey, Phase['run']> = {
  preflight,
  pools: nodePools,
  base: platformBase,
  crds: customResourceDefinitions,
  network,
  engine: gitopsEngine,
  credentials: repositoryCredentials,
  root: projectsAndRoot,
  follow: followApplications,
};

/**
 * In the order of BOOTSTRAP_PHASES, which `check` proves: namespaces,
 * PriorityClasses and CRDs exist before the network plugin's pods name them
 * and before the operator that discovers the Gateway API only at start-up.
 */
export const PHASES: readonly Phase[] = BOOTSTRAP_PHASES.map((p) => ({ title: TITLES.argocd[p.key] ?? p.title, run: RUNS[p.key] }));

/** The phases with the titles of the platform's engine. */
export function phasesFor(engine: 'argocd' | 'flux'): readonly Phase[] {
  return BOOTSTRAP_PHASES.map((p) => ({ title: TITLES[engine][p.key] ?? p.title, run: RUNS[p.key] }));
}

export interface UpResult {
  tally: Tally;
  endpoints: string[];
}

export async function runUp(ops: OpsContext, state: DesiredState, options: UpOptions): Promise<UpResult> {
  const engine = engineOf(state).title;
  for (const v of options.repoCredentials ? credentialValues(options.repoCredentials) : []) ops.secret(v);
  const run = new UpRun(ops, state, options);
  const { client } = ops;
  ops.report.line(options.dryRun ? `Plan of plinth up on context ${client.context} (${client.server}); dry run: nothing is changed.` : `plinth up on context ${client.context} (${client.server})`);
  const phases = phasesFor(engineOf(state).kind);
  for (const [i, phase] of phases.entries()) {
    ops.report.line(`[${i + 1}/${phases.length}] ${phase.title}`);
    const summary = await phase.run(run);
    ops.report.line(`      => ${summary}`);
  }
  const t = run.tally;
  ops.report.line(
    options.dryRun
      ? `Would create ${t.create}, update ${t.update}, leave ${t.unchanged} unchanged; ${t.skip} left to ${engine}.`
      : `Done: ${t.create} created, ${t.update} updated, ${t.unchanged} unchanged, ${t.skip} left to ${engine}.`,
  );
  const endpoints = endpointLines(state.units);
  if (endpoints.length > 0) {
    ops.report.line(options.dryRun ? 'Endpoints, once healthy:' : 'Endpoints:');
    for (const line of endpoints) ops.report.line(line);
  }
  return { tally: t, endpoints };
}
