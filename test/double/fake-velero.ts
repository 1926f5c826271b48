/**
 * FakeVelero, a stand-in for Velero's server in the tests that run against
 * the API test double: it serves the velero.io Backup and Restore types
 * (small CRDs of its own, not Velero's) and moves each new Backup or Restore
 * through InProgress to the phase the test asks for, with progress counts, as
 * Velero reports them. It copies no data and decides nothing a test asserts
 * about Velero; tests assert what Plinth creates and how it follows it.
 */
import type { Obj } from './apply-merge.js';
import type { KubeApiTestDouble } from './kube-api-double.js';
import { metaOf } from './store.js';

const GROUP = 'velero.io';

function crd(kind: string, plural: string): Obj {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${GROUP}` },
    spec: {
      group: GROUP,
      scope: 'Namespaced',
      names: { kind, plural, singular: kind.toLowerCase(), listKind: `${kind}List` },
      versions: [{ name: 'v1', served: true, storage: true, subresources: { status: {} }, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
    },
  };
}

export interface FakeVeleroOptions {
  /** The phase each new Backup ends in (default Completed), by name prefix or for all (`*`). */
  backupPhase?: string;
  restorePhase?: string;
  /** Items a backup counts. */
  items?: number;
  /** Milliseconds between phases. */
  stepMs?: number;
}

export class FakeVelero {
  private unsubscribe?: () => void;
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Backups and Restores it saw created, in order. */
  readonly seen: { kind: string; name: string; spec: Obj }[] = [];

  constructor(
    readonly double: KubeApiTestDouble,
    readonly options: FakeVeleroOptions = {},
  ) {}

  /** Serves the types (the CRDs become Established) and starts acting on new objects. */
  start(namespace = 'velero'): this {
    // Velero's namespace, as its Application leaves it.
    this.double.put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
    this.double.put(crd('Backup', 'backups'));
    this.double.put(crd('Restore', 'restores'));
    this.unsubscribe = this.double.onChange((c) => {
      // Only what a client creates (existing backups put by the test are left as they are).
      if (c.type !== 'ADDED' || c.source === 'controller' || c.resource.group !== GROUP || !['Backup', 'Restore'].includes(c.resource.kind)) return;
      const m = metaOf(c.object);
      this.seen.push({ kind: c.resource.kind, name: m.name, spec: (c.object.spec ?? {}) as Obj });
      this.later(() => this.progress(c.resource.kind, m.namespace!, m.name));
    });
    return this;
  }

  stop(): void {
    this.unsubscribe?.();
    for (const t of this.timers) clearTimeout(t);
  }

  /** A backup that already exists, as the daily Schedule would have left it. */
  // eslint-disable-next-line max-params -- a Backup the Schedule left, called as one table row per backup in the backup tests (namespace, name, included namespaces, phase, completion)
  existingBackup(namespace: string, name: string, includedNamespaces: string[], phase: string, completionTimestamp: string): void {
    this.double.put({ apiVersion: `${GROUP}/v1`, kind: 'Backup', metadata: { name, namespace }, spec: { includedNamespaces }, status: { phase, completionTimestamp } });
  }

  private later(f: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      f();
    }, this.options.stepMs ?? 300); // long enough for a follower polling every 10 ms to see InProgress on a loaded machine
    this.timers.add(t);
  }

  private progress(kind: string, namespace: string, name: string): void {
    const ref = { apiVersion: `${GROUP}/v1`, kind, namespace, name };
    const items = this.options.items ?? 12;
    const counted = kind === 'Backup' ? { itemsBackedUp: Math.floor(items / 2) } : { itemsRestored: Math.floor(items / 2) };
    this.double.setStatus(ref, { phase: 'InProgress', progress: { totalItems: items, ...counted } });
    this.later(() => {
      const phase = (kind === 'Backup' ? this.options.backupPhase : this.options.restorePhase) ?? 'Completed';
      const done = kind === 'Backup' ? { itemsBackedUp: items } : { itemsRestored: items };
      this.double.setStatus(ref, {
        phase,
        progress: { totalItems: items, ...done },
        completionTimestamp: new Date().toISOString(),
        ...(phase === 'PartiallyFailed' ? { errors: 2, warnings: 1 } : {}),
      });
    });
  }
}
