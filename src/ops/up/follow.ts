/**
 * After the root Application: follow the Applications wave by wave (the
 * desired state gives each unit's wave and tier) until every one is Synced
 * and Healthy, showing progress; bootstrap Vault in its wave.
 */
import { waitFor } from '../../cluster/index.js';
import type { Finding } from '../../checks/finding.js';
import type { K8sObject } from '../../model/k8s.js';
import type { Unit } from '../../model/unit.js';
import { ARGOCD_NAMESPACE } from '../../synth/argocd/index.js';
import { APPLICATION, APPLICATION_SET } from '../argo.js';
import { formatElapsed } from '../context.js';
import { sourceFindings } from '../doctor/applications.js';
import { listServed } from '../status/gather.js';
import { bootstrapVault } from '../vault/bootstrap.js';
import { VAULT_UNIT } from '../vault/target.js';
import { formatRow, Progress } from './progress.js';
import type { UpRun } from './run.js';
import { saveSealingCertOnce } from './sealing-cert.js';
import { engineOf } from './engine.js';
import { FLUX_NAMESPACE } from '../../synth/flux/constants.js';
import { type FluxFacts, fluxReady, fluxSourceFindings, fluxUnitState, KUSTOMIZATION } from '../flux.js';
import { gatherFlux } from '../status/gather.js';

function waves(units: readonly Unit[]): [number, Unit[]][] {
  const byWave = new Map<number, Unit[]>();
  for (const u of units) byWave.set(u.wave, [...(byWave.get(u.wave) ?? []), u]);
  return [...byWave.entries()].sort(([a], [b]) => a - b);
}

const names = (units: readonly Unit[]) => units.map((u) => `${u.name} (tier ${u.tier})`).join(', ');

export async function followApplications(run: UpRun): Promise<string> {
  const { ops, state } = run;
  const plan = waves(state.units);
  if (run.dryRun) {
    for (const [wave, units] of plan) {
      ops.report.line(`      wave ${wave}: ${names(units)}`);
      if (units.some((u) => u.name === VAULT_UNIT)) {
        ops.report.line(`        then Vault: initialise once (keys to ${run.options.vaultKeysFile}), unseal, KV v2, kubernetes auth, role for External Secrets, ${state.units.flatMap((u) => u.secrets).length} platform secrets when missing`);
      }
    }
    return engineOf(state).kind === 'flux'
      ? `Flux applies ${state.units.length} Kustomizations in dependency order (${plan.length} levels); up follows them until Ready`
      : `Argo CD syncs ${state.units.length} Applications in ${plan.length} waves; up follows them until Synced and Healthy`;
  }
  if (engineOf(state).kind === 'flux') return followKustomizations(run, plan);
  const started = ops.now();
  const deadline = started + run.options.followMs;
  const progress = new Progress(state.units, started);
  const source = new SourceProblems(run);
  const width = Math.max(...state.units.map((u) => u.name.length));
  for (const [wave, units] of plan) {
    ops.report.line(`    wave ${wave}: ${names(units)}`);
    if (units.some((u) => u.name === VAULT_UNIT)) {
      await bootstrapVault(ops, state, { keysFile: run.options.vaultKeysFile, waitMs: Math.max(1, Math.min(run.options.waitMs, deadline - ops.now())) });
    }
    const wanted = new Set(units.map((u) => u.name));
    await waitFor(ops.client, {
      what: `wave ${wave} (${units.map((u) => u.name).join(', ')}) to be Synced and Healthy`,
      ...APPLICATION,
      list: { namespace: ARGOCD_NAMESPACE },
      check: (apps) => {
        const rows = progress.rows(apps, ops.now()).filter((r) => wanted.has(r.unit));
        const pending = rows.filter((r) => !r.ready).map((r) => `${r.unit}: ${r.sync}/${r.health}${r.message ? `: ${r.message.split('\n')[0]}` : ''}`);
        return { done: pending.length === 0, pending: pending.length > 0 ? [...source.findings(apps).map((f) => f.message), ...pending] : [] };
      },
      onUpdate: async (apps, verdict) => {
        if (!verdict.done) await source.report(apps);
        for (const row of progress.changed(progress.rows(apps, ops.now()).filter((r) => r.wave <= wave))) ops.report.line(formatRow(row, width));
      },
      timeoutMs: Math.max(1, deadline - ops.now()),
      pollMs: ops.pollMs,
      hint: '`plinth status` shows every component, `plinth doctor` explains the failures; run `plinth up` again to resume',
    });
    ops.report.line(`    wave ${wave} ready (${formatElapsed(ops.now() - started)})`);
    await saveSealingCertOnce(run, units);
  }
  return `every component is Synced and Healthy (${formatElapsed(ops.now() - started)})`;
}

/**
 * Under Flux: the same levels of the dependency graph (the waves), each
 * followed until every Kustomization of its units and their HelmReleases
 * are Ready; Flux's own dependsOn holds each back until its dependencies are.
 */
async function followKustomizations(run: UpRun, plan: [number, Unit[]][]): Promise<string> {
  const { ops, state } = run;
  const started = ops.now();
  const deadline = started + run.options.followMs;
  const progress = new Progress(state.units, started);
  const width = Math.max(...state.units.map((u) => u.name.length));
  let facts: FluxFacts = { kustomizations: [], helmReleases: [] };
  const shown = new Set<string>();
  for (const [wave, units] of plan) {
    ops.report.line(`    level ${wave}: ${names(units)}`);
    if (units.some((u) => u.name === VAULT_UNIT)) {
      await bootstrapVault(ops, state, { keysFile: run.options.vaultKeysFile, waitMs: Math.max(1, Math.min(run.options.waitMs, deadline - ops.now())) });
    }
    const wanted = new Set(units.map((u) => u.name));
    await waitFor(ops.client, {
      what: `level ${wave} (${units.map((u) => u.name).join(', ')}) to be Ready`,
      ...KUSTOMIZATION,
      list: { namespace: FLUX_NAMESPACE },
      check: (kustomizations) => {
        facts = { ...facts, kustomizations };
        const rows = progress.rowsOf((u) => fluxUnitState(u, facts), fluxReady, ops.now()).filter((r) => wanted.has(r.unit));
        const pending = rows.filter((r) => !r.ready).map((r) => `${r.unit}: ${r.sync}/${r.health}${r.message ? `: ${r.message.split('\n')[0]}` : ''}`);
        return { done: pending.length === 0, pending: pending.length > 0 ? [...fluxSourceFindings(state, facts).map((f) => f.message), ...pending] : [] };
      },
      onUpdate: async (_kustomizations, verdict) => {
        const more = await gatherFlux(ops.client);
        if (more) facts = more;
        if (!verdict.done) {
          for (const f of fluxSourceFindings(state, facts)) {
            if (shown.has(f.message)) continue;
            shown.add(f.message);
            ops.report.warn(`${f.message}\n  fix: ${f.hint ?? '`plinth doctor` explains it'}`);
          }
        }
        for (const row of progress.changed(progress.rowsOf((u) => fluxUnitState(u, facts), fluxReady, ops.now()).filter((r) => r.wave <= wave))) ops.report.line(formatRow(row, width));
      },
      timeoutMs: Math.max(1, deadline - ops.now()),
      pollMs: ops.pollMs,
      hint: '`plinth status` shows every component, `plinth doctor` explains the failures (it quotes the Kustomization or HelmRelease); run `plinth up` again to resume',
    });
    ops.report.line(`    level ${wave} ready (${formatElapsed(ops.now() - started)})`);
    await saveSealingCertOnce(run, units);
  }
  return `every component is Ready (${formatElapsed(ops.now() - started)})`;
}

export function endpointLines(units: readonly Unit[]): string[] {
  const eps = units.flatMap((u) => u.endpoints.map((e) => ({ title: e.title, url: `https://${e.host}` })));
  const width = Math.max(0, ...eps.map((e) => e.title.length));
  return eps.sort((a, b) => (a.url < b.url ? -1 : 1)).map((e) => `  ${e.title.padEnd(width)}  ${e.url}`);
}

/**
 * While Applications are not ready: what keeps the root Application and the
 * ApplicationSets from producing them (a repository not pushed or not
 * readable), each reported once with Argo CD's message and the fix, so the
 * progress never shows Missing for half an hour without saying why.
 */
class SourceProblems {
  private sets?: K8sObject[];
  private readonly shown = new Set<string>();

  constructor(private readonly run: UpRun) {}

  findings(apps: readonly K8sObject[]): Finding[] {
    return sourceFindings(this.run.state, { applications: apps, ...(this.sets ? { applicationSets: this.sets } : {}) }).filter((f) => f.severity === 'error');
  }

  async report(apps: readonly K8sObject[]): Promise<void> {
    this.sets = await listServed(this.run.client, [APPLICATION_SET.apiVersion], APPLICATION_SET.kind, { namespace: ARGOCD_NAMESPACE });
    for (const f of this.findings(apps)) {
      if (this.shown.has(f.message)) continue;
      this.shown.add(f.message);
      this.run.ops.report.warn(`${f.message}\n  fix: ${f.hint ?? '`plinth doctor` explains it'}`);
    }
  }
}
