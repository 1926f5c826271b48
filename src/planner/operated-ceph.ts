/**
 * Workloads no chart renders: the Deployments the Rook operator creates at
 * run time from a CephCluster (Rook v1.20), rebuilt as far as a budget and
 * the scheduler are concerned, so that the component declares them like any
 * other workload and the planner places their pods.
 *
 * Rules followed:
 * - MONs: `spec.mon.count` Deployments `rook-ceph-mon-<a, b, ...>`, containers
 *   `mon` and init containers `chown-container-data-dir`, `init-mon-fs`, all
 *   with `spec.resources.mon`. Without `allowMultiplePerNode` Rook adds a
 *   required pod anti-affinity on the host between MONs.
 * - MGRs: `spec.mgr.count` Deployments `rook-ceph-mgr-<a, b>`, container `mgr`
 *   (and `watch-active`, `resources.mgr-sidecar`, when there is a standby),
 *   init `chown-container-data-dir`; the same anti-affinity rule.
 * - OSDs: one Deployment `rook-ceph-osd-<n>` per node of `spec.storage.nodes`
 *   (one data disk each), bound to its node by a hostname nodeSelector;
 *   container `osd`, init `activate`, `expand-bluefs`,
 *   `chown-container-data-dir`, with `resources.osd`.
 * - Per node with Ceph daemons, a crash collector (unless disabled) and a
 *   ceph-exporter: Deployments of one pod per node, rebuilt as one DaemonSet
 *   each over the nodes `placement.all` selects (same pods, same nodes).
 * - Placement: `placement.all` merged with the daemon's (its node affinity
 *   wins, tolerations add up); priority `priorityClassNames.<daemon>`, else `all`.
 * - MON stores and OSD disks live on the node (dataDirHostPath, the device):
 *   the pods carry HOST_DATA_ANNOTATION, so the planner keeps them there.
 */
import { HOST_DATA_ANNOTATION } from '../model/claims.js';
import type { K8sObject, Labels } from '../model/k8s.js';

type Spec = Record<string, unknown>;
const obj = (v: unknown): Spec => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Spec) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const IDS = 'abcdefghijklmnopqrstuvwxyz';
const HOSTNAME = 'kubernetes.io/hostname';

interface Daemon {
  name: string;
  kind: 'Deployment' | 'DaemonSet';
  app: string;
  /** The key of `placement`, `resources` and `priorityClassNames`. */
  key: string;
  containers: [string, string][];
  initContainers: [string, string][];
  /** Rook's required anti-affinity between the daemons of this app (no `allowMultiplePerNode`). */
  spreadByRook?: boolean;
  nodeSelector?: Labels;
  hostData?: string;
}

function placementOf(spec: Spec, key: string): { affinity: Spec; tolerations: unknown[] } {
  const all = obj(obj(spec.placement).all);
  const own = obj(obj(spec.placement)[key]);
  const out: Spec = {};
  const nodeAffinity = own.nodeAffinity ?? all.nodeAffinity;
  if (nodeAffinity) out.nodeAffinity = nodeAffinity;
  for (const k of ['podAffinity', 'podAntiAffinity']) if (own[k] ?? all[k]) out[k] = own[k] ?? all[k];
  const tolerations = [...list(all.tolerations), ...list(own.tolerations)];
  return { affinity: out, tolerations };
}

function withRookSpread(affinity: Spec, app: string): Spec {
  const anti = obj(affinity.podAntiAffinity);
  const term = { labelSelector: { matchLabels: { app } }, topologyKey: HOSTNAME };
  return { ...affinity, podAntiAffinity: { ...anti, requiredDuringSchedulingIgnoredDuringExecution: [...list(anti.requiredDuringSchedulingIgnoredDuringExecution), term] } };
}

// eslint-disable-next-line complexity -- the workload Rook makes of one daemon, as one object literal; the count is its optional fields (replicas, annotations, priority, affinity, tolerations, nodeSelector), each left out when unset
function workload(cr: K8sObject, d: Daemon): K8sObject {
  const spec = obj(cr.spec);
  const namespace = cr.metadata.namespace;
  const resources = obj(spec.resources);
  const priorities = obj(spec.priorityClassNames);
  const { affinity, tolerations } = placementOf(spec, d.key);
  const priority = priorities[d.key] ?? priorities.all;
  const container = ([name, key]: [string, string]) => ({ name, ...(resources[key] ? { resources: resources[key] } : {}) });
  const labels: Labels = { app: d.app, rook_cluster: namespace ?? '' };
  const podAffinity = d.spreadByRook ? withRookSpread(affinity, d.app) : affinity;
  return {
    apiVersion: 'apps/v1',
    kind: d.kind,
    metadata: { name: d.name, ...(namespace ? { namespace } : {}) },
    spec: {
      ...(d.kind === 'Deployment' ? { replicas: 1 } : {}),
      template: {
        metadata: { labels, ...(d.hostData ? { annotations: { [HOST_DATA_ANNOTATION]: d.hostData } } : {}) },
        spec: {
          containers: d.containers.map(container),
          initContainers: d.initContainers.map(container),
          ...(typeof priority === 'string' ? { priorityClassName: priority } : {}),
          ...(Object.keys(podAffinity).length > 0 ? { affinity: podAffinity } : {}),
          ...(tolerations.length > 0 ? { tolerations } : {}),
          ...(d.nodeSelector ? { nodeSelector: d.nodeSelector } : {}),
        },
      },
    },
  };
}

function daemonsOf(cr: K8sObject): Daemon[] {
  const spec = obj(cr.spec);
  const mon = obj(spec.mon);
  const mgr = obj(spec.mgr);
  const count = (v: unknown, d: number) => (typeof v === 'number' && Number.isInteger(v) && v > 0 ? Math.min(v, IDS.length) : d);
  const monCount = count(mon.count, 3);
  const mgrCount = count(mgr.count, 1);
  const nodes = list(obj(spec.storage).nodes).flatMap((n) => (typeof obj(n).name === 'string' ? [obj(n).name as string] : []));
  const out: Daemon[] = [];
  for (const id of IDS.slice(0, monCount)) {
    out.push({ name: `rook-ceph-mon-${id}`, kind: 'Deployment', app: 'rook-ceph-mon', key: 'mon', containers: [['mon', 'mon']], initContainers: [['chown-container-data-dir', 'mon'], ['init-mon-fs', 'mon']], spreadByRook: mon.allowMultiplePerNode !== true, hostData: 'mon-store' });
  }
  for (const id of IDS.slice(0, mgrCount)) {
    const containers: [string, string][] = [['mgr', 'mgr'], ...(mgrCount > 1 ? [['watch-active', 'mgr-sidecar'] as [string, string]] : [])];
    out.push({ name: `rook-ceph-mgr-${id}`, kind: 'Deployment', app: 'rook-ceph-mgr', key: 'mgr', containers, initContainers: [['chown-container-data-dir', 'mgr']], spreadByRook: mgr.allowMultiplePerNode !== true });
  }
  nodes.forEach((node, i) => {
    out.push({ name: `rook-ceph-osd-${i}`, kind: 'Deployment', app: 'rook-ceph-osd', key: 'osd', containers: [['osd', 'osd']], initContainers: [['activate', 'osd'], ['expand-bluefs', 'osd'], ['chown-container-data-dir', 'osd']], nodeSelector: { [HOSTNAME]: node }, hostData: 'osd-device' });
  });
  if (obj(spec.crashCollector).disable !== true) {
    out.push({ name: 'rook-ceph-crashcollector', kind: 'DaemonSet', app: 'rook-ceph-crashcollector', key: 'crashcollector', containers: [['ceph-crash', 'crashcollector']], initContainers: [['make-container-crash-dir', 'crashcollector'], ['chown-container-data-dir', 'crashcollector']] });
  }
  if (obj(spec.monitoring).metricsDisabled !== true) {
    out.push({ name: 'rook-ceph-exporter', kind: 'DaemonSet', app: 'rook-ceph-exporter', key: 'exporter', containers: [['ceph-exporter', 'exporter']], initContainers: [['chown-container-data-dir', 'exporter']] });
  }
  return out;
}

/** The workloads the Rook operator will create for the CephClusters among `chartObjects`. */
export function cephOperatedWorkloads(chartObjects: readonly K8sObject[]): K8sObject[] {
  const clusters = chartObjects.filter((o) => o.apiVersion === 'ceph.rook.io/v1' && o.kind === 'CephCluster' && obj(o.spec).external === undefined);
  return clusters.flatMap((cr) => daemonsOf(cr).map((d) => workload(cr, d)));
}
