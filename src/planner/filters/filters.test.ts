import { describe, expect, it } from 'vitest';
import { Cluster } from '../cluster.js';
import { GI, MI, node, pod } from '../test-fixtures.js';
import { runFilters } from './index.js';
import { nodeAffinity, nodeAffinityPreFilter } from './node-affinity.js';
import { nodeName } from './node-name.js';
import { nodeUnschedulable } from './node-unschedulable.js';
import { resourcesFit } from './resources-fit.js';
import { taintToleration } from './taint-toleration.js';
import { volumeBinding } from './volume-binding.js';

const CP_TAINT = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' as const };

describe('NodeUnschedulable', () => {
  const cordoned = node('n1', { unschedulable: true });
  it('rejects pods on a cordoned node, unresolvably', () => {
    expect(nodeUnschedulable(pod('a'), cordoned)).toEqual({ plugin: 'NodeUnschedulable', code: 'UnschedulableAndUnresolvable', reasons: ['node(s) were unschedulable'] });
  });
  it('admits pods tolerating node.kubernetes.io/unschedulable, and any pod on an open node', () => {
    expect(nodeUnschedulable(pod('a', 1, 1, { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] }), cordoned)).toBeUndefined();
    expect(nodeUnschedulable(pod('a'), node('n2'))).toBeUndefined();
  });
});

describe('NodeName', () => {
  it('keeps a pod that names its node to that node', () => {
    const p = pod('a', 1, 1, { nodeName: 'n1' });
    expect(nodeName(p, node('n1'))).toBeUndefined();
    expect(nodeName(p, node('n2'))).toEqual({ plugin: 'NodeName', code: 'UnschedulableAndUnresolvable', reasons: ["node(s) didn't match the requested node name"] });
    expect(nodeName(pod('b'), node('n2'))).toBeUndefined();
  });
});

describe('VolumeBinding (node-local volumes)', () => {
  it('keeps a pod whose volumes live on one node to that node, unresolvably; a pod not yet run goes anywhere', () => {
    const bound = { ...pod('a', 1, 1, { localClaims: ['data'] }), volumeNode: 'n1' };
    expect(volumeBinding(bound, node('n1'))).toBeUndefined();
    expect(volumeBinding(bound, node('n2'))).toEqual({ plugin: 'VolumeBinding', code: 'UnschedulableAndUnresolvable', reasons: ['node(s) didn\'t match PersistentVolume\'s node affinity'] });
    expect(volumeBinding(pod('b', 1, 1, { localClaims: ['data'] }), node('n2'))).toBeUndefined();
  });
});

describe('TaintToleration', () => {
  it('rejects an untolerated NoSchedule taint, naming it', () => {
    expect(taintToleration(pod('a'), node('cp', { taints: [CP_TAINT] }))).toEqual({
      plugin: 'TaintToleration',
      code: 'UnschedulableAndUnresolvable',
      reasons: ['node(s) had untolerated taint(s)'],
    });
  });
  it('rejects an untolerated NoExecute taint with its value', () => {
    expect(taintToleration(pod('a'), node('g', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoExecute' }] }))?.reasons).toEqual(['node(s) had untolerated taint(s)']);
  });
  it('ignores PreferNoSchedule taints and tolerated ones (Equal, Exists, empty key with Exists)', () => {
    const n = node('n', { taints: [{ key: 'soft', effect: 'PreferNoSchedule' }, { key: 'dedicated', value: 'gpu', effect: 'NoExecute' }, CP_TAINT] });
    expect(taintToleration(pod('a', 1, 1, { tolerations: [{ key: 'dedicated', value: 'gpu' }, { key: CP_TAINT.key, operator: 'Exists', effect: 'NoSchedule' }] }), n)).toBeUndefined();
    expect(taintToleration(pod('a', 1, 1, { tolerations: [{ operator: 'Exists' }] }), n)).toBeUndefined();
    expect(taintToleration(pod('a', 1, 1, { tolerations: [{ key: 'dedicated', value: 'cpu' }, { operator: 'Exists', effect: 'NoSchedule' }] }), n)?.reasons).toEqual(['node(s) had untolerated taint(s)']);
  });
});

describe('NodeAffinity', () => {
  const infra = node('n1', { labels: { 'plinth.dev/pool': 'infra', 'kubernetes.io/os': 'linux' } });
  const FAIL = { plugin: 'NodeAffinity', code: 'UnschedulableAndUnresolvable', reasons: ["node(s) didn't match Pod's node affinity/selector"] };
  it('checks the nodeSelector', () => {
    expect(nodeAffinity(pod('a', 1, 1, { nodeSelector: { 'kubernetes.io/os': 'linux' } }), infra)).toBeUndefined();
    expect(nodeAffinity(pod('a', 1, 1, { nodeSelector: { 'kubernetes.io/os': 'windows' } }), infra)).toEqual(FAIL);
  });
  it('checks the required terms (ORed) with their operators', () => {
    const required = (operator: 'In' | 'NotIn', values: string[]) => ({ nodeAffinity: { required: [{ matchExpressions: [{ key: 'plinth.dev/pool', operator, values }] }], preferred: [] } });
    expect(nodeAffinity(pod('a', 1, 1, { affinity: required('In', ['infra', 'apps']) }), infra)).toBeUndefined();
    expect(nodeAffinity(pod('a', 1, 1, { affinity: required('NotIn', ['infra']) }), infra)).toEqual(FAIL);
    const either = { nodeAffinity: { required: [{ matchExpressions: [{ key: 'gpu', operator: 'Exists' as const }] }, { matchExpressions: [{ key: 'gpu', operator: 'DoesNotExist' as const }] }], preferred: [] } };
    expect(nodeAffinity(pod('a', 1, 1, { affinity: either }), infra)).toBeUndefined();
  });
  it('needs both the nodeSelector and the affinity', () => {
    const p = pod('a', 1, 1, { nodeSelector: { 'kubernetes.io/os': 'windows' }, affinity: { nodeAffinity: { required: [{ matchExpressions: [{ key: 'plinth.dev/pool', operator: 'Exists' }] }], preferred: [] } } });
    expect(nodeAffinity(p, infra)).toEqual(FAIL);
  });
  it('pre-filters the nodes named by metadata.name fields (what DaemonSet pods carry)', () => {
    const pinned = (values: string[][]) => pod('a', 1, 1, { affinity: { nodeAffinity: { required: values.map((v) => ({ matchFields: [{ key: 'metadata.name', operator: 'In' as const, values: v }] })), preferred: [] } } });
    expect(nodeAffinityPreFilter(pinned([['n1']]))).toEqual({ nodes: new Set(['n1']) });
    expect(nodeAffinityPreFilter(pinned([['n1'], ['n2']]))).toEqual({ nodes: new Set(['n1', 'n2']) });
    expect(nodeAffinityPreFilter(pod('b'))).toEqual({ nodes: 'all' });
    const mixed = pod('c', 1, 1, { affinity: { nodeAffinity: { required: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }, { matchExpressions: [{ key: 'x', operator: 'Exists' }] }], preferred: [] } } });
    expect(nodeAffinityPreFilter(mixed)).toEqual({ nodes: 'all' });
    const conflict = pod('d', 1, 1, {
      affinity: { nodeAffinity: { required: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }, { key: 'metadata.name', operator: 'In', values: ['n2'] }] }], preferred: [] } },
    });
    expect(nodeAffinityPreFilter(conflict)).toEqual({ failure: { plugin: 'NodeAffinity', code: 'UnschedulableAndUnresolvable', reasons: ['pod affinity terms conflict'] } });
  });
});

describe('NodeResourcesFit', () => {
  const n = node('n1', { allocatable: { cpu: 1000, memory: 1 * GI }, maxPods: 3 });
  it('fits requests into what is left of allocatable', () => {
    const c = new Cluster([n]);
    c.bind(pod('a', 600, 512), 'n1');
    expect(resourcesFit(pod('b', 400, 512), n, c)).toBeUndefined();
    expect(resourcesFit(pod('b', 401, 100), n, c)).toEqual({ plugin: 'NodeResourcesFit', code: 'Unschedulable', reasons: ['Insufficient cpu'] });
    expect(resourcesFit(pod('b', 100, 513), n, c)?.reasons).toEqual(['Insufficient memory']);
    expect(resourcesFit(pod('b', 500, 600), n, c)?.reasons).toEqual(['Insufficient cpu', 'Insufficient memory']);
  });
  it('is not cured by preemption when a request exceeds the whole allocatable (as kube-scheduler 1.36 says)', () => {
    const c = new Cluster([n]);
    expect(resourcesFit(pod('huge', 64_000, 100), n, c)).toEqual({ plugin: 'NodeResourcesFit', code: 'UnschedulableAndUnresolvable', reasons: ['Insufficient cpu'] });
    expect(resourcesFit(pod('huge', 100, 2 * GI), n, c)?.code).toBe('UnschedulableAndUnresolvable');
  });
  it('counts init containers and overhead', () => {
    const c = new Cluster([n]);
    c.bind(pod('a', 600, 100), 'n1');
    expect(resourcesFit(pod('b', 100, 100, { initContainers: [{ name: 'i', requests: { cpu: 401 } }] }), n, c)?.reasons).toEqual(['Insufficient cpu']);
    expect(resourcesFit(pod('b', 300, 100, { overhead: { cpu: 101, memory: 0 } }), n, c)?.reasons).toEqual(['Insufficient cpu']);
    expect(resourcesFit(pod('b', 300, 100, { overhead: { cpu: 100, memory: 0 } }), n, c)).toBeUndefined();
  });
  it('limits the number of pods, and lets a pod without requests in otherwise', () => {
    const c = new Cluster([n]);
    c.bind(pod('a', 1000, 1024), 'n1');
    c.bind(pod('b', 0, 0), 'n1');
    expect(resourcesFit(pod('c', 0, 0), n, c)).toBeUndefined();
    c.bind(pod('c', 0, 0), 'n1');
    expect(resourcesFit(pod('d', 0, 0), n, c)?.reasons).toEqual(['Too many pods']);
  });
});

describe('filter order', () => {
  it('reports only the first filter that fails on a node', () => {
    const n = node('cp', { taints: [CP_TAINT], allocatable: { cpu: 100, memory: 100 * MI }, unschedulable: true });
    expect(runFilters(pod('a', 500, 500), n, new Cluster([n]))?.plugin).toBe('NodeUnschedulable');
    expect(runFilters(pod('a', 500, 500), { ...n, unschedulable: false }, new Cluster([n]))?.plugin).toBe('TaintToleration');
  });
});
