import { describe, expect, it } from 'vitest';
import { Cluster } from '../cluster.js';
import { node, pod } from '../test-fixtures.js';
import type { SimPod, TopologySpreadConstraint } from '../types.js';
import { topologySpread } from './topology-spread.js';

const nodes = [node('a1', { labels: { zone: 'a' } }), node('a2', { labels: { zone: 'a' } }), node('b1', { labels: { zone: 'b' } }), node('nolabel')];
const spread = (over: Partial<TopologySpreadConstraint> = {}): TopologySpreadConstraint => ({ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } }, ...over });
const web = (name: string, c: TopologySpreadConstraint[] = [spread()], over: Partial<SimPod> = {}) => pod(name, 10, 10, { labels: { app: 'web' }, topologySpreadConstraints: c, ...over });
const reasons = (p: SimPod, n: string, c: Cluster) => topologySpread(p, c.node(n)!, c)?.reasons ?? [];

describe('PodTopologySpread (DoNotSchedule)', () => {
  it('keeps the skew between domains within maxSkew', () => {
    const c = new Cluster(nodes);
    c.bind(web('w0'), 'a1');
    expect(reasons(web('w1'), 'a2', c)).toEqual(["node(s) didn't match pod topology spread constraints"]);
    expect(topologySpread(web('w1'), c.node('a2')!, c)?.code).toBe('Unschedulable');
    expect(reasons(web('w1'), 'b1', c)).toEqual([]);
    expect(reasons(web('w1', [spread({ maxSkew: 2 })]), 'a2', c)).toEqual([]);
  });
  it('rejects nodes without the topology key, unresolvably', () => {
    const c = new Cluster(nodes);
    expect(topologySpread(web('w0'), c.node('nolabel')!, c)).toEqual({
      plugin: 'PodTopologySpread',
      code: 'UnschedulableAndUnresolvable',
      reasons: ["node(s) didn't match pod topology spread constraints (missing required label)"],
    });
  });
  it('counts only domains of nodes the pod may use (nodeAffinityPolicy Honor), unless told to ignore', () => {
    const c = new Cluster(nodes);
    c.bind(web('w0'), 'a1');
    const onlyA = { nodeSelector: { zone: 'a' } };
    expect(reasons(web('w1', [spread()], onlyA), 'a2', c)).toEqual([]);
    expect(reasons(web('w1', [spread({ nodeAffinityPolicy: 'Ignore' })], onlyA), 'a2', c)).toEqual(["node(s) didn't match pod topology spread constraints"]);
  });
  it('takes the global minimum as 0 while there are fewer domains than minDomains', () => {
    const c = new Cluster(nodes);
    c.bind(web('w0'), 'a1');
    c.bind(web('w1'), 'b1');
    expect(reasons(web('w2'), 'a2', c)).toEqual([]);
    expect(reasons(web('w2', [spread({ minDomains: 3 })]), 'a2', c)).toEqual(["node(s) didn't match pod topology spread constraints"]);
  });
  it('ignores ScheduleAnyway constraints and pods the selector does not pick', () => {
    const c = new Cluster(nodes);
    c.bind(web('w0'), 'a1');
    c.bind(pod('other', 10, 10, { labels: { app: 'db' } }), 'b1');
    expect(reasons(web('w1', [spread({ whenUnsatisfiable: 'ScheduleAnyway' })]), 'a2', c)).toEqual([]);
    expect(reasons(web('w1'), 'b1', c)).toEqual([]);
  });
  it('adds matchLabelKeys from the pod labels to the selector', () => {
    const c = new Cluster(nodes);
    c.bind(web('w0', [spread()], { labels: { app: 'web', rev: '1' } }), 'a1');
    expect(reasons(web('w1', [spread({ matchLabelKeys: ['rev'] })], { labels: { app: 'web', rev: '2' } }), 'a2', c)).toEqual([]);
    expect(reasons(web('w1', [spread({ matchLabelKeys: ['rev'] })], { labels: { app: 'web', rev: '1' } }), 'a2', c)).toEqual(["node(s) didn't match pod topology spread constraints"]);
  });
});
