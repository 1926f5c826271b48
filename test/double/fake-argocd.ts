/**
 * FakeArgoCd, a stand-in for Argo CD in the tests that run against the API
 * test double (the e2e suite runs the real one): once its engine runs and the
 * root Application exists, the root creates the tenants' ApplicationSet and
 * the units' Applications one sync wave at a time, each wave once every
 * earlier one is Synced and Healthy, as the generated repository asks of
 * Argo CD; the Applications sync (or fail with a message, on cue). Deleting
 * an Application with the resources finalizer prunes what it synced. Argo
 * CD's own behaviour is approximated, not reproduced, and decides nothing a
 * test asserts about Argo CD itself.
 */
import type { Unit } from '../../src/model/unit.js';
import type { Obj } from './apply-merge.js';
import type { KubeApiTestDouble } from './kube-api-double.js';
import { metaOf } from './store.js';
import { preservedOnDelete } from '../../src/synth/argocd/units.js';

const NS = 'argocd';
const V = 'argoproj.io/v1alpha1';
const FINALIZER = 'resources-finalizer.argocd.argoproj.io';
const ROOT = 'plinth-root';

export interface Failure {
  /** Argo CD's message for the failed sync. */
  message: string;
  /** The resource Argo CD names as failing. */
  resource?: { kind: string; namespace?: string; name: string; message: string };
}

export interface FakeArgoOptions {
  units: readonly Unit[];
  fail?: Record<string, Failure>;
  /** Units whose Applications stay OutOfSync (Argo CD stopped before them). */
  stall?: string[];
  tickMs?: number;
  /** Called when a unit's Application syncs (create its pods, say). */
  onSynced?(unit: Unit): void;
  /** A synced unit turns Healthy only when this says so (Vault: once unsealed). */
  healthy?(unit: Unit): boolean;
  /** The Deployment whose availability means the engine runs. */
  engineDeployment?: string;
  /** The root Application cannot read its source (a repository not pushed, wrong credentials): this condition, and nothing generated. */
  rootError?: { type: string; message: string };
  /** ApplicationSets (by name: `apps`, the tenants') whose generator fails with this message: an ErrorOccurred condition. */
  applicationSetErrors?: Record<string, string>;
}

export class FakeArgoCd {
  private timer?: NodeJS.Timeout;
  private readonly synced = new Set<string>();

  constructor(
    readonly double: KubeApiTestDouble,
    readonly options: FakeArgoOptions,
  ) {}

  start(): this {
    this.timer = setInterval(() => this.tick(), this.options.tickMs ?? 5);
    return this;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private app(name: string): Obj | undefined {
    return this.double.get({ apiVersion: V, kind: 'Application', namespace: NS, name });
  }

  private engineRuns(): boolean {
    const d = this.double.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: NS, name: this.options.engineDeployment ?? 'argocd-server' });
    const conds = ((d?.status as { conditions?: Obj[] } | undefined)?.conditions ?? []) as Obj[];
    return conds.some((c) => c.type === 'Available' && c.status === 'True');
  }

  tick(): void {
    try {
      if (!this.double.store.typeByKind(V, 'Application') || !this.engineRuns()) return;
      this.finalize();
      const root = this.app(ROOT);
      if (!root) return;
      if (metaOf(root).deletionTimestamp) return this.pruneRoot();
      const rootError = this.options.rootError;
      if (rootError) return this.setStatus('Application', ROOT, { sync: { status: 'Unknown' }, health: { status: 'Healthy' }, conditions: [rootError] });
      this.setStatus('Application', ROOT, { sync: { status: 'Synced' }, health: { status: 'Healthy' } });
      this.generate();
      this.progress();
    } catch {
      // the double closed under us at the end of a test
    }
  }

  private setStatus(kind: string, name: string, status: Obj): void {
    const live = this.double.get({ apiVersion: V, kind, namespace: NS, name });
    if (!live || JSON.stringify(live.status) === JSON.stringify(status)) return;
    this.double.setStatus({ apiVersion: V, kind, namespace: NS, name }, status);
  }

  private ready(name: string): boolean {
    const s = this.app(name)?.status as { sync?: { status?: string }; health?: { status?: string } } | undefined;
    return s?.sync?.status === 'Synced' && s.health?.status === 'Healthy';
  }

  /** The root's sync: the tenants' ApplicationSet, and the Applications of the lowest wave not created yet once the waves before are ready. */
  private generate(): void {
    const name = 'apps';
    if (!this.double.get({ apiVersion: V, kind: 'ApplicationSet', namespace: NS, name })) this.double.put({ apiVersion: V, kind: 'ApplicationSet', metadata: { name, namespace: NS }, spec: { generators: [] } });
    const error = this.options.applicationSetErrors?.[name];
    if (error) this.setStatus('ApplicationSet', name, { conditions: [{ type: 'ErrorOccurred', status: 'True', reason: 'ApplicationGenerationFromParamsError', message: error }] });
    const missing = this.options.units.filter((u) => !this.app(u.name));
    if (missing.length === 0) return;
    const wave = Math.min(...missing.map((u) => u.wave));
    if (this.options.units.some((u) => u.wave < wave && !this.ready(u.name))) return;
    for (const u of missing.filter((x) => x.wave === wave)) {
      this.double.put({
        apiVersion: V,
        kind: 'Application',
        metadata: {
          name: u.name,
          namespace: NS,
          ...(preservedOnDelete(u) ? {} : { finalizers: [FINALIZER] }),
          labels: { 'plinth.dev/unit': u.name, 'plinth.dev/stack': u.stack, 'plinth.dev/tier': String(u.tier), 'plinth.dev/wave': String(u.wave) },
          annotations: { 'argocd.argoproj.io/sync-wave': String(u.wave) },
        },
        spec: { project: `platform-${u.stack}`, destination: { namespace: u.namespace } },
        status: { sync: { status: 'OutOfSync' }, health: { status: 'Missing' } },
      });
    }
  }

  /** The lowest wave with an Application not yet Healthy syncs; later waves wait. */
  // eslint-disable-next-line complexity -- Argo CD's sync of the lowest pending wave, one step per tick: stalled or deleting, failing, first sync (Progressing), then Healthy when the test's health hook says so
  private progress(): void {
    const pending = this.options.units.filter((u) => {
      const s = this.app(u.name)?.status as { sync?: { status?: string }; health?: { status?: string } } | undefined;
      return !(s?.sync?.status === 'Synced' && s.health?.status === 'Healthy');
    });
    if (pending.length === 0) return;
    const wave = Math.min(...pending.map((u) => u.wave));
    for (const u of pending.filter((x) => x.wave === wave)) {
      if (this.options.stall?.includes(u.name) || metaOf(this.app(u.name) ?? { metadata: {} }).deletionTimestamp) continue;
      const failure = this.options.fail?.[u.name];
      if (failure) {
        this.setStatus('Application', u.name, failedStatus(u, failure));
        continue;
      }
      if (!this.synced.has(u.name)) {
        this.synced.add(u.name);
        this.marker(u);
        this.options.onSynced?.(u);
        this.setStatus('Application', u.name, { sync: { status: 'Synced' }, health: { status: 'Progressing' } });
        continue;
      }
      if (this.options.healthy && !this.options.healthy(u)) continue;
      this.setStatus('Application', u.name, { sync: { status: 'Synced' }, health: { status: 'Healthy' } });
    }
  }

  /** What a unit's sync leaves in the cluster, for pruning to remove: a ConfigMap in its namespace. */
  private marker(u: Unit): void {
    if (!this.double.get({ apiVersion: 'v1', kind: 'Namespace', name: u.namespace })) return;
    this.double.put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `synced-by-argocd-${u.name}`, namespace: u.namespace, labels: { 'argocd.argoproj.io/instance': u.name } } });
  }

  /** Deleted Applications with the resources finalizer: prune, then let go; AppProjects: let go. */
  private finalize(): void {
    for (const app of this.double.list(V, 'Application', NS)) {
      const m = metaOf(app);
      if (!m.deletionTimestamp || !Array.isArray(m.finalizers) || !m.finalizers.includes(FINALIZER)) continue;
      const unit = this.options.units.find((u) => u.name === m.name);
      if (unit) this.double.remove({ apiVersion: 'v1', kind: 'ConfigMap', namespace: unit.namespace, name: `synced-by-argocd-${unit.name}` });
      this.synced.delete(m.name);
      this.double.update({ apiVersion: V, kind: 'Application', namespace: NS, name: m.name }, (o) => {
        metaOf(o).finalizers = (metaOf(o).finalizers as string[]).filter((f) => f !== FINALIZER);
      });
    }
    for (const p of this.double.list(V, 'AppProject', NS)) {
      const m = metaOf(p);
      if (m.deletionTimestamp && Array.isArray(m.finalizers) && m.finalizers.length > 0) {
        this.double.update({ apiVersion: V, kind: 'AppProject', namespace: NS, name: m.name }, (o) => {
          metaOf(o).finalizers = [];
        });
      }
    }
  }

  /** The root app is being deleted with its finalizer: prune what it synced (ApplicationSets, AppProjects). */
  private pruneRoot(): void {
    for (const s of this.double.list(V, 'ApplicationSet', NS)) this.double.remove({ apiVersion: V, kind: 'ApplicationSet', namespace: NS, name: metaOf(s).name });
    for (const p of this.double.list(V, 'AppProject', NS)) this.double.remove({ apiVersion: V, kind: 'AppProject', namespace: NS, name: metaOf(p).name });
    this.double.update({ apiVersion: V, kind: 'Application', namespace: NS, name: ROOT }, (o) => {
      metaOf(o).finalizers = [];
    });
  }
}

function failedStatus(u: Unit, f: Failure): Obj {
  const r = f.resource;
  return {
    sync: { status: 'OutOfSync' },
    health: { status: 'Degraded', message: f.message },
    conditions: [{ type: 'SyncError', message: f.message }],
    operationState: {
      phase: 'Failed',
      message: f.message,
      syncResult: { resources: r ? [{ kind: r.kind, namespace: r.namespace ?? u.namespace, name: r.name, status: 'SyncFailed', message: r.message }] : [] },
    },
  };
}
