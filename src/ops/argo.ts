/** Reading Argo CD Applications: sync and health as Argo CD reports them, and why they fail. */
import type { K8sObject } from '../model/k8s.js';

export const APPLICATION = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application' } as const;
export const APPLICATION_SET = { apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet' } as const;
export const APP_PROJECT = { apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject' } as const;

export interface FailingResource {
  kind: string;
  namespace?: string;
  name: string;
  message: string;
}

export interface AppState {
  name: string;
  sync: string;
  health: string;
  /** Argo CD's own words: the failed operation, an error condition, or the health message. */
  message?: string;
  /** The resources Argo CD names as failing (sync failed or degraded). */
  failing: FailingResource[];
  /** The last sync operation failed (or errored). */
  syncFailed: boolean;
}

interface AppStatus {
  sync?: { status?: string };
  health?: { status?: string; message?: string };
  conditions?: { type: string; message?: string }[];
  operationState?: {
    phase?: string;
    message?: string;
    syncResult?: { resources?: { kind: string; namespace?: string; name: string; status?: string; message?: string; hookPhase?: string }[] };
  };
  resources?: { kind: string; namespace?: string; name: string; status?: string; health?: { status?: string; message?: string } }[];
}

export function appState(app: K8sObject | undefined, name?: string): AppState {
  if (!app) return { name: name ?? '', sync: 'Missing', health: 'Missing', failing: [], syncFailed: false };
  const status = (app.status ?? {}) as AppStatus;
  const op = status.operationState;
  const syncFailed = op?.phase === 'Failed' || op?.phase === 'Error';
  const errorConditions = (status.conditions ?? []).filter((c) => /Error$/.test(c.type) && c.message);
  const failing: FailingResource[] = [
    ...(op?.syncResult?.resources ?? [])
      .filter((r) => r.status === 'SyncFailed' || r.hookPhase === 'Failed')
      .map((r) => ({ kind: r.kind, namespace: r.namespace || undefined, name: r.name, message: r.message ?? '' })),
    ...(status.resources ?? [])
      .filter((r) => r.health?.status === 'Degraded')
      .map((r) => ({ kind: r.kind, namespace: r.namespace || undefined, name: r.name, message: r.health?.message ?? 'Degraded' })),
  ];
  const message = (syncFailed ? op?.message : undefined) ?? errorConditions[0]?.message ?? (status.health?.status !== 'Healthy' ? status.health?.message : undefined);
  return {
    name: app.metadata.name,
    sync: status.sync?.status ?? 'Unknown',
    health: status.health?.status ?? 'Unknown',
    ...(message ? { message } : {}),
    failing,
    syncFailed,
  };
}

export const isReady = (s: AppState): boolean => s.sync === 'Synced' && s.health === 'Healthy';
