/**
 * FakeFlux, a stand-in for Flux's kustomize- and helm-controller in the tests
 * that run against the API test double (the real controllers cannot be built
 * here: see the README). Once its kustomize-controller Deployment is
 * Available and the root Kustomization exists, it applies what `plinth plan`
 * wrote under clusters/<cluster>/ (the Kustomizations, their sources), as the
 * root would; each Kustomization is applied once every Kustomization it
 * `dependsOn` is Ready, which is what the generated repository asks of Flux;
 * its HelmRelease installs (or fails with a message, on cue). Deleting a
 * Kustomization that prunes removes what it applied. It reads the repository
 * files, so the order it shows is the order the files encode; Flux's own
 * behaviour is approximated and decides nothing a test asserts about Flux.
 */
import type { DesiredState } from '../../src/desired/index.js';
import { parseYamlStream } from '../../src/lib/yaml.js';
import type { K8sObject } from '../../src/model/k8s.js';
import type { Unit } from '../../src/model/unit.js';
import { synthesize } from '../../src/synth/index.js';
import { clusterDir, FLUX_NAMESPACE, ROOT_KUSTOMIZATION } from '../../src/synth/flux/constants.js';
import type { Obj } from './apply-merge.js';
import type { KubeApiTestDouble } from './kube-api-double.js';
import { metaOf } from './store.js';

const K = 'kustomize.toolkit.fluxcd.io/v1';
const H = 'helm.toolkit.fluxcd.io/v2';
const FINALIZER = 'finalizers.fluxcd.io';
const REVISION = 'main@sha1:0123456789abcdef0123456789abcdef01234567';

export interface FakeFluxOptions {
  state: DesiredState;
  /** HelmReleases (by unit) whose install fails with this message. */
  failRelease?: Record<string, string>;
  tickMs?: number;
  /** Called when a unit's Kustomization is applied (create its pods, say). */
  onApplied?(unit: Unit): void;
  /** An applied unit turns Ready only when this says so (Vault: once unsealed). */
  healthy?(unit: Unit): boolean;
}

const ready = (status: 'True' | 'False' | 'Unknown', reason: string, message: string, generation = 1): Obj => ({
  observedGeneration: generation,
  conditions: [{ type: 'Ready', status, reason, message, lastTransitionTime: '2026-01-01T00:00:00Z' }],
});

export class FakeFlux {
  private timer?: NodeJS.Timeout;
  /** Every Kustomization of clusters/<cluster>/ (but the root's own file), as plan writes it. */
  private readonly objects: K8sObject[];
  /** HelmReleases by the Kustomization that applies them. */
  private readonly releases = new Map<string, K8sObject>();
  private readonly applied = new Set<string>();

  constructor(
    readonly double: KubeApiTestDouble,
    readonly options: FakeFluxOptions,
  ) {
    const files = synthesize(options.state);
    const dir = `${clusterDir(options.state.platform.name)}/`;
    this.objects = [...files]
      .filter(([p]) => p.startsWith(dir) && !p.includes('/flux-system/'))
      .flatMap(([, t]) => parseYamlStream(t) as K8sObject[])
      .filter((o) => o.kind === 'Kustomization');
    for (const k of this.objects) {
      const path = String((k.spec as { path?: string }).path).replace(/^\.\//, '');
      const release = parseYamlStream(files.get(`${path}/release.yaml`) ?? '').find((o) => (o as K8sObject).kind === 'HelmRelease') as K8sObject | undefined;
      if (release) this.releases.set(k.metadata.name, release);
    }
  }

  start(): this {
    this.timer = setInterval(() => this.tick(), this.options.tickMs ?? 5);
    return this;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private get(kind: 'Kustomization' | 'HelmRelease', name: string): Obj | undefined {
    return this.double.get({ apiVersion: kind === 'Kustomization' ? K : H, kind, namespace: FLUX_NAMESPACE, name });
  }

  private engineRuns(): boolean {
    const d = this.double.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: FLUX_NAMESPACE, name: 'kustomize-controller' });
    return (((d?.status as { conditions?: Obj[] } | undefined)?.conditions ?? []) as Obj[]).some((c) => c.type === 'Available' && c.status === 'True');
  }

  private isReady(name: string): boolean {
    const conds = ((this.get('Kustomization', name)?.status as { conditions?: Obj[] } | undefined)?.conditions ?? []) as Obj[];
    return conds.some((c) => c.type === 'Ready' && c.status === 'True');
  }

  private setStatus(kind: 'Kustomization' | 'HelmRelease', name: string, status: Obj): void {
    const live = this.get(kind, name);
    if (!live || JSON.stringify(live.status) === JSON.stringify(status)) return;
    this.double.setStatus({ apiVersion: kind === 'Kustomization' ? K : H, kind, namespace: FLUX_NAMESPACE, name }, status);
  }

  tick(): void {
    try {
      if (!this.double.store.typeByKind(K, 'Kustomization') || !this.engineRuns()) return;
      this.finalize();
      const root = this.get('Kustomization', ROOT_KUSTOMIZATION);
      if (!root || metaOf(root).deletionTimestamp) return;
      this.setStatus('Kustomization', ROOT_KUSTOMIZATION, { ...ready('True', 'ReconciliationSucceeded', `Applied revision: ${REVISION}`), lastAppliedRevision: REVISION, lastAttemptedRevision: REVISION });
      for (const k of this.objects) if (!this.get('Kustomization', k.metadata.name) && !this.applied.has(`gone:${k.metadata.name}`)) this.double.put({ ...(k as unknown as Obj), metadata: { ...k.metadata, finalizers: [FINALIZER] } });
      this.progress();
    } catch {
      // the double closed under us at the end of a test
    }
  }

  /** Kustomizations whose dependencies are Ready are applied; their HelmReleases install; Ready follows. */
  // eslint-disable-next-line complexity -- one reconcile step of each Kustomization as Flux does it: dependsOn not ready, first apply (HelmRelease, marker), a failing release, then Ready when the test's health hook says so
  private progress(): void {
    for (const k of this.objects) {
      const name = k.metadata.name;
      const live = this.get('Kustomization', name);
      if (!live || metaOf(live).deletionTimestamp || this.isReady(name)) continue;
      const deps = ((k.spec as { dependsOn?: { name: string }[] }).dependsOn ?? []).map((d) => d.name);
      const waiting = deps.find((d) => !this.isReady(d));
      if (waiting) {
        this.setStatus('Kustomization', name, ready('False', 'DependencyNotReady', `dependency '${FLUX_NAMESPACE}/${waiting}' is not ready`));
        continue;
      }
      const unit = this.options.state.units.find((u) => u.name === (k.metadata.labels?.['plinth.dev/unit'] ?? name));
      const release = this.releases.get(name);
      if (!this.applied.has(name)) {
        this.applied.add(name);
        if (release) this.double.put({ ...(release as unknown as Obj), metadata: { ...release.metadata, finalizers: [FINALIZER] } });
        if (unit) this.marker(unit, name);
        if (unit && name === unit.name) this.options.onApplied?.(unit);
        this.setStatus('Kustomization', name, { ...ready('Unknown', 'Progressing', 'Reconciliation in progress'), lastAttemptedRevision: REVISION });
        continue;
      }
      if (release) {
        const failure = this.options.failRelease?.[release.metadata.name];
        if (failure) {
          this.setStatus('HelmRelease', release.metadata.name, ready('False', 'InstallFailed', failure));
          this.setStatus('Kustomization', name, { ...ready('False', 'HealthCheckFailed', `health check failed after 15m0s: failed early due to stalled resources: [HelmRelease/${FLUX_NAMESPACE}/${release.metadata.name} status: 'Failed']`), lastAttemptedRevision: REVISION });
          continue;
        }
        this.setStatus('HelmRelease', release.metadata.name, ready('True', 'InstallSucceeded', `Helm install succeeded for release ${release.metadata.name}`));
      }
      if (unit && this.options.healthy && !this.options.healthy(unit)) continue;
      this.setStatus('Kustomization', name, { ...ready('True', 'ReconciliationSucceeded', `Applied revision: ${REVISION}`), lastAppliedRevision: REVISION, lastAttemptedRevision: REVISION });
    }
  }

  /** What a Kustomization applies, for pruning to remove: a ConfigMap in the unit's namespace. */
  private marker(u: Unit, kustomization: string): void {
    if (!this.double.get({ apiVersion: 'v1', kind: 'Namespace', name: u.namespace })) return;
    this.double.put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `applied-by-flux-${kustomization}`, namespace: u.namespace, labels: { 'kustomize.toolkit.fluxcd.io/name': kustomization } } });
  }

  /** Deleted Kustomizations: prune what they applied when their live spec says prune; deleted HelmReleases: uninstall unless suspended. */
  // eslint-disable-next-line complexity -- Flux's finalizers: a deleted Kustomization prunes what it applied when its spec says prune (never the root), a deleted HelmRelease is uninstalled; each then loses its finalizer
  private finalize(): void {
    for (const k of this.double.list(K, 'Kustomization', FLUX_NAMESPACE)) {
      const m = metaOf(k);
      if (!m.deletionTimestamp || !Array.isArray(m.finalizers) || !m.finalizers.includes(FINALIZER)) continue;
      this.applied.add(`gone:${m.name}`);
      if ((k.spec as { prune?: boolean }).prune === true && m.name !== ROOT_KUSTOMIZATION) {
        const unit = this.options.state.units.find((u) => u.name === ((m.labels as Record<string, string> | undefined)?.['plinth.dev/unit'] ?? m.name));
        if (unit) this.double.remove({ apiVersion: 'v1', kind: 'ConfigMap', namespace: unit.namespace, name: `applied-by-flux-${m.name}` });
        const release = this.releases.get(String(m.name));
        if (release) this.double.remove({ apiVersion: H, kind: 'HelmRelease', namespace: FLUX_NAMESPACE, name: release.metadata.name });
      }
      this.double.update({ apiVersion: K, kind: 'Kustomization', namespace: FLUX_NAMESPACE, name: String(m.name) }, (o) => {
        metaOf(o).finalizers = [];
      });
    }
    for (const r of this.double.list(H, 'HelmRelease', FLUX_NAMESPACE)) {
      const m = metaOf(r);
      if (!m.deletionTimestamp || !Array.isArray(m.finalizers) || m.finalizers.length === 0) continue;
      this.double.update({ apiVersion: H, kind: 'HelmRelease', namespace: FLUX_NAMESPACE, name: String(m.name) }, (o) => {
        metaOf(o).finalizers = [];
      });
    }
  }
}
