/**
 * NetworkPolicies from the units' declarations (ADR 012): in every platform
 * namespace a default deny of ingress, and per workload one policy letting in
 * exactly what the platform declares reaches it:
 *
 * - connections its clients declare (Grafana to Loki, External Secrets to Vault, ...);
 * - Prometheus, on the ports the unit says its ServiceMonitors scrape;
 * - the ingress controller, on each endpoint's backend port (its routes);
 * - peers outside the pod network (the API server calling a webhook, the
 *   clients of a LoadBalancer) and any pod of the cluster (an API such as
 *   OTLP), on the ports the unit declares for them.
 *
 * Egress stays open (ADR 012). Pure: the same declarations give the same
 * policies; `check` proves them against what the charts render.
 */
import { PlatformError } from '../lib/errors.js';
import type { K8sObject, Labels } from '../model/k8s.js';
import { MANAGED_BY, MANAGED_BY_LABEL } from '../model/labels.js';
import { NAMESPACE_NAME_LABEL, type OutsidePeer, type Protocol } from '../model/network.js';
import type { Platform } from '../model/platform.js';
import { emptyUnitParts } from '../model/unit.js';
import { SYSTEM_NAMESPACES } from './resolve.js';
import { ROUTE_PROVIDER_UNIT } from './routes.js';
import type { UnitDraft } from './units.js';
import { ACME_SOLVER_LABELS, ACME_SOLVER_PORT, acmeForEndpoints } from '../catalog/acme.js';

export const NETWORK_POLICIES_UNIT = 'network-policies';
export const DEFAULT_DENY_POLICY = 'default-deny-ingress';
/** Annotation listing, on each policy, the connections it lets in and why. */
export const CONNECTIONS_ANNOTATION = 'plinth.dev/connections';

type Peer = { kind: 'pods'; namespace: string; labels: Labels; who: string } | { kind: Exclude<OutsidePeer, 'namespace'>; who: string };

interface Allow {
  namespace: string;
  workload: string;
  podLabels: Labels;
  port: number;
  protocol: Protocol;
  peer: Peer;
  why: string;
}

interface Target {
  namespace: string;
  workload: string;
  podLabels: Labels;
  port: number;
  protocol: Protocol;
}

/** The namespaces NetworkPolicies guard: every platform namespace but Kubernetes' own. */
export function policedNamespaces(drafts: readonly Pick<UnitDraft, 'namespace'>[]): string[] {
  return [...new Set(drafts.map((d) => d.namespace))].filter((ns) => !(SYSTEM_NAMESPACES as readonly string[]).includes(ns)).sort();
}

function resolver(drafts: readonly UnitDraft[], problems: string[]) {
  const byName = new Map(drafts.map((d) => [d.name, d]));
  const target = (unit: string, service: string, port: number, by: string): Target | undefined => {
    const d = byName.get(unit);
    if (!d) {
      problems.push(`${by}: connects to ${unit}, which is not part of the platform`);
      return undefined;
    }
    const svc = d.network?.services?.find((s) => s.service === service && s.ports.some((p) => p.port === port));
    if (!svc) {
      problems.push(`${by}: ${unit} declares no Service ${service} with port ${port} (network.services)`);
      return undefined;
    }
    const w = d.workloads.find((x) => x.name === svc.workload);
    if (!w) {
      problems.push(`${unit}: Service ${service} names workload ${svc.workload}, which ${unit} does not declare`);
      return undefined;
    }
    const p = svc.ports.find((x) => x.port === port)!;
    return { namespace: d.namespace, workload: w.name, podLabels: w.podLabels, port: p.targetPort, protocol: p.protocol ?? 'TCP' };
  };
  const pods = (unit: UnitDraft, workloads: readonly string[] | undefined, by: string): Peer[] => {
    const chosen = workloads ?? unit.workloads.map((w) => w.name);
    return chosen.flatMap((name) => {
      const w = unit.workloads.find((x) => x.name === name);
      if (!w) {
        problems.push(`${by}: connects from workload ${name}, which ${unit.name} does not declare`);
        return [];
      }
      return [{ kind: 'pods' as const, namespace: unit.namespace, labels: w.podLabels, who: `${unit.name}/${w.name}` }];
    });
  };
  return { target, pods, byName };
}

type PolicyPlatform = Pick<Platform, 'choices' | 'enabled' | 'config' | 'domain'>;

/** Every allow the declarations imply. */
// eslint-disable-next-line complexity -- one line per kind of network declaration (connections, scraped, inbound, endpoints, ACME solver), all adding to one list and one problems list that report together
function allows(platform: PolicyPlatform, drafts: readonly UnitDraft[]): Allow[] {
  const problems: string[] = [];
  const { target, pods, byName } = resolver(drafts, problems);
  const out: Allow[] = [];
  const add = (t: Target | undefined, peers: readonly Peer[], why: string) => {
    if (t) for (const peer of peers) out.push({ ...t, peer, why });
  };
  const scraperUnit = drafts.find((d) => d.network?.scraper);
  const scraper = scraperUnit ? pods(scraperUnit, [scraperUnit.network!.scraper!], scraperUnit.name) : [];
  const proxyUnit = byName.get(ROUTE_PROVIDER_UNIT[platform.choices.ingress]);
  const proxy = proxyUnit?.network?.proxy ? pods(proxyUnit, [proxyUnit.network.proxy], proxyUnit.name) : [];
  for (const d of drafts) {
    const net = d.network;
    for (const c of net?.connections ?? []) add(target(c.to.unit, c.to.service, c.to.port, d.name), pods(d, c.from, d.name), c.why);
    for (const s of net?.scraped ?? []) add(target(d.name, s.service, s.port, d.name), scraper, 'Prometheus scrapes its metrics');
    for (const i of net?.inbound ?? []) {
      const peer: Peer = i.from === 'namespace' ? { kind: 'pods', namespace: d.namespace, labels: {}, who: `pods of namespace ${d.namespace}` } : { kind: i.from, who: i.from };
      add(target(d.name, i.service, i.port, d.name), [peer], i.why);
    }
    for (const e of d.endpoints) add(target(d.name, e.service, e.port, `${d.name} endpoint ${e.name}`), proxy, `route https://${e.host}`);
  }
  // ACME HTTP-01: cert-manager runs a solver pod beside each endpoint's Ingress; the controller forwards the challenge to it.
  if (acmeForEndpoints(platform)) {
    for (const ns of new Set(drafts.filter((d) => d.endpoints.length > 0).map((d) => d.namespace))) {
      add({ namespace: ns, workload: 'acme-http01-solver', podLabels: { ...ACME_SOLVER_LABELS }, port: ACME_SOLVER_PORT, protocol: 'TCP' }, proxy, "Let's Encrypt's HTTP-01 challenge, answered by cert-manager's solver");
    }
  }
  if (problems.length > 0) throw new PlatformError(`the network declarations of the catalog do not resolve:\n${[...new Set(problems)].map((p) => `  - ${p}`).join('\n')}`);
  return out;
}

function peerObject(p: Peer): Record<string, unknown> | undefined {
  if (p.kind === 'pods') return { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: p.namespace } }, podSelector: { matchLabels: p.labels } };
  if (p.kind === 'cluster') return { namespaceSelector: {} };
  return undefined; // api-server, anywhere: no `from`, every source
}

const peerKey = (p: Peer) => JSON.stringify(peerObject(p) ?? 'all');

function policy(namespace: string, name: string, spec: Record<string, unknown>, annotation?: string): K8sObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace, ...(annotation ? { annotations: { [CONNECTIONS_ANNOTATION]: annotation } } : {}), labels: { [MANAGED_BY_LABEL]: MANAGED_BY } },
    spec,
  };
}

/** One workload's policy: its rules grouped by the peers they let in. */
function workloadPolicy(namespace: string, workload: string, podLabels: Labels, list: readonly Allow[]): K8sObject {
  const portKey = (a: Allow) => `${a.protocol}/${a.port}`;
  const peersByPort = new Map<string, Map<string, Peer>>();
  for (const a of list) {
    const m = peersByPort.get(portKey(a)) ?? new Map<string, Peer>();
    m.set(peerKey(a.peer), a.peer);
    peersByPort.set(portKey(a), m);
  }
  // A port open to every source needs no other peer.
  const rulesByPeers = new Map<string, { peers: Peer[]; ports: { protocol: string; port: number }[] }>();
  for (const [key, peers] of [...peersByPort].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const all = [...peers.values()].some((p) => p.kind === 'api-server' || p.kind === 'anywhere');
    const chosen = all ? [] : [...peers.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, p]) => p);
    const id = JSON.stringify(chosen.map(peerKey));
    const [protocol, port] = key.split('/') as [string, string];
    const rule = rulesByPeers.get(id) ?? { peers: chosen, ports: [] };
    rule.ports.push({ protocol, port: Number(port) });
    rulesByPeers.set(id, rule);
  }
  const ingress = [...rulesByPeers.values()].map((r) => ({
    ...(r.peers.length > 0 ? { from: r.peers.map(peerObject) } : {}),
    ports: r.ports.sort((a, b) => a.port - b.port || (a.protocol < b.protocol ? -1 : 1)),
  }));
  const lines = [...new Set(list.map((a) => `${a.port}/${a.protocol} from ${a.peer.who}: ${a.why}`))].sort();
  return policy(namespace, `allow-${workload}`, { podSelector: { matchLabels: podLabels }, policyTypes: ['Ingress'], ingress }, lines.join('\n'));
}

/** The NetworkPolicies of the platform: a default deny per platform namespace, then one policy per workload something reaches. */
export function networkPolicies(platform: PolicyPlatform, drafts: readonly UnitDraft[]): K8sObject[] {
  const policed = new Set(policedNamespaces(drafts));
  const byWorkload = new Map<string, Allow[]>();
  for (const a of allows(platform, drafts)) {
    if (!policed.has(a.namespace)) continue;
    const key = `${a.namespace}/${a.workload}`;
    byWorkload.set(key, [...(byWorkload.get(key) ?? []), a]);
  }
  const deny = [...policed].map((ns) => policy(ns, DEFAULT_DENY_POLICY, { podSelector: {}, policyTypes: ['Ingress'] }));
  const allowPolicies = [...byWorkload.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([, list]) => workloadPolicy(list[0]!.namespace, list[0]!.workload, list[0]!.podLabels, list));
  return [...deny, ...allowPolicies].sort((a, b) => (a.metadata.namespace! < b.metadata.namespace! ? -1 : a.metadata.namespace! > b.metadata.namespace! ? 1 : a.metadata.name < b.metadata.name ? -1 : 1));
}

/** The unit shipping them, when the profile has NetworkPolicies. */
export function networkPoliciesUnit(platform: Platform, drafts: readonly UnitDraft[]): UnitDraft | undefined {
  if (!platform.profile.networkPolicies) return undefined;
  return {
    name: NETWORK_POLICIES_UNIT,
    description: 'a default deny of ingress in every platform namespace, and the connections the units declare',
    stack: 'security',
    tier: 1,
    pool: 'control-plane',
    namespace: 'default',
    ...emptyUnitParts(),
    manifests: networkPolicies(platform, drafts),
  };
}
