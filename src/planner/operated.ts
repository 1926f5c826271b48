/**
 * Workloads no chart renders: the StatefulSets the Prometheus Operator creates
 * at runtime from the `Prometheus` and `Alertmanager` resources a chart
 * renders. They are rebuilt here as the operator builds them, as far as a
 * budget is concerned (name, replicas, pod labels, priority, placement,
 * containers and their resources), so that a component declares them like
 * any other workload, the planner counts their pods, and the audit holds them
 * to what the chart really asks for.
 *
 * Rules followed (prometheus-operator v0.93): StatefulSet `prometheus-<name>`
 * (shards after the first: `-shard-<n>`) and `alertmanager-<name>`; the
 * server container takes `spec.resources`; the `config-reloader` sidecar and
 * `init-config-reloader` init container take the operator's
 * `--config-reloader-{cpu,memory}-{request,limit}` flags (`0`: unset);
 * `spec.containers` / `spec.initContainers` are merged by name over those;
 * Alertmanager gets a 200Mi memory request when it sets none. Container
 * ports as the operator names them (`web`, `reloader-web` on 8080, the
 * Alertmanager mesh), for the network check.
 */
import type { K8sObject, Labels } from '../model/k8s.js';
import { cephOperatedWorkloads } from './operated-ceph.js';
import type { ContainerLike } from '../model/pod-template.js';

type Spec = Record<string, unknown>;
type Resources = NonNullable<ContainerLike['resources']>;

const GROUP_VERSION = 'monitoring.coreos.com/v1';
const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'prometheus-operator' };

const RELOADER_PORTS = [{ name: 'reloader-web', containerPort: 8080, protocol: 'TCP' }];

const obj = (v: unknown): Spec => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Spec) : {});
const list = (v: unknown): Spec[] => (Array.isArray(v) ? v.map(obj) : []);

/** Resources the operator gives config reloaders, read from its Deployment's flags. */
export function configReloaderResources(chartObjects: readonly K8sObject[]): Resources | undefined {
  for (const o of chartObjects) {
    if (o.kind !== 'Deployment') continue;
    for (const c of list(obj(obj(obj(o.spec).template).spec).containers)) {
      const args = (Array.isArray(c.args) ? c.args : []).filter((a): a is string => typeof a === 'string');
      if (!args.some((a) => a.startsWith('--prometheus-config-reloader='))) continue;
      const flag = (name: string): string | undefined => {
        const v = args.find((a) => a.startsWith(`--config-reloader-${name}=`))?.split('=')[1];
        return v === undefined || v === '0' ? undefined : v;
      };
      const pick = (cpu?: string, memory?: string) => ({ ...(cpu ? { cpu } : {}), ...(memory ? { memory } : {}) });
      return { requests: pick(flag('cpu-request'), flag('memory-request')), limits: pick(flag('cpu-limit'), flag('memory-limit')) };
    }
  }
  return undefined;
}

/** Default containers merged with the resource's own, by name (the operator's strategic merge, for resources). */
function merge(defaults: ContainerLike[], overrides: Spec[]): ContainerLike[] {
  const out = defaults.map((c) => ({ ...c }));
  for (const o of overrides) {
    const name = typeof o.name === 'string' ? o.name : '';
    const known = out.find((c) => c.name === name);
    const resources = o.resources as Resources | undefined;
    if (known) {
      if (resources) known.resources = resources;
    } else out.push({ name, ...(resources ? { resources } : {}) });
  }
  return out;
}

/**
 * The operator's claim template `<prometheus|alertmanager>-<name>-db` when the
 * resource asks for a volume (`spec.storage.volumeClaimTemplate`); none for
 * an emptyDir.
 */
function claimTemplates(prefix: string, cr: K8sObject, spec: Spec): Spec[] {
  const template = obj(obj(spec.storage).volumeClaimTemplate);
  if (Object.keys(template).length === 0) return [];
  return [{ metadata: { name: `${prefix}-${cr.metadata.name}-db` }, spec: obj(template.spec) }];
}

interface SetParts {
  name: string;
  namespace: string | undefined;
  replicas: number;
  labels: Labels;
  /** The custom resource's spec: priority and placement are copied from it. */
  spec: Spec;
  containers: ContainerLike[];
  initContainers: ContainerLike[];
  claims: Spec[];
}

function statefulSet({ name, namespace, replicas, labels, spec, containers, initContainers, claims }: SetParts): K8sObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, ...(namespace ? { namespace } : {}) },
    spec: {
      replicas,
      ...(claims.length > 0 ? { volumeClaimTemplates: claims } : {}),
      template: {
        metadata: { labels },
        spec: {
          containers,
          initContainers,
          ...(spec.priorityClassName !== undefined ? { priorityClassName: spec.priorityClassName } : {}),
          ...(spec.affinity !== undefined ? { affinity: spec.affinity } : {}),
          ...(spec.tolerations !== undefined ? { tolerations: spec.tolerations } : {}),
          ...(spec.nodeSelector !== undefined ? { nodeSelector: spec.nodeSelector } : {}),
        },
      },
    },
  };
}

function prometheusSets(cr: K8sObject, reloader: Resources | undefined): K8sObject[] {
  const spec = obj(cr.spec);
  const name = cr.metadata.name;
  const shards = typeof spec.shards === 'number' && spec.shards > 1 ? spec.shards : 1;
  const replicas = typeof spec.replicas === 'number' ? spec.replicas : 1;
  const thanos = spec.thanos === undefined ? [] : [{ name: 'thanos-sidecar', resources: obj(spec.thanos).resources as Resources | undefined }];
  const containers = merge(
    [
      { name: 'prometheus', resources: spec.resources as Resources | undefined, ports: [{ name: 'web', containerPort: 9090, protocol: 'TCP' }] },
      { name: 'config-reloader', resources: reloader, ports: RELOADER_PORTS },
      ...thanos,
    ],
    list(spec.containers),
  );
  const initContainers = merge([{ name: 'init-config-reloader', resources: reloader }], list(spec.initContainers));
  return Array.from({ length: shards }, (_, shard) => {
    const labels: Labels = {
      ...(obj(obj(spec.podMetadata).labels) as Labels),
      ...MANAGED_BY,
      'app.kubernetes.io/name': 'prometheus',
      'app.kubernetes.io/instance': name,
      'operator.prometheus.io/name': name,
      'operator.prometheus.io/shard': String(shard),
      prometheus: name,
    };
    const setName = shard === 0 ? `prometheus-${name}` : `prometheus-${name}-shard-${shard}`;
    return statefulSet({ name: setName, namespace: cr.metadata.namespace, replicas, labels, spec, containers, initContainers, claims: claimTemplates('prometheus', cr, spec) });
  });
}

function alertmanagerSet(cr: K8sObject, reloader: Resources | undefined): K8sObject {
  const spec = obj(cr.spec);
  const name = cr.metadata.name;
  const own = obj(spec.resources) as Resources;
  const resources: Resources = { ...own, requests: { memory: '200Mi', ...(own.requests ?? {}) } };
  const labels: Labels = {
    ...(obj(obj(spec.podMetadata).labels) as Labels),
    ...MANAGED_BY,
    'app.kubernetes.io/name': 'alertmanager',
    'app.kubernetes.io/instance': name,
    alertmanager: name,
  };
  const ports = [
    { name: 'web', containerPort: 9093, protocol: 'TCP' },
    { name: 'mesh-tcp', containerPort: 9094, protocol: 'TCP' },
    { name: 'mesh-udp', containerPort: 9094, protocol: 'UDP' },
  ];
  const containers = merge([{ name: 'alertmanager', resources, ports }, { name: 'config-reloader', resources: reloader, ports: RELOADER_PORTS }], list(spec.containers));
  const initContainers = merge([{ name: 'init-config-reloader', resources: reloader }], list(spec.initContainers));
  const replicas = typeof spec.replicas === 'number' ? spec.replicas : 1;
  return statefulSet({ name: `alertmanager-${name}`, namespace: cr.metadata.namespace, replicas, labels, spec, containers, initContainers, claims: claimTemplates('alertmanager', cr, spec) });
}

/**
 * The workloads operators will create for the custom resources among
 * `chartObjects`: the Prometheus Operator's StatefulSets for Prometheus and
 * Alertmanager resources, and the Rook operator's Ceph daemons for a
 * CephCluster (`operated-ceph.ts`).
 */
export function operatedWorkloads(chartObjects: readonly K8sObject[]): K8sObject[] {
  return [...prometheusOperated(chartObjects), ...cephOperatedWorkloads(chartObjects)];
}

function prometheusOperated(chartObjects: readonly K8sObject[]): K8sObject[] {
  const crs = chartObjects.filter((o) => o.apiVersion === GROUP_VERSION && (o.kind === 'Prometheus' || o.kind === 'Alertmanager'));
  if (crs.length === 0) return [];
  const reloader = configReloaderResources(chartObjects);
  return crs.flatMap((cr) => (cr.kind === 'Prometheus' ? prometheusSets(cr, reloader) : [alertmanagerSet(cr, reloader)]));
}

/** Rendered units with the StatefulSets operators will create added to their objects (for counting pods). */
export function withOperated<T extends { chartObjects: K8sObject[] }>(rendered: readonly T[]): T[] {
  return rendered.map((r) => {
    const extra = operatedWorkloads(r.chartObjects);
    return extra.length === 0 ? r : { ...r, chartObjects: [...r.chartObjects, ...extra] };
  });
}
