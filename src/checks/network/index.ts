/**
 * The network checker: every connection the platform makes
 * (./connections.ts) is evaluated against the NetworkPolicies, the
 * generated ones and those the charts render (./semantics.ts), pod by pod
 * and port by port, on the rendered pods' labels and the namespaces' labels.
 * Also: a declared connection whose Service or port nothing renders, a
 * declared Service the chart does not render as declared, and a unit whose
 * pods sit behind a default deny without any network declaration.
 */
import type { RenderedUnit } from '../../helm/index.js';
import type { K8sObject } from '../../model/k8s.js';
import type { Protocol } from '../../model/network.js';
import { TENANT_STACK, type Unit } from '../../model/unit.js';
import type { Finding } from '../finding.js';
import { labelKey, type PlatformConnection, type PlatformNetwork, platformNetwork, type ServiceTarget, workloadIndex, type WorkloadPods } from './connections.js';
import { connectionAllowed } from './semantics.js';

export { platformNetwork, type PlatformNetwork } from './connections.js';
export { connectionAllowed, type NetPod, type NetSource, type PolicySet, type Verdict } from './semantics.js';

const CHECK = 'network';

type Spec = Record<string, unknown>;
const obj = (v: unknown): Spec => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Spec) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

interface ResolvedTarget {
  workload: WorkloadPods;
  port: number;
  protocol: Protocol;
  /** The Service port the connection uses, for messages. */
  servicePort: number | string;
}

type Resolution = { targets: ResolvedTarget[] } | { problem: string };

const apiVersionOf = (kind: string) => (kind === 'Pod' ? 'v1' : kind === 'Job' || kind === 'CronJob' ? 'batch/v1' : 'apps/v1');
function serviceText(t: ServiceTarget): string {
  if (t.name.startsWith('pod:')) return `pod port ${t.port} of ${t.namespace}/${t.name.slice(4)}`;
  if (typeof t.port === 'string' && t.port.startsWith('targetPort:')) return `Service ${t.namespace}/${t.name}, target port ${t.port.slice('targetPort:'.length)}`;
  return `Service ${t.namespace}/${t.name}:${t.port}`;
}

function containerPort(w: WorkloadPods, target: number | string, protocol: Protocol): number | undefined {
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  return w.pod.ports.find((p) => p.name === target && p.protocol === protocol)?.port;
}

/** The pods and container ports behind a Service port. */
export function resolveTarget(net: PlatformNetwork, t: ServiceTarget): Resolution {
  if (t.name.startsWith('pod:')) {
    const w = workloadIndex(net.workloads).byName.get(`${t.namespace}/${t.name.slice(4)}`);
    const port = w ? containerPort(w, t.port, 'TCP') : undefined;
    return w && port !== undefined ? { targets: [{ workload: w, port, protocol: 'TCP', servicePort: t.port }] } : { problem: `pod port ${t.port} is not declared` };
  }
  const svc = net.services.get(`${t.namespace}/${t.name}`);
  if (!svc) return { problem: `nothing in the platform renders Service ${t.namespace}/${t.name}` };
  const spec = obj(svc.object.spec);
  const ports = arr(spec.ports).map(obj);
  const wanted = typeof t.port === 'string' && t.port.startsWith('targetPort:') ? t.port.slice('targetPort:'.length) : undefined;
  const sp = wanted !== undefined ? ports.find((p) => String(p.targetPort ?? p.port) === wanted) : ports.find((p) => (typeof t.port === 'number' ? p.port === t.port : p.name === t.port));
  if (!sp) return { problem: `Service ${t.namespace}/${t.name} has no port ${t.port} (it has ${ports.map((p) => (p.name ? `${p.name} ${p.port}` : String(p.port))).join(', ') || 'none'})` };
  const selector = obj(spec.selector) as Record<string, string>;
  if (Object.keys(selector).length === 0) return { problem: `Service ${t.namespace}/${t.name} selects no pods (no selector)` };
  const protocol = (typeof sp.protocol === 'string' ? sp.protocol : 'TCP') as Protocol;
  const [first, ...rest] = Object.entries(selector);
  const candidates = typeof first![1] === 'object' ? [] : (workloadIndex(net.workloads).byLabel.get(labelKey(t.namespace, first![0], first![1])) ?? []);
  const pods = candidates.filter((w) => rest.every(([k, v]) => w.pod.labels[k] === v));
  if (pods.length === 0) return { problem: `Service ${t.namespace}/${t.name} selects no pod the platform runs` };
  const targetPort = (sp.targetPort ?? sp.port) as number | string;
  const targets = pods.flatMap((w) => {
    const port = containerPort(w, targetPort, protocol);
    return port === undefined ? [] : [{ workload: w, port, protocol, servicePort: sp.port as number }];
  });
  return targets.length > 0 ? { targets } : { problem: `Service ${t.namespace}/${t.name} port ${t.port} targets port ${targetPort}, which its pods do not declare` };
}

function blocked(net: PlatformNetwork, c: PlatformConnection, targets: readonly ResolvedTarget[]): Finding[] {
  const set = { policies: net.policies, namespaceLabels: net.namespaceLabels };
  const out: Finding[] = [];
  for (const s of c.sources) {
    for (const t of targets) {
      if (s.workload && s.workload.namespace === t.workload.namespace && s.workload.name === t.workload.name && s.workload.kind === t.workload.kind) continue; // a pod reaching its own Service
      const v = connectionAllowed(set, s.source, t.workload.pod, t.port, t.protocol);
      if (v.allowed) continue;
      const w = t.workload;
      out.push({
        check: CHECK,
        severity: 'error',
        object: { apiVersion: apiVersionOf(w.kind), kind: w.kind, namespace: w.namespace, name: w.name },
        source: { component: c.unit },
        ...(c.path ? { path: c.path } : {}),
        message: `${s.label} cannot reach ${w.kind} ${w.namespace}/${w.name} on port ${t.port}/${t.protocol} (${serviceText(c.to)}, ${c.why}): the ${v.refusedBy!.side} NetworkPolicies of namespace ${v.refusedBy!.side === 'ingress' ? w.namespace : s.workload?.namespace} refuse it (${v.refusedBy!.policies.join(', ')})`,
        hint: c.declared
          ? 'a NetworkPolicy changed by hand or by a chart blocks what the component declares: regenerate with `plinth plan`, or fix the policy'
          : "the platform makes this connection, so a component must declare it (its `network`: connections, scraped or inbound) for Plinth's NetworkPolicies to allow it",
      });
    }
  }
  return out;
}

/** Units with pods behind a default deny that declare nothing about the network. */
function undeclared(net: PlatformNetwork, units: readonly Unit[]): Finding[] {
  const denied = new Set(net.policies.filter((p) => Object.keys(obj(obj(p.spec).podSelector)).length === 0).map((p) => p.metadata.namespace!));
  return units.flatMap((u) => {
    if (u.network || u.stack === TENANT_STACK) return [];
    const pods = (workloadIndex(net.workloads).byUnit.get(u.name) ?? []).filter((w) => !w.pod.hostNetwork && denied.has(w.namespace));
    if (pods.length === 0) return [];
    return [
      {
        check: CHECK,
        severity: 'error' as const,
        source: { component: u.name },
        path: 'network',
        message: `${u.name} declares no network, but its pods (${pods.map((w) => `${w.kind} ${w.namespace}/${w.name}`).join(', ')}) run where NetworkPolicies deny ingress by default: nothing could reach them`,
        hint: 'declare `network` in its component: the Services others reach, the connections it opens, what Prometheus scrapes, who calls it from outside (`{}` if its pods accept nothing)',
      },
    ];
  });
}

/** Declared Services as the chart renders them: the Service, its port, and the container port on the declared workload. */
function declaredServices(net: PlatformNetwork, units: readonly Unit[]): Finding[] {
  const out: Finding[] = [];
  for (const u of units) {
    (u.network?.services ?? []).forEach((s, i) => {
      const add = (message: string) => out.push({ check: CHECK, severity: 'error', source: { component: u.name }, path: `network.services[${i}]`, message, hint: 'declare the Service, workload and ports as the chart renders them (`npx tsx scripts/inspect-component.ts <component>` lists them)' });
      for (const p of s.ports) {
        const r = resolveTarget(net, { namespace: u.namespace, name: s.service, port: p.port });
        if ('problem' in r) {
          add(`declares Service ${s.service} port ${p.port}, but ${r.problem}`);
          continue;
        }
        const mine = r.targets.filter((t) => t.workload.unit === u.name && t.workload.name === s.workload);
        if (mine.length === 0) add(`declares Service ${s.service} in front of ${s.workload}, but the rendered Service selects ${[...new Set(r.targets.map((t) => t.workload.name))].join(', ')}`);
        else if (!mine.some((t) => t.port === p.targetPort && t.protocol === (p.protocol ?? 'TCP'))) add(`declares Service ${s.service} port ${p.port} to container port ${p.targetPort} of ${s.workload}, but the chart sends it to ${mine.map((t) => `${t.port}/${t.protocol}`).join(', ')}`);
      }
    });
  }
  return out;
}

export function checkNetwork(units: readonly Unit[], rendered: readonly RenderedUnit[], renderedByUnit: ReadonlyMap<string, readonly K8sObject[]>): Finding[] {
  const net = platformNetwork(units, rendered, renderedByUnit);
  const findings: Finding[] = [...undeclared(net, units), ...declaredServices(net, units)];
  for (const c of net.connections) {
    if (c.declared && c.sources.length === 0) {
      findings.push({ check: CHECK, severity: 'error', source: { component: c.unit }, ...(c.path ? { path: c.path } : {}), message: `connects to ${serviceText(c.to)} (${c.why}) from workloads that are not rendered`, hint: 'name workloads of the component as the chart renders them' });
      continue;
    }
    const r = resolveTarget(net, c.to);
    if ('problem' in r) {
      if (c.declared) {
        findings.push({ check: CHECK, severity: 'error', source: { component: c.unit }, ...(c.path ? { path: c.path } : {}), message: `connects to ${serviceText(c.to)} (${c.why}), but ${r.problem}`, hint: 'name the Service and port as the chart renders them' });
      }
      continue;
    }
    findings.push(...blocked(net, c, r.targets));
  }
  // One finding per source, target and port, whatever the number of objects implying it.
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.source?.component}\u0000${f.object?.name ?? ''}\u0000${f.path ?? ''}\u0000${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
