/** NetworkPolicies generated from the units' declarations (ADR 012): what each connection, scrape, route and outside peer becomes. */
import { describe, expect, it } from 'vitest';
import { CATALOG, type Component } from '../catalog/index.js';
import { parseConfig } from '../config/load.js';
import { starterConfig } from '../config/starter.js';
import { compactEdited, compactTestConfig } from '../config/test-configs.js';
import type { K8sObject } from '../model/k8s.js';
import { desiredState } from './index.js';
import { CONNECTIONS_ANNOTATION, DEFAULT_DENY_POLICY, NETWORK_POLICIES_UNIT } from './network-policies.js';

const stateOf = (text: string, catalog: readonly Component[] = CATALOG) => desiredState(parseConfig(text, 'plinth.yaml'), catalog);
const policies = (text = compactTestConfig()) => stateOf(text).units.find((u) => u.name === NETWORK_POLICIES_UNIT)?.manifests ?? [];
const named = (ps: readonly K8sObject[], namespace: string, name: string) => ps.find((p) => p.metadata.namespace === namespace && p.metadata.name === name);
const ingressOf = (p: K8sObject | undefined) => (p?.spec as { ingress: { from?: unknown[]; ports: { port: number; protocol: string }[] }[] }).ingress;
const peer = (namespace: string, labels: Record<string, string>) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } }, podSelector: { matchLabels: labels } });

describe('NetworkPolicies of the compact platform', () => {
  it('deny ingress by default in every platform namespace, and nowhere else', () => {
    const state = stateOf(compactTestConfig());
    const platformNamespaces = [...new Set(state.units.map((u) => u.namespace))].filter((ns) => !['default', 'kube-system'].includes(ns)).sort();
    const deny = policies().filter((p) => p.metadata.name === DEFAULT_DENY_POLICY);
    expect(deny.map((p) => p.metadata.namespace)).toEqual(platformNamespaces);
    expect(platformNamespaces).toEqual(expect.arrayContaining(['ingress-nginx', 'metallb-system', 'observability', 'sealed-secrets', 'vault']));
    for (const p of deny) expect(p.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
    // Team namespaces are the teams' own.
    expect(deny.map((p) => p.metadata.namespace)).not.toContain('team-a');
  });

  it('let each declared client in, by its pods, on the container port behind the Service', () => {
    const loki = named(policies(), 'observability', 'allow-loki')!;
    expect(loki.spec).toMatchObject({ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'loki', 'app.kubernetes.io/component': 'single-binary' } }, policyTypes: ['Ingress'] });
    const on3100 = ingressOf(loki).find((r) => r.ports.some((p) => p.port === 3100))!;
    expect(on3100.from).toEqual(
      expect.arrayContaining([
        peer('observability', { 'app.kubernetes.io/instance': 'fluent-bit', 'app.kubernetes.io/name': 'fluent-bit' }),
        peer('observability', { 'app.kubernetes.io/instance': 'kube-prometheus-stack', 'app.kubernetes.io/name': 'grafana' }),
        peer('observability', { 'app.kubernetes.io/instance': 'kube-prometheus-stack-prometheus', 'app.kubernetes.io/name': 'prometheus' }),
      ]),
    );
    expect(loki.metadata.annotations![CONNECTIONS_ANNOTATION]).toContain('3100/TCP from fluent-bit/fluent-bit: pushes the container logs');
    // Vault: External Secrets reads it, Prometheus scrapes it, nobody else reaches it.
    expect(ingressOf(named(policies(), 'vault', 'allow-vault'))).toEqual([
      {
        from: [peer('external-secrets', { 'app.kubernetes.io/name': 'external-secrets', 'app.kubernetes.io/instance': 'external-secrets' }), peer('observability', { 'app.kubernetes.io/instance': 'kube-prometheus-stack-prometheus', 'app.kubernetes.io/name': 'prometheus' })],
        ports: [{ port: 8200, protocol: 'TCP' }],
      },
    ]);
  });

  it('let the ingress controller reach each endpoint on its target port (Grafana: Service 80, container 3000)', () => {
    const grafana = named(policies(), 'observability', 'allow-kube-prometheus-stack-grafana')!;
    const controller = peer('ingress-nginx', { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/instance': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' });
    expect(ingressOf(grafana).find((r) => r.ports.some((p) => p.port === 3000))!.from).toContainEqual(controller);
    expect(grafana.metadata.annotations![CONNECTIONS_ANNOTATION]).toContain('3000/TCP from ingress-nginx/ingress-nginx-controller: route https://grafana.idp.local');
  });

  it('open webhooks and the LoadBalancer to every source (the API server and the clients have no pod to name), and OTLP to every pod', () => {
    expect(ingressOf(named(policies(), 'ingress-nginx', 'allow-ingress-nginx-controller'))).toContainEqual({ ports: [{ port: 80, protocol: 'TCP' }, { port: 443, protocol: 'TCP' }, { port: 8443, protocol: 'TCP' }] });
    expect(ingressOf(named(policies(), 'cert-manager', 'allow-cert-manager-webhook'))).toContainEqual({ ports: [{ port: 10250, protocol: 'TCP' }] });
    expect(ingressOf(named(policies(), 'observability', 'allow-opentelemetry-collector'))).toContainEqual({ from: [{ namespaceSelector: {} }], ports: [{ port: 4317, protocol: 'TCP' }, { port: 4318, protocol: 'TCP' }] });
  });

  it('are the same on every run, and absent from edge (its profile has none)', () => {
    expect(JSON.stringify(policies())).toBe(JSON.stringify(policies()));
    expect(stateOf(starterConfig()).units.some((u) => u.name === NETWORK_POLICIES_UNIT)).toBe(false);
  });

  it('open the ACME solver to the ingress controller in the namespaces of endpoints, on a public domain with tls.acme', () => {
    const acme = compactEdited('components: {}', 'tls:\n  acme:\n    email: ops@example.org\ncomponents: {}').replace('domain: idp.local', 'domain: platform.example.org');
    const solver = named(policies(acme), 'observability', 'allow-acme-http01-solver')!;
    expect(solver.spec).toMatchObject({ podSelector: { matchLabels: { 'acme.cert-manager.io/http01-solver': 'true' } } });
    expect(ingressOf(solver)[0]!.ports).toEqual([{ port: 8089, protocol: 'TCP' }]);
    expect(named(policies(), 'observability', 'allow-acme-http01-solver')).toBeUndefined();
  });

  it('refuse a declaration that names a Service its target does not declare', () => {
    const catalog = CATALOG.map((c) =>
      c.name !== 'fluent-bit'
        ? c
        : { ...c, build: (ctx: Parameters<Component['build']>[0]) => ({ ...c.build(ctx), network: { connections: [{ to: { unit: 'loki', service: 'lokii', port: 3100 }, why: 'pushes logs' }] } }) },
    );
    expect(() => stateOf(compactTestConfig(), catalog)).toThrow('fluent-bit: loki declares no Service lokii with port 3100 (network.services)');
  });
});
