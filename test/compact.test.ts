/**
 * The compact platform (seed 002) end to end, proved like edge: `plinth plan`
 * and `plinth check` from the compact starter, the footprint on its node
 * shape, the failure scenarios, and seeded faults a platform engineer could
 * really make, each asserting the exact finding. The engine is set
 * explicitly (COMPACT_TEST_ENGINE, Flux as the preset); what differs between
 * the engines says so.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CATALOG, type Component } from '../src/catalog/index.js';
import { SEALED_SECRETS_CONTROLLER } from '../src/catalog/components/sealed-secrets.js';
import type { Finding } from '../src/checks/finding.js';
import { checkPlatform, type PlatformCheckOptions } from '../src/checks/platform.js';
import { parseConfig } from '../src/config/load.js';
import { starterConfig } from '../src/config/starter.js';
import { compactEdited, compactTestConfig, COMPACT_TEST_ENGINE } from '../src/config/test-configs.js';
import { desiredState, SHARED_REFS } from '../src/desired/index.js';
import { RenderCache } from '../src/helm/index.js';
import { readRepo } from '../src/gitops/writer.js';
import { parseYamlStream, toYamlStream } from '../src/lib/yaml.js';
import type { K8sObject } from '../src/model/k8s.js';
import { tenantServiceFiles } from '../src/tenants/service.js';
import { helmSetup, type HelmSetup } from './support/charts.js';
import { runCli, tempDir } from './support/cli.js';

let setup: HelmSetup;
const renderCache = new RenderCache();

beforeAll(async () => {
  setup = await helmSetup();
});

async function check(config = compactTestConfig(), opts: Partial<PlatformCheckOptions> = {}) {
  return checkPlatform(parseConfig(config, 'plinth.yaml'), { helm: setup.helm, cache: setup.cache, renderCache, ...opts });
}
const errors = (findings: readonly Finding[]) => findings.filter((f) => f.severity === 'error');

/** The state with one manifest of the network-policies unit changed. */
const policyChanged = (name: string, namespace: string, change: (p: K8sObject) => K8sObject | K8sObject[]) => (state: Parameters<NonNullable<PlatformCheckOptions['mutate']>>[0]) => ({
  ...state,
  units: state.units.map((u) => (u.name !== 'network-policies' ? u : { ...u, manifests: u.manifests.flatMap((m) => (m.metadata.name === name && m.metadata.namespace === namespace ? change(structuredClone(m)) : [m])) })),
});

describe('plinth plan and check on the compact platform', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir();
    expect((await runCli(['init', '--profile', 'compact'], dir)).code).toBe(0);
    const text = await readFile(join(dir, 'plinth.yaml'), 'utf8');
    expect(text).toBe(starterConfig('compact'));
    await writeFile(join(dir, 'plinth.yaml'), compactTestConfig());
  });

  it('init writes the compact starter; plan writes the repository, byte-identical on a second run', async () => {
    const first = await runCli(['plan', '--config', 'plinth.yaml', '--out', 'gitops'], dir);
    expect(first.code, first.stderr).toBe(0);
    const files = await readRepo(join(dir, 'gitops'));
    for (const unit of ['networking/metallb', 'networking/ingress-nginx', 'core/sealed-secrets', 'observability/opentelemetry-collector', 'security/network-policies', 'security/platform-access']) {
      expect([...files.keys()].some((p) => p.startsWith(`platform/${unit}/`)), unit).toBe(true);
    }
    for (const absent of ['cilium', 'platform-gateway', 'gateway-api-crds', 'trivy-operator', 'argo-workflows', 'jenkins', 'sonarqube']) {
      expect([...files.keys()].some((p) => p.includes(`/${absent}/`)), absent).toBe(false);
    }
    const again = await runCli(['plan', '--config', 'plinth.yaml', '--out', 'gitops'], dir);
    expect(again.stdout).toContain('(no change)');
    expect(await readRepo(join(dir, 'gitops'))).toEqual(files);
  });

  it('check exits 0 with every checker, the network one included, and the footprint per pool', async () => {
    const run = await runCli(['check', '--config', 'plinth.yaml'], dir);
    expect(run.code, run.stdout).toBe(0);
    for (const c of ['render', 'values', 'schema', 'graph', 'network', 'gitops', 'bootstrap', 'hygiene', 'footprint', 'policy']) expect(run.stdout).toMatch(new RegExp(`^${c}\\s+0\\s+0\\s+\\d+$`, 'm'));
    // The Flux chart's pre-install hook (flux check --pre) takes no priority class value: said, not hidden.
    expect(run.stdout).toMatch(new RegExp(`^budget\\s+0\\s+${COMPACT_TEST_ENGINE === 'flux' ? 1 : 0}\\s+\\d+$`, 'm'));
    // As edge: losing k3s-agent-0 strands Vault and Loki with their node-local volumes (tier 2).
    expect(run.stdout).toMatch(/^plan\s+0\s+2\s+\d+$/m);
    expect(run.stdout).toMatch(/^infra\s+1\s+\d+\s+\d+m \(\d+%\)\s+\d+Mi \(\d+%\)/m);
  });
});

describe('the compact platform, checked', () => {
  it('fits its node shape (3 x 2 vCPU / 4 GiB), and the red scenario keeps Prometheus and the GitOps engine', async () => {
    const { report, footprint } = await check();
    expect(errors(report.findings)).toEqual([]);
    expect(footprint!.map((f) => f.pool)).toEqual(['control-plane', 'infra', 'apps']);
    for (const f of footprint!) {
      expect(f.requests.memory, f.pool).toBeLessThanOrEqual(f.allocatable.memory);
      expect(f.requests.cpu, f.pool).toBeLessThanOrEqual(f.allocatable.cpu);
    }
    expect(report.findings.filter((f) => f.severity === 'warning').map((f) => [f.check, f.object?.name, f.message.split(': ')[0]])).toEqual([
      ...(COMPACT_TEST_ENGINE === 'flux' ? [['budget', 'flux-flux-check', 'Helm hook Job flux-flux-check runs without a PriorityClass (tier 1 would be plinth-tier-1-critical)']] : []),
      ['plan', 'loki', 'lost:k3s-agent-0 (k3s-agent-0 lost)'],
      ['plan', 'vault', 'lost:k3s-agent-0 (k3s-agent-0 lost)'],
    ]);
    // Red: every tier-1 workload of Prometheus and of the engine still runs (no error); StatefulSet moves are said as info.
    const red = report.findings.filter((f) => f.check === 'plan' && f.message.startsWith('red'));
    expect(red.filter((f) => f.severity === 'error')).toEqual([]);
    expect(red.map((f) => f.object?.name)).toContain('prometheus-kube-prometheus-stack-prometheus');
  });

  it('proves the connections the platform makes: every one is allowed, and each kind is there', async () => {
    const { report } = await check();
    expect(report.counts.network).toEqual({ error: 0, warning: 0, info: 0 });
    const policies = report.context!.state.units.find((u) => u.name === 'network-policies')!.manifests;
    expect(policies.filter((p) => p.metadata.name === 'default-deny-ingress').length).toBeGreaterThanOrEqual(10);
  });

  it('lists Grafana data sources for what compact has: Prometheus, Alertmanager and Loki, each a Service the platform renders', async () => {
    const { report } = await check();
    const kps = report.context!.renderedByUnit.get('kube-prometheus-stack')!;
    const cm = kps.find((o) => o.kind === 'ConfigMap' && o.metadata.labels?.grafana_datasource === '1')!;
    const sources = (parseYamlStream(Object.values(cm.data as Record<string, string>)[0]!)[0] as { datasources: { name: string; type: string; url: string }[] }).datasources;
    expect(sources.map((s) => s.type).sort()).toEqual(['alertmanager', 'loki', 'prometheus']);
    for (const s of sources) expect(serviceOf(report.context!.renderedByUnit, s.url), s.url).toBeDefined();
  });

  it('exports OTLP only to endpoints the platform serves: Service, namespace and port of the rendered charts', async () => {
    const { report } = await check();
    const rendered = report.context!.renderedByUnit;
    const relay = collectorConfig(rendered);
    const endpoints = Object.entries(relay.exporters).map(([name, e]) => [name, (e as { endpoint: string }).endpoint] as const);
    expect(endpoints.map(([n]) => n).sort()).toEqual(['otlphttp/loki', 'otlphttp/prometheus']);
    for (const [name, url] of endpoints) expect(serviceOf(rendered, url), `${name}: ${url}`).toBeDefined();
    // The same check refuses a URL nothing serves (a wrong port, a wrong Service).
    expect(serviceOf(rendered, 'http://loki.observability.svc:3101/otlp')).toBeUndefined();
    expect(serviceOf(rendered, 'http://tempo.observability.svc:4318')).toBeUndefined();
    // Traces have no store: the spans pipeline ends in the spanmetrics connector, whose RED metrics go to Prometheus.
    expect(relay.service.pipelines.traces.exporters).toEqual(['spanmetrics']);
    expect(relay.service.pipelines.metrics.receivers).toEqual(['otlp', 'spanmetrics']);
    expect(relay.service.pipelines.metrics.exporters).toEqual(['otlphttp/prometheus']);
    expect(relay.service.pipelines.logs.exporters).toEqual(['otlphttp/loki']);
    // Prometheus takes OTLP in.
    const prometheus = rendered.get('kube-prometheus-stack')!.find((o) => o.kind === 'Prometheus')!;
    expect((prometheus.spec as { enableOTLPReceiver?: boolean }).enableOTLPReceiver).toBe(true);
  });

  it('serves the platform through ingress-nginx: one Ingress of class nginx per endpoint, TLS by the default wildcard', async () => {
    const state = desiredState(parseConfig(compactTestConfig(), 'plinth.yaml'));
    const ingresses = state.units.flatMap((u) => u.manifests.filter((m) => m.kind === 'Ingress').map((m) => [u.name, m] as const));
    expect(ingresses.map(([u, m]) => `${u}: ${m.metadata.namespace}/${m.metadata.name}`).sort()).toEqual(['argocd: argocd/argocd', 'kube-prometheus-stack: observability/grafana', 'policy-reporter: policy-reporter/policy-reporter'].filter((x) => COMPACT_TEST_ENGINE === 'argocd' || !x.startsWith('argocd')));
    expect(state.units.flatMap((u) => u.manifests).some((m) => m.kind === 'HTTPRoute')).toBe(false);
    // Units with endpoints come after ingress-nginx, whose admission webhook checks every Ingress.
    const wave = (n: string) => state.units.find((u) => u.name === n)!.wave;
    expect(wave('kube-prometheus-stack')).toBeGreaterThan(wave('ingress-nginx'));
    const values = state.units.find((u) => u.name === 'ingress-nginx')!.values as { controller: { extraArgs: Record<string, string>; service: { annotations: Record<string, string> } } };
    expect(values.controller.extraArgs['default-ssl-certificate']).toBe(`ingress-nginx/${SHARED_REFS.wildcardSecret}`);
    expect(values.controller.service.annotations).toEqual({ 'metallb.io/address-pool': 'platform', 'metallb.io/loadBalancerIPs': '192.168.1.240' });
  });
});

describe('seeded faults of the compact platform', () => {
  it('a NetworkPolicy that blocks a declared connection (Fluent Bit to Loki)', async () => {
    const { report } = await check(compactTestConfig(), {
      mutate: policyChanged('allow-loki', 'observability', (p) => {
        const rule = (p.spec as { ingress: { from?: { podSelector?: { matchLabels?: Record<string, string> } }[] }[] }).ingress[0]!;
        rule.from = rule.from!.filter((f) => f.podSelector?.matchLabels?.['app.kubernetes.io/name'] !== 'fluent-bit');
        return p;
      }),
    });
    expect(errors(report.findings)).toEqual([
      {
        check: 'network',
        severity: 'error',
        object: { apiVersion: 'apps/v1', kind: 'StatefulSet', namespace: 'observability', name: 'loki' },
        source: { component: 'fluent-bit' },
        path: 'network.connections[0]',
        message: 'fluent-bit/fluent-bit cannot reach StatefulSet observability/loki on port 3100/TCP (Service observability/loki:3100, pushes the container logs): the ingress NetworkPolicies of namespace observability refuse it (allow-loki, default-deny-ingress)',
        hint: 'a NetworkPolicy changed by hand or by a chart blocks what the component declares: regenerate with `plinth plan`, or fix the policy',
      },
    ]);
  });

  it('an egress deny in the client\'s namespace blocks what the target allows', async () => {
    const egressDeny: K8sObject = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny-egress', namespace: 'external-secrets' }, spec: { podSelector: {}, policyTypes: ['Egress'] } };
    const { report } = await check(compactTestConfig(), { mutate: policyChanged('default-deny-ingress', 'external-secrets', (p) => [p, egressDeny]) });
    expect(errors(report.findings).map((f) => f.message)).toEqual([
      'external-secrets/external-secrets cannot reach StatefulSet vault/vault on port 8200/TCP (Service vault/vault:8200, reads platform secrets from Vault (the ClusterSecretStore)): the egress NetworkPolicies of namespace external-secrets refuse it (deny-egress)',
    ]);
  });

  it('a connection the platform makes that no component declares (a scrape nobody declared)', async () => {
    const catalog = CATALOG.map((c) => (c.name !== 'sealed-secrets' ? c : { ...c, build: (ctx: Parameters<Component['build']>[0]) => ({ ...c.build(ctx), network: { ...c.build(ctx).network, scraped: [] } }) }));
    const { report } = await check(compactTestConfig(), { catalog });
    expect(errors(report.findings)).toEqual([
      expect.objectContaining({
        check: 'network',
        object: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: SEALED_SECRETS_CONTROLLER.namespace, name: 'sealed-secrets-controller' },
        message: expect.stringMatching(/^kube-prometheus-stack\/prometheus-kube-prometheus-stack-prometheus cannot reach Deployment sealed-secrets\/sealed-secrets-controller on port 8081\/TCP \(Service sealed-secrets\/sealed-secrets-controller-metrics:metrics, scraped by Prometheus \(ServiceMonitor sealed-secrets\/sealed-secrets-controller\)\)/),
        hint: "the platform makes this connection, so a component must declare it (its `network`: connections, scraped or inbound) for Plinth's NetworkPolicies to allow it",
      }),
    ]);
  });

  it('a component with pods behind the default deny and no network declaration at all', async () => {
    const catalog = CATALOG.map((c) => (c.name !== 'opentelemetry-collector' ? c : { ...c, build: (ctx: Parameters<Component['build']>[0]) => ({ ...c.build(ctx), network: undefined }) }));
    const { report } = await check(compactTestConfig(), { catalog });
    expect(errors(report.findings)).toContainEqual(
      expect.objectContaining({
        check: 'network',
        source: { component: 'opentelemetry-collector' },
        path: 'network',
        message: 'opentelemetry-collector declares no network, but its pods (Deployment observability/opentelemetry-collector) run where NetworkPolicies deny ingress by default: nothing could reach them',
      }),
    );
  });

  it('an Ingress synced before the ingress-nginx webhook that admits it', async () => {
    const ingress: K8sObject = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'early', namespace: 'metallb-system' },
      spec: { rules: [{ host: 'early.idp.local', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'metallb-webhook-service', port: { number: 443 } } } }] } }] },
    };
    const { report } = await check(compactTestConfig(), { mutate: (state) => ({ ...state, units: state.units.map((u) => (u.name === 'metallb' ? { ...u, manifests: [...u.manifests, ingress] } : u)) }) });
    expect(errors(report.findings)).toContainEqual({
      check: 'graph',
      severity: 'error',
      object: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', namespace: 'metallb-system', name: 'early' },
      source: { component: 'metallb' },
      path: 'apiVersion',
      message: 'Ingress is admitted by webhook validate.nginx.ingress.kubernetes.io of ingress-nginx, which is not running before it',
      hint: 'metallb must depend on ingress-nginx',
    });
  });

  it("MetalLB's address pool applied with the chart, before its webhook runs", async () => {
    const { report } = await check(compactTestConfig(), {
      mutate: (state) => ({
        ...state,
        units: state.units.map((u) => (u.name !== 'metallb' ? u : { ...u, manifests: u.manifests.map((m) => (m.kind === 'IPAddressPool' ? { ...m, metadata: { ...m.metadata, annotations: {} } } : m)) })),
      }),
    });
    expect(errors(report.findings)).toContainEqual(
      expect.objectContaining({
        check: 'graph',
        object: { apiVersion: 'metallb.io/v1beta1', kind: 'IPAddressPool', namespace: 'metallb-system', name: 'platform' },
        message: 'IPAddressPool is admitted by webhook ipaddresspoolvalidationwebhook.metallb.io of metallb, which is not running before it',
        hint: 'give the glue a later sync wave than the chart',
      }),
    );
  });

  it('a plaintext Secret in a tenant service, where a SealedSecret belongs: plinth seal it', async () => {
    const loaded = parseConfig(compactTestConfig(), 'plinth.yaml');
    const state = desiredState(loaded);
    const files = tenantServiceFiles(state.platform, SHARED_REFS, { url: loaded.config.gitops.repo.url, branch: 'main' }, { team: 'team-a', name: 'cart', image: 'ghcr.io/team-a/cart:1.4.2', port: 8080 });
    const path = 'apps/team-a/cart/manifests/cart.yaml';
    const objects = parseYamlStream(files.get(path)!) as K8sObject[];
    files.set(path, toYamlStream([...objects, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'cart-db', namespace: 'team-a' }, stringData: { password: 'not-a-real-one' } }]));
    const { report } = await check(compactTestConfig(), { repoFiles: files });
    expect(errors(report.findings)).toEqual([
      {
        check: 'hygiene',
        severity: 'error',
        object: { apiVersion: 'v1', kind: 'Secret', namespace: 'team-a', name: 'cart-db' },
        source: { component: 'team-a/cart' },
        path: 'stringData',
        message: 'a Secret with its data is committed to Git',
        hint: 'seal it with `plinth seal ...` (the Sealed Secrets controller of namespace sealed-secrets decrypts it) and commit the SealedSecret in its place; or, if it need not be in Git, store it in Vault and create the Secret with an ExternalSecret',
      },
    ]);
    // The tenant's route is an Ingress of class nginx, and the check finds nothing else wrong with the service.
    expect(objects.find((o) => o.kind === 'Ingress')).toMatchObject({ spec: { ingressClassName: 'nginx' } });
  });

  it("a tenant's SealedSecret on a platform without the controller, naming the secrets choice", async () => {
    const text = compactEdited('components: {}', 'secrets:\n  provider: vault\ncomponents: {}');
    const loaded = parseConfig(text, 'plinth.yaml');
    const state = desiredState(loaded);
    const files = tenantServiceFiles(state.platform, SHARED_REFS, { url: loaded.config.gitops.repo.url, branch: 'main' }, { team: 'team-a', name: 'cart', image: 'ghcr.io/team-a/cart:1.4.2', port: 8080, expose: false });
    const path = 'apps/team-a/cart/manifests/cart.yaml';
    const sealed: K8sObject = { apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', metadata: { name: 'cart-db', namespace: 'team-a' }, spec: { encryptedData: { password: 'AgBy3i4OJSWK+PiTySYZZA==' } } };
    files.set(path, toYamlStream([...(parseYamlStream(files.get(path)!) as K8sObject[]), sealed]));
    const { report } = await check(text, { repoFiles: files });
    expect(errors(report.findings)).toContainEqual({
      check: 'hygiene',
      severity: 'error',
      object: { apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', namespace: 'team-a', name: 'cart-db' },
      source: { component: 'team-a/cart' },
      path: 'kind',
      message: 'a SealedSecret needs the Sealed Secrets controller, but secrets.provider is vault: nothing would unseal it',
      hint: 'set secrets.provider: sealed-secrets or both, or create the Secret from Vault with an ExternalSecret instead',
    });
  });
});

/** The collector's own configuration, as the chart renders it. */
function collectorConfig(rendered: ReadonlyMap<string, readonly K8sObject[]>) {
  const cm = rendered.get('opentelemetry-collector')!.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'opentelemetry-collector')!;
  return parseYamlStream((cm.data as { relay: string }).relay)[0] as {
    exporters: Record<string, unknown>;
    service: { pipelines: Record<string, { receivers: string[]; exporters: string[] }> };
  };
}

/** The rendered Service an in-cluster URL (`http://<service>.<namespace>[.svc]:<port>/...`) reaches, with that port. */
function serviceOf(rendered: ReadonlyMap<string, readonly K8sObject[]>, url: string): K8sObject | undefined {
  const u = new URL(url);
  const [name, namespace] = u.hostname.split('.');
  const port = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
  return [...rendered.values()]
    .flat()
    .find((o) => o.kind === 'Service' && o.metadata.name === name && o.metadata.namespace === namespace && ((o.spec as { ports?: { port: number }[] }).ports ?? []).some((p) => p.port === port));
}
