/**
 * The platform's workloads on the e2e cluster, for the scheduler agreement:
 * created one at a time in the scheduling queue's order (so the real scheduler
 * meets the pods in the order the planner takes them), each waited for until
 * every pod of it is bound or marked unschedulable; deleted again between
 * scenarios; a node lost (kwok stops managing it) and restored.
 *
 * STAND-IN: `LocalPathStandIn` for k3s's local-path provisioner (no real
 * provisioner runs on kwok). Once the real scheduler has picked a node for a pod
 * with a WaitForFirstConsumer claim (the claim's `volume.kubernetes.io/selected-node`
 * annotation, set by the scheduler), it creates a PersistentVolume on that node
 * (node affinity to it, as local-path's volumes have) pre-bound to the claim; the
 * real PV controller binds them. It decides nothing the scheduler decides: the node
 * is the scheduler's choice, and every later placement follows from the volume's
 * node affinity in the real VolumeBinding plugin.
 */
import type { ClusterClient } from '../../../src/cluster/index.js';
import type { ControlPlane } from './control-plane.js';
import type { K8sObject } from '../../../src/model/k8s.js';
import { KWOK_ANNOTATION } from './control-plane.js';
import { until } from './procs.js';

export const LOCAL_PATH_CLASS: K8sObject = {
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: { name: 'local-path', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
  provisioner: 'rancher.io/local-path',
  volumeBindingMode: 'WaitForFirstConsumer',
  reclaimPolicy: 'Delete',
} as K8sObject;

const SELECTED_NODE = 'volume.kubernetes.io/selected-node';

export class LocalPathStandIn {
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  readonly provisioned: string[] = [];

  constructor(private readonly client: ClusterClient) {}

  start(intervalMs = 300): void {
    this.timer = setInterval(() => void this.tick(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  // eslint-disable-next-line complexity -- the local-path provisioner's rule for a claim on a selected node, and the PersistentVolume it writes, defaults included
  private async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      for (const pvc of await this.client.list('v1', 'PersistentVolumeClaim')) {
        const spec = pvc.spec as { storageClassName?: string; volumeName?: string; accessModes?: string[]; resources?: { requests?: { storage?: string } } };
        const node = pvc.metadata.annotations?.[SELECTED_NODE];
        if (!node || spec.volumeName || (spec.storageClassName ?? 'local-path') !== 'local-path') continue;
        const name = `pvc-${pvc.metadata.uid}`;
        if (await this.client.get({ apiVersion: 'v1', kind: 'PersistentVolume', name })) continue;
        await this.client.apply({
          apiVersion: 'v1',
          kind: 'PersistentVolume',
          metadata: { name, annotations: { 'pv.kubernetes.io/provisioned-by': 'rancher.io/local-path' } },
          spec: {
            capacity: { storage: spec.resources?.requests?.storage ?? '1Gi' },
            accessModes: spec.accessModes ?? ['ReadWriteOnce'],
            persistentVolumeReclaimPolicy: 'Delete',
            storageClassName: 'local-path',
            hostPath: { path: `/var/lib/rancher/k3s/storage/${name}`, type: 'DirectoryOrCreate' },
            claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: pvc.metadata.namespace, name: pvc.metadata.name, uid: pvc.metadata.uid },
            nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] }] } },
          },
        } as K8sObject);
        this.provisioned.push(`${pvc.metadata.namespace}/${pvc.metadata.name} on ${node}`);
      }
    } catch {
      // the next tick tries again
    } finally {
      this.busy = false;
    }
  }
}

interface PodLike {
  spec?: { nodeName?: string };
  status?: { conditions?: { type: string; status: string; reason?: string }[] };
  metadata: { deletionTimestamp?: string };
}

/** Bound to a node, or judged unschedulable by the scheduler. */
export const settledPod = (p: K8sObject): boolean => {
  const pod = p as unknown as PodLike;
  if (pod.metadata.deletionTimestamp) return false;
  if (pod.spec?.nodeName) return true;
  return (pod.status?.conditions ?? []).some((c) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable');
};

/** A snapshot of where pods are (name → node or `pending`), for stability checks. */
const snapshot = (pods: readonly K8sObject[]) =>
  pods
    .map((p) => `${p.metadata.namespace}/${p.metadata.name}=${(p.spec as { nodeName?: string }).nodeName ?? 'pending'}${p.metadata.deletionTimestamp ? '(terminating)' : ''}`)
    .sort()
    .join(',');

/** Pods in the namespaces; filtered to those whose owner is one of the workloads' kinds. */
export async function podsIn(client: ClusterClient, namespaces: readonly string[]): Promise<K8sObject[]> {
  const all = await client.list('v1', 'Pod');
  return all.filter((p) => namespaces.includes(p.metadata.namespace ?? ''));
}

/**
 * Waits until the pods of the namespaces are settled (each bound or unschedulable,
 * none terminating), the count `expect` says (when given) is reached, and nothing
 * has changed for `quietMs`.
 */
export async function waitSettled(client: ClusterClient, namespaces: readonly string[], what: string, opts: { quietMs?: number; timeoutMs?: number; ready?: (pods: K8sObject[]) => boolean } = {}): Promise<K8sObject[]> {
  const quietMs = opts.quietMs ?? 4_000;
  let last = '';
  let since = Date.now();
  return until(what, opts.timeoutMs ?? 180_000, async () => {
    const pods = await podsIn(client, namespaces);
    const snap = snapshot(pods);
    if (snap !== last) {
      last = snap;
      since = Date.now();
      return undefined;
    }
    if (!pods.every(settledPod) || (opts.ready && !opts.ready(pods))) return undefined;
    return Date.now() - since >= quietMs ? pods : undefined;
  }, 500);
}

/** Pods a workload wants: replicas, or (DaemonSet) the nodes its controller says. */
async function wanted(client: ClusterClient, o: K8sObject): Promise<number | undefined> {
  const live = await client.get({ apiVersion: o.apiVersion, kind: o.kind, namespace: o.metadata.namespace!, name: o.metadata.name });
  if (!live) return undefined;
  if (o.kind === 'DaemonSet') {
    const st = live.status as { desiredNumberScheduled?: number; observedGeneration?: number } | undefined;
    return st?.observedGeneration ? st.desiredNumberScheduled : undefined;
  }
  return (live.spec as { replicas?: number }).replicas ?? 1;
}

const ownedBy = (pod: K8sObject, o: K8sObject, replicaSets: ReadonlyMap<string, string>): boolean => {
  const owner = (pod.metadata.ownerReferences as { kind: string; name: string }[] | undefined)?.[0];
  if (!owner || pod.metadata.namespace !== o.metadata.namespace) return false;
  if (o.kind === 'Deployment') return owner.kind === 'ReplicaSet' && replicaSets.get(`${pod.metadata.namespace}/${owner.name}`) === o.metadata.name;
  return owner.kind === o.kind && owner.name === o.metadata.name;
};

/** ReplicaSet `namespace/name` → its Deployment's name. */
export async function replicaSetOwners(client: ClusterClient): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const rs of await client.list('apps/v1', 'ReplicaSet')) {
    const owner = (rs.metadata.ownerReferences as { kind: string; name: string }[] | undefined)?.find((r) => r.kind === 'Deployment');
    if (owner) out.set(`${rs.metadata.namespace}/${rs.metadata.name}`, owner.name);
  }
  return out;
}

/** Creates the workloads one by one; after each, waits until all its pods exist and are bound or unschedulable. */
export async function createInOrder(client: ClusterClient, workloads: readonly K8sObject[], timeoutMs = 60_000): Promise<void> {
  for (const o of workloads) {
    await client.apply(o, { force: true });
    await until(`the pods of ${o.kind} ${o.metadata.namespace}/${o.metadata.name} to be bound or unschedulable`, timeoutMs, async () => {
      const want = await wanted(client, o);
      if (want === undefined) return undefined;
      const rs = await replicaSetOwners(client);
      const pods = (await client.list('v1', 'Pod', { namespace: o.metadata.namespace! })).filter((p) => ownedBy(p, o, rs));
      return pods.length === want && pods.every(settledPod) ? true : undefined;
    }, 200);
  }
}

/** Deletes the workloads, their claims and volumes, and waits until no pod of the namespaces is left. */
export async function deleteAll(client: ClusterClient, workloads: readonly K8sObject[], namespaces: readonly string[]): Promise<void> {
  for (const o of workloads) await client.delete({ apiVersion: o.apiVersion, kind: o.kind, namespace: o.metadata.namespace!, name: o.metadata.name });
  await until('the workloads\' pods to be gone', 120_000, async () => ((await podsIn(client, namespaces)).length === 0 ? true : undefined), 500);
  for (const ns of namespaces) for (const pvc of await client.list('v1', 'PersistentVolumeClaim', { namespace: ns })) await client.delete({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: ns, name: pvc.metadata.name });
  for (const pv of await client.list('v1', 'PersistentVolume')) await client.delete({ apiVersion: 'v1', kind: 'PersistentVolume', name: pv.metadata.name });
  await until('the volumes to be gone', 60_000, async () => ((await client.list('v1', 'PersistentVolume')).length === 0 && (await Promise.all(namespaces.map((ns) => client.list('v1', 'PersistentVolumeClaim', { namespace: ns })))).every((l) => l.length === 0) ? true : undefined), 500);
}

type Taint = { key: string; value?: string; effect: string };
const taintsOf = (n: K8sObject | undefined): Taint[] => ((n?.spec as { taints?: Taint[] } | undefined)?.taints ?? []);
const ready = (n: K8sObject | undefined) => ((n?.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []).find((c) => c.type === 'Ready')?.status;

type Toleration = { key?: string; operator?: string; effect?: string; tolerationSeconds?: number };
/** Tolerates the unreachable NoExecute taint for ever: the taint-eviction controller leaves it bound. */
const staysOnUnreachable = (p: K8sObject) =>
  (((p.spec as { tolerations?: Toleration[] }).tolerations ?? []) as Toleration[]).some(
    (t) => (t.key === undefined || t.key === '' || t.key === 'node.kubernetes.io/unreachable') && (t.effect === undefined || t.effect === '' || t.effect === 'NoExecute') && (t.operator === 'Exists' || t.key) && t.tolerationSeconds === undefined,
  );

/**
 * The node lost: kwok stops managing it (no more heartbeats or lease renewals: its
 * annotation no longer matches kwok's selector, and kwok is restarted, since a running
 * kwok keeps renewing the leases of the nodes it took on); the real node-lifecycle
 * controller marks it Unknown and taints it unreachable, and the real taint-eviction
 * controller evicts its pods once their tolerationSeconds have passed. Then the Node
 * object is deleted, as an administrator does with a node gone for good (the planner's
 * scenario is the cluster without the node: its StatefulSet pods start elsewhere only
 * then), and the pod GC controller removes the pods bound to it. Pods left pending
 * before the deletion are deleted once, so that their controllers create them again
 * and the scheduler judges them against the nodes that exist (the scheduler does not
 * retry unschedulable pods on a node's deletion).
 */
export async function loseNode(cp: ControlPlane, client: ClusterClient, name: string, namespaces: readonly string[]): Promise<void> {
  const ref = { apiVersion: 'v1', kind: 'Node', name };
  await client.patch(ref, { metadata: { annotations: { [KWOK_ANNOTATION]: 'lost' } } }, 'merge');
  await restartKwok(cp);
  await until(`${name} to be tainted unreachable by the node-lifecycle controller`, 120_000, async () => {
    const n = await client.get(ref);
    return ready(n) === 'Unknown' && taintsOf(n).some((t) => t.key === 'node.kubernetes.io/unreachable' && t.effect === 'NoExecute') ? true : undefined;
  }, 500);
  await until(`the taint-eviction controller to evict the pods of ${name}`, 60_000, async () => {
    const on = (await podsIn(client, namespaces)).filter((p) => (p.spec as { nodeName?: string }).nodeName === name);
    return on.every((p) => p.metadata.deletionTimestamp || staysOnUnreachable(p)) ? true : undefined;
  }, 500);
  await client.delete(ref);
  await until(`the pod GC controller to remove the pods bound to ${name}`, 180_000, async () => {
    const on = (await podsIn(client, namespaces)).filter((p) => (p.spec as { nodeName?: string }).nodeName === name);
    return on.length === 0 ? true : undefined;
  }, 1_000);
  for (const p of await podsIn(client, namespaces)) {
    if (!(p.spec as { nodeName?: string }).nodeName && !p.metadata.deletionTimestamp) await client.delete({ apiVersion: 'v1', kind: 'Pod', namespace: p.metadata.namespace!, name: p.metadata.name });
  }
}

async function restartKwok(cp: ControlPlane): Promise<void> {
  const kwok = cp.procs.procs.find((p) => p.name === 'kwok' && !p.exited);
  if (!kwok) throw new Error('kwok is not running');
  await cp.procs.restart(kwok);
}
