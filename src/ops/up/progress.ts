/**
 * The live progress of `plinth up` while the GitOps engine syncs: one row per component
 * (component, tier, sync, health, elapsed), printed when its state changes.
 */
import type { K8sObject } from '../../model/k8s.js';
import type { Unit } from '../../model/unit.js';
import { type AppState, appState, isReady } from '../argo.js';
import { formatElapsed } from '../context.js';

export interface ProgressRow {
  unit: string;
  tier: number;
  wave: number;
  sync: string;
  health: string;
  message?: string;
  /** Since following started, until the component became ready. */
  elapsedMs: number;
  ready: boolean;
}

export class Progress {
  private readonly readyAt = new Map<string, number>();
  private readonly shown = new Map<string, string>();

  constructor(
    private readonly units: readonly Unit[],
    private readonly startedAt: number,
  ) {}

  /** Rows from Argo CD's Applications. */
  rows(apps: readonly K8sObject[], now: number): ProgressRow[] {
    const byName = new Map(apps.map((a) => [a.metadata.name, a]));
    return this.rowsOf((u) => appState(byName.get(u.name), u.name), isReady, now);
  }

  /** Rows from any engine's per-unit state. */
  rowsOf(stateOf: (u: Unit) => AppState, ready: (s: AppState) => boolean, now: number): ProgressRow[] {
    return this.units.map((u) => this.row(u, stateOf(u), ready, now));
  }

  private row(u: Unit, s: AppState, isReadyState: (s: AppState) => boolean, now: number): ProgressRow {
    {
      const ready = isReadyState(s);
      if (ready && !this.readyAt.has(u.name)) this.readyAt.set(u.name, now);
      if (!ready) this.readyAt.delete(u.name);
      return {
        unit: u.name,
        tier: u.tier,
        wave: u.wave,
        sync: s.sync,
        health: s.health,
        ...(s.message ? { message: s.message } : {}),
        elapsedMs: (this.readyAt.get(u.name) ?? now) - this.startedAt,
        ready,
      };
    }
  }

  /** Rows whose sync, health or message changed since last shown. */
  changed(rows: readonly ProgressRow[]): ProgressRow[] {
    return rows.filter((r) => {
      const key = `${r.sync}/${r.health}/${r.message ?? ''}`;
      if (this.shown.get(r.unit) === key) return false;
      this.shown.set(r.unit, key);
      return true;
    });
  }
}

export function formatRow(r: ProgressRow, width: number): string {
  const state = `${r.sync.padEnd(10)} ${r.health.padEnd(11)}`;
  const message = r.message && !r.ready ? `  ${r.message.split('\n')[0]!.slice(0, 160)}` : '';
  return `      ${r.unit.padEnd(width)}  tier ${r.tier}  ${state} ${formatElapsed(r.elapsedMs).padStart(6)}${message}`;
}
