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
  /** The Kubernetes version of the cluster; the nodes report it as k3s does (`v1.N.M+k3s1`). */
  kubernetesVersion: string;
  /**
   * `ready`: kwok initialises the nodes Ready at once (a cluster with a working network).
   * `waits-for-network`: a k3s started without flannel: each node is NotReady with the
   * kubelet's "network plugin not ready" until a Cilium agent runs Ready on it (see
   * NetworkStandIn), then Ready.
   */
  network: 'ready' | 'waits-for-network';
}

/** Nodes that wait for the network carry `pending`; kwok's initialise stage is held off them (see ControlPlaneOptions.holdNodes). */
export const NETWORK_ANNOTATION = 'plinth.dev/e2e-network';

/** What a kubelet says while no CNI plugin is installed. */
export const NETWORK_NOT_READY =
  'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized';

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
      annotations: {
        [KWOK_ANNOTATION]: 'fake',
        'node.alpha.kubernetes.io/ttl': '0',
        ...(options.network === 'waits-for-network' ? { [NETWORK_ANNOTATION]: 'pending' } : {}),
        // What k3s records of its flags (cluster create's k3d config), by which Plinth tells k3s.
        'k3s.io/node-args': JSON.stringify(server ? ['server', '--flannel-backend', 'none', '--disable-network-policy', '--disable-kube-proxy'] : ['agent']),
      },
    },
    spec: { taints },
    status: {
      capacity,
      allocatable,
      ...(options.network === 'waits-for-network' ? waitingStatus() : {}),
      nodeInfo: {
        architecture: 'amd64',
        operatingSystem: 'linux',
        kubeletVersion: `${options.kubernetesVersion}+k3s1`,
        kubeProxyVersion: `${options.kubernetesVersion}+k3s1`,
        containerRuntimeVersion: 'containerd://2.0.0-k3s1 (kwok)',
        osImage: 'kwok fake node',
      },
    },
  } as K8sObject;
}

function nodeConditions(ready: boolean): Record<string, string>[] {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const ok = (type: string, reason: string, message: string) => ({ type, status: 'False', reason, message, lastHeartbeatTime: now, lastTransitionTime: now });
  return [
    ok('MemoryPressure', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
    ok('DiskPressure', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    ok('PIDPressure', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    ready
      ? { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: now, lastTransitionTime: now }
      : { type: 'Ready', status: 'False', reason: 'KubeletNotReady', message: NETWORK_NOT_READY, lastHeartbeatTime: now, lastTransitionTime: now },
  ];
}

/** A node status with conditions set, so kwok's initialise stage (nodes without conditions) leaves it NotReady. */
function waitingStatus(): Record<string, unknown> {
  return { phase: 'Running', conditions: nodeConditions(false), addresses: [{ type: 'InternalIP', address: '127.0.0.1' }] };
}

export const hasNotReadyTaint = (node: K8sObject): boolean =>
  ((node.spec as { taints?: { key: string }[] } | undefined)?.taints ?? []).some((t) => t.key === 'node.kubernetes.io/not-ready');

const readyOf = (node: K8sObject | undefined) =>
  ((node?.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

/**
 * Creates the platform's nodes on the cluster; with `network: 'ready'`, waits
 * (bounded) until kwok has made every one Ready.
 */
export async function createNodes(client: ClusterClient, platform: Platform, options: NodeShapeOptions, timeoutMs = 60_000): Promise<K8sObject[]> {
  for (const n of platform.nodes) await client.apply(nodeObject(n, options), { force: true });
  const get = (name: string) => client.get({ apiVersion: 'v1', kind: 'Node', name });
  if (options.network === 'waits-for-network') return Promise.all(platform.nodes.map(async (n) => (await get(n.name))!));
  // Ready, and the controller-manager has lifted the not-ready taint it put on the new node.
  return until(`kwok to make ${platform.nodes.length} nodes Ready (and the not-ready taint lifted)`, timeoutMs, async () => {
    const got: K8sObject[] = [];
    for (const n of platform.nodes) {
      const node = await get(n.name);
      if (!node || !readyOf(node) || hasNotReadyTaint(node)) return undefined;
      got.push(node);
    }
    return got;
  });
}

/**
 * STAND-IN for the network plugin's effect on the kubelet (no real CNI runs on a kwok
 * node): once a Cilium agent pod (label `k8s-app=cilium`) is Running and Ready on a
 * node that waits for the network, the node's `plinth.dev/e2e-network` annotation is
 * set to `ready`, which lets kwok's own initialise stage make the node Ready, as the
 * kubelet would once the plugin is initialised. It decides nothing the product or a real controller decides: whether and
 * where the agent pods run is the DaemonSet controller's, the scheduler's and kwok's.
 */
export class NetworkStandIn {
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  readonly madeReady: string[] = [];

  constructor(
    private readonly client: ClusterClient,
    private readonly intervalMs = 1_000,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const pods = await this.client.list('v1', 'Pod', { labelSelector: 'k8s-app=cilium' });
      const onNodes = new Set(
        pods
          .filter((p) => {
            const st = p.status as { phase?: string; conditions?: { type: string; status: string }[] } | undefined;
            return st?.phase === 'Running' && (st.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
          })
          .map((p) => (p.spec as { nodeName?: string }).nodeName)
          .filter((n): n is string => !!n),
      );
      for (const name of onNodes) {
        const node = await this.client.get({ apiVersion: 'v1', kind: 'Node', name });
        if (!node || node.metadata.annotations?.[NETWORK_ANNOTATION] !== 'pending') continue;
        await this.client.patch({ apiVersion: 'v1', kind: 'Node', name }, { metadata: { annotations: { [NETWORK_ANNOTATION]: 'ready' } } }, 'merge');
        this.madeReady.push(name);
      }
    } catch {
      // the next tick tries again; the API server may be stopping
    } finally {
      this.busy = false;
    }
  }
}
