import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/load.js';
import { starterConfig } from '../../config/starter.js';
import { CATALOG } from '../../catalog/index.js';
import { resolvePlatform } from '../../desired/index.js';
import type { K8sObject } from '../../model/k8s.js';
import { cniConflict, cniState } from './cni.js';
import { nodeChanges, nodePatch } from './nodes.js';
import { k3sAddonDifferences, k3sDisabled, preflightDifferences } from './preflight.js';

const platform = () => resolvePlatform(parseConfig(starterConfig(), 'plinth.yaml'), CATALOG);
const node = (name: string, o: { labels?: Record<string, string>; taints?: object[]; ready?: boolean | string; cpu?: string; memory?: string } = {}): K8sObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: o.labels ?? {} },
  spec: o.taints ? { taints: o.taints } : {},
  status: {
    capacity: { cpu: o.cpu ?? '2', memory: o.memory ?? '4025836Ki' },
    conditions: [o.ready === false ? { type: 'Ready', status: 'False', message: 'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady' } : o.ready === 'other' ? { type: 'Ready', status: 'False', message: 'PLEG is not healthy' } : { type: 'Ready', status: 'True' }],
  },
});
const v = (major: number, minor: number) => ({ major, minor, gitVersion: `v${major}.${minor}.3+k3s1` });
const all = () => [node('k3s-server-0', { labels: { 'node-role.kubernetes.io/control-plane': 'true' } }), node('k3s-agent-0'), node('k3s-agent-1')];

describe('preflight', () => {
  it('passes a cluster shaped like plinth.yaml', () => {
    expect(preflightDifferences(platform(), { version: v(1, 31), nodes: all() })).toEqual([]);
  });

  it('lists every difference at once', () => {
    const diffs = preflightDifferences(platform(), { version: v(1, 27), nodes: [node('k3s-server-0'), node('k3s-agent-0', { cpu: '1', memory: '1Gi' }), node('stray')] });
    expect(diffs.map((d) => `${d.severity}: ${d.message}`)).toEqual([
      'error: the API server runs Kubernetes v1.27.3+k3s1; Plinth needs 1.29 or newer',
      'warning: node k3s-server-0 is a control-plane node in plinth.yaml, but the cluster does not label it as one (node-role.kubernetes.io/control-plane)',
      'warning: node k3s-agent-0 has 1 CPU; plinth.yaml says 2, and the plan counts on it',
      'warning: node k3s-agent-0 has 1Gi memory; plinth.yaml says 4Gi, and the plan counts on it',
      'error: node k3s-agent-1 (pool apps, worker) is in plinth.yaml but not in the cluster',
      'warning: node stray is in the cluster but not in plinth.yaml: Plinth gives it no pool, and the plan does not count it',
    ]);
  });
});

describe('node pools', () => {
  it('adds missing labels and taints, keeps the rest, and is empty once done', () => {
    const changes = nodeChanges(platform(), [node('k3s-server-0', { taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }] }), node('k3s-agent-0', { labels: { 'plinth.dev/pool': 'infra' } })]);
    expect(changes.map((c) => c.node)).toEqual(['k3s-server-0']);
    expect(nodePatch(changes[0]!)).toEqual({
      metadata: { labels: { 'plinth.dev/pool': 'control-plane', 'node-role.kubernetes.io/control-plane': 'true' } },
      spec: { taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }, { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] },
    });
  });
});

describe('network plugin detection', () => {
  const ds = (name: string): K8sObject => ({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name, namespace: 'kube-system' } });
  const annotated = (n: K8sObject, annotations: Record<string, string>): K8sObject => ({ ...n, metadata: { ...n.metadata, annotations } });
  it('tells missing, present, built in, and Cilium still starting apart', () => {
    expect(cniState([node('a', { ready: false }), node('b', { ready: false })], [])).toEqual({ kind: 'missing', waiting: ['a', 'b'] });
    expect(cniState([node('a', { ready: false })], [ds('calico-node')])).toEqual({ kind: 'present', name: 'calico-node', k3s: false });
    expect(cniState([node('a')], [])).toMatchObject({ kind: 'present', name: 'a network plugin Plinth does not know (the nodes are Ready without Cilium)' });
    expect(cniState([node('a', { ready: 'other' })], [])).toMatchObject({ kind: 'present' });
    expect(cniState([node('a', { ready: false })], [ds('cilium')])).toEqual({ kind: 'cilium', notReady: ['a'] });
  });

  it("recognises k3s's embedded flannel by its node annotations", () => {
    const k3s = annotated(node('a'), { 'k3s.io/node-args': '["server"]', 'flannel.alpha.coreos.com/backend-type': 'vxlan' });
    expect(cniState([k3s], [])).toEqual({ kind: 'present', name: 'flannel (built into k3s)', k3s: true });
    // The whole set of flags plinth cluster create passes: Traefik and ServiceLB off too (ports 80/443).
    expect(cniConflict(cniState([k3s], []))?.hint).toMatch(/^start k3s with --flannel-backend=none --disable-network-policy --disable-kube-proxy --disable=traefik --disable=servicelb /);
    expect(cniConflict(cniState([node('a', { ready: false })], [ds('calico-node')]))?.hint).toBe('remove calico-node first, or disable the cilium component in plinth.yaml');
    expect(cniConflict(cniState([node('a', { ready: false })], []))).toBeUndefined();
  });
});

describe('preflight: k3s Traefik and ServiceLB', () => {
  const facts = (nodes: K8sObject[], workloads: K8sObject[] = []) => ({ version: v(1, 34), nodes, workloads });
  const server = (args: string[]) => ({ ...node('k3s-server-0', { labels: { 'node-role.kubernetes.io/control-plane': 'true' } }), metadata: { name: 'k3s-server-0', labels: { 'node-role.kubernetes.io/control-plane': 'true' }, annotations: { 'k3s.io/node-args': JSON.stringify(args) } } });

  it('reads the components a k3s server was told to leave out, in both flag spellings', () => {
    expect([...k3sDisabled(server(['server', '--disable', 'traefik', '--disable=servicelb,metrics-server']))!].sort()).toEqual(['metrics-server', 'servicelb', 'traefik']);
    expect(k3sDisabled(node('x'))).toBeUndefined();
  });

  it('refuses a running Traefik or ServiceLB, saying which flags to restart k3s with', () => {
    const traefik: K8sObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'traefik', namespace: 'kube-system' } };
    const svclb: K8sObject = { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'svclb-traefik-1b2c3d4e', namespace: 'kube-system', labels: { 'svccontroller.k3s.cattle.io/svcname': 'traefik' } } };
    const [d] = k3sAddonDifferences(facts([server(['server'])], [traefik, svclb]), true);
    expect(d).toMatchObject({ severity: 'error', message: 'k3s runs Traefik and ServiceLB (Deployment kube-system/traefik, DaemonSet kube-system/svclb-traefik-1b2c3d4e): ServiceLB holds host ports 80 and 443, which the platform Gateway (Cilium, host network) needs' });
    expect(d!.hint).toMatch(/^restart every k3s server with --disable=traefik --disable=servicelb/);
    // Without the host-network Gateway, they are not in the way.
    expect(k3sAddonDifferences(facts([server(['server'])], [traefik]), false)).toEqual([]);
  });

  it('warns when a server would start them, and is quiet when it was told not to', () => {
    expect(k3sAddonDifferences(facts([server(['server', '--disable=traefik'])]), true)).toEqual([
      expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/^k3s server k3s-server-0 was started without --disable servicelb/) }),
    ]);
    expect(k3sAddonDifferences(facts([server(['server', '--disable', 'traefik', '--disable', 'servicelb'])]), true)).toEqual([]);
  });
});
