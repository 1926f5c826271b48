import { describe, expect, it } from 'vitest';
import { Cluster } from './cluster.js';
import { runQueue, scheduleOne } from './scheduler.js';
import { fitErrorText, reasonHistogram } from './status.js';
import { GI, MI, node, pod } from './test-fixtures.js';

const CP_TAINT = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' as const };

describe('the pending reason', () => {
  it('counts reasons over nodes and sorts them as text', () => {
    expect(reasonHistogram([['Insufficient memory'], ['b'], ['b'], ['Insufficient cpu', 'Insufficient memory']])).toEqual(['1 Insufficient cpu', '2 Insufficient memory', '2 b']);
    expect(fitErrorText(3, [])).toBe('0/3 nodes are available:');
  });

  it('reads as kube-scheduler writes it, preemption included', () => {
    const c = new Cluster([
      node('k3s-server-0', { taints: [CP_TAINT], allocatable: { cpu: 1500, memory: 3 * GI } }),
      node('k3s-agent-0', { allocatable: { cpu: 1900, memory: 1 * GI } }),
      node('k3s-agent-1', { taints: [CP_TAINT] }),
    ]);
    expect(scheduleOne(pod('big', 100, 2048), c)).toEqual({
      pending:
        '0/3 nodes are available: 1 Insufficient memory, 2 node(s) had untolerated taint(s). ' +
        // 2Gi is more than k3s-agent-0 has at all: preemption cannot help there either.
        'no new claims to deallocate, preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
    });
  });

  it('names the filter failure left after removing every lower-priority pod', () => {
    const c = new Cluster([node('n1', { allocatable: { cpu: 1000, memory: 3 * GI } })]);
    c.bind(pod('low', 100, 512), 'n1');
    c.bind(pod('high', 100, 2048, { priority: 20 }), 'n1');
    expect(scheduleOne(pod('huge', 100, 1536, { priority: 10 }), c)).toEqual({
      pending: '0/1 nodes are available: 1 Insufficient memory. no new claims to deallocate, preemption: 0/1 nodes are available: 1 Insufficient memory.',
    });
  });

  it('says when a pod may not preempt, and when there are no nodes', () => {
    const c = new Cluster([node('n1', { allocatable: { cpu: 100, memory: 1 * GI } })]);
    expect(scheduleOne(pod('p', 200, 10, { preemptionPolicy: 'Never' }), c)).toEqual({ pending: '0/1 nodes are available: 1 Insufficient cpu. no new claims to deallocate, preemption: not eligible due to preemptionPolicy=Never.' });
    expect(scheduleOne(pod('p'), new Cluster([]))).toEqual({ pending: 'no nodes available to schedule pods' });
  });

  it('reports the nodes a DaemonSet pod is not pinned to as not satisfying NodeAffinity', () => {
    const c = new Cluster([node('a', { allocatable: { cpu: 300, memory: 1 * GI } }), node('b'), node('c')]);
    c.bind(pod('busy', 200, 10, { priority: 5 }), 'a');
    const ds = pod('agent-a', 200, 10, { priority: 5, affinity: { nodeAffinity: { required: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['a'] }] }], preferred: [] } } });
    expect(scheduleOne(ds, c)).toEqual({
      pending: "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) [NodeAffinity]. no new claims to deallocate, preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.",
    });
  });
});

describe('the queue', () => {
  it('places pods by priority, then in creation order, and retries the pending', () => {
    const c = new Cluster([node('n1', { allocatable: { cpu: 1000, memory: 1 * GI } })]);
    const result = runQueue(
      [
        { pod: pod('low', 600, 100, { priority: 1 }), order: 0 },
        { pod: pod('high', 600, 100, { priority: 100 }), order: 1 },
        { pod: pod('mid', 300, 100, { priority: 50 }), order: 2 },
      ],
      c,
    );
    expect(c.podsOn('n1').map((b) => b.pod.name)).toEqual(['high', 'mid']);
    expect([...result.pending.keys()]).toEqual(['default/low']);
    expect(result.preemptions).toEqual([]);
  });

  it('gives the same placement for the same input', () => {
    const run = () => {
      const c = new Cluster([node('a'), node('b'), node('c')]);
      runQueue(Array.from({ length: 12 }, (_, i) => ({ pod: pod(`p${i}`, 100 + i * 10, 64 + i * MI), order: i })), c);
      return c.bindings().map((b) => `${b.pod.name}@${b.node}`);
    };
    expect(run()).toEqual(run());
  });
});
