import { describe, expect, it } from 'vitest';
import { scenarioLosing, standardScenarios } from './scenarios.js';
import { simulate } from './simulate.js';
import { GI, node } from './test-fixtures.js';
import type { PlanInput, SimNode, SimWorkload } from './types.js';

const TAINT = { key: 'node.ceph.storage', value: 'true', effect: 'NoSchedule' as const };
const CP_TAINT = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' as const };

/** Three storage nodes, two workers and three servers, as on the standard profile. */
function nodes(): SimNode[] {
  const zone = (i: number) => ({ 'topology.kubernetes.io/zone': `z${i}` });
  return [
    ...[0, 1, 2].map((i) => node(`cp-${i}`, { pool: 'control-plane', role: 'control-plane', taints: [CP_TAINT], labels: { pool: 'control-plane', ...zone(i) } })),
    ...[0, 1, 2].map((i) => node(`ceph-${i}`, { pool: 'storage', taints: [TAINT], labels: { pool: 'storage', ...zone(i) } })),
    ...[0, 1].map((i) => node(`worker-${i}`, { pool: 'workers', labels: { pool: 'workers', ...zone(i) } })),
  ];
}

function workload(name: string, over: Partial<SimWorkload> & { pool: string; tolerate?: boolean; volume?: boolean; pinned?: string }): SimWorkload {
  const { pool, tolerate, volume, pinned, ...rest } = over;
  return {
    unit: rest.unit ?? name,
    kind: 'Deployment',
    name,
    namespace: 'ns',
    tier: 2,
    replicas: 1,
    template: {
      labels: { app: name },
      priority: 0,
      preemptionPolicy: 'PreemptLowerPriority',
      containers: [{ name: 'c', requests: { cpu: 100, memory: GI / 4 } }],
      initContainers: [],
      tolerations: [...(tolerate ? [{ key: TAINT.key, operator: 'Exists' as const, effect: 'NoSchedule' as const }] : []), { key: CP_TAINT.key, operator: 'Exists', effect: 'NoSchedule' }],
      topologySpreadConstraints: [],
      affinity: { nodeAffinity: { required: [{ matchExpressions: [{ key: 'pool', operator: 'In', values: pinned ? [] : pool.split(',') }] }], preferred: [] } },
      ...(pinned ? { nodeSelector: { 'kubernetes.io/hostname': pinned }, affinity: undefined } : {}),
      ...(volume ? { volumeClasses: ['rook-ceph-block'] } : {}),
    },
    ...rest,
  };
}

function input(workloads: SimWorkload[]): PlanInput {
  return {
    nodes: nodes(),
    workloads,
    source: 'declared',
    storage: [{ className: 'rook-ceph-block', driver: 'rook-ceph.rbd.csi.ceph.com', nodePluginTolerations: [] }],
  };
}

const mons = [0, 1, 2].map((i) => workload(`mon-${i}`, { unit: 'ceph', pool: 'storage', tolerate: true, pinned: `ceph-${i}`, tier: 0, quorum: { group: 'Ceph MON quorum', backs: 'rook-ceph-block' } }));

describe('networked storage and quorums in the scenarios', () => {
  it('state each quorum, holding with 2 of 3 members and lost with 1', () => {
    const platform = input([...mons]);
    const report = simulate(platform, [scenarioLosing([], platform.nodes), scenarioLosing(['ceph-0'], platform.nodes), scenarioLosing(['ceph-0', 'ceph-1'], platform.nodes)]);
    const ceph = (i: number) => report.scenarios[i]!.quorums.find((q) => q.group === 'Ceph MON quorum');
    expect(ceph(0)).toEqual({ unit: 'ceph', group: 'Ceph MON quorum', members: 3, working: 3, need: 2, holds: true, backs: 'rook-ceph-block', workloads: ['Deployment ns/mon-0', 'Deployment ns/mon-1', 'Deployment ns/mon-2'] });
    expect(ceph(1)).toMatchObject({ working: 2, holds: true });
    expect(ceph(2)).toMatchObject({ working: 1, holds: false });
    // A member of a quorum that holds is not down, only degraded.
    expect(report.scenarios[1]!.tiers[0]).toMatchObject({ verdict: 'degraded', down: [] });
    expect(report.scenarios[2]!.tiers[0]).toMatchObject({ verdict: 'down' });
  });

  it('count the control plane as an etcd quorum when it has three servers', () => {
    const platform = input([]);
    const [one, two] = simulate(platform, [scenarioLosing(['cp-0'], platform.nodes), scenarioLosing(['cp-0', 'cp-1'], platform.nodes)]).scenarios;
    expect(one!.quorums).toEqual([{ unit: 'kubernetes', group: 'etcd quorum (Kubernetes API)', members: 3, working: 2, need: 2, holds: true, workloads: [] }]);
    expect(two!.quorums[0]).toMatchObject({ working: 1, holds: false });
  });

  it('hold a pod whose Ceph volume lands on a node without the CSI node plugin as bound but not working', () => {
    const platform = input([...mons, workload('prometheus', { pool: 'workers,control-plane', tier: 1, volume: true })]);
    // Both workers lost: the lifeboat puts it on the control plane, where the plugin (no tolerations) does not run.
    const [s] = simulate(platform, [scenarioLosing(['worker-0', 'worker-1'], platform.nodes)]).scenarios;
    expect(s!.nodes.flatMap((n) => n.pods.map((p) => [n.name, p.name]))).toContainEqual([expect.stringMatching(/^cp-/), 'prometheus-0']);
    expect(s!.stuck).toEqual([
      expect.objectContaining({ name: 'prometheus-0', node: expect.stringMatching(/^cp-/), reason: expect.stringMatching(/^its rook-ceph-block volume cannot be mounted on cp-\d: the rook-ceph\.rbd\.csi\.ceph\.com node plugin does not run there \(it does not tolerate \{node-role\.kubernetes\.io\/control-plane: \}\)$/) }),
    ]);
    expect(s!.tiers[1]).toMatchObject({ running: 0, pending: 1, verdict: 'down', down: ['Deployment ns/prometheus'] });
  });

  it('stop every pod on a storage class whose backing quorum broke, and the quorums that hang on them', () => {
    const vault = workload('vault', { pool: 'workers', volume: true, replicas: 3, quorum: { group: 'Vault raft quorum' } });
    const platform = input([...mons, vault]);
    const [s] = simulate(platform, [scenarioLosing(['ceph-0', 'ceph-1'], platform.nodes)]).scenarios;
    expect(s!.stuck.map((p) => [p.name, p.reason])).toEqual(
      ['vault-0', 'vault-1', 'vault-2'].map((n) => [n, 'its rook-ceph-block volume does not answer: the Ceph MON quorum has 1 of 3 members working and needs 2']),
    );
    expect(s!.quorums.find((q) => q.group === 'Vault raft quorum')).toMatchObject({ members: 3, working: 0, holds: false });
  });

  it('lose each pool and each zone of more than one node', () => {
    expect(standardScenarios(nodes()).map((s) => [s.name, s.kind, s.failed.join(',')]).filter(([, k]) => k === 'pool' || k === 'zone')).toEqual([
      ['pool:control-plane', 'pool', 'cp-0,cp-1,cp-2'],
      ['pool:storage', 'pool', 'ceph-0,ceph-1,ceph-2'],
      ['pool:workers', 'pool', 'worker-0,worker-1'],
      ['zone:z0', 'zone', 'cp-0,ceph-0,worker-0'],
      ['zone:z1', 'zone', 'cp-1,ceph-1,worker-1'],
      ['zone:z2', 'zone', 'cp-2,ceph-2'],
    ]);
  });
});
