/**
 * The Rook operator (seed 003 "Ceph Storage (Rook)"): it turns the
 * CephCluster of `rook-ceph-cluster` into Ceph MON, MGR and OSD daemons on the
 * storage nodes, and, through the ceph-csi operator its chart vendors, runs
 * the Ceph CSI drivers that provision and mount `rook-ceph-block` volumes
 * (ADR 016).
 *
 * The CSI plugins are created at run time (Driver resources the Rook operator
 * writes), and chart 1.20 reads no settings for them: they run with Rook's
 * defaults, which set no tolerations and no resources. So a Ceph volume
 * mounts on untainted nodes only (the workers): `CEPH_CSI` says so to the
 * planner, which holds a pod with such a volume on a tainted node (the
 * control-plane lifeboat) as unable to start.
 */
import type { Toleration } from '../../model/k8s.js';
import { res } from '../../model/resources.js';
import type { WorkloadSpec } from '../../model/unit.js';
import { CHARTS } from '../charts.js';
import type { Component } from '../component.js';

const NAMESPACE = 'rook-ceph';

/** What the planner needs to know of the Ceph CSI node plugin: the taints it tolerates (Rook 1.20's default: none). */
export const CEPH_CSI: { driver: string; nodePluginTolerations: readonly Toleration[] } = {
  driver: `${NAMESPACE}.rbd.csi.ceph.com`,
  nodePluginTolerations: [],
};

const workloads: WorkloadSpec[] = [
  {
    kind: 'Deployment',
    name: 'rook-ceph-operator',
    podLabels: { app: 'rook-ceph-operator' },
    // The chart's default request and memory limit; the CPU limit lets a reconcile of many OSDs burst.
    containers: [{ name: 'rook-ceph-operator', resources: res('200m', '128Mi', '1', '512Mi'), valuesPath: 'resources' }],
    // The chart reads no affinity: a home-pool nodeSelector.
    values: { nodeSelector: 'nodeSelector', tolerations: 'tolerations', priorityClassName: 'priorityClassName' },
  },
  {
    kind: 'Deployment',
    name: 'ceph-csi-controller-manager',
    podLabels: { 'app.kubernetes.io/name': 'ceph-csi', 'control-plane': 'ceph-csi-op-controller-manager' },
    containers: [{ name: 'manager', resources: res('10m', '64Mi', '500m', '128Mi'), valuesPath: 'ceph-csi-operator.controllerManager.manager.resources' }],
    values: {
      replicas: 'ceph-csi-operator.controllerManager.replicas',
      nodeSelector: 'ceph-csi-operator.controllerManager.nodeSelector',
      tolerations: 'ceph-csi-operator.controllerManager.tolerations',
      priorityClassName: 'ceph-csi-operator.controllerManager.priorityClassName',
    },
  },
];

export const rookCeph: Component = {
  name: 'rook-ceph',
  description: 'the Rook operator and the Ceph CSI operator: Ceph daemons from the CephCluster, and the CSI drivers of rook-ceph-block',
  stack: 'storage',
  // Without it nothing fails over: a lost MON is not replaced, a new volume is not provisioned.
  tier: 1,
  pool: 'infra',
  namespace: NAMESPACE,
  chart: CHARTS.rookCeph,
  dependsOn: [],
  crdGroups: ['ceph.rook.io', 'objectbucket.io', 'csi.ceph.io'],
  policyExceptions: [
    {
      name: 'rook-operators-probes',
      component: 'rook-ceph',
      policies: ['require-probes'],
      match: { namespace: NAMESPACE, workloads: ['rook-ceph-operator', 'ceph-csi-controller-manager'], kinds: ['Deployment'] },
      reason: 'the Rook operator serves no health endpoint, and the chart gives the CSI operator none',
    },
  ],
  profiles: ['standard'],
  serves: { storage: ['rook-ceph'] },
  build(ctx) {
    return {
      values: {
        crds: { enabled: true },
        // The restricted profile where the operators allow it: no privilege escalation, the runtime's seccomp profile.
        containerSecurityContext: { runAsNonRoot: true, runAsUser: 2016, runAsGroup: 2016, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
        'ceph-csi-operator': { controllerManager: { podSecurityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } } } },
        // RBAC for the ServiceMonitors the operator writes when the cluster's monitoring is on.
        monitoring: { enabled: ctx.enabled('kube-prometheus-stack') },
      },
      workloads,
    };
  },
};
