/**
 * ClusterSimulator: plays the controllers' part on the API test double, as a
 * small cluster would: nodes (NotReady until a network plugin runs when the
 * cluster has none), workloads that become ready after a delay (unless held),
 * Jobs that complete. Its writes are in-process, so they never count as
 * writes of the client under test.
 */
import { isMap, type Obj } from './apply-merge.js';
import type { KubeApiTestDouble } from './kube-api-double.js';
import { type Change, metaOf } from './store.js';

export interface SimNode {
  name: string;
  role: 'control-plane' | 'worker';
  cpu?: string;
  memory?: string;
  labels?: Record<string, string>;
}

export interface SimulatorOptions {
  nodes: SimNode[];
  /** The cluster has a network plugin (nodes Ready from the start). */
  cni: boolean;
  /** That plugin is k3s's own flannel: no DaemonSet, flannel's annotations on the nodes (k3s as it comes). */
  flannel?: boolean;
  /** Delay before a workload becomes ready. */
  readyDelayMs?: number;
  /** `namespace/name` of workloads that never become ready. */
  hold?: string[];
}

const NETWORK_NOT_READY =
  'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized';
const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job']);

export class ClusterSimulator {
  private off?: () => void;
  private readonly timers = new Set<NodeJS.Timeout>();
  readonly hold: Set<string>;

  constructor(
    readonly double: KubeApiTestDouble,
    readonly options: SimulatorOptions,
  ) {
    this.hold = new Set(options.hold ?? []);
  }

  start(): this {
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) this.double.put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    for (const n of this.options.nodes) this.double.put(this.node(n, this.options.cni || Boolean(this.options.flannel)));
    this.off = this.double.onChange((c) => this.react(c));
    return this;
  }

  stop(): void {
    this.off?.();
    for (const t of this.timers) clearTimeout(t);
  }

  private later(fn: () => void, ms: number): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  // eslint-disable-next-line complexity -- a k3s Node object as one literal: the count is the control-plane labels, flannel annotations, not-ready taint and condition, and capacity defaults
  node(n: SimNode, ready: boolean): Obj {
    const server = n.role === 'control-plane';
    return {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: n.name,
        labels: {
          'kubernetes.io/hostname': n.name,
          'kubernetes.io/os': 'linux',
          ...(server ? { 'node-role.kubernetes.io/control-plane': 'true', 'node-role.kubernetes.io/master': 'true' } : {}),
          ...(n.labels ?? {}),
        },
        annotations: {
          'k3s.io/node-args': JSON.stringify([server ? 'server' : 'agent', '--node-name', n.name]),
          ...(this.options.flannel ? { 'flannel.alpha.coreos.com/backend-type': 'vxlan', 'flannel.alpha.coreos.com/kube-subnet-manager': 'true' } : {}),
        },
      },
      spec: ready ? {} : { taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }] },
      status: {
        capacity: { cpu: n.cpu ?? '2', memory: n.memory ?? '4025836Ki', pods: '110' },
        allocatable: { cpu: n.cpu ?? '2', memory: n.memory ?? '4025836Ki', pods: '110' },
        conditions: [
          ready
            ? { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }
            : { type: 'Ready', status: 'False', reason: 'KubeletNotReady', message: NETWORK_NOT_READY },
        ],
        nodeInfo: { kubeletVersion: `v${this.double.version.major}.${this.double.version.minor}.0+k3s1` },
      },
    };
  }

  /** The network plugin runs: every node becomes Ready and loses the not-ready taint. */
  networkReady(): void {
    for (const n of this.double.list('v1', 'Node')) {
      const ref = { apiVersion: 'v1', kind: 'Node', name: metaOf(n).name };
      this.double.update(ref, (o) => {
        const spec = (isMap(o.spec) ? o.spec : {}) as { taints?: Obj[] };
        spec.taints = (spec.taints ?? []).filter((t) => t.key !== 'node.kubernetes.io/not-ready');
        o.spec = spec;
      });
      const status = (n.status ?? {}) as Obj;
      this.double.setStatus(ref, { ...status, conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }] });
    }
  }

  private react(c: Change): void {
    if (c.type === 'DELETED' || c.subresource === 'status') return;
    const kind = c.resource.kind;
    const m = metaOf(c.object);
    if (c.resource.group === 'apps' || c.resource.group === 'batch') {
      if (!WORKLOADS.has(kind) || this.hold.has(`${m.namespace}/${m.name}`)) return;
      this.later(() => this.markReady(kind, m.namespace!, m.name), this.options.readyDelayMs ?? 5);
    }
  }

  /** Plays the workload controllers: the object reports every replica ready. */
  // eslint-disable-next-line complexity -- the status each workload controller writes when its pods are ready (Deployment, StatefulSet, DaemonSet, Job), one literal per kind
  markReady(kind: string, namespace: string, name: string): void {
    const apiVersion = kind === 'Job' ? 'batch/v1' : 'apps/v1';
    const live = this.double.get({ apiVersion, kind, name, namespace });
    if (!live) return;
    const gen = metaOf(live).generation;
    const replicas = ((live.spec as { replicas?: number } | undefined)?.replicas ?? 1) as number;
    const nodes = this.double.list('v1', 'Node').length;
    const status: Obj =
      kind === 'Deployment'
        ? {
            observedGeneration: gen,
            replicas,
            readyReplicas: replicas,
            availableReplicas: replicas,
            updatedReplicas: replicas,
            conditions: [
              { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' },
              { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${name}" has successfully progressed.` },
            ],
          }
        : kind === 'StatefulSet'
          ? { observedGeneration: gen, replicas, readyReplicas: replicas, currentReplicas: replicas, updatedReplicas: replicas, availableReplicas: replicas }
          : kind === 'DaemonSet'
            ? { observedGeneration: gen, desiredNumberScheduled: nodes, currentNumberScheduled: nodes, numberReady: nodes, numberAvailable: nodes, updatedNumberScheduled: nodes }
            : { succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] };
    if (JSON.stringify(live.status) === JSON.stringify(status)) return;
    this.double.setStatus({ apiVersion, kind, name, namespace }, status);
    if (kind === 'DaemonSet' && namespace === 'kube-system' && name === 'cilium') this.networkReady();
  }
}
