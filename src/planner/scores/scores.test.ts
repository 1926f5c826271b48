import { describe, expect, it } from 'vitest';
import { Cluster } from '../cluster.js';
import { GI, node, pod } from '../test-fixtures.js';
import type { SimPod } from '../types.js';
import { scoreNodes, selectHost } from './index.js';
import { normalizeByMax, normalizeMinMax } from './normalize.js';
import { balancedAllocation, leastAllocated } from './resources.js';

const pick = (p: SimPod, c: Cluster) => selectHost(scoreNodes(p, c.nodes, c));

describe('scores', () => {
  it('normalises like the scheduler: by the maximum (optionally reversed) or between min and max', () => {
    expect(normalizeByMax([0, 50, 100], false)).toEqual([0, 50, 100]);
    expect(normalizeByMax([1, 3], false)).toEqual([33, 100]);
    expect(normalizeByMax([0, 0], true)).toEqual([100, 100]);
    expect(normalizeByMax([0, 2], true)).toEqual([100, 0]);
    expect(normalizeMinMax([-100, 0, 100])).toEqual([0, 50, 100]);
    expect(normalizeMinMax([7, 7])).toEqual([0, 0]);
  });

  it('least-allocated prefers the emptier node; balanced prefers like shares of CPU and memory', () => {
    const n = node('n', { allocatable: { cpu: 1000, memory: 1 * GI } });
    const c = new Cluster([n]);
    c.bind(pod('a', 500, 256), 'n');
    expect(leastAllocated(pod('b', 100, 256), n, c)).toBe(Math.trunc((40 + 50) / 2));
    expect(balancedAllocation(pod('b', 100, 256), n, c)).toBe(95);
  });

  it('ties go to the first node by name', () => {
    const c = new Cluster([node('b'), node('a'), node('c')]);
    expect(pick(pod('p'), c)).toBe('a');
  });

  it('least-allocated spreads pods over equal nodes', () => {
    const c = new Cluster([node('a'), node('b')]);
    c.bind(pod('x', 500, 500), 'a');
    expect(pick(pod('p'), c)).toBe('b');
  });

  it('preferred node affinity outweighs free room', () => {
    const c = new Cluster([node('a', { labels: { 'plinth.dev/pool': 'infra' } }), node('b', { labels: { 'plinth.dev/pool': 'apps' } })]);
    c.bind(pod('x', 1500, 3000), 'a');
    const p = pod('p', 100, 100, { affinity: { nodeAffinity: { preferred: [{ weight: 100, preference: { matchExpressions: [{ key: 'plinth.dev/pool', operator: 'In', values: ['infra'] }] } }] } } });
    expect(pick(p, c)).toBe('a');
  });

  it('preferred anti-affinity spreads replicas across hosts', () => {
    const c = new Cluster([node('a'), node('b')]);
    c.bind(pod('web-0', 10, 10, { labels: { app: 'web' } }), 'a');
    const anti = { podAntiAffinity: { required: [], preferred: [{ weight: 100, podAffinityTerm: { labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' } }] } };
    c.bind(pod('filler', 900, 1800), 'b');
    expect(pick(pod('web-1', 10, 10, { labels: { app: 'web' }, affinity: anti }), c)).toBe('b');
    expect(pick(pod('web-1', 10, 10, { labels: { app: 'web' } }), c)).toBe('a');
  });

  it('preferred pod affinity draws a pod towards its peer', () => {
    const c = new Cluster([node('a'), node('b')]);
    c.bind(pod('db', 900, 1800), 'b');
    const aff = { podAffinity: { required: [], preferred: [{ weight: 100, podAffinityTerm: { labelSelector: { matchLabels: { app: 'db' } }, topologyKey: 'kubernetes.io/hostname' } }] } };
    expect(pick(pod('web', 10, 10, { affinity: aff }), c)).toBe('b');
  });

  it('avoids PreferNoSchedule taints it does not tolerate', () => {
    const c = new Cluster([node('a', { taints: [{ key: 'soft', effect: 'PreferNoSchedule' }] }), node('b')]);
    c.bind(pod('x', 1000, 2000), 'b');
    expect(pick(pod('p'), c)).toBe('b');
    expect(pick(pod('p', 100, 100, { tolerations: [{ key: 'soft', operator: 'Exists' }] }), c)).toBe('a');
  });
});
