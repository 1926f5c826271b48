/**
 * The e2e harness's nodes of a plinth.yaml (test/e2e/harness/nodes.ts), checked
 * without a cluster: the shape k3s registers for the edge platform's nodes.
 */
import { describe, expect, it } from 'vitest';
import { nodeObject, platformOf, NETWORK_ANNOTATION } from './e2e/harness/nodes.js';

const platform = platformOf();
const byName = (name: string) => platform.nodes.find((n) => n.name === name)!;
const shape = (name: string, over: Partial<Parameters<typeof nodeObject>[1]> = {}) =>
  nodeObject(byName(name), { kubernetesVersion: 'v1.36.3', network: 'ready', ...over }) as unknown as {
    metadata: { labels: Record<string, string>; annotations: Record<string, string> };
    spec: { taints: { key: string; effect: string }[] };
    status: { capacity: Record<string, string>; allocatable: Record<string, string>; nodeInfo: { kubeletVersion: string }; conditions?: { type: string; status: string; message: string }[] };
  };

describe('e2e nodes from plinth.yaml', () => {
  it("gives the k3s server the control-plane taint and role labels, the agents neither, every node its pool label", () => {
    const server = shape('k3s-server-0');
    expect(server.spec.taints).toEqual([{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]);
    expect(server.metadata.labels['node-role.kubernetes.io/control-plane']).toBe('true');
    expect(server.metadata.labels['plinth.dev/pool']).toBe('control-plane');
    const agent = shape('k3s-agent-1');
    expect(agent.spec.taints).toEqual([]);
    expect(agent.metadata.labels['node-role.kubernetes.io/control-plane']).toBeUndefined();
    expect(agent.metadata.labels['plinth.dev/pool']).toBe('apps');
    expect(agent.status.nodeInfo.kubeletVersion).toBe('v1.36.3+k3s1');
  });

  it('reports the plinth.yaml capacity, and allocatable less only the kubelet default eviction threshold', () => {
    const s = shape('k3s-agent-0').status;
    expect(s.capacity.cpu).toBe('2000m');
    expect(s.capacity.memory).toBe(String(4 * 2 ** 30));
    expect(s.allocatable.cpu).toBe('2000m');
    expect(s.allocatable.memory).toBe(String(4 * 2 ** 30 - 100 * 2 ** 20));
    expect(s.capacity.pods).toBe('110');
  });

  it('starts a node that waits for the network NotReady with the kubelet message Plinth recognises', () => {
    const n = shape('k3s-agent-0', { network: 'waits-for-network' });
    expect(n.metadata.annotations[NETWORK_ANNOTATION]).toBe('pending');
    const ready = n.status.conditions!.find((c) => c.type === 'Ready')!;
    expect(ready.status).toBe('False');
    expect(ready.message).toMatch(/NetworkPluginNotReady/);
    expect(shape('k3s-agent-0').status.conditions).toBeUndefined();
  });

  it('adds the pool labels and taints only once `plinth up` has applied them', () => {
    expect(shape('k3s-server-0', { poolsApplied: true }).spec.taints).toEqual([{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]);
  });
});
