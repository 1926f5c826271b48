/**
 * Stand-ins for controllers that cannot run in the e2e environment (kwok pods run
 * no containers), each named for the real component it stands in for. They write
 * only what that controller would write on the API server (a PersistentVolume, a
 * custom resource's status); what Argo CD makes of it (sync, health, order) is
 * Argo CD's own decision, from its own health checks.
 *
 * - LocalPathStandIn: stand-in for k3s's local-path-provisioner: the `local-path`
 *   StorageClass k3s ships as the default, and a PersistentVolume for each claim of
 *   that class once the scheduler has picked its node (WaitForFirstConsumer); the
 *   real PersistentVolume controller binds them.
 * - StatusStandIn: stand-ins for cert-manager (Certificate, Issuer, ClusterIssuer
 *   Ready), External Secrets (SecretStore, ClusterSecretStore, ExternalSecret Ready),
 *   Cilium's Gateway API controller (GatewayClass and Gateway Accepted/Programmed,
 *   HTTPRoute accepted by its parents) and the Prometheus Operator (Prometheus
 *   Available): the status conditions each controller sets once it has done its work.
 */
import type { ClusterClient } from '../../../src/cluster/index.js';
import type { K8sObject } from '../../../src/model/k8s.js';
import type { ControlPlane } from './control-plane.js';

const LOCAL_PATH = 'local-path';
const LOCAL_PATH_PROVISIONER = 'rancher.io/local-path';

abstract class Loop {
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  lastError: string | undefined;

  /** A tick that has not ended after this long is abandoned, so that one hung request cannot stop the loop. */
  constructor(
    private readonly intervalMs: number,
    private readonly tickTimeoutMs = 30_000,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.run(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async run(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`a tick took longer than ${this.tickTimeoutMs / 1000}s`)), this.tickTimeoutMs);
        timer.unref();
      });
      await Promise.race([this.tick(), timeout]).finally(() => clearTimeout(timer));
    } catch (err) {
      this.lastError = (err as Error).message; // tried again next tick; the API server may be stopping
    } finally {
      this.busy = false;
    }
  }

  protected abstract tick(): Promise<void>;
}

export class LocalPathStandIn extends Loop {
  readonly provisioned: string[] = [];

  constructor(private readonly client: ClusterClient, intervalMs = 1_000) {
    super(intervalMs);
  }

  /** The StorageClass k3s creates at start, before anything asks for a volume. */
  async install(): Promise<void> {
    await this.client.apply({
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: LOCAL_PATH, annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      provisioner: LOCAL_PATH_PROVISIONER,
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'WaitForFirstConsumer',
    } as K8sObject);
  }

  // eslint-disable-next-line complexity -- the local-path provisioner's rule for a pending claim of its class on a selected node, and the PersistentVolume it writes, defaults included
  protected async tick(): Promise<void> {
    for (const pvc of await this.client.list('v1', 'PersistentVolumeClaim')) {
      const spec = pvc.spec as { storageClassName?: string; volumeName?: string; resources?: { requests?: { storage?: string } }; accessModes?: string[] };
      const node = pvc.metadata.annotations?.['volume.kubernetes.io/selected-node'];
      if (spec.storageClassName !== LOCAL_PATH || spec.volumeName || !node || (pvc.status as { phase?: string })?.phase !== 'Pending') continue;
      const name = `pvc-${pvc.metadata.uid}`;
      await this.client.apply({
        apiVersion: 'v1',
        kind: 'PersistentVolume',
        metadata: { name, annotations: { 'pv.kubernetes.io/provisioned-by': LOCAL_PATH_PROVISIONER } },
        spec: {
          capacity: { storage: spec.resources?.requests?.storage ?? '1Gi' },
          accessModes: spec.accessModes ?? ['ReadWriteOnce'],
          persistentVolumeReclaimPolicy: 'Delete',
          storageClassName: LOCAL_PATH,
          hostPath: { path: `/var/lib/rancher/k3s/storage/${name}_${pvc.metadata.namespace}_${pvc.metadata.name}`, type: 'DirectoryOrCreate' },
          claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: pvc.metadata.namespace, name: pvc.metadata.name, uid: pvc.metadata.uid },
          nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] }] } },
        },
      } as K8sObject);
      this.provisioned.push(`${pvc.metadata.namespace}/${pvc.metadata.name}`);
    }
  }
}

interface StatusRule {
  /** The real controller this stands in for. */
  controller: string;
  group: string;
  /** The version the platform's objects are written at (the CRDs' preferred one may be another while they are being created). */
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  /** The status the controller writes once done; undefined when it has already written it. */
  status(o: K8sObject, now: string): Record<string, unknown> | undefined;
}

// eslint-disable-next-line max-params -- a status condition as the API writes it (type, reason, message, observedGeneration, time), called as one row per condition
const condition = (type: string, reason: string, message: string, generation: number | undefined, now: string) => ({
  type,
  status: 'True',
  reason,
  message,
  lastTransitionTime: now,
  ...(generation !== undefined ? { observedGeneration: generation } : {}),
});

type Conditions = { type: string; status: string; observedGeneration?: number }[];

/** Whether the object already has these conditions True for its generation. */
function has(o: K8sObject, types: string[], conditions?: Conditions): boolean {
  const list = conditions ?? ((o as { status?: { conditions?: Conditions } }).status?.conditions ?? []);
  const gen = o.metadata.generation as number | undefined;
  return types.every((t) => list.some((c) => c.type === t && c.status === 'True' && (c.observedGeneration === undefined || c.observedGeneration === gen)));
}

// eslint-disable-next-line max-params -- a status rule row per controller the stand-in replaces (controller, group, kind, plural, scope, message), called as one table row per controller
function ready(controller: string, group: string, kind: string, plural: string, namespaced: boolean, message: string): StatusRule {
  return {
    controller,
    group,
    version: 'v1',
    kind,
    plural,
    namespaced,
    status: (o, now) => (has(o, ['Ready']) ? undefined : { conditions: [condition('Ready', 'Ready', message, o.metadata.generation as number | undefined, now)] }),
  };
}

const CERT_MANAGER = 'cert-manager';
const ESO = 'External Secrets Operator';
const CILIUM_GATEWAY = "Cilium's Gateway API controller";
const PROMETHEUS_OPERATOR = 'Prometheus Operator';

const RULES: StatusRule[] = [
  ready(CERT_MANAGER, 'cert-manager.io', 'ClusterIssuer', 'clusterissuers', false, 'stand-in for cert-manager: issuer ready'),
  ready(CERT_MANAGER, 'cert-manager.io', 'Issuer', 'issuers', true, 'stand-in for cert-manager: issuer ready'),
  ready(CERT_MANAGER, 'cert-manager.io', 'Certificate', 'certificates', true, 'stand-in for cert-manager: certificate issued'),
  ready(ESO, 'external-secrets.io', 'ClusterSecretStore', 'clustersecretstores', false, 'stand-in for External Secrets: store validated'),
  ready(ESO, 'external-secrets.io', 'SecretStore', 'secretstores', true, 'stand-in for External Secrets: store validated'),
  ready(ESO, 'external-secrets.io', 'ExternalSecret', 'externalsecrets', true, 'stand-in for External Secrets: secret synced'),
  {
    controller: CILIUM_GATEWAY,
    group: 'gateway.networking.k8s.io',
    version: 'v1',
    kind: 'GatewayClass',
    plural: 'gatewayclasses',
    namespaced: false,
    status: (o, now) => (has(o, ['Accepted']) ? undefined : { conditions: [condition('Accepted', 'Accepted', 'stand-in for the Gateway API controller', o.metadata.generation as number, now)] }),
  },
  {
    controller: CILIUM_GATEWAY,
    group: 'gateway.networking.k8s.io',
    version: 'v1',
    kind: 'Gateway',
    plural: 'gateways',
    namespaced: true,
    status: (o, now) => {
      if (has(o, ['Accepted', 'Programmed'])) return undefined;
      const gen = o.metadata.generation as number;
      return { conditions: [condition('Accepted', 'Accepted', 'stand-in for the Gateway API controller', gen, now), condition('Programmed', 'Programmed', 'stand-in for the Gateway API controller', gen, now)] };
    },
  },
  {
    controller: CILIUM_GATEWAY,
    group: 'gateway.networking.k8s.io',
    version: 'v1',
    kind: 'HTTPRoute',
    plural: 'httproutes',
    namespaced: true,
    status: (o, now) => {
      const refs = ((o.spec as { parentRefs?: Record<string, unknown>[] }).parentRefs ?? []) as Record<string, unknown>[];
      const parents = ((o as { status?: { parents?: { conditions?: Conditions }[] } }).status?.parents ?? []) as { conditions?: Conditions }[];
      if (refs.length === 0 || (parents.length === refs.length && parents.every((p) => has(o, ['Accepted', 'ResolvedRefs'], p.conditions)))) return undefined;
      const gen = o.metadata.generation as number;
      return {
        parents: refs.map((parentRef) => ({
          parentRef,
          controllerName: 'io.cilium/gateway-controller',
          conditions: [condition('Accepted', 'Accepted', 'stand-in for the Gateway API controller', gen, now), condition('ResolvedRefs', 'ResolvedRefs', 'stand-in for the Gateway API controller', gen, now)],
        })),
      };
    },
  },
  {
    controller: PROMETHEUS_OPERATOR,
    group: 'monitoring.coreos.com',
    version: 'v1',
    kind: 'Prometheus',
    plural: 'prometheuses',
    namespaced: true,
    status: (o, now) => {
      if (has(o, ['Available', 'Reconciled'])) return undefined;
      const replicas = ((o.spec as { replicas?: number }).replicas ?? 1) as number;
      const gen = o.metadata.generation as number;
      return {
        availableReplicas: replicas,
        replicas,
        updatedReplicas: replicas,
        unavailableReplicas: 0,
        paused: false,
        conditions: [condition('Available', 'AllReplicasAvailable', 'stand-in for the Prometheus Operator', gen, now), condition('Reconciled', 'Reconciled', 'stand-in for the Prometheus Operator', gen, now)],
      };
    },
  },
];

export class StatusStandIn extends Loop {
  /** `Kind namespace/name` of every object whose status a stand-in wrote, by the controller it stood in for. */
  readonly written = new Map<string, Set<string>>();

  constructor(private readonly cp: ControlPlane, intervalMs = 1_000) {
    super(intervalMs);
  }

  /** The controllers stood in for, with how many objects each. */
  summary(): string[] {
    return [...this.written].map(([c, objs]) => `${c} (${objs.size} objects)`);
  }

  /** The last error of each rule, by kind (the next tick tries again). */
  readonly errors = new Map<string, string>();

  protected async tick(): Promise<void> {
    // One rule's failure must not hold the others back.
    for (const rule of RULES) {
      try {
        await this.apply(rule);
        this.errors.delete(rule.kind);
      } catch (err) {
        this.errors.set(rule.kind, (err as Error).message);
      }
    }
  }

  // eslint-disable-next-line complexity -- writes a rule's status to each live object of its kind: not served yet, a list error, deleting objects, nothing to write, a patch error, then the record
  private async apply(rule: StatusRule): Promise<void> {
    const { version } = rule;
    // Listed at the rule's own version: a group's preferred version read while its CRDs were still being
    // created (monitoring.coreos.com is v1alpha1 until the v1 CRDs exist) would name the wrong one for good.
    const res = await this.cp.request('GET', `/apis/${rule.group}/${version}/${rule.plural}`);
    if (res.status === 404) return; // the CRD is not served yet
    if (res.status !== 200) throw new Error(`list ${rule.plural}: HTTP ${res.status}`);
    for (const o of (JSON.parse(res.body) as { items: K8sObject[] }).items) {
      if (o.metadata.deletionTimestamp) continue;
      const status = rule.status(o, new Date().toISOString().replace(/\.\d+Z$/, 'Z'));
      if (!status) continue;
      const ns = rule.namespaced ? `namespaces/${o.metadata.namespace}/` : '';
      const patch = await this.cp.request('PATCH', `/apis/${rule.group}/${version}/${ns}${rule.plural}/${o.metadata.name}/status`, { status }, 'application/merge-patch+json');
      if (patch.status >= 300) throw new Error(`status of ${rule.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}: HTTP ${patch.status} ${patch.body.slice(0, 300)}`);
      const set = this.written.get(rule.controller) ?? new Set<string>();
      set.add(`${rule.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`);
      this.written.set(rule.controller, set);
    }
  }
}
