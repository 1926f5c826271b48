/**
 * `plinth down` under Flux, in the reverse order of `up` (ADR 008). The root
 * Kustomization and this repository's GitRepository go first, without
 * pruning (so nothing re-applies a Kustomization behind `down`'s back); the
 * Kustomizations whose objects must outlive them (Flux itself, the base,
 * tier 0, CRD holders) are let go (prune off, then deleted: Flux leaves
 * what they applied); every other Kustomization is deleted with pruning,
 * one level of the dependency graph at a time from the last, each level
 * gone (its HelmReleases uninstalled) before the next, tenants first.
 * Then Flux: its remaining objects let go of their finalizers, then its own
 * objects. Volumes and namespaces as under Argo CD.
 */
import type { ClusterClient, ObjectRef } from '../cluster/index.js';
import { ClusterTimeoutError } from '../cluster/index.js';
import { PLATFORM_BASE_UNIT, type DesiredState } from '../desired/index.js';
import type { K8sObject } from '../model/k8s.js';
import { preservedOnDelete } from '../synth/argocd/units.js';
import { FLUX_NAMESPACE, FLUX_UNIT, REPO_CREDENTIALS_SECRET, REPO_SOURCE, ROOT_KUSTOMIZATION } from '../synth/flux/constants.js';
import { unitKustomizationNames } from '../synth/flux/units.js';
import type { OpsContext } from './context.js';
import { deleteEngine, type DownOptions, namespacesAndData, platformNamespaces, volumesStep, waitGone } from './down-common.js';
import { GIT_REPOSITORY, HELM_RELEASE, KUSTOMIZATION } from './flux.js';

const ref = (type: { apiVersion: string; kind: string }, name: string): ObjectRef => ({ ...type, namespace: FLUX_NAMESPACE, name });

/** Deletes a Kustomization without pruning what it applied. */
async function letGo(client: ClusterClient, name: string): Promise<boolean> {
  const r = ref(KUSTOMIZATION, name);
  if (!(await client.get(r))) return false;
  await client.patch(r, { spec: { prune: false } }, 'merge');
  return client.delete(r);
}

/**
 * Suspends a Flux object, drops its finalizers and deletes it: Flux forgets
 * it and leaves what it made (suspended, its controller neither re-adds the
 * finalizer nor uninstalls on deletion).
 */
async function forget(client: ClusterClient, o: K8sObject): Promise<void> {
  const r = { apiVersion: o.apiVersion, kind: o.kind, namespace: o.metadata.namespace ?? FLUX_NAMESPACE, name: o.metadata.name };
  await client.patch(r, { spec: { suspend: true }, metadata: { finalizers: null } }, 'merge');
  await client.delete(r);
}

async function served(client: ClusterClient, type: { apiVersion: string; kind: string }): Promise<K8sObject[]> {
  return (await client.resource(type.apiVersion, type.kind)) ? client.list(type.apiVersion, type.kind, { namespace: FLUX_NAMESPACE }) : [];
}

export async function runDownFlux(ops: OpsContext, state: DesiredState, options: DownOptions): Promise<void> {
  const { client, report } = ops;
  const namespaces = platformNamespaces(state);
  report.line(`plinth down on context ${client.context} (${client.server})${options.purge ? ', purging volumes and namespaces' : ''}`);
  await volumesStep(ops, namespaces, options);

  report.line('[2/5] root Kustomization and this repository');
  if (await letGo(client, ROOT_KUSTOMIZATION)) {
    await waitGone(ops, { what: 'the root Kustomization to be deleted', type: KUSTOMIZATION, names: new Set([ROOT_KUSTOMIZATION]), namespace: FLUX_NAMESPACE, hint: `kubectl -n ${FLUX_NAMESPACE} get kustomization ${ROOT_KUSTOMIZATION} -o yaml shows what holds it` }, options.waitMs);
    report.line(`      deleted Kustomization/${FLUX_NAMESPACE}/${ROOT_KUSTOMIZATION} (without pruning)`);
  }

  report.line('[3/5] Kustomizations: Flux prunes what each applied');
  const kept = state.units.filter((u) => u.name === FLUX_UNIT || u.name === PLATFORM_BASE_UNIT || preservedOnDelete(u));
  for (const unit of kept) {
    for (const name of unitKustomizationNames(unit)) if (await letGo(client, name)) report.line(`      let go Kustomization/${FLUX_NAMESPACE}/${name} (${unit.name === FLUX_UNIT || unit.name === PLATFORM_BASE_UNIT ? 'its objects stay until the end' : 'its objects stay'})`);
  }
  const keptNames = new Set(kept.flatMap(unitKustomizationNames));
  const live = await served(client, KUSTOMIZATION);
  const levelOf = new Map(state.units.flatMap((u) => unitKustomizationNames(u).map((n) => [n, u.wave] as const)));
  const last = Math.max(0, ...state.units.map((u) => u.wave)) + 1;
  const pruning = live.map((k) => k.metadata.name).filter((n) => !keptNames.has(n) && n !== ROOT_KUSTOMIZATION);
  const byLevel = new Map<number, string[]>();
  for (const name of pruning) byLevel.set(levelOf.get(name) ?? last, [...(byLevel.get(levelOf.get(name) ?? last) ?? []), name]);
  const releasesOf = (names: readonly string[]) => new Set(state.units.filter((u) => u.chart && names.some((n) => unitKustomizationNames(u).includes(n))).map((u) => u.name));
  for (const [level, names] of [...byLevel].sort(([a], [b]) => b - a)) {
    for (const name of names) await client.delete(ref(KUSTOMIZATION, name));
    const hint = '`plinth doctor` shows failing Kustomizations and HelmReleases; run `plinth down` again once fixed';
    const what = level === last ? 'Flux to prune the tenant services' : `Flux to prune level ${level} (${names.join(', ')})`;
    try {
      await waitGone(ops, { what, type: KUSTOMIZATION, names: new Set(names), namespace: FLUX_NAMESPACE, hint }, options.waitMs);
      await waitGone(ops, { what: `${what}: the HelmReleases to be uninstalled`, type: HELM_RELEASE, names: releasesOf(names), namespace: FLUX_NAMESPACE, hint }, options.waitMs);
    } catch (error) {
      if (error instanceof ClusterTimeoutError) report.warn('Flux stays installed until the Kustomizations are gone, so that their finalizers can complete');
      throw error;
    }
  }
  report.line(`      ${pruning.length} Kustomizations pruned and deleted`);

  report.line('[4/5] GitOps engine');
  let forgotten = 0;
  for (const type of [HELM_RELEASE, KUSTOMIZATION, GIT_REPOSITORY, { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'HelmRepository' }, { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'OCIRepository' }, { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'HelmChart' }]) {
    for (const o of await served(client, type)) {
      await forget(client, o);
      forgotten++;
    }
  }
  if (forgotten > 0) report.line(`      ${forgotten} Flux objects of kept components forgotten (what they installed stays; ${REPO_SOURCE} included)`);
  const deleted = await deleteEngine(ops, state, options, FLUX_UNIT, { apiVersion: 'v1', kind: 'Secret', metadata: { name: REPO_CREDENTIALS_SECRET, namespace: FLUX_NAMESPACE } });
  report.line(`      ${deleted} objects of Flux deleted (its CRDs are kept)`);
  await namespacesAndData(ops, namespaces, options);
}
