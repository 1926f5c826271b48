/**
 * `plinth backup` and `plinth restore`: thin wrappers over Velero (seed 004
 * "Disaster Recovery Flow"). They create a Velero `Backup` or `Restore` in
 * Velero's namespace, as `velero backup create` / `velero restore create`
 * would, and follow its phase until Velero finishes it; Velero does the work.
 *
 * - backup: the namespaces of the daily Schedule unless named, volume data by
 *   file-system backup (the lab's volumes have no snapshots), to the default
 *   location, kept for 30 days;
 * - restore: one namespace, from the newest completed backup that holds it
 *   (or the one named), volumes included; objects that still exist are left
 *   as they are (Velero's default), so restoring a deleted namespace brings it
 *   back and restoring a live one only adds what is missing.
 */
import { ClusterTimeoutError, ResourceNotServedError, waitFor } from '../cluster/index.js';
import type { DesiredState } from '../desired/state.js';
import { PlinthError, UsageError } from '../lib/errors.js';
import type { K8sObject } from '../model/k8s.js';
import { MANAGED_BY, MANAGED_BY_LABEL } from '../model/labels.js';
import type { Unit } from '../model/unit.js';
import { formatElapsed, type OpsContext } from './context.js';

export const VELERO_API = 'velero.io/v1';
const VELERO_UNIT = 'velero';
/** How long `plinth backup` keeps its backups (Velero's `ttl`). */
export const ON_DEMAND_TTL = '720h';
const DONE = ['Completed', 'PartiallyFailed', 'Failed', 'FailedValidation'];

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** What the platform says about its Velero: namespace, backup location, the daily Schedule's namespaces. */
export interface VeleroSetup {
  namespace: string;
  location: string;
  scheduleNamespaces: string[];
}

export function veleroSetup(state: DesiredState): VeleroSetup {
  const unit: Unit | undefined = state.units.find((u) => u.name === VELERO_UNIT);
  if (!unit) throw new UsageError('velero is not part of this platform (components.velero); backups need it: the lab profile runs it');
  const values = unit.values as { configuration?: { backupStorageLocation?: { name?: string; default?: boolean }[] }; schedules?: Record<string, { template?: { includedNamespaces?: unknown } }> };
  const locations = values.configuration?.backupStorageLocation ?? [];
  const location = (locations.find((l) => l.default) ?? locations[0])?.name ?? 'default';
  const scheduleNamespaces = [...new Set(Object.values(values.schedules ?? {}).flatMap((s) => strings(s.template?.includedNamespaces)))].sort();
  return { namespace: unit.namespace, location, scheduleNamespaces };
}

/** `plinth-<kind>-20260102-030405`: sortable, unique to the second. */
function timestampName(prefix: string, ms: number): string {
  const d = new Date(ms).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${prefix}-${d.toLowerCase()}`;
}

export interface Followed {
  name: string;
  phase: string;
  ok: boolean;
  object: K8sObject;
}

/** Follows a Backup or Restore until Velero finishes it, printing each new phase. */
async function follow(ops: OpsContext, kind: 'Backup' | 'Restore', namespace: string, name: string, timeoutMs: number): Promise<Followed> {
  const started = ops.now();
  let last = '';
  let objects: K8sObject[];
  try {
    objects = await waitFor(ops.client, {
      what: `Velero to finish ${kind} ${namespace}/${name}`,
      apiVersion: VELERO_API,
      kind,
      list: { namespace, fieldSelector: `metadata.name=${name}` },
      timeoutMs,
      pollMs: ops.pollMs,
      hint: `see \`kubectl -n ${namespace} describe ${kind.toLowerCase()} ${name}\` and Velero's log (\`kubectl -n ${namespace} logs deploy/velero\`)`,
      check: (os) => {
        const phase = String(obj(os.find((o) => o.metadata.name === name)?.status).phase ?? 'New');
        return { done: DONE.includes(phase), pending: DONE.includes(phase) ? [] : [`${kind} ${name}: ${phase}`] };
      },
      onUpdate: (os) => {
        const o = os.find((x) => x.metadata.name === name);
        const status = obj(o?.status);
        const phase = String(status.phase ?? 'New');
        const progress = obj(status.progress);
        const items = typeof progress.totalItems === 'number' ? `, ${progress.itemsBackedUp ?? progress.itemsRestored ?? 0}/${progress.totalItems} items` : '';
        const line = `${kind} ${name}: ${phase}${items}`;
        if (line !== last) {
          ops.report.line(`  ${line} (${formatElapsed(ops.now() - started)})`);
          last = line;
        }
      },
    });
  } catch (error) {
    if (error instanceof ClusterTimeoutError) throw new PlinthError(`${error.message}; it goes on in the cluster: \`kubectl -n ${namespace} get ${kind.toLowerCase()} ${name}\``, { cause: error });
    throw error;
  }
  const object = objects.find((o) => o.metadata.name === name)!;
  const status = obj(object.status);
  const phase = String(status.phase);
  const counts = [typeof status.warnings === 'number' && status.warnings > 0 ? `${status.warnings} warnings` : '', typeof status.errors === 'number' && status.errors > 0 ? `${status.errors} errors` : ''].filter(Boolean);
  const reasons = strings(status.validationErrors).concat(typeof status.failureReason === 'string' ? [status.failureReason] : []);
  ops.report.line(`${kind} ${namespace}/${name} ${phase}${counts.length ? ` (${counts.join(', ')})` : ''}${reasons.length ? `: ${reasons.join('; ')}` : ''}.`);
  return { name, phase, ok: phase === 'Completed', object };
}

async function ensureServed(ops: OpsContext, kind: string): Promise<void> {
  if (!(await ops.client.resource(VELERO_API, kind))) {
    throw new PlinthError(`the cluster does not serve ${VELERO_API} ${kind}: Velero is not installed yet (its Application syncs in a late wave; see \`plinth status\`)`);
  }
}

export interface BackupOptions {
  /** Namespaces to back up; default: the daily Schedule's. */
  namespaces?: readonly string[];
  timeoutMs: number;
}

export async function runBackup(ops: OpsContext, state: DesiredState, opts: BackupOptions): Promise<Followed> {
  const setup = veleroSetup(state);
  const namespaces = opts.namespaces && opts.namespaces.length > 0 ? [...opts.namespaces].sort() : setup.scheduleNamespaces;
  if (namespaces.length === 0) throw new UsageError('no namespace to back up: name them with --namespace, or give the velero Schedule includedNamespaces');
  await ensureServed(ops, 'Backup');
  const name = timestampName('plinth-backup', ops.now());
  const backup: K8sObject = {
    apiVersion: VELERO_API,
    kind: 'Backup',
    metadata: { name, namespace: setup.namespace, labels: { [MANAGED_BY_LABEL]: MANAGED_BY } },
    spec: { includedNamespaces: namespaces, storageLocation: setup.location, defaultVolumesToFsBackup: true, snapshotVolumes: false, ttl: ON_DEMAND_TTL },
  };
  await ops.client.apply(backup);
  ops.report.line(`Backup ${setup.namespace}/${name} of ${namespaces.join(', ')} to ${setup.location} (volumes by file-system backup):`);
  return follow(ops, 'Backup', setup.namespace, name, opts.timeoutMs);
}

export interface RestoreOptions {
  namespace: string;
  /** The Backup to restore from; default: the newest completed one that holds the namespace. */
  from?: string;
  timeoutMs: number;
}

/** Whether a backup's spec covers a namespace. */
function covers(backup: K8sObject, namespace: string): boolean {
  const spec = obj(backup.spec);
  const included = strings(spec.includedNamespaces);
  return (included.length === 0 || included.includes('*') || included.includes(namespace)) && !strings(spec.excludedNamespaces).includes(namespace);
}

const finishedAt = (b: K8sObject) => String(obj(b.status).completionTimestamp ?? b.metadata.creationTimestamp ?? '');

export async function runRestore(ops: OpsContext, state: DesiredState, opts: RestoreOptions): Promise<Followed & { backup: string }> {
  const setup = veleroSetup(state);
  await ensureServed(ops, 'Restore');
  let backups: K8sObject[];
  try {
    backups = await ops.client.list(VELERO_API, 'Backup', { namespace: setup.namespace });
  } catch (error) {
    if (error instanceof ResourceNotServedError) throw new PlinthError(`the cluster does not serve ${VELERO_API} Backup: Velero is not installed yet`, { cause: error });
    throw error;
  }
  let backup: K8sObject | undefined;
  if (opts.from) {
    backup = backups.find((b) => b.metadata.name === opts.from);
    if (!backup) throw new UsageError(`no Backup ${setup.namespace}/${opts.from}; backups: ${backups.map((b) => b.metadata.name).sort().join(', ') || 'none'}`);
    if (!covers(backup, opts.namespace)) throw new UsageError(`Backup ${opts.from} does not hold namespace ${opts.namespace} (it covers ${strings(obj(backup.spec).includedNamespaces).join(', ') || 'every namespace'})`);
    if (obj(backup.status).phase !== 'Completed') throw new PlinthError(`Backup ${opts.from} is ${String(obj(backup.status).phase ?? 'New')}, not Completed: restore from a completed backup`);
  } else {
    backup = backups
      .filter((b) => obj(b.status).phase === 'Completed' && covers(b, opts.namespace))
      .sort((a, b) => (finishedAt(a) < finishedAt(b) ? 1 : finishedAt(a) > finishedAt(b) ? -1 : 0))[0];
    if (!backup) throw new PlinthError(`no completed backup holds namespace ${opts.namespace}; run \`plinth backup --namespace ${opts.namespace}\` first, or wait for the daily Schedule`);
  }
  const name = timestampName(`plinth-restore-${opts.namespace}`.slice(0, 40), ops.now());
  const restore: K8sObject = {
    apiVersion: VELERO_API,
    kind: 'Restore',
    metadata: { name, namespace: setup.namespace, labels: { [MANAGED_BY_LABEL]: MANAGED_BY } },
    spec: { backupName: backup.metadata.name, includedNamespaces: [opts.namespace], restorePVs: true },
  };
  await ops.client.apply(restore);
  ops.report.line(`Restore ${setup.namespace}/${name} of ${opts.namespace} from Backup ${backup.metadata.name} (${finishedAt(backup) || 'no completion time'}):`);
  return { ...(await follow(ops, 'Restore', setup.namespace, name, opts.timeoutMs)), backup: backup.metadata.name };
}
