import { describe, expect, it } from 'vitest';
import type { K8sObject } from '../model/k8s.js';
import { hostDataOf } from '../model/claims.js';
import { cephOperatedWorkloads } from './operated-ceph.js';

const cluster = (spec: Record<string, unknown>): K8sObject => ({ apiVersion: 'ceph.rook.io/v1', kind: 'CephCluster', metadata: { name: 'rook-ceph', namespace: 'rook-ceph' }, spec });
const storage = { mon: 'storage' };
const placement = { all: { tolerations: [{ key: 'node.ceph.storage', operator: 'Exists' }] }, mon: { nodeAffinity: storage } };

describe('the Ceph daemons Rook creates from a CephCluster', () => {
  const objects = cephOperatedWorkloads([
    cluster({
      mon: { count: 3, allowMultiplePerNode: false },
      mgr: { count: 2 },
      storage: { useAllNodes: false, nodes: [{ name: 'ceph-0' }, { name: 'ceph-1' }] },
      resources: { mon: { requests: { cpu: '500m', memory: '1Gi' } }, osd: { requests: { cpu: '1', memory: '4Gi' } } },
      priorityClassNames: { all: 'system-cluster-critical' },
      placement,
    }),
  ]);

  it('are a Deployment per MON, MGR and OSD (one per listed node), and per-node helpers', () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Deployment/rook-ceph-mon-a', 'Deployment/rook-ceph-mon-b', 'Deployment/rook-ceph-mon-c',
      'Deployment/rook-ceph-mgr-a', 'Deployment/rook-ceph-mgr-b',
      'Deployment/rook-ceph-osd-0', 'Deployment/rook-ceph-osd-1',
      'DaemonSet/rook-ceph-crashcollector', 'DaemonSet/rook-ceph-exporter',
    ]);
  });

  it('keep MONs apart unless allowMultiplePerNode, pin OSDs to their node, and mark the data they keep there', () => {
    const mon = objects[0]!.spec as { template: { spec: Record<string, unknown> } };
    expect(mon.template.spec).toMatchObject({
      priorityClassName: 'system-cluster-critical',
      tolerations: placement.all.tolerations,
      affinity: { nodeAffinity: storage, podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'rook-ceph-mon' } }, topologyKey: 'kubernetes.io/hostname' }] } },
      containers: [{ name: 'mon', resources: { requests: { cpu: '500m', memory: '1Gi' } } }],
    });
    expect(hostDataOf(objects[0]!)).toEqual(['mon-store']);
    expect((objects[5]!.spec as { template: { spec: { nodeSelector: unknown } } }).template.spec.nodeSelector).toEqual({ 'kubernetes.io/hostname': 'ceph-0' });
    expect(hostDataOf(objects[5]!)).toEqual(['osd-device']);
    const loose = cephOperatedWorkloads([cluster({ mon: { count: 3, allowMultiplePerNode: true } })])[0]!;
    expect((loose.spec as { template: { spec: { affinity?: unknown } } }).template.spec.affinity).toBeUndefined();
  });
});
