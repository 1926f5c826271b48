/** What `plinth down` does the same under either engine: volumes kept, waiting for objects to go, namespaces and data last. */
import { refText, waitFor } from '../cluster/index.js';
import { PLATFORM_BASE_UNIT, type DesiredState } from '../desired/index.js';
import { ARGOCD_NAMESPACE } from '../synth/argocd/index.js';
import type { K8sObject } from '../model/k8s.js';
import type { OpsContext } from './context.js';
import { isCrd, sortForDelete } from './order.js';
import type { UnitRenderer } from './render.js';

export interface DownOptions {
  purge: boolean;
  renderer: UnitRenderer;
  waitMs: number;
}

export function platformNamespaces(state: DesiredState): string[] {
  return (state.units.find((u) => u.name === PLATFORM_BASE_UNIT)?.manifests ?? []).filter((m) => m.kind === 'Namespace').map((m) => m.metadata.name);
}

export async function keepVolumes(ops: OpsContext, namespaces: readonly string[]): Promise<number> {
  let kept = 0;
  for (const pv of await ops.client.list('v1', 'PersistentVolume')) {
    const spec = (pv.spec ?? {}) as { claimRef?: { namespace?: string }; persistentVolumeReclaimPolicy?: string };
    if (!spec.claimRef?.namespace || !namespaces.includes(spec.claimRef.namespace) || spec.persistentVolumeReclaimPolicy === 'Retain') continue;
    await ops.client.patch({ apiVersion: 'v1', kind: 'PersistentVolume', name: pv.metadata.name }, { spec: { persistentVolumeReclaimPolicy: 'Retain' } }, 'merge');
    kept++;
  }
  return kept;
}

export interface GoneSpec {
  what: string;
  type: { apiVersion: string; kind: string };
  /** Names in the engine's namespace. */
  names: ReadonlySet<string>;
  hint: string;
  /** The engine's namespace (default Argo CD's). */
  namespace?: string;
}

export async function waitGone(ops: OpsContext, spec: GoneSpec, waitMs: number): Promise<void> {
  if (spec.names.size === 0) return;
  const { kind } = spec.type;
  await waitFor(ops.client, {
    what: spec.what,
    ...spec.type,
    list: { namespace: spec.namespace ?? ARGOCD_NAMESPACE },
    check: (live) => {
      const left = live.filter((o) => spec.names.has(o.metadata.name)).map((o) => `${kind} ${o.metadata.name}${o.metadata.deletionTimestamp ? ' (being deleted)' : ''}`);
      return { done: left.length === 0, pending: left };
    },
    timeoutMs: waitMs,
    pollMs: ops.pollMs,
    hint: spec.hint,
  });
}

/** The last step of `down`: namespaces and volumes stay, unless `purge`. */
export async function namespacesAndData(ops: OpsContext, namespaces: readonly string[], options: DownOptions): Promise<void> {
  const { client, report } = ops;
  report.line('[5/5] namespaces and data');
  if (!options.purge) {
    report.line(`      kept: the namespaces, their PersistentVolumeClaims, and the PersistentVolumes (\`plinth down --purge\` deletes them)`);
    return;
  }
  for (const ns of namespaces) for (const pvc of await client.list('v1', 'PersistentVolumeClaim', { namespace: ns })) await client.delete({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: ns, name: pvc.metadata.name });
  for (const pv of await client.list('v1', 'PersistentVolume')) {
    const claim = (pv.spec as { claimRef?: { namespace?: string } } | undefined)?.claimRef;
    if (claim?.namespace && namespaces.includes(claim.namespace)) await client.delete({ apiVersion: 'v1', kind: 'PersistentVolume', name: pv.metadata.name });
  }
  for (const ns of namespaces) if (await client.delete({ apiVersion: 'v1', kind: 'Namespace', name: ns })) report.line(`      deleted ${refText({ apiVersion: 'v1', kind: 'Namespace', name: ns })}`);
}

/** Step 1 of `down`: every platform volume switched to Retain, unless `purge`. */
export async function volumesStep(ops: OpsContext, namespaces: readonly string[], options: DownOptions): Promise<void> {
  if (!options.purge) {
    const kept = await keepVolumes(ops, namespaces);
    ops.report.line(`[1/5] volumes: ${kept} PersistentVolumes switched to Retain; every platform volume is kept`);
  } else ops.report.line('[1/5] volumes: --purge: they go with their claims');
}

/** The engine's own objects (its render without CRDs) and the repository's Secret deleted; returns how many were there. */
export async function deleteEngine(ops: OpsContext, state: DesiredState, options: DownOptions, engineUnit: string, secret: K8sObject): Promise<number> {
  const { client } = ops;
  const engine = state.units.find((u) => u.name === engineUnit);
  const objects: K8sObject[] = engine ? sortForDelete((await options.renderer.render(engine, state.units)).filter((o) => !isCrd(o))) : [];
  let deleted = 0;
  for (const o of [secret, ...objects]) {
    const resource = await client.resource(o.apiVersion, o.kind);
    if (!resource) continue;
    const ref = { apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, ...(resource.namespaced ? { namespace: o.metadata.namespace ?? engine?.namespace } : {}) };
    if (await client.delete(ref)) deleted++;
  }
  return deleted;
}
