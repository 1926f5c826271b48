import { describe, expect, it } from 'vitest';
import { Cluster } from './cluster.js';
import { podsOf } from './pods.js';
import { runQueue } from './scheduler.js';
import { GI, node, pod } from './test-fixtures.js';
import type { SimNode, SimWorkload } from './types.js';

const CP_TAINT = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' as const };
const nodes: SimNode[] = [
  node('server', { role: 'control-plane', pool: 'control-plane', taints: [CP_TAINT], labels: { 'plinth.dev/pool': 'control-plane' } }),
  node('agent-0', { labels: { 'plinth.dev/pool': 'infra' } }),
  node('agent-1', { labels: { 'plinth.dev/pool': 'apps' }, taints: [{ key: 'dedicated', value: 'apps', effect: 'NoExecute' }] }),
  node('cordoned', { labels: { 'plinth.dev/pool': 'infra' }, unschedulable: true }),
];

function daemonSet(name: string, over: Partial<SimWorkload['template']> = {}): SimWorkload {
  const { name: _n, namespace: _ns, unit: _u, workload: _w, tier: _t, ...template } = pod(name, 50, 64, { priority: 2_000_001_000, ...over });
  return { unit: 'agents', kind: 'DaemonSet', name, namespace: 'kube-system', tier: 0, replicas: 0, template };
}

describe('DaemonSet pods', () => {
  it('go to every node whose taints they tolerate, cordoned ones included', () => {
    expect(podsOf(daemonSet('plain'), nodes).map((p) => p.name)).toEqual(['plain-agent-0', 'plain-cordoned']);
    expect(podsOf(daemonSet('cni', { tolerations: [{ operator: 'Exists' }] }), nodes).map((p) => p.name)).toEqual(['cni-agent-0', 'cni-agent-1', 'cni-cordoned', 'cni-server']);
    expect(podsOf(daemonSet('cp', { tolerations: [{ key: CP_TAINT.key, operator: 'Exists', effect: 'NoSchedule' }] }), nodes).map((p) => p.name)).toEqual(['cp-agent-0', 'cp-cordoned', 'cp-server']);
  });

  it('respect the node selector and required affinity', () => {
    const onInfra = daemonSet('infra-only', { tolerations: [{ operator: 'Exists' }], nodeSelector: { 'plinth.dev/pool': 'infra' } });
    expect(podsOf(onInfra, nodes).map((p) => p.name)).toEqual(['infra-only-agent-0', 'infra-only-cordoned']);
    const notApps = daemonSet('not-apps', { tolerations: [{ operator: 'Exists' }], affinity: { nodeAffinity: { required: [{ matchExpressions: [{ key: 'plinth.dev/pool', operator: 'NotIn', values: ['apps'] }] }], preferred: [] } } });
    expect(podsOf(notApps, nodes).map((p) => p.name)).toEqual(['not-apps-agent-0', 'not-apps-cordoned', 'not-apps-server']);
  });

  it('are pinned to their node, with the DaemonSet controller tolerations, and land there', () => {
    const pods = podsOf(daemonSet('cni', { tolerations: [{ operator: 'Exists' }] }), nodes);
    const onServer = pods.find((p) => p.name === 'cni-server')!;
    expect(onServer.affinity?.nodeAffinity?.required).toEqual([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['server'] }] }]);
    expect(onServer.tolerations).toContainEqual({ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' });
    const c = new Cluster(nodes);
    const result = runQueue(pods.map((p, i) => ({ pod: p, order: i })), c);
    expect(result.pending.size).toBe(0);
    expect(c.bindings().map((b) => `${b.pod.name}@${b.node}`)).toEqual(['cni-agent-0@agent-0', 'cni-agent-1@agent-1', 'cni-cordoned@cordoned', 'cni-server@server']);
  });

  it('preempt lower-priority pods on their node when it is full, and stay pending on a node too small', () => {
    const two = [node('a', { allocatable: { cpu: 1000, memory: 1 * GI } }), node('b', { allocatable: { cpu: 40, memory: 1 * GI } })];
    const c = new Cluster(two);
    c.bind(pod('app', 980, 64, { priority: 1000 }), 'a');
    const ds = podsOf(daemonSet('agent'), two);
    const result = runQueue(ds.map((p, i) => ({ pod: p, order: i })), c);
    expect(c.podsOn('a').map((b) => b.pod.name)).toEqual(['agent-a']);
    expect(result.preemptions.map((e) => [e.preemptor.name, e.victims.map((v) => v.name)])).toEqual([['agent-a', ['app']]]);
    expect(result.pending.get('kube-system/agent-b')?.reason).toBe(
      "0/2 nodes are available: 1 Insufficient cpu, 1 node(s) didn't satisfy plugin(s) [NodeAffinity]. no new claims to deallocate, preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.",
    );
  });

  it('leave Jobs out unless asked; replicas give one pod each', () => {
    const job: SimWorkload = { ...daemonSet('j'), kind: 'Job', replicas: 2 };
    expect(podsOf(job, nodes)).toEqual([]);
    expect(podsOf(job, nodes, { includeJobs: true }).map((p) => p.name)).toEqual(['j-0', 'j-1']);
  });
});
