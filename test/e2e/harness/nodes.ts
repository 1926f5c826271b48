/**
 * The nodes of a plinth.yaml as kwok-managed Node objects, shaped the way the
 * cluster Plinth creates for it (`plinth cluster create`: k3s servers and agents)
 * registers them, read through the project's own loader and model:
 *
 *  - capacity: the node's cpu and memory from plinth.yaml; 110 pods; a fixed
 *    ephemeral-storage (plinth.yaml does not model disk);
 *  - allocatable as a k3s kubelet reports it with its defaults: no kube- or
 *    system-reserved, minus the kubelet's default hard eviction threshold
 *    (memory.available 100Mi, nodefs.available 10%);
 *  - labels k3s puts on its nodes (hostname, os, arch, instance type; the
 *    control-plane and etcd role labels on servers) and the pool label the
 *    k3d config sets (`plinth.dev/pool`);
 *  - taints: the server's control-plane taint (`--node-taint` in the k3d
 *    config). The pools' own labels and taints are what `plinth up` adds; pass
 *    `poolsApplied` for a cluster on which `up` has already run.
 *
 * Plinth's own `reserved` is not subtracted from allocatable: it is the platform's
 * estimate of what system daemons use, not what a kubelet reports.
 */
import type { ClusterClient } from '../../../src/cluster/index.js';
import { CATALOG } from '../../../src/catalog/index.js';
import { parseConfig } from '../../../src/config/load.js';
import { BUILTIN_EXAMPLE_NAME, starterConfig } from '../../../src/config/starter.js';
import { resolvePlatform } from '../../../src/desired/resolve.js';
import type { K8sObject } from '../../../src/model/k8s.js';
import type { Node as PlinthNode, Platform } from '../../../src/model/platform.js';
import { CONTROL_PLANE_TAINT, POOL_LABEL } from '../../../src/model/profiles.js';
import { KWOK_ANNOTATION } from './control-plane.js';
import { until } from './procs.js';

export const EPHEMERAL_STORAGE_BYTES = 64 * 2 ** 30;
const EVICTION_MEMORY_BYTES = 100 * 2 ** 20;

export function platformOf(text: string = starterConfig('edge'), file = BUILTIN_EXAMPLE_NAME): Platform {
  return resolvePlatform(parseConfig(text, file), CATALOG);
}

export interface NodeShapeOptions {
  /** Also the pool labels and taints `plinth up` puts on the nodes. */
  poolsApplied?: boolean;
  /** The kubelet version the node reports (the control plane's by default). */
  kubeletVersion: string;
}

export function nodeObject(node: PlinthNode, options: NodeShapeOptions): K8sObject {
  const server = node.role === 'control-plane';
  const labels: Record<string, string> = {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'beta.kubernetes.io/instance-type': 'k3s',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/os': 'linux',
    'kubernetes.io/hostname': node.name,
    'node.kubernetes.io/instance-type': 'k3s',
    [POOL_LABEL]: node.pool,
    ...(server ? { 'node-role.kubernetes.io/control-plane': 'true', 'node-role.kubernetes.io/master': 'true', 'node-role.kubernetes.io/etcd': 'true' } : {}),
    ...(options.poolsApplied ? node.labels : {}),
  };
  const taints = server ? [{ ...CONTROL_PLANE_TAINT }] : [];
  if (options.poolsApplied) {
    for (const t of node.taints) if (!taints.some((have) => have.key === t.key && have.effect === t.effect)) taints.push({ ...t });
  }
  const capacity = {
    cpu: `${node.capacity.cpu}m`,
    memory: `${node.capacity.memory}`,
    pods: '110',
    'ephemeral-storage': `${EPHEMERAL_STORAGE_BYTES}`,
  };
  const allocatable = {
    cpu: `${node.capacity.cpu}m`,
    memory: `${Math.max(0, node.capacity.memory - EVICTION_MEMORY_BYTES)}`,
    pods: '110',
    'ephemeral-storage': `${Math.floor(EPHEMERAL_STORAGE_BYTES * 0.9)}`,
  };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: node.name,
      labels,
      annotations: { [KWOK_ANNOTATION]: 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
    },
    spec: { taints },
    status: {
      capacity,
      allocatable,
      nodeInfo: {
        architecture: 'amd64',
        operatingSystem: 'linux',
        kubeletVersion: options.kubeletVersion,
        kubeProxyVersion: options.kubeletVersion,
        containerRuntimeVersion: 'containerd://2.0.0-k3s1 (kwok)',
        osImage: 'kwok fake node',
      },
    },
  } as K8sObject;
}

/**
 * Creates the platform's nodes on the cluster and waits (bounded) until kwok has
 * made every one Ready.
 */
export async function createNodes(client: ClusterClient, platform: Platform, options: NodeShapeOptions, timeoutMs = 60_000): Promise<K8sObject[]> {
  for (const n of platform.nodes) await client.apply(nodeObject(n, options), { force: true });
  return until(`kwok to make ${platform.nodes.length} nodes Ready`, timeoutMs, async () => {
    const got: K8sObject[] = [];
    for (const n of platform.nodes) {
      const node = await client.get({ apiVersion: 'v1', kind: 'Node', name: n.name });
      const conditions = ((node?.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []);
      if (!node || !conditions.some((c) => c.type === 'Ready' && c.status === 'True')) return undefined;
      got.push(node);
    }
    return got;
  });
}
