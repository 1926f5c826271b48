/**
 * The lab profile (seed 004) end to end, as the charts render it: the mesh
 * (Istio behind the Gateway API, Cilium set up for sidecars, mTLS in the
 * tenants' namespaces), the life of a request (collector, Grafana's data
 * sources and correlations, the dashboard), runtime security, the pipeline
 * in the platform repository, the canary analysis and the daily backup.
 */
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import YAML from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { CANARY_ANALYSIS, ERROR_RATE_QUERY, P95_LATENCY_QUERY } from '../src/catalog/components/argo-rollouts.js';
import { SHELL_RULE } from '../src/catalog/components/falco.js';
import { CI_CREDENTIALS, JENKINSFILE, PIPELINE_JOB } from '../src/catalog/profiles/lab-pipeline.js';
import { isReadByChart } from '../src/checks/values.js';
import { ISTIO_LABELS, ISTIO_SERIES, SCRAPE_LABELS } from '../src/checks/wiring/istio-metrics.js';
import { queryUses } from '../src/checks/wiring/promql.js';
import { parseConfig } from '../src/config/load.js';
import { starterConfig } from '../src/config/starter.js';
import { desiredState, type DesiredState } from '../src/desired/index.js';
import { routeFor } from '../src/desired/routes.js';
import { SHARED_REFS } from '../src/desired/refs.js';
import { chartFile, renderUnit, servedApiVersions } from '../src/helm/index.js';
import { loadChartModel } from '../src/helm/chart-model.js';
import type { K8sObject } from '../src/model/k8s.js';
import { synthesize } from '../src/synth/index.js';
import { helmSetup, type HelmSetup } from './support/charts.js';
import { runCli, tempDir } from './support/cli.js';

const LAB = starterConfig('lab');
const state: DesiredState = desiredState(parseConfig(LAB, 'plinth.yaml'));
const unit = (name: string) => state.units.find((u) => u.name === name)!;

let setup: HelmSetup;
beforeAll(async () => {
  setup = await helmSetup();
});

async function rendered(name: string): Promise<K8sObject[]> {
  return (await renderUnit(unit(name), { helm: setup.helm, cache: setup.cache, apiVersions: servedApiVersions(state.units) })).chartObjects;
}
const configMapData = (objects: K8sObject[], name: string) => (objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === name)!.data ?? {}) as Record<string, string>;

describe('the lab profile', () => {
  it('plans offline from `plinth init --profile lab`, with every component of seed 004', async () => {
    const dir = await tempDir();
    expect((await runCli(['init', '--profile', 'lab'], dir)).code).toBe(0);
    const plan = await runCli(['plan'], dir);
    expect(plan.code, plan.stderr).toBe(0);
    expect(existsSync(join(dir, 'gitops', JENKINSFILE.repoPath))).toBe(true);
    const names = state.units.map((u) => u.name);
    for (const c of ['cilium', 'istio-base', 'istiod', 'istio-gateway', 'kiali', 'opentelemetry-collector', 'tempo', 'thanos', 'pyroscope', 'loki', 'fluent-bit', 'kube-prometheus-stack', 'minio', 'velero', 'falco', 'kyverno', 'trivy-operator', 'external-secrets', 'vault', 'jenkins', 'argocd', 'argo-rollouts']) {
      expect(names, c).toContain(c);
    }
    expect(names).not.toContain('platform-gateway');
    expect(names).not.toContain('sonarqube');
  });

  it('refuses istio without load balancer addresses for its gateway Service', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'plinth.yaml'), LAB.replace(/  loadBalancer:\n    addresses: \[[^\]]*\]\n/, ''));
    const plan = await runCli(['plan'], dir);
    expect(plan.code).toBe(2);
    expect(plan.stderr).toContain('ingress.loadBalancer.addresses');
    expect(plan.stderr).toContain('is istio, whose ingress gateway is a LoadBalancer Service that gets an address from this pool');
  });
});

describe('the mesh', () => {
  it('routes every UI through the Istio Gateway, as HTTPRoutes on the platform Gateway', () => {
    const route = routeFor(state.platform, SHARED_REFS, 'istio-system', { name: 'kiali', title: 'Kiali', host: 'kiali.lab.local', service: 'kiali', port: 20001 })!;
    expect(route).toMatchObject({ kind: 'HTTPRoute', spec: { parentRefs: [{ kind: 'Gateway', name: 'platform', namespace: 'gateway', sectionName: 'https' }], hostnames: ['kiali.lab.local'] } });
    expect(unit('kiali').manifests).toContainEqual(expect.objectContaining({ kind: 'HTTPRoute', metadata: { name: 'kiali', namespace: 'istio-system' } }));
    const gateway = unit('istio-gateway').manifests.find((m) => m.kind === 'Gateway')!;
    expect(gateway.spec).toMatchObject({ gatewayClassName: 'istio', addresses: [{ type: 'Hostname', value: 'istio-gateway.gateway.svc.cluster.local' }] });
  });

  it('binds the Gateway to the Service the gateway chart renders, on the ports the Service serves', async () => {
    const objects = await rendered('istio-gateway');
    const svc = objects.find((o) => o.kind === 'Service' && o.metadata.name === 'istio-gateway')!;
    const spec = svc.spec as { type: string; ports: { port: number }[]; selector: Record<string, string> };
    expect(spec.type).toBe('LoadBalancer');
    expect(spec.ports.map((p) => p.port)).toEqual(expect.arrayContaining([80, 443]));
    const listeners = (unit('istio-gateway').manifests.find((m) => m.kind === 'Gateway')!.spec as { listeners: { port: number }[] }).listeners;
    for (const l of listeners) expect(spec.ports.map((p) => p.port)).toContain(l.port);
    // Cilium's LB IPAM pool and L2 policy select that Service.
    const pool = unit('istio-gateway').manifests.find((m) => m.kind === 'CiliumLoadBalancerIPPool')!;
    expect(pool.spec).toEqual({ blocks: [{ start: '192.168.1.240', stop: '192.168.1.245' }], serviceSelector: { matchLabels: spec.selector } });
  });

  it('sets up Cilium for sidecars: socket load balancing in the host namespace only, its own Gateway API off, L2 announcements on', async () => {
    const config = configMapData(await rendered('cilium'), 'cilium-config');
    expect(config['bpf-lb-sock-hostns-only']).toBe('true');
    expect(config['enable-gateway-api']).toBeUndefined();
    expect(config['enable-l2-announcements']).toBe('true');
    expect(config['kube-proxy-replacement']).toBe('true');
  });

  it('puts the team namespaces in the mesh with mTLS required, and leaves platform namespaces out', () => {
    const namespaces = unit('platform-base').manifests.filter((m) => m.kind === 'Namespace');
    expect(namespaces.find((n) => n.metadata.name === 'team-a')!.metadata.labels).toMatchObject({ 'istio-injection': 'enabled' });
    for (const n of namespaces.filter((x) => x.metadata.name !== 'team-a')) expect(n.metadata.labels?.['istio-injection'], n.metadata.name).toBeUndefined();
    expect(unit('istiod').manifests).toContainEqual(expect.objectContaining({ kind: 'PeerAuthentication', metadata: { name: 'default', namespace: 'team-a' }, spec: { mtls: { mode: 'STRICT' } } }));
  });

  it("reads Istio's values where its charts really take them (the defaults under _internal_defaults_do_not_set)", async () => {
    const model = await loadChartModel(chartFile(setup.cache, unit('istiod').chart!));
    expect(isReadByChart(model, ['global', 'proxy', 'resources', 'limits', 'memory'])).toBe(true);
    expect(isReadByChart(model, ['meshConfig', 'extensionProviders'])).toBe(true);
    expect(isReadByChart(model, ['global', 'proxyy'])).toBe(false);
    // Spans go to the collector: the mesh config rendered by the chart names it.
    const mesh = YAML.parse(configMapData(await rendered('istiod'), 'istio').mesh!) as { extensionProviders: unknown[]; accessLogFile: string };
    expect(mesh.extensionProviders).toEqual([{ name: 'otel-tracing', opentelemetry: { service: 'opentelemetry-collector.observability.svc.cluster.local', port: 4317 } }]);
    expect(mesh.accessLogFile).toBe('/dev/stdout');
  });
});

describe('the life of a request', () => {
  it('ships traces to Tempo and metrics to Prometheus from the collector', async () => {
    const relay = YAML.parse(configMapData(await rendered('opentelemetry-collector'), 'opentelemetry-collector').relay!) as { exporters: Record<string, { endpoint: string }>; service: { pipelines: Record<string, { exporters: string[] }> }; receivers: Record<string, unknown> };
    expect(relay.service.pipelines.traces!.exporters).toEqual(['otlp/tempo']);
    expect(relay.service.pipelines.metrics!.exporters).toEqual(['otlphttp/prometheus']);
    expect(relay.exporters['otlp/tempo']!.endpoint).toBe('tempo.observability.svc:4317');
    expect(relay.exporters['otlphttp/prometheus']!.endpoint).toBe('http://kube-prometheus-stack-prometheus.observability.svc:9090/api/v1/otlp');
    expect(Object.keys(relay.receivers)).toEqual(['otlp']);
  });

  it("gives Grafana every data source and the seed's correlations, as the chart renders them", async () => {
    const doc = YAML.parse(configMapData(await rendered('kube-prometheus-stack'), 'kube-prometheus-stack-grafana-datasource')['datasource.yaml']!) as { datasources: { uid: string; type: string; jsonData?: Record<string, unknown> }[] };
    const byUid = new Map(doc.datasources.map((d) => [d.uid, d]));
    expect([...byUid.keys()].sort()).toEqual(['alertmanager', 'loki', 'prometheus', 'pyroscope', 'tempo', 'thanos']);
    // exemplar -> trace
    expect(byUid.get('prometheus')!.jsonData!.exemplarTraceIdDestinations).toEqual([{ datasourceUid: 'tempo', name: 'trace_id', urlDisplayLabel: 'Trace' }]);
    const tempo = byUid.get('tempo')!.jsonData as Record<string, { datasourceUid: string; filterByTraceID?: boolean }>;
    // trace -> logs (by trace ID), trace -> metrics, trace -> profile
    expect(tempo.tracesToLogsV2).toMatchObject({ datasourceUid: 'loki', filterByTraceID: true });
    expect(tempo.tracesToMetrics!.datasourceUid).toBe('prometheus');
    expect(tempo.tracesToProfiles).toMatchObject({ datasourceUid: 'pyroscope' });
    // log line -> trace; `$$` keeps Grafana's provisioning from expanding ${...} as an environment variable.
    expect((byUid.get('loki')!.jsonData!.derivedFields as { datasourceUid: string; url: string }[])[0]).toMatchObject({ datasourceUid: 'tempo', url: '$${__value.raw}' });
  });

  it('has a dashboard of the flow, querying only provisioned data sources and Istio metrics that exist', () => {
    const cm = unit('kube-prometheus-stack').manifests.find((m) => m.metadata.name === 'plinth-life-of-a-request')!;
    const json = JSON.parse((cm.data as Record<string, string>)['plinth-life-of-a-request.json']!) as { panels: { type: string; title: string; targets?: { datasource: { uid: string }; expr?: string; exemplar?: boolean }[] }[] };
    const targets = json.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p, t })));
    for (const { t } of targets) expect(['prometheus', 'loki', 'tempo', 'pyroscope']).toContain(t.datasource.uid);
    expect(json.panels.filter((p) => p.targets?.some((t) => t.exemplar)).map((p) => p.title)).toEqual(['Latency p95 at the gateway (click an exemplar for its trace)', 'Latency p95 by service (click an exemplar for its trace)']);
    expect(json.panels.map((p) => p.type)).toEqual(expect.arrayContaining(['timeseries', 'table', 'logs', 'flamegraph']));
    for (const { t } of targets.filter((x) => x.t.datasource.uid === 'prometheus' && x.t.expr?.includes('istio_'))) {
      for (const m of queryUses(t.expr!).metrics) expect(ISTIO_SERIES).toContain(m.metric);
    }
  });
});

describe('delivery', () => {
  it("the canary analysis queries Istio's standard metrics and labels only", () => {
    for (const q of [ERROR_RATE_QUERY, P95_LATENCY_QUERY]) {
      const uses = queryUses(q);
      expect(uses.metrics.length).toBeGreaterThan(0);
      for (const m of uses.metrics) {
        expect(ISTIO_SERIES).toContain(m.metric);
        for (const l of [...m.labels, ...uses.groupingLabels]) expect([...ISTIO_LABELS, ...SCRAPE_LABELS, 'le']).toContain(l);
      }
    }
    const template = unit('argo-rollouts').manifests.find((m) => m.kind === 'ClusterAnalysisTemplate')!;
    expect(template.metadata.name).toBe(CANARY_ANALYSIS.name);
    expect((template.spec as { args: { name: string }[] }).args.map((a) => a.name)).toEqual(['service', 'namespace']);
  });

  it('ships the Jenkinsfile in the platform repository, run by a job defined as code: scan, build, scan, push, bump', () => {
    const files = synthesize(state);
    const jenkinsfile = files.get(JENKINSFILE.repoPath)!;
    const order = ["trivy fs", 'type=oci', 'trivy image', 'push=true', 'git -c credential.helper="$helper" push'].map((s) => jenkinsfile.indexOf(s));
    for (const i of order) expect(i).toBeGreaterThan(0);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const values = YAML.parse(files.get('platform/cicd/jenkins/values.yaml')!) as { controller: { JCasC: { configScripts: Record<string, string> }; additionalExistingSecrets: { name: string; keyName: string }[] } };
    const casc = values.controller.JCasC.configScripts;
    expect(casc['golden-path-job']).toContain(`pipelineJob('${PIPELINE_JOB}')`);
    expect(casc['golden-path-job']).toContain(`scriptPath('${JENKINSFILE.repoPath}')`);
    // Every credential the Jenkinsfile uses is declared by JCasC, from keys of the mounted Secret, which an ExternalSecret fills from Vault.
    for (const id of [...jenkinsfile.matchAll(/credentialsId: '([^']+)'/g)].map((m) => m[1]!)) expect(casc['ci-credentials']).toContain(`id: ${id}`);
    const mounted = values.controller.additionalExistingSecrets.map((s) => `${s.name}-${s.keyName}`);
    for (const v of [...casc['ci-credentials']!.matchAll(/\$\{([^}]+)\}/g)].map((m) => m[1]!)) expect(mounted).toContain(v);
    const es = unit('jenkins').manifests.find((m) => m.kind === 'ExternalSecret' && m.metadata.name === 'jenkins-ci')!;
    expect((es.spec as { data: { secretKey: string }[] }).data.map((d) => d.secretKey).sort()).toEqual(Object.values(CI_CREDENTIALS).flatMap((c) => [c.username, c.password]).sort());
    expect(unit('jenkins').secrets.map((s) => s.path)).toContain('platform/jenkins/ci');
  });
});

describe('security and recovery', () => {
  it('runs Falco with the modern eBPF probe and the shell-in-container rule, its matches counted for an alert', async () => {
    const objects = await rendered('falco');
    const falcoYaml = YAML.parse(configMapData(objects, 'falco')['falco.yaml']!) as { engine: { kind: string } };
    expect(falcoYaml.engine.kind).toBe('modern_ebpf');
    expect(configMapData(objects, 'falco-rules')['plinth-rules.yaml']).toContain(`- rule: ${SHELL_RULE}`);
    const rule = unit('falco').manifests.find((m) => m.kind === 'PrometheusRule')!;
    expect(JSON.stringify(rule.spec)).toContain(`falcosecurity_falco_rules_matches_total{rule_name=\\"${SHELL_RULE}\\"}`);
  });

  it('backs up the tenant namespaces and those of the platform that keep volumes, daily, with file-system backup to MinIO', async () => {
    const objects = await rendered('velero');
    const schedule = objects.find((o) => o.kind === 'Schedule')!;
    expect(schedule.metadata.name).toBe('velero-daily');
    expect(schedule.spec).toMatchObject({ schedule: '0 3 * * *', template: { defaultVolumesToFsBackup: true, snapshotVolumes: false, storageLocation: 'default' } });
    expect((schedule.spec as { template: { includedNamespaces: string[] } }).template.includedNamespaces).toEqual(['jenkins', 'observability', 'team-a', 'vault']);
    const bsl = objects.find((o) => o.kind === 'BackupStorageLocation')!;
    expect(bsl.spec).toMatchObject({ provider: 'aws', objectStorage: { bucket: 'velero' }, config: { s3Url: 'http://minio.minio.svc:9000', s3ForcePathStyle: 'true' } });
    expect(objects.some((o) => o.kind === 'DaemonSet' && o.metadata.name === 'node-agent')).toBe(true);
  });

  it('keeps every credential of the object store out of Git: ExternalSecret templates from Vault, no key in any file', () => {
    const files = synthesize(state);
    const texts = [...files.values()].join('\n');
    expect(texts).not.toMatch(/aws_secret_access_key=[^{]/);
    expect(texts).toContain('aws_secret_access_key={{ .secretKey }}');
    expect(readFileSync(new URL('./golden/lab/platform/storage/minio/values.yaml', import.meta.url), 'utf8')).not.toMatch(/secretKey:|rootPassword:/);
  });
});
