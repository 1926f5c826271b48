/**
 * The Ceph cluster (seed 003 "Ceph Storage (Rook)"): a CephCluster on the
 * dedicated storage nodes, one replicated block pool and its StorageClass
 * `rook-ceph-block`, the cluster's default (ADR 016).
 *
 * - Three MONs on distinct storage nodes (`allowMultiplePerNode: false`: Rook
 *   then requires their anti-affinity): the quorum survives one node (2 of 3).
 * - Two MGRs (active and standby), also on distinct nodes.
 * - One OSD per storage node, on its data disk (the nodes are listed by name,
 *   `useAllDevices`): a block pool of size 3 with host as failure domain keeps
 *   a copy per node and serves I/O while two of three are up (min_size 2).
 * - Every Ceph daemon tolerates the storage taint and requires the storage
 *   pool; nothing else may run there (the taint), and they run nowhere else.
 * - A MON keeps its store and an OSD its disk on the node (dataDirHostPath
 *   and the device): the pod stays with its node (`hostData`), as a
 *   node-local volume does. The operator replaces a MON that stays down only
 *   on a storage node without one: with three storage nodes there is none.
 * - The dashboard listens in plain HTTP behind Kong (`ssl: false`); its admin
 *   password is the Secret `rook-ceph-dashboard-password` Rook generates.
 *
 * The daemons are created by the Rook operator from the CephCluster, not by
 * the chart: they are declared here and rebuilt from the CephCluster for the
 * checks as Rook builds them (`src/planner/operated-ceph.ts`).
 */
import type { Values } from '../../lib/values.js';
import { STORAGE_POOL } from '../../model/profiles.js';
import { res, type Resources } from '../../model/resources.js';
import type { WorkloadSpec } from '../../model/unit.js';
import { CHARTS } from '../charts.js';
import type { Component, ComponentContext } from '../component.js';
import { CEPH_CSI } from './rook-ceph.js';

const NAMESPACE = 'rook-ceph';
/** The StorageClass of the block pool (STORAGE_CLASS_NAMES['rook-ceph']). */
export const CEPH_BLOCK_CLASS = 'rook-ceph-block';
export const CEPH_MON_COUNT = 3;
export const CEPH_MGR_COUNT = 2;
/** Block pool replication: a copy per host; I/O needs `min_size` of them. */
export const CEPH_POOL = { size: 3, minSize: 2 };
/** The quorum groups the planner states per scenario. */
export const CEPH_MON_QUORUM = 'Ceph MON quorum';
export const CEPH_OSD_GROUP = 'Ceph OSD data';
/** Where a MON keeps its store (on the node's disk). */
const DATA_DIR = '/var/lib/rook';
const MON_IDS = 'abcdefghijklmnopqrstuvwxyz';

/** Daemon budgets: Rook's defaults (Ceph's hardware recommendations), with CPU limits that let recovery burst. */
export const CEPH_RESOURCES: Readonly<Record<'mon' | 'mgr' | 'mgr-sidecar' | 'osd' | 'crashcollector' | 'exporter', Resources>> = {
  mon: res('500m', '1Gi', '2', '2Gi'),
  mgr: res('250m', '512Mi', '1', '1Gi'),
  'mgr-sidecar': res('50m', '40Mi', '200m', '100Mi'),
  osd: res('1', '4Gi', '2', '4Gi'),
  crashcollector: res('20m', '60Mi', '100m', '60Mi'),
  exporter: res('20m', '50Mi', '100m', '128Mi'),
};

const resourcesPath = (daemon: keyof typeof CEPH_RESOURCES) => `cephClusterSpec.resources.${daemon}`;
const placement = (daemon: string) => ({
  nodeAffinity: `cephClusterSpec.placement.${daemon}.nodeAffinity`,
  podAntiAffinity: `cephClusterSpec.placement.${daemon}.podAntiAffinity`,
  tolerations: `cephClusterSpec.placement.${daemon}.tolerations`,
  priorityClassName: `cephClusterSpec.priorityClassNames.${daemon}`,
});
const daemonLabels = (app: string) => ({ app, rook_cluster: NAMESPACE });

/** One Deployment per MON (`rook-ceph-mon-a`, ...), each a member of the MON quorum. */
function monWorkloads(count: number): WorkloadSpec[] {
  return [...MON_IDS.slice(0, count)].map((id) => ({
    kind: 'Deployment',
    name: `rook-ceph-mon-${id}`,
    spread: 'required',
    quorum: { group: CEPH_MON_QUORUM, backs: CEPH_BLOCK_CLASS },
    hostData: ['mon-store'],
    podLabels: daemonLabels('rook-ceph-mon'),
    containers: [{ name: 'mon', resources: CEPH_RESOURCES.mon, valuesPath: resourcesPath('mon') }],
    initContainers: ['chown-container-data-dir', 'init-mon-fs'].map((name) => ({ name, resources: CEPH_RESOURCES.mon, valuesPath: resourcesPath('mon') })),
    values: placement('mon'),
  }));
}

function mgrWorkloads(count: number): WorkloadSpec[] {
  return [...MON_IDS.slice(0, count)].map((id) => ({
    kind: 'Deployment',
    name: `rook-ceph-mgr-${id}`,
    spread: 'required',
    podLabels: daemonLabels('rook-ceph-mgr'),
    containers: [
      { name: 'mgr', resources: CEPH_RESOURCES.mgr, valuesPath: resourcesPath('mgr') },
      // With a standby, each MGR pod watches which one is active and points the Services at it.
      ...(count > 1 ? [{ name: 'watch-active', resources: CEPH_RESOURCES['mgr-sidecar'], valuesPath: resourcesPath('mgr-sidecar') }] : []),
    ],
    initContainers: [{ name: 'chown-container-data-dir', resources: CEPH_RESOURCES.mgr, valuesPath: resourcesPath('mgr') }],
    values: placement('mgr'),
  }));
}

/** One OSD per storage node (its data disk), pinned to that node by Rook. */
function osdWorkloads(nodes: readonly string[]): WorkloadSpec[] {
  return nodes.map((_, i) => ({
    kind: 'Deployment',
    name: `rook-ceph-osd-${i}`,
    spread: 'required',
    quorum: { group: CEPH_OSD_GROUP, backs: CEPH_BLOCK_CLASS, need: Math.max(1, nodes.length - (CEPH_POOL.size - CEPH_POOL.minSize)) },
    hostData: ['osd-device'],
    podLabels: daemonLabels('rook-ceph-osd'),
    containers: [{ name: 'osd', resources: CEPH_RESOURCES.osd, valuesPath: resourcesPath('osd') }],
    initContainers: ['activate', 'expand-bluefs', 'chown-container-data-dir'].map((name) => ({ name, resources: CEPH_RESOURCES.osd, valuesPath: resourcesPath('osd') })),
    values: placement('osd'),
  }));
}

/** Per-node helpers Rook runs beside the daemons of each storage node (one Deployment per node; a DaemonSet of the pool as far as pods go). */
function nodeHelpers(): WorkloadSpec[] {
  const all = { nodeAffinity: 'cephClusterSpec.placement.all.nodeAffinity', tolerations: 'cephClusterSpec.placement.all.tolerations' };
  return [
    {
      kind: 'DaemonSet',
      name: 'rook-ceph-crashcollector',
      podLabels: daemonLabels('rook-ceph-crashcollector'),
      containers: [{ name: 'ceph-crash', resources: CEPH_RESOURCES.crashcollector, valuesPath: resourcesPath('crashcollector') }],
      initContainers: ['make-container-crash-dir', 'chown-container-data-dir'].map((name) => ({ name, resources: CEPH_RESOURCES.crashcollector, valuesPath: resourcesPath('crashcollector') })),
      values: { ...all, priorityClassName: 'cephClusterSpec.priorityClassNames.crashcollector' },
    },
    {
      kind: 'DaemonSet',
      name: 'rook-ceph-exporter',
      podLabels: daemonLabels('rook-ceph-exporter'),
      containers: [{ name: 'ceph-exporter', resources: CEPH_RESOURCES.exporter, valuesPath: resourcesPath('exporter') }],
      initContainers: [{ name: 'chown-container-data-dir', resources: CEPH_RESOURCES.exporter, valuesPath: resourcesPath('exporter') }],
      values: { ...all, priorityClassName: 'cephClusterSpec.priorityClassNames.exporter' },
    },
  ];
}

function clusterSpec(storageNodes: readonly string[]): Values {
  return {
    dataDirHostPath: DATA_DIR,
    mon: { count: CEPH_MON_COUNT, allowMultiplePerNode: false },
    mgr: { count: CEPH_MGR_COUNT, allowMultiplePerNode: false, modules: [{ name: 'rook', enabled: false }] },
    dashboard: { enabled: true, ssl: false },
    // Daemons log to stdout, where the log shipper reads them; no log files to rotate on the nodes.
    logCollector: { enabled: false },
    crashCollector: { disable: false },
    // Only the storage nodes, by name, each with its data disks (every empty device).
    storage: { useAllNodes: false, useAllDevices: true, nodes: storageNodes.map((name) => ({ name })) },
    disruptionManagement: { managePodBudgets: true, osdMaintenanceTimeout: 30 },
    cleanupPolicy: { confirmation: '' },
  };
}

function blockPool(): Values {
  return {
    name: 'ceph-blockpool',
    spec: { failureDomain: 'host', replicated: { size: CEPH_POOL.size } },
    storageClass: {
      enabled: true,
      name: CEPH_BLOCK_CLASS,
      isDefault: true,
      // A deleted claim keeps its image: data goes only when an administrator says so.
      reclaimPolicy: 'Retain',
      allowVolumeExpansion: true,
      volumeBindingMode: 'WaitForFirstConsumer',
      parameters: {
        imageFormat: '2',
        imageFeatures: 'layering',
        'csi.storage.k8s.io/provisioner-secret-name': 'rook-csi-rbd-provisioner',
        'csi.storage.k8s.io/provisioner-secret-namespace': NAMESPACE,
        'csi.storage.k8s.io/controller-expand-secret-name': 'rook-csi-rbd-provisioner',
        'csi.storage.k8s.io/controller-expand-secret-namespace': NAMESPACE,
        'csi.storage.k8s.io/controller-publish-secret-name': 'rook-csi-rbd-provisioner',
        'csi.storage.k8s.io/controller-publish-secret-namespace': NAMESPACE,
        'csi.storage.k8s.io/node-stage-secret-name': 'rook-csi-rbd-node',
        'csi.storage.k8s.io/node-stage-secret-namespace': NAMESPACE,
        'csi.storage.k8s.io/fstype': 'ext4',
      },
    },
  };
}

export const rookCephCluster: Component = {
  name: 'rook-ceph-cluster',
  description: 'the Ceph cluster on the storage nodes: 3 MONs, 2 MGRs, an OSD per node, and the default StorageClass rook-ceph-block',
  stack: 'storage',
  tier: 0,
  pool: STORAGE_POOL,
  namespace: NAMESPACE,
  chart: CHARTS.rookCephCluster,
  dependsOn: ['rook-ceph'],
  provides: [{ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', name: CEPH_BLOCK_CLASS }],
  policyExceptions: [
    {
      name: 'ceph-daemons-host-access',
      component: 'rook-ceph-cluster',
      policies: [
        'pss-baseline-privileged',
        'pss-baseline-host-path',
        'pss-baseline-capabilities',
        'pss-restricted-volume-types',
        'pss-restricted-capabilities',
        'pss-restricted-privilege-escalation',
        'pss-restricted-run-as-non-root',
        'pss-restricted-seccomp',
        'require-probes',
      ],
      match: { namespace: NAMESPACE, workloads: ['rook-ceph-mon', 'rook-ceph-mgr', 'rook-ceph-osd', 'rook-ceph-crashcollector', 'rook-ceph-exporter'], kinds: ['Deployment', 'Pod'] },
      reason: 'Ceph daemons own the storage nodes: OSDs are privileged on their raw disks, every daemon keeps its state under the hostPath /var/lib/rook; Rook writes their probes itself',
    },
  ],
  profiles: ['standard'],
  serves: { storage: ['rook-ceph'] },
  build(ctx: ComponentContext) {
    const storageNodes = ctx.platform.nodes.filter((n) => n.pool === STORAGE_POOL).map((n) => n.name);
    const monitored = ctx.enabled('kube-prometheus-stack');
    return {
      values: {
        operatorNamespace: ctx.namespaceOf('rook-ceph'),
        toolbox: { enabled: false },
        monitoring: { enabled: monitored, createPrometheusRules: monitored },
        cephClusterSpec: clusterSpec(storageNodes),
        cephBlockPools: [blockPool()],
        cephFileSystems: [],
        cephObjectStores: [],
      },
      workloads: [...monWorkloads(CEPH_MON_COUNT), ...mgrWorkloads(CEPH_MGR_COUNT), ...osdWorkloads(storageNodes), ...nodeHelpers()],
      usesGroups: ['ceph.rook.io', ...(monitored ? ['monitoring.coreos.com'] : [])],
      endpoints: [{ name: 'ceph', title: 'Ceph dashboard', service: 'rook-ceph-mgr-dashboard', port: 7000 }],
      storage: [{ className: CEPH_BLOCK_CLASS, driver: CEPH_CSI.driver, nodePluginTolerations: [...CEPH_CSI.nodePluginTolerations] }],
    };
  },
};
