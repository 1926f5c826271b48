/**
 * Services of the platform as the charts and glue render them, and the
 * addresses components are configured with (`http://tempo.observability.svc:3200`,
 * `opentelemetry-collector.observability.svc.cluster.local:4317`,
 * `dnssrv+_grpc._tcp.thanos-storegateway.observability.svc.cluster.local`),
 * resolved against them the way cluster DNS would: name, namespace, and a
 * port the Service serves (or, for an SRV name, a port of that name).
 */
import type { K8sObject } from '../../model/k8s.js';
import type { Unit } from '../../model/unit.js';

export interface ServicePort {
  port: number;
  name?: string;
}

export interface ServiceInfo {
  name: string;
  namespace: string;
  ports: ServicePort[];
}

/** Services by `namespace/name`, from every unit's rendered objects and glue. */
export function serviceIndex(units: readonly Unit[], rendered: ReadonlyMap<string, readonly K8sObject[]> | undefined): Map<string, ServiceInfo> {
  const out = new Map<string, ServiceInfo>();
  for (const u of units) {
    for (const o of [...u.manifests, ...(rendered?.get(u.name) ?? [])]) {
      if (o.kind !== 'Service' || o.apiVersion !== 'v1') continue;
      const namespace = o.metadata.namespace ?? u.namespace;
      const ports = ((o.spec as { ports?: { port?: unknown; name?: unknown }[] } | undefined)?.ports ?? [])
        .filter((p) => typeof p.port === 'number')
        .map((p) => ({ port: p.port as number, ...(typeof p.name === 'string' ? { name: p.name } : {}) }));
      out.set(`${namespace}/${o.metadata.name}`, { name: o.metadata.name, namespace, ports });
    }
  }
  return out;
}

/** An address pointing into the cluster: a Service and the port (or SRV port name) asked of it. */
export interface ServiceAddress {
  text: string;
  service: string;
  namespace: string;
  port?: number;
  portName?: string;
}

/** Top-level domains addresses of configuration files use: `x.<tld>` is a host name there, not a Service. */
const TLDS = new Set(['com', 'net', 'org', 'io', 'dev', 'app', 'cloud', 'ai', 'co', 'eu', 'de', 'fr', 'uk', 'us', 'local', 'lan', 'home', 'internal', 'example', 'test', 'invalid', 'localhost']);

const DEFAULT_PORTS: Record<string, number> = { http: 80, https: 443, grpc: 80, grpcs: 443, s3: 80 };

/**
 * The Service an address names, or undefined when it does not point into the
 * cluster: another domain, an IP, an environment placeholder. `name` alone is
 * a Service of `defaultNamespace`; `name.ns` is what cluster DNS tries first
 * (its search list ends in `svc.cluster.local`), unless `ns` is a common
 * top-level domain and no namespace of the platform (`example.com`).
 */
export function parseServiceAddress(text: string, defaultNamespace: string, namespaces: ReadonlySet<string>): ServiceAddress | undefined {
  let rest = text.trim();
  if (rest === '' || rest.includes('${')) return undefined;
  let portName: string | undefined;
  const srv = /^dnssrv\+(?:noa\+)?_([a-z0-9-]+)\._(?:tcp|udp)\.(.+)$/i.exec(rest);
  if (srv) {
    portName = srv[1]!;
    rest = srv[2]!;
  } else {
    rest = rest.replace(/^dns\+/, '');
  }
  let scheme: string | undefined;
  const url = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(rest);
  if (url) {
    scheme = url[1]!.toLowerCase();
    rest = url[2]!;
  }
  const hostPort = rest.split(/[/?#]/)[0]!;
  const m = /^([a-z0-9.-]+)(?::(\d+))?$/i.exec(hostPort);
  if (!m) return undefined;
  const host = m[1]!.toLowerCase().replace(/\.$/, '');
  const port = m[2] !== undefined ? Number(m[2]) : portName ? undefined : scheme ? DEFAULT_PORTS[scheme] : undefined;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) return undefined;
  const labels = host.replace(/\.svc(\.cluster\.local)?$/, '').split('.');
  const inCluster = host.endsWith('.svc') || host.endsWith('.svc.cluster.local');
  if (labels.length === 1) return { text, service: labels[0]!, namespace: defaultNamespace, ...(port !== undefined ? { port } : {}), ...(portName ? { portName } : {}) };
  if (labels.length === 2 && (inCluster || namespaces.has(labels[1]!) || !TLDS.has(labels[1]!))) {
    return { text, service: labels[0]!, namespace: labels[1]!, ...(port !== undefined ? { port } : {}), ...(portName ? { portName } : {}) };
  }
  return undefined;
}

/** Why an address does not resolve, or undefined when a rendered Service serves it. */
export function unresolved(addr: ServiceAddress, services: ReadonlyMap<string, ServiceInfo>): string | undefined {
  const svc = services.get(`${addr.namespace}/${addr.service}`);
  if (!svc) {
    const same = [...services.values()].filter((s) => s.name === addr.service).map((s) => `${s.namespace}/${s.name}`);
    return `no Service ${addr.namespace}/${addr.service} is rendered${same.length ? ` (there is ${same.join(', ')})` : ''}`;
  }
  const list = svc.ports.map((p) => (p.name ? `${p.port} (${p.name})` : String(p.port))).join(', ') || 'none';
  if (addr.portName !== undefined && !svc.ports.some((p) => p.name === addr.portName)) return `Service ${svc.namespace}/${svc.name} has no port named ${addr.portName} (its ports: ${list})`;
  if (addr.port !== undefined && !svc.ports.some((p) => p.port === addr.port)) return `Service ${svc.namespace}/${svc.name} does not serve port ${addr.port} (its ports: ${list})`;
  return undefined;
}
