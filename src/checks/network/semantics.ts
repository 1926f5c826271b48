/**
 * Kubernetes NetworkPolicy semantics (networking.k8s.io/v1), evaluated
 * offline for one connection: a source (a pod, or a peer outside the pod
 * network) opening a port on a target pod.
 *
 * - A pod is isolated for a direction when a policy of its namespace selects
 *   it with that direction in `policyTypes` (default: Ingress, plus Egress
 *   when the policy has `egress` rules). An isolated pod admits only what
 *   the union of its selecting policies' rules allows; policies never deny.
 * - A rule matches when a port entry matches (none or an empty list: every
 *   port) and a peer matches (none or an empty list: every source).
 *   Ports match by protocol (default TCP) and number, a range (`endPort`),
 *   or a name: the destination container port of that name and protocol.
 * - Peers: `podSelector` alone selects pods of the policy's namespace,
 *   `namespaceSelector` alone every pod of the selected namespaces, both
 *   together the selected pods of the selected namespaces; namespaces are
 *   matched on their labels (the API server's `kubernetes.io/metadata.name`
 *   included).
 * - `ipBlock` is meant for addresses outside the cluster: pod traffic is
 *   never counted as matching one (implementations differ, so a connection
 *   that relies on it is not proved), and a peer outside the pod network
 *   (the API server, a client of a LoadBalancer) only by a block holding
 *   every address (0.0.0.0/0 or ::/0, no `except`), its address being
 *   unknown offline.
 * - Pods in the host network are no pods to NetworkPolicies: as targets they
 *   are not isolated, as sources they are node traffic (outside).
 * - A pod always reaches itself and is reached by its own node (the kubelet's
 *   probes): the docs say pods cannot block that; such connections are not
 *   modelled here.
 */
import type { K8sObject, Labels } from '../../model/k8s.js';
import type { LabelSelector } from '../../planner/types.js';
import { matchesLabelSelector } from '../../planner/labels.js';
import type { Protocol } from '../../model/network.js';

export interface NetPod {
  namespace: string;
  labels: Labels;
  hostNetwork: boolean;
  /** Container ports by name, for named ports in policies. */
  ports: readonly { name?: string; port: number; protocol: Protocol }[];
}

/** Where a connection comes from: a pod, or a peer that is no pod (the API server, the internet, a node). */
export type NetSource = { pod: NetPod } | { outside: string };

export interface PolicySet {
  policies: readonly K8sObject[];
  /** Labels of each namespace (`kubernetes.io/metadata.name` is added when missing). */
  namespaceLabels: ReadonlyMap<string, Labels>;
}

export interface Verdict {
  allowed: boolean;
  /** Why not: which side refused, and the policies that isolate it. */
  refusedBy?: { side: 'ingress' | 'egress'; policies: string[] };
}

interface PolicyPort {
  port?: number | string;
  endPort?: number;
  protocol?: string;
}
interface PolicyPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
}
interface PolicyRule {
  ports?: PolicyPort[];
  from?: PolicyPeer[];
  to?: PolicyPeer[];
}
interface PolicySpec {
  podSelector?: LabelSelector;
  policyTypes?: string[];
  ingress?: PolicyRule[];
  egress?: PolicyRule[];
}

const specOf = (p: K8sObject): PolicySpec => (p.spec ?? {}) as PolicySpec;

function types(p: K8sObject): string[] {
  const s = specOf(p);
  return s.policyTypes ?? ['Ingress', ...(s.egress !== undefined ? ['Egress'] : [])];
}

function nsLabels(set: PolicySet, ns: string): Labels {
  return { 'kubernetes.io/metadata.name': ns, ...(set.namespaceLabels.get(ns) ?? {}) };
}

/** Policies of the pod's namespace that isolate it in this direction. */
function isolating(set: PolicySet, pod: NetPod, direction: 'Ingress' | 'Egress'): K8sObject[] {
  if (pod.hostNetwork) return [];
  return set.policies.filter((p) => p.kind === 'NetworkPolicy' && p.metadata.namespace === pod.namespace && types(p).includes(direction) && matchesLabelSelector(specOf(p).podSelector ?? {}, pod.labels));
}

function portMatches(ports: readonly PolicyPort[] | undefined, port: number, protocol: Protocol, destination: NetPod): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((p) => {
    if ((p.protocol ?? 'TCP') !== protocol) return false;
    if (p.port === undefined) return true;
    if (typeof p.port === 'number') return p.endPort !== undefined ? port >= p.port && port <= p.endPort : port === p.port;
    return destination.ports.some((c) => c.name === p.port && c.protocol === protocol && c.port === port);
  });
}

const EVERY_ADDRESS = new Set(['0.0.0.0/0', '::/0']);

/** Whether a peer of a policy in `policyNs` matches the other end of the connection. */
function peerMatches(set: PolicySet, peer: PolicyPeer, policyNs: string, other: NetSource): boolean {
  if (peer.ipBlock) return ('outside' in other || other.pod.hostNetwork) && EVERY_ADDRESS.has(peer.ipBlock.cidr) && (peer.ipBlock.except ?? []).length === 0;
  if (!('pod' in other) || other.pod.hostNetwork) return false;
  const pod = other.pod;
  const nsOk = peer.namespaceSelector !== undefined ? matchesLabelSelector(peer.namespaceSelector, nsLabels(set, pod.namespace)) : pod.namespace === policyNs;
  const podOk = peer.podSelector !== undefined ? matchesLabelSelector(peer.podSelector, pod.labels) : true;
  return nsOk && podOk;
}

function rulesAllow(set: PolicySet, policies: readonly K8sObject[], direction: 'ingress' | 'egress', other: NetSource, port: number, protocol: Protocol, destination: NetPod): boolean {
  return policies.some((p) =>
    (specOf(p)[direction] ?? []).some((r) => {
      const peers = direction === 'ingress' ? r.from : r.to;
      return portMatches(r.ports, port, protocol, destination) && (!peers || peers.length === 0 || peers.some((x) => peerMatches(set, x, p.metadata.namespace!, other)));
    }),
  );
}

/** Whether the policies let `source` open `port`/`protocol` on `target` (both directions). */
export function connectionAllowed(set: PolicySet, source: NetSource, target: NetPod, port: number, protocol: Protocol = 'TCP'): Verdict {
  if ('pod' in source && !source.pod.hostNetwork) {
    const egress = isolating(set, source.pod, 'Egress');
    if (egress.length > 0 && !rulesAllow(set, egress, 'egress', { pod: target }, port, protocol, target)) {
      return { allowed: false, refusedBy: { side: 'egress', policies: egress.map((p) => p.metadata.name).sort() } };
    }
  }
  const ingress = isolating(set, target, 'Ingress');
  if (ingress.length > 0 && !rulesAllow(set, ingress, 'ingress', source, port, protocol, target)) {
    return { allowed: false, refusedBy: { side: 'ingress', policies: ingress.map((p) => p.metadata.name).sort() } };
  }
  return { allowed: true };
}
