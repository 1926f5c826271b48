/**
 * `plinth down`: the platform off the cluster, in the reverse order of `up`.
 * The root Application goes first (it has no resources finalizer, and once it
 * is gone nothing re-creates the Applications behind `down`'s back), then the
 * tenants' ApplicationSet, leaving its Applications in place; the Applications
 * whose objects must outlive them (the engine, tier 0: the base and the
 * network plugin, CRD holders) are let go, and every other Application is
 * deleted with its finalizer, one sync wave at a time from the last: a wave
 * goes only once every later one is gone, so a controller is still there
 * while Argo CD prunes the custom resources it finalises. Once that is done,
 * the engine itself. PersistentVolumes of the platform are switched to Retain
 * first and kept, unless `purge`.
 */
import { type ClusterClient, ClusterTimeoutError, type ObjectRef } from '../cluster/index.js';
import { PLATFORM_BASE_UNIT, type DesiredState } from '../desired/index.js';
import { ARGOCD_NAMESPACE, ARGOCD_UNIT, ROOT_APP } from '../synth/argocd/index.js';
import { preservedOnDelete } from '../synth/argocd/units.js';
import { APP_PROJECT, APPLICATION, APPLICATION_SET } from './argo.js';
import type { OpsContext } from './context.js';
import { CNI_UNIT } from './up/cni.js';
import { REPO_SECRET } from './up/credentials.js';
import { runDownFlux } from './down-flux.js';
import { deleteEngine, type DownOptions, namespacesAndData, platformNamespaces, volumesStep, waitGone } from './down-common.js';

export type { DownOptions } from './down-common.js';

const FINALIZER = 'resources-finalizer.argocd.argoproj.io';
const appRef = (name: string): ObjectRef => ({ ...APPLICATION, namespace: ARGOCD_NAMESPACE, name });

async function letGo(client: ClusterClient, ref: ObjectRef): Promise<boolean> {
  const live = await client.get(ref);
  if (!live) return false;
  const finalizers = (live.metadata.finalizers as string[] | undefined) ?? [];
  if (finalizers.includes(FINALIZER)) await client.patch(ref, { metadata: { finalizers: finalizers.filter((f) => f !== FINALIZER) } }, 'merge');
  return client.delete(ref);
}

export async function runDown(ops: OpsContext, state: DesiredState, options: DownOptions): Promise<void> {
  if (state.platform.choices.engine === 'flux') return runDownFlux(ops, state, options);
  const { client, report } = ops;
  const namespaces = platformNamespaces(state);
  report.line(`plinth down on context ${client.context} (${client.server})${options.purge ? ', purging volumes and namespaces' : ''}`);

  await volumesStep(ops, namespaces, options);

  report.line('[2/5] root Application and ApplicationSets');
  if (await letGo(client, appRef(ROOT_APP))) {
    await waitGone(ops, { what: 'the root Application to be deleted', type: APPLICATION, names: new Set([ROOT_APP]), hint: 'kubectl -n argocd get application plinth-root -o yaml shows what holds it' }, options.waitMs);
    report.line(`      deleted Application/${ARGOCD_NAMESPACE}/${ROOT_APP} (without pruning)`);
  }
  for (const set of (await client.resource(APPLICATION_SET.apiVersion, APPLICATION_SET.kind)) ? await client.list(APPLICATION_SET.apiVersion, APPLICATION_SET.kind, { namespace: ARGOCD_NAMESPACE }) : []) {
    await client.delete({ ...APPLICATION_SET, namespace: ARGOCD_NAMESPACE, name: set.metadata.name }, { propagationPolicy: 'Orphan' });
    report.line(`      deleted ApplicationSet/${ARGOCD_NAMESPACE}/${set.metadata.name} (its Applications stay)`);
  }

  report.line('[3/5] Applications: Argo CD prunes what each synced');
  // Let go first (no pruning): the engine and the base, so that Argo CD keeps running and
  // the namespaces stay while it prunes; and the network plugin (Cilium, which also
  // replaces kube-proxy), which is never removed: pruning it mid-way would cut Argo CD,
  // the API server's pod proxy and every pod off the network with Applications still to
  // prune, so their finalizers would never complete; and removing it last would leave the
  // nodes NotReady, a cluster that runs nothing (not even the next `plinth up`). `down`
  // takes the platform off the cluster, not the cluster's network. These are the units
  // whose Applications the repository itself deletes without pruning (preservedOnDelete).
  const kept = state.units.filter((u) => u.name === ARGOCD_UNIT || u.name === PLATFORM_BASE_UNIT || preservedOnDelete(u));
  for (const unit of kept) {
    if (!(await letGo(client, appRef(unit.name)))) continue;
    const why = unit.name === ARGOCD_UNIT || unit.name === PLATFORM_BASE_UNIT ? 'its objects stay until the end' : unit.name === CNI_UNIT ? 'the network plugin stays installed' : 'its objects stay';
    report.line(`      let go Application/${ARGOCD_NAMESPACE}/${unit.name} (${why})`);
  }
  const keptNames = new Set(kept.map((u) => u.name));
  const apps = (await client.resource(APPLICATION.apiVersion, APPLICATION.kind)) ? await client.list(APPLICATION.apiVersion, APPLICATION.kind, { namespace: ARGOCD_NAMESPACE }) : [];
  const units = new Set(state.units.map((u) => u.name));
  const pruning = apps.filter((a) => !keptNames.has(a.metadata.name) && (units.has(a.metadata.name) || a.metadata.labels?.['plinth.dev/unit'] !== undefined)).map((a) => a.metadata.name);
  // Tenant services first (they run on the platform), then the units from the last wave to the first.
  const waveOf = new Map(state.units.map((u) => [u.name, u.wave]));
  const last = Math.max(0, ...state.units.map((u) => u.wave)) + 1;
  const byWave = new Map<number, string[]>();
  for (const name of pruning) byWave.set(waveOf.get(name) ?? last, [...(byWave.get(waveOf.get(name) ?? last) ?? []), name]);
  for (const [wave, names] of [...byWave].sort(([a], [b]) => b - a)) {
    for (const name of names) await client.delete(appRef(name));
    try {
      const hint = '`plinth doctor` shows failing Applications; run `plinth down` again once fixed';
      const what = wave === last ? 'Argo CD to prune the tenant Applications' : `Argo CD to prune the Applications of wave ${wave} (${names.join(', ')})`;
      await waitGone(ops, { what, type: APPLICATION, names: new Set(names), hint }, options.waitMs);
    } catch (error) {
      if (error instanceof ClusterTimeoutError) report.warn('the GitOps engine stays installed until the Applications are gone, so that their finalizers can complete');
      throw error;
    }
  }
  report.line(`      ${pruning.length} Applications pruned and deleted`);
  const projects = (await client.resource(APP_PROJECT.apiVersion, APP_PROJECT.kind)) ? await client.list(APP_PROJECT.apiVersion, APP_PROJECT.kind, { namespace: ARGOCD_NAMESPACE }) : [];
  for (const p of projects) await client.delete({ ...APP_PROJECT, namespace: ARGOCD_NAMESPACE, name: p.metadata.name });
  const names = new Set(projects.map((p) => p.metadata.name));
  await waitGone(ops, { what: 'the AppProjects to be deleted', type: APP_PROJECT, names, hint: 'Argo CD removes an AppProject once no Application uses it' }, options.waitMs);

  report.line('[4/5] GitOps engine');
  const deleted = await deleteEngine(ops, state, options, ARGOCD_UNIT, { apiVersion: 'v1', kind: 'Secret', metadata: { name: REPO_SECRET, namespace: ARGOCD_NAMESPACE } });
  report.line(`      ${deleted} objects of Argo CD deleted (its CRDs are kept)`);

  await namespacesAndData(ops, namespaces, options);
}

