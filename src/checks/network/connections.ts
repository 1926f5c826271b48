/**
 * The connections the rendered platform makes, each from its source to a
 * Service port, found in what the charts render and in the units'
 * declarations: declared connections and outside peers, Prometheus to every
 * ServiceMonitor and PodMonitor target, the ingress controller to every
 * Ingress backend (a Gateway to every HTTPRoute backend), the API server to
 * every webhook, CRD conversion and aggregated API, and the internet to every
 * LoadBalancer and NodePort Service.
 */
import type { RenderedUnit } from '../../helm/index.js';
import { apiGroup, type K8sObject, type Labels } from '../../model/k8s.js';
import { NAMESPACE_NAME_LABEL, type Protocol } from '../../model/network.js';
import type { Unit } from '../../model/unit.js';
import type { LabelSelector } from '../../planner/types.js';
import { matchesLabelSelector } from '../../planner/labels.js';
import { withOperated } from '../../planner/operated.js';
import { isHook, isWorkload, podTemplateOf } from '../pods.js';
import type { NetPod, NetSource } from './semantics.js';
import { ACME_SOLVER_LABELS, ACME_SOLVER_PORT, CLUSTER_ISSUER_ANNOTATION } from '../../catalog/acme.js';

/** How findings name the solver pod cert-manager runs for an HTTP-01 challenge (it has a generated name). */
const ACME_SOLVER_POD = 'cm-acme-http-solver';

/** The pods of one workload, as rendered. */
export interface WorkloadPods {
  unit: string;
  kind: string;
  name: string;
  namespace: string;
  pod: NetPod;
}

/** Where a connection goes: a Service by name and one of its ports (number, or name as monitors give it). */
export interface ServiceTarget {
  namespace: string;
  name: string;
  port: number | string;
}

export interface Source {
  /** How findings name it: `unit/workload`, `the API server`, ... */
  label: string;
  source: NetSource;
  /** The rendered workload, when the source is pods. */
  workload?: WorkloadPods;
}

export interface PlatformConnection {
  /** The unit findings are reported under. */
  unit: string;
  /** Why it exists: declared, or the object that implies it. */
  why: string;
  sources: Source[];
  to: ServiceTarget;
  /** Declared by a component (its problems are the component's to fix), or derived from a rendered object. */
  declared: boolean;
  /** Where the declaration sits, for findings (`network.connections[0]`). */
  path?: string;
}

export interface PlatformNetwork {
  workloads: WorkloadPods[];
  /** Services by `namespace/name`. */
  services: Map<string, { unit: string; object: K8sObject }>;
  policies: K8sObject[];
  namespaceLabels: Map<string, Labels>;
  connections: PlatformConnection[];
}

type Spec = Record<string, unknown>;
const obj = (v: unknown): Spec => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Spec) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** A pod of some application namespace: what `cluster` peers stand for. */
export const ANY_APPLICATION_POD: NetPod = { namespace: '(an application namespace)', labels: {}, hostNetwork: false, ports: [] };

function podOf(o: K8sObject, namespace: string): NetPod | undefined {
  const t = podTemplateOf(o);
  if (!t) return undefined;
  const ports = [...(t.spec.containers ?? []), ...(t.spec.initContainers ?? [])].flatMap((c) =>
    arr(c.ports).map((p) => {
      const x = obj(p);
      return { ...(str(x.name) ? { name: str(x.name)! } : {}), port: Number(x.containerPort), protocol: (str(x.protocol) ?? 'TCP') as Protocol };
    }),
  );
  return { namespace, labels: (t.metadata.labels ?? {}) as Labels, hostNetwork: t.spec.hostNetwork === true, ports };
}

function objectsOf(unit: Unit, rendered: ReadonlyMap<string, readonly K8sObject[]>): K8sObject[] {
  return [...unit.manifests, ...(rendered.get(unit.name) ?? [])];
}

const nsOf = (o: K8sObject, unit: Unit) => o.metadata.namespace ?? unit.namespace;

/** What the connection checks need from the rendered platform. */
export function platformNetwork(units: readonly Unit[], rendered: readonly RenderedUnit[], renderedByUnit: ReadonlyMap<string, readonly K8sObject[]>): PlatformNetwork {
  const withPods = new Map(withOperated(rendered.map((r) => ({ ...r, chartObjects: [...r.chartObjects] }))).map((r) => [r.unit.name, r.chartObjects]));
  const workloads: WorkloadPods[] = [];
  const services = new Map<string, { unit: string; object: K8sObject }>();
  const policies: K8sObject[] = [];
  const namespaceLabels = new Map<string, Labels>();
  for (const u of units) {
    for (const o of [...u.manifests, ...(withPods.get(u.name) ?? renderedByUnit.get(u.name) ?? [])]) {
      const ns = nsOf(o, u);
      if (isWorkload(o) && !isHook(o)) {
        const pod = podOf(o, ns);
        const runtime = (u.network?.runtimeLabels ?? []).filter((r) => r.workload === o.metadata.name).reduce<Labels>((l, r) => ({ ...l, ...r.labels }), {});
        if (pod) workloads.push({ unit: u.name, kind: o.kind, name: o.metadata.name, namespace: ns, pod: { ...pod, labels: { ...pod.labels, ...runtime } } });
      } else if (o.kind === 'Service' && apiGroup(o.apiVersion) === '') services.set(`${ns}/${o.metadata.name}`, { unit: u.name, object: o });
      else if (o.kind === 'NetworkPolicy' && apiGroup(o.apiVersion) === 'networking.k8s.io') policies.push({ ...o, metadata: { ...o.metadata, namespace: ns } });
      else if (o.kind === 'Namespace' && apiGroup(o.apiVersion) === '') namespaceLabels.set(o.metadata.name, { [NAMESPACE_NAME_LABEL]: o.metadata.name, ...(o.metadata.labels ?? {}) });
    }
  }
  const net: PlatformNetwork = { workloads, services, policies, namespaceLabels, connections: [] };
  net.connections = [...declaredConnections(units, net), ...derivedConnections(units, renderedByUnit, net)];
  return net;
}

function podsOfUnit(net: Pick<PlatformNetwork, 'workloads'>, unit: string, names?: readonly string[]): WorkloadPods[] {
  return (workloadIndex(net.workloads).byUnit.get(unit) ?? []).filter((w) => !names || names.includes(w.name));
}

/** Lookups over a platform's workloads, in the list's order; `check` asks them once per tenant service, where a scan each would be quadratic. */
export interface WorkloadIndex {
  byUnit: Map<string, WorkloadPods[]>;
  /** The first workload of each `namespace/name`. */
  byName: Map<string, WorkloadPods>;
  /** Workloads by `namespace`, pod label key and value (NUL-separated). */
  byLabel: Map<string, WorkloadPods[]>;
}

const INDEXES = new WeakMap<readonly WorkloadPods[], { size: number; index: WorkloadIndex }>();
/** A label's index key; the value's type is part of it, as the lookups compare with ===. */
export const labelKey = (namespace: string, key: string, value: unknown) => `${namespace}\u0000${key}\u0000${typeof value}:${String(value)}`;

/** The index of a workload list, built again when the list has grown (the ACME solver pod is added late). */
export function workloadIndex(workloads: readonly WorkloadPods[]): WorkloadIndex {
  const known = INDEXES.get(workloads);
  if (known && known.size === workloads.length) return known.index;
  const index: WorkloadIndex = { byUnit: new Map(), byName: new Map(), byLabel: new Map() };
  const add = <K, V>(m: Map<K, V[]>, k: K, v: V) => (m.get(k) ?? m.set(k, []).get(k)!).push(v);
  for (const w of workloads) {
    add(index.byUnit, w.unit, w);
    if (!index.byName.has(`${w.namespace}/${w.name}`)) index.byName.set(`${w.namespace}/${w.name}`, w);
    for (const [k, v] of Object.entries(w.pod.labels)) if (typeof v !== 'object') add(index.byLabel, labelKey(w.namespace, k, v), w);
  }
  INDEXES.set(workloads, { size: workloads.length, index });
  return index;
}

const podSource = (w: WorkloadPods): Source => ({ label: `${w.unit}/${w.name}`, source: { pod: w.pod }, workload: w });

function outsideSource(kind: string): Source {
  if (kind === 'cluster') return { label: 'any pod of the cluster', source: { pod: ANY_APPLICATION_POD } };
  return { label: kind === 'api-server' ? 'the API server' : kind === 'anywhere' ? 'clients outside the cluster' : kind, source: { outside: kind } };
}

function declaredConnections(units: readonly Unit[], net: PlatformNetwork): PlatformConnection[] {
  const byName = new Map(units.map((u) => [u.name, u]));
  const out: PlatformConnection[] = [];
  for (const u of units) {
    const spec = u.network;
    (spec?.connections ?? []).forEach((c, i) => {
      const target = byName.get(c.to.unit);
      out.push({
        unit: u.name,
        why: c.why,
        sources: podsOfUnit(net, u.name, c.from).map(podSource),
        to: { namespace: target?.namespace ?? '(disabled)', name: c.to.service, port: c.to.port },
        declared: true,
        path: `network.connections[${i}]`,
      });
    });
    (spec?.inbound ?? []).forEach((c, i) => {
      const sources = c.from === 'namespace' ? [{ label: `a pod of namespace ${u.namespace}`, source: { pod: { ...ANY_APPLICATION_POD, namespace: u.namespace } } }] : [outsideSource(c.from)];
      out.push({ unit: u.name, why: c.why, sources, to: { namespace: u.namespace, name: c.service, port: c.port }, declared: true, path: `network.inbound[${i}]` });
    });
  }
  return out;
}

function derivedConnections(units: readonly Unit[], rendered: ReadonlyMap<string, readonly K8sObject[]>, net: PlatformNetwork): PlatformConnection[] {
  const out: PlatformConnection[] = [];
  const scraperUnit = units.find((u) => u.network?.scraper);
  const scrapers = scraperUnit ? podsOfUnit(net, scraperUnit.name, [scraperUnit.network!.scraper!]).map(podSource) : [];
  const proxies = new Map<string, Source[]>();
  for (const u of units) {
    const proxy = u.network?.proxy;
    if (!proxy) continue;
    const classes = [...u.provides.filter((p) => p.kind === 'IngressClass').map((p) => p.name), ...(rendered.get(u.name) ?? []).filter((o) => o.kind === 'IngressClass').map((o) => o.metadata.name)];
    for (const c of classes) proxies.set(c, podsOfUnit(net, u.name, [proxy]).map(podSource));
  }
  for (const u of units) {
    for (const o of objectsOf(u, rendered)) {
      const ns = nsOf(o, u);
      const at = `${o.kind} ${o.metadata.namespace ? `${ns}/` : ''}${o.metadata.name}`;
      const add = (sources: Source[], to: ServiceTarget, why: string) => out.push({ unit: u.name, why, sources, to, declared: false });
      if ((o.kind === 'ServiceMonitor' || o.kind === 'PodMonitor') && apiGroup(o.apiVersion) === 'monitoring.coreos.com' && scrapers.length > 0) {
        for (const t of monitorTargets(o, ns, net)) add(scrapers, t, `scraped by Prometheus (${at})`);
      } else if (o.kind === 'Ingress' && apiGroup(o.apiVersion) === 'networking.k8s.io') {
        const sources = proxies.get(str(obj(o.spec).ingressClassName) ?? '') ?? [];
        if (sources.length === 0) continue;
        for (const t of ingressBackends(o, ns)) add(sources, t, `route of ${at}`);
        if (o.metadata.annotations?.[CLUSTER_ISSUER_ANNOTATION]) {
          // cert-manager's HTTP-01 solver pod, which it starts beside the Ingress while a challenge is open.
          if (!net.workloads.some((w) => w.namespace === ns && w.name === ACME_SOLVER_POD)) {
            net.workloads.push({ unit: u.name, kind: 'Pod', name: ACME_SOLVER_POD, namespace: ns, pod: { namespace: ns, labels: { ...ACME_SOLVER_LABELS }, hostNetwork: false, ports: [{ name: 'http', port: ACME_SOLVER_PORT, protocol: 'TCP' }] } });
          }
          add(sources, { namespace: ns, name: `pod:${ACME_SOLVER_POD}`, port: ACME_SOLVER_PORT }, `ACME HTTP-01 challenge of ${at}`);
        }
      } else if (o.kind === 'HTTPRoute') {
        for (const t of routeBackends(o, ns)) add([outsideSource('the Gateway (host network)')], t, `route of ${at}`);
      } else if (o.kind === 'ValidatingWebhookConfiguration' || o.kind === 'MutatingWebhookConfiguration') {
        for (const w of arr(o.webhooks)) {
          const s = obj(obj(obj(w).clientConfig).service);
          if (str(s.name) && str(s.namespace)) add([outsideSource('api-server')], { namespace: str(s.namespace)!, name: str(s.name)!, port: typeof s.port === 'number' ? s.port : 443 }, `webhook ${str(obj(w).name)}`);
        }
      } else if (o.kind === 'CustomResourceDefinition') {
        const s = obj(obj(obj(obj(obj(o.spec).conversion).webhook).clientConfig).service);
        if (str(s.name) && str(s.namespace)) add([outsideSource('api-server')], { namespace: str(s.namespace)!, name: str(s.name)!, port: typeof s.port === 'number' ? s.port : 443 }, `conversion webhook of CRD ${o.metadata.name}`);
      } else if (o.kind === 'APIService') {
        const s = obj(obj(o.spec).service);
        if (str(s.name) && str(s.namespace)) add([outsideSource('api-server')], { namespace: str(s.namespace)!, name: str(s.name)!, port: typeof s.port === 'number' ? s.port : 443 }, `aggregated API ${o.metadata.name}`);
      } else if (o.kind === 'Service' && apiGroup(o.apiVersion) === '') {
        const type = str(obj(o.spec).type);
        if (type === 'LoadBalancer' || type === 'NodePort') {
          for (const p of arr(obj(o.spec).ports)) add([outsideSource('anywhere')], { namespace: ns, name: o.metadata.name, port: Number(obj(p).port) }, `${type} Service ${o.metadata.name}`);
        }
      }
    }
  }
  return out;
}

function namespacesOf(selector: Spec, own: string, net: PlatformNetwork): (ns: string) => boolean {
  if (selector.any === true) return () => true;
  const names = arr(selector.matchNames).filter((x): x is string => typeof x === 'string');
  if (names.length > 0) return (ns) => names.includes(ns);
  void net;
  return (ns) => ns === own;
}

/** Service ports a ServiceMonitor, or container ports a PodMonitor, selects (PodMonitors as Services named after their pods). */
function monitorTargets(o: K8sObject, ns: string, net: PlatformNetwork): ServiceTarget[] {
  const spec = obj(o.spec);
  const inNs = namespacesOf(obj(spec.namespaceSelector), ns, net);
  const selector = obj(spec.selector) as LabelSelector;
  if (o.kind === 'ServiceMonitor') {
    const ports = arr(spec.endpoints).flatMap((e) => {
      const x = obj(e);
      return str(x.port) ?? (typeof x.targetPort === 'number' || typeof x.targetPort === 'string' ? `targetPort:${x.targetPort}` : []);
    });
    return [...net.services.entries()]
      .filter(([key, s]) => inNs(key.split('/')[0]!) && matchesLabelSelector(selector, (s.object.metadata.labels ?? {}) as Labels))
      .flatMap(([key]) => ports.map((port) => ({ namespace: key.split('/')[0]!, name: key.split('/')[1]!, port })));
  }
  // A PodMonitor reaches pods directly: one target per selected workload and named container port.
  const ports = arr(spec.podMetricsEndpoints).flatMap((e) => str(obj(e).port) ?? []);
  return net.workloads
    .filter((w) => inNs(w.namespace) && matchesLabelSelector(selector, w.pod.labels))
    .flatMap((w) => ports.map((port) => ({ namespace: w.namespace, name: `pod:${w.name}`, port })));
}

function ingressBackends(o: K8sObject, ns: string): ServiceTarget[] {
  const spec = obj(o.spec);
  const backends = [obj(spec.defaultBackend), ...arr(spec.rules).flatMap((r) => arr(obj(obj(r).http).paths).map((p) => obj(obj(p).backend)))];
  return backends.flatMap((b) => {
    const s = obj(b.service);
    const name = str(s.name);
    const port = obj(s.port);
    const number = typeof port.number === 'number' ? port.number : str(port.name);
    return name && number !== undefined ? [{ namespace: ns, name, port: number }] : [];
  });
}

function routeBackends(o: K8sObject, ns: string): ServiceTarget[] {
  return arr(obj(o.spec).rules).flatMap((r) =>
    arr(obj(r).backendRefs).flatMap((b) => {
      const x = obj(b);
      if ((str(x.kind) ?? 'Service') !== 'Service' || !str(x.name) || typeof x.port !== 'number') return [];
      return [{ namespace: str(x.namespace) ?? ns, name: str(x.name)!, port: x.port }];
    }),
  );
}
