import { describe, expect, it } from 'vitest';
import { Cluster } from '../cluster.js';
import { node, pod } from '../test-fixtures.js';
import type { PodAffinityTerm, SimPod } from '../types.js';
import { interPodAffinity } from './inter-pod-affinity.js';

const zoned = [node('a1', { labels: { zone: 'a' } }), node('a2', { labels: { zone: 'a' } }), node('b1', { labels: { zone: 'b' } }), node('x1')];
const term = (app: string, topologyKey: string, extra: Partial<PodAffinityTerm> = {}): PodAffinityTerm => ({ labelSelector: { matchLabels: { app } }, topologyKey, ...extra });
const withAffinity = (name: string, required: PodAffinityTerm[], kind: 'podAffinity' | 'podAntiAffinity', over: Partial<SimPod> = {}) =>
  pod(name, 10, 10, { affinity: { [kind]: { required, preferred: [] } }, ...over });
const reasons = (p: SimPod, n: string, c: Cluster) => interPodAffinity(p, c.node(n)!, c)?.reasons ?? [];

describe('InterPodAffinity (required)', () => {
  it('affinity: a node in the topology domain of a matching pod', () => {
    const c = new Cluster(zoned);
    c.bind(pod('db'), 'a1');
    const web = withAffinity('web', [term('db', 'zone')], 'podAffinity');
    expect(reasons(web, 'a2', c)).toEqual([]);
    expect(reasons(web, 'b1', c)).toEqual(["node(s) didn't match pod affinity rules"]);
    expect(interPodAffinity(web, c.node('x1')!, c)?.code).toBe('UnschedulableAndUnresolvable');
    const host = withAffinity('web', [term('db', 'kubernetes.io/hostname')], 'podAffinity');
    expect(reasons(host, 'a1', c)).toEqual([]);
    expect(reasons(host, 'a2', c)).toEqual(["node(s) didn't match pod affinity rules"]);
  });

  it('affinity: the first pod of a group that selects itself may go anywhere its topology key exists', () => {
    const c = new Cluster(zoned);
    const first = withAffinity('cache', [term('cache', 'zone')], 'podAffinity');
    expect(reasons(first, 'b1', c)).toEqual([]);
    expect(reasons(first, 'x1', c)).toEqual(["node(s) didn't match pod affinity rules"]);
    c.bind(pod('other', 10, 10, { labels: { app: 'cache' } }), 'a1');
    expect(reasons(first, 'b1', c)).toEqual(["node(s) didn't match pod affinity rules"]);
  });

  it('affinity: terms select pods in the pod own namespace unless they name others', () => {
    const c = new Cluster(zoned);
    c.bind(pod('db', 10, 10, { namespace: 'data' }), 'a1');
    expect(reasons(withAffinity('web', [term('db', 'zone')], 'podAffinity'), 'a2', c)).toEqual(["node(s) didn't match pod affinity rules"]);
    expect(reasons(withAffinity('web', [term('db', 'zone', { namespaces: ['data'] })], 'podAffinity'), 'a2', c)).toEqual([]);
    expect(reasons(withAffinity('web', [term('db', 'zone', { namespaceSelector: {} })], 'podAffinity'), 'a2', c)).toEqual([]);
  });

  it('anti-affinity of the incoming pod: no matching pod in the same domain', () => {
    const c = new Cluster(zoned);
    c.bind(pod('web-0', 10, 10, { labels: { app: 'web' } }), 'a1');
    const web1 = withAffinity('web-1', [term('web', 'zone')], 'podAntiAffinity', { labels: { app: 'web' } });
    expect(reasons(web1, 'a2', c)).toEqual(["node(s) didn't match pod anti-affinity rules"]);
    expect(interPodAffinity(web1, c.node('a2')!, c)?.code).toBe('Unschedulable');
    expect(reasons(web1, 'b1', c)).toEqual([]);
    expect(reasons(web1, 'x1', c)).toEqual([]);
  });

  it('anti-affinity of running pods: the incoming pod may not join their domain', () => {
    const c = new Cluster(zoned);
    c.bind(withAffinity('loner', [term('noisy', 'kubernetes.io/hostname')], 'podAntiAffinity'), 'a1');
    const noisy = pod('noisy');
    expect(reasons(noisy, 'a1', c)).toEqual(["node(s) didn't satisfy existing pods anti-affinity rules"]);
    expect(reasons(noisy, 'a2', c)).toEqual([]);
  });
});
