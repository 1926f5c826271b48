import { describe, expect, it } from 'vitest';
import { Cluster } from './cluster.js';
import { pickCandidate, selectVictims } from './preemption.js';
import { runQueue, scheduleOne } from './scheduler.js';
import { GI, node, pod } from './test-fixtures.js';

const small = (name: string) => node(name, { allocatable: { cpu: 1000, memory: 4 * GI } });

describe('preemption', () => {
  it('evicts the fewest, lowest-priority pods that make room', () => {
    const c = new Cluster([small('n1')]);
    c.bind(pod('p10', 300, 10, { priority: 10 }), 'n1');
    c.bind(pod('p1a', 300, 10, { priority: 1 }), 'n1');
    c.bind(pod('p1b', 300, 10, { priority: 1 }), 'n1');
    const out = scheduleOne(pod('hi', 400, 10, { priority: 100 }), c);
    expect(out).toMatchObject({ bound: 'n1' });
    expect('victims' in out && out.victims.map((v) => v.pod.name)).toEqual(['p1b']);
    expect(c.podsOn('n1').map((b) => b.pod.name).sort()).toEqual(['hi', 'p10', 'p1a']);
  });

  it('lets back the more important pods first: the victims are the lowest priorities', () => {
    const c = new Cluster([small('n1')]);
    c.bind(pod('p5', 500, 10, { priority: 5 }), 'n1');
    c.bind(pod('p3', 250, 10, { priority: 3 }), 'n1');
    c.bind(pod('p2', 250, 10, { priority: 2 }), 'n1');
    const r = selectVictims(pod('hi', 500, 10, { priority: 9 }), c.node('n1')!, c);
    expect('victims' in r && r.victims.map((v) => v.pod.name)).toEqual(['p3', 'p2']);
  });

  it('never preempts pods of equal or higher priority', () => {
    const c = new Cluster([small('n1')]);
    c.bind(pod('same', 600, 10, { priority: 50 }), 'n1');
    c.bind(pod('higher', 400, 10, { priority: 60 }), 'n1');
    expect(scheduleOne(pod('p', 300, 10, { priority: 50 }), c)).toEqual({
      pending: '0/1 nodes are available: 1 Insufficient cpu. no new claims to deallocate, preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.',
    });
    expect(c.podsOn('n1').map((b) => b.pod.name)).toEqual(['same', 'higher']);
  });

  it('chooses the node whose highest victim priority is lowest, then the fewest victims', () => {
    const c = new Cluster([small('a'), small('b'), small('c')]);
    c.bind(pod('a-mid', 1000, 10, { priority: 20 }), 'a');
    c.bind(pod('b-low1', 500, 10, { priority: 10 }), 'b');
    c.bind(pod('b-low2', 500, 10, { priority: 10 }), 'b');
    c.bind(pod('c-low', 1000, 10, { priority: 10 }), 'c');
    const out = scheduleOne(pod('hi', 800, 10, { priority: 100 }), c);
    expect(out).toMatchObject({ bound: 'c' });
    expect('victims' in out && out.victims.map((v) => v.pod.name)).toEqual(['c-low']);
  });

  it('ranks candidates: lower highest priority, lower sum, fewer victims, latest start, name', () => {
    const b = (name: string, priority: number, at: number) => ({ pod: pod(name, 1, 1, { priority }), node: 'x', at });
    expect(pickCandidate([{ node: 'x', victims: [b('v', 5, 0)] }, { node: 'y', victims: [b('w', 3, 0), b('w2', 3, 1)] }])?.node).toBe('y');
    expect(pickCandidate([{ node: 'x', victims: [b('v', 3, 0), b('v2', 3, 1)] }, { node: 'y', victims: [b('w', 3, 0)] }])?.node).toBe('y');
    expect(pickCandidate([{ node: 'x', victims: [b('v', 3, 0)] }, { node: 'y', victims: [b('w', 3, 7)] }])?.node).toBe('y');
    expect(pickCandidate([{ node: 'y', victims: [b('v', 3, 1)] }, { node: 'x', victims: [b('w', 3, 1)] }])?.node).toBe('x');
  });

  it('lets a victim with node-local volumes come back only on the node its volumes are on', () => {
    const c = new Cluster([small('a'), node('b', { allocatable: { cpu: 4000, memory: 4 * GI } })]);
    c.bind(pod('low', 600, 10, { priority: 1, localClaims: ['data'] }), 'a');
    const later = runQueue([{ pod: pod('hi', 900, 10, { priority: 100, nodeSelector: { 'kubernetes.io/hostname': 'a' } }), order: 1 }], c);
    expect(later.preemptions.map((e) => [e.node, e.victims.map((v) => v.name)])).toEqual([['a', ['low']]]);
    // Node b has room, but not its volume.
    expect([...later.pending.values()].map((p) => [p.pod.name, p.reason])).toEqual([
      ['low', '0/2 nodes are available: 1 Insufficient cpu, 1 node(s) didn\'t match PersistentVolume\'s node affinity. no new claims to deallocate, preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.'],
    ]);
    // Without node-local volumes, the victim finds room on b.
    const d = new Cluster([small('a'), node('b', { allocatable: { cpu: 4000, memory: 4 * GI } })]);
    d.bind(pod('low', 600, 10, { priority: 1 }), 'a');
    runQueue([{ pod: pod('hi', 900, 10, { priority: 100, nodeSelector: { 'kubernetes.io/hostname': 'a' } }), order: 1 }], d);
    expect(d.bindingOf(pod('low'))?.node).toBe('b');
  });

  it('puts the victims back in the queue, where they find room elsewhere or stay pending', () => {
    const c = new Cluster([small('a'), node('b', { allocatable: { cpu: 500, memory: 4 * GI } })]);
    const result = runQueue(
      [
        { pod: pod('low-1', 600, 10, { priority: 1 }), order: 0 },
        { pod: pod('low-2', 400, 10, { priority: 1 }), order: 1 },
      ],
      c,
    );
    expect(result.pending.size).toBe(0);
    const later = runQueue([{ pod: pod('hi', 900, 10, { priority: 100 }), order: 2 }], c);
    expect(later.preemptions.map((e) => [e.preemptor.name, e.node, e.victims.map((v) => v.name)])).toEqual([['hi', 'a', ['low-1']]]);
    expect([...later.pending.values()].map((p) => [p.pod.name, p.reason])).toEqual([
      ['low-1', '0/2 nodes are available: 2 Insufficient cpu. no new claims to deallocate, preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.'],
    ]);
  });
});
