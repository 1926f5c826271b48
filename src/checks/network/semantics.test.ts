/** NetworkPolicy semantics as the Kubernetes API defines them, one rule of the spec per case. */
import { describe, expect, it } from 'vitest';
import type { K8sObject } from '../../model/k8s.js';
import { connectionAllowed, type NetPod, type PolicySet } from './semantics.js';

const pod = (namespace: string, labels: Record<string, string>, extra: Partial<NetPod> = {}): NetPod => ({ namespace, labels, hostNetwork: false, ports: [], ...extra });
const policy = (namespace: string, name: string, spec: Record<string, unknown>): K8sObject => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec });
const set = (...policies: K8sObject[]): PolicySet => ({ policies, namespaceLabels: new Map([['observability', { team: 'platform' }], ['team-a', { team: 'a' }]]) });

const loki = pod('observability', { app: 'loki' }, { ports: [{ name: 'http', port: 3100, protocol: 'TCP' }] });
const grafana = pod('observability', { app: 'grafana' });
const tenant = pod('team-a', { app: 'shop' });
const denyAll = policy('observability', 'deny', { podSelector: {}, policyTypes: ['Ingress'] });

describe('NetworkPolicy semantics', () => {
  it('lets everything in where no policy selects the pod', () => {
    expect(connectionAllowed(set(), { pod: tenant }, loki, 3100)).toEqual({ allowed: true });
    expect(connectionAllowed(set(policy('observability', 'other', { podSelector: { matchLabels: { app: 'grafana' } }, ingress: [] })), { pod: tenant }, loki, 3100).allowed).toBe(true);
  });

  it('refuses what no rule of a selecting policy allows, naming the policies', () => {
    expect(connectionAllowed(set(denyAll), { pod: grafana }, loki, 3100)).toEqual({ allowed: false, refusedBy: { side: 'ingress', policies: ['deny'] } });
  });

  it('takes the union of the policies selecting a pod: a policy never denies what another allows', () => {
    const allow = policy('observability', 'allow-grafana', { podSelector: { matchLabels: { app: 'loki' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'grafana' } } }] }] });
    expect(connectionAllowed(set(denyAll, allow), { pod: grafana }, loki, 3100).allowed).toBe(true);
  });

  it('reads a podSelector alone as pods of the policy\'s own namespace', () => {
    const allow = policy('observability', 'a', { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] });
    expect(connectionAllowed(set(allow), { pod: grafana }, loki, 3100).allowed).toBe(true);
    expect(connectionAllowed(set(allow), { pod: tenant }, loki, 3100).allowed).toBe(false);
  });

  it('ANDs namespaceSelector and podSelector in one peer, and ORs separate peers', () => {
    const and = policy('observability', 'and', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'a' } }, podSelector: { matchLabels: { app: 'cart' } } }] }] });
    const or = policy('observability', 'or', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'a' } } }, { podSelector: { matchLabels: { app: 'cart' } } }] }] });
    expect(connectionAllowed(set(and), { pod: tenant }, loki, 3100).allowed).toBe(false);
    expect(connectionAllowed(set(or), { pod: tenant }, loki, 3100).allowed).toBe(true);
  });

  it('matches namespaces on the API server\'s kubernetes.io/metadata.name label too', () => {
    const byName = policy('observability', 'n', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'team-a' } } }] }] });
    expect(connectionAllowed(set(byName), { pod: tenant }, loki, 3100).allowed).toBe(true);
    expect(connectionAllowed(set(byName), { pod: grafana }, loki, 3100).allowed).toBe(false);
  });

  it('matches ports by number, by range, by the destination\'s named port, and by protocol (TCP by default)', () => {
    const rule = (ports: unknown[]) => set(policy('observability', 'p', { podSelector: {}, ingress: [{ ports }] }));
    expect(connectionAllowed(rule([{ port: 3100 }]), { pod: tenant }, loki, 3100).allowed).toBe(true);
    expect(connectionAllowed(rule([{ port: 3000, endPort: 3200 }]), { pod: tenant }, loki, 3100).allowed).toBe(true);
    expect(connectionAllowed(rule([{ port: 'http' }]), { pod: tenant }, loki, 3100).allowed).toBe(true);
    expect(connectionAllowed(rule([{ port: 'grpc' }]), { pod: tenant }, loki, 3100).allowed).toBe(false);
    expect(connectionAllowed(rule([{ port: 3100, protocol: 'UDP' }]), { pod: tenant }, loki, 3100).allowed).toBe(false);
    expect(connectionAllowed(rule([{ protocol: 'TCP' }]), { pod: tenant }, loki, 9095).allowed).toBe(true);
  });

  it('counts an ipBlock only for peers outside the pod network, and only when it holds every address', () => {
    const all = set(policy('observability', 'i', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }] }));
    const some = set(policy('observability', 'i', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }] }));
    expect(connectionAllowed(all, { outside: 'api-server' }, loki, 3100).allowed).toBe(true);
    expect(connectionAllowed(some, { outside: 'api-server' }, loki, 3100).allowed).toBe(false);
    expect(connectionAllowed(all, { pod: tenant }, loki, 3100).allowed).toBe(false);
    // No `from` at all lets in every source, outside peers included.
    expect(connectionAllowed(set(policy('observability', 'x', { podSelector: {}, ingress: [{ ports: [{ port: 3100 }] }] })), { outside: 'anywhere' }, loki, 3100).allowed).toBe(true);
  });

  it('isolates egress only with policyTypes Egress (or egress rules), and refuses on the source side then', () => {
    const egressDeny = policy('team-a', 'egress-deny', { podSelector: {}, policyTypes: ['Egress'] });
    expect(connectionAllowed(set(egressDeny), { pod: tenant }, loki, 3100)).toEqual({ allowed: false, refusedBy: { side: 'egress', policies: ['egress-deny'] } });
    const egressAllow = policy('team-a', 'egress-loki', { podSelector: {}, egress: [{ to: [{ namespaceSelector: { matchLabels: { team: 'platform' } } }], ports: [{ port: 3100 }] }] });
    expect(connectionAllowed(set(egressAllow), { pod: tenant }, loki, 3100).allowed).toBe(true);
    expect(connectionAllowed(set(egressAllow), { pod: tenant }, loki, 9095).allowed).toBe(false);
    // Ingress-only policies (the default policyTypes) leave egress open.
    expect(connectionAllowed(set(policy('team-a', 'in', { podSelector: {}, ingress: [] })), { pod: tenant }, loki, 3100).allowed).toBe(true);
  });

  it('leaves host-network pods to node rules: never isolated as targets, node traffic as sources', () => {
    const speaker = pod('observability', { app: 'loki' }, { hostNetwork: true });
    expect(connectionAllowed(set(denyAll), { pod: tenant }, speaker, 3100).allowed).toBe(true);
    const fromPods = set(policy('observability', 'pods', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {} }] }] }));
    expect(connectionAllowed(fromPods, { pod: { ...tenant, hostNetwork: true } }, loki, 3100).allowed).toBe(false);
  });
});
