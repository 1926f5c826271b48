/**
 * The lab's flows (seed 004), each broken the way a platform engineer could
 * break it, and `plinth check` saying so at the object and path concerned:
 * a Grafana data source or correlation pointing nowhere, the collector
 * exporting to nothing, Thanos or Tempo writing to a bucket nothing creates
 * or with a Secret nothing produces, an analysis querying a metric the mesh
 * does not produce, a backup covering no volume. And the lab as it ships
 * passes them all.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding, FindingObject } from '../src/checks/finding.js';
import { checkPlatform, type PlatformCheckOptions } from '../src/checks/platform.js';
import { rolloutCanaryStrategy } from '../src/catalog/components/argo-rollouts.js';
import { parseConfig } from '../src/config/load.js';
import { starterConfig } from '../src/config/starter.js';
import type { DesiredState } from '../src/desired/state.js';
import { RenderCache } from '../src/helm/index.js';
import type { Values } from '../src/lib/values.js';
import { toJson, toYamlStream } from '../src/lib/yaml.js';
import type { K8sObject } from '../src/model/k8s.js';
import type { Unit } from '../src/model/unit.js';
import { checkJson } from '../src/report/check-json.js';
import { checkText } from '../src/report/check-text.js';
import { helmSetup, type HelmSetup } from './support/charts.js';

let setup: HelmSetup;
const renderCache = new RenderCache();
beforeAll(async () => {
  setup = await helmSetup();
});

const LAB = starterConfig('lab');
const withComponents = (yaml: string) => LAB.replace('components: {}', yaml);

async function check(opts: { config?: string } & Partial<PlatformCheckOptions> = {}) {
  const { config, ...rest } = opts;
  return checkPlatform(parseConfig(config ?? LAB, 'plinth.yaml'), { helm: setup.helm, cache: setup.cache, renderCache, ...rest });
}

/** A copy of the state with one unit changed. */
const changeUnit = (name: string, change: (u: Unit) => Unit) => (state: DesiredState): DesiredState => ({ ...state, units: state.units.map((u) => (u.name === name ? change(structuredClone(u)) : u)) });

/** The one finding of a checker whose message matches, in the text and JSON outputs too. */
type Expected = Omit<Partial<Finding>, 'message' | 'object' | 'path' | 'hint'> & { message: RegExp; object?: Partial<FindingObject>; path?: unknown; hint?: unknown };

async function expectFinding(opts: Parameters<typeof check>[0], expected: Expected): Promise<Finding> {
  const { report, footprint, policy } = await check(opts);
  const { message, ...rest } = expected;
  const found = report.findings.filter((f) => f.check === rest.check && message.test(f.message));
  expect(found, report.findings.filter((f) => f.check === rest.check).map((f) => f.message).join('\n') || `no ${rest.check} finding`).toHaveLength(1);
  expect(found[0]).toMatchObject(rest);
  expect(checkText(report, footprint, policy)).toContain(found[0]!.message);
  expect(JSON.parse(checkJson(report, footprint)).findings).toContainEqual(expect.objectContaining({ checker: found[0]!.check, message: found[0]!.message }));
  return found[0]!;
}

const dataSources = (u: Unit) => (u.values.grafana as { additionalDataSources: Values[] }).additionalDataSources;

describe('the lab platform', () => {
  it('passes plan and check: no error, no wiring finding', async () => {
    const { report, footprint } = await check();
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(report.findings.filter((f) => f.check === 'wiring')).toEqual([]);
    expect(report.checkers).toContain('wiring');
    // Every pool's requests fit (the footprint checker would say otherwise).
    for (const row of footprint!) expect(row.requests.memory).toBeLessThan(row.allocatable.memory);
  });
});

describe('wiring: endpoints', () => {
  it.each([
    ['a port Tempo does not serve', 'http://tempo.observability.svc:3100', /Service observability\/tempo does not serve port 3100 \(its ports: .*3200 \(tempo-prom-metrics\)/],
    ['a namespace Tempo is not in', 'http://tempo.monitoring.svc:3200', /no Service monitoring\/tempo is rendered \(there is observability\/tempo\)/],
    ['a Service no chart renders', 'http://tempo-query.observability.svc:3200', /no Service observability\/tempo-query is rendered/],
  ])('a Grafana data source pointing at %s', async (_what, url, why) => {
    const mutate = changeUnit('kube-prometheus-stack', (u) => {
      for (const d of dataSources(u)) if (d.uid === 'tempo') d.url = url;
      return u;
    });
    const f = await expectFinding(
      { mutate },
      { check: 'wiring', severity: 'error', source: { component: 'kube-prometheus-stack' }, object: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'observability', name: 'kube-prometheus-stack-grafana-datasource' }, message: new RegExp(`^Grafana data source Tempo points at ${url.replace(/[.:/]/g, '\\$&')}, but `) },
    );
    expect(f.message).toMatch(why);
    expect(f.path).toMatch(/^data\["datasource\.yaml"\]\.datasources\[\d+\]\.url$/);
  });

  it('the default Prometheus data source, moved by a values override', async () => {
    await expectFinding(
      { config: withComponents('components:\n  kube-prometheus-stack:\n    values:\n      grafana:\n        sidecar:\n          datasources:\n            url: http://prometheus-operated.monitoring:9090/') },
      { check: 'wiring', severity: 'error', message: /^Grafana data source Prometheus points at http:\/\/prometheus-operated\.monitoring:9090\/, but no Service monitoring\/prometheus-operated is rendered/ },
    );
  });

  it('a correlation (trace to profile) to a data source that is not provisioned', async () => {
    const mutate = changeUnit('kube-prometheus-stack', (u) => {
      for (const d of dataSources(u)) if (d.uid === 'tempo') (d.jsonData as { tracesToProfiles: { datasourceUid: string } }).tracesToProfiles.datasourceUid = 'pyroscop';
      return u;
    });
    await expectFinding(
      { mutate },
      { check: 'wiring', severity: 'error', path: expect.stringMatching(/\.jsonData\.tracesToProfiles\.datasourceUid$/), message: /^Grafana data source Tempo links to data source uid pyroscop, which is not provisioned/, hint: 'did you mean pyroscope?' },
    );
  });

  it('an exemplar link to a data source that is not provisioned', async () => {
    await expectFinding(
      { config: withComponents('components:\n  kube-prometheus-stack:\n    values:\n      grafana:\n        sidecar:\n          datasources:\n            exemplarTraceIdDestinations:\n              datasourceUid: jaeger') },
      { check: 'wiring', severity: 'error', message: /^Grafana data source Prometheus links to data source uid jaeger, which is not provisioned/ },
    );
  });

  it('the OpenTelemetry Collector exporting traces to an endpoint nothing serves', async () => {
    await expectFinding(
      { config: withComponents('components:\n  opentelemetry-collector:\n    values:\n      config:\n        exporters:\n          otlp/tempo:\n            endpoint: tempo-distributor.observability.svc:4317') },
      {
        check: 'wiring',
        severity: 'error',
        source: { component: 'opentelemetry-collector' },
        object: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'observability', name: 'opentelemetry-collector' },
        path: 'data.relay.exporters["otlp/tempo"].endpoint',
        message: /^OpenTelemetry Collector exporter otlp\/tempo points at tempo-distributor\.observability\.svc:4317, but no Service observability\/tempo-distributor is rendered$/,
      },
    );
  });

  it("the mesh's spans sent to a collector port nothing serves", async () => {
    const mutate = changeUnit('istiod', (u) => {
      (u.values.meshConfig as { extensionProviders: { opentelemetry: { port: number } }[] }).extensionProviders[0]!.opentelemetry.port = 4319;
      return u;
    });
    await expectFinding(
      { mutate },
      { check: 'wiring', severity: 'error', source: { component: 'istiod' }, object: { kind: 'ConfigMap', name: 'istio', namespace: 'istio-system' }, message: /^Istio extension provider otel-tracing \(opentelemetry\) points at opentelemetry-collector\.observability\.svc\.cluster\.local:4319, but Service observability\/opentelemetry-collector does not serve port 4319/ },
    );
  });
});

describe('wiring: buckets and their credentials', () => {
  it('Tempo writing to a bucket nothing creates', async () => {
    await expectFinding(
      { config: withComponents('components:\n  tempo:\n    values:\n      tempo:\n        storage:\n          trace:\n            s3:\n              bucket: traces') },
      { check: 'wiring', severity: 'error', source: { component: 'tempo' }, object: { kind: 'ConfigMap', name: 'tempo' }, message: /^Tempo writes to bucket traces, which nothing creates \(MinIO's job makes tempo, thanos, velero\)$/ },
    );
  });

  it('Thanos writing to a bucket nothing creates', async () => {
    const mutate = changeUnit('kube-prometheus-stack', (u) => {
      const es = u.manifests.find((m) => m.kind === 'ExternalSecret' && m.metadata.name === 'thanos-objstore')!;
      const data = (es.spec as { target: { template: { data: Record<string, string> } } }).target.template.data;
      data['objstore.yml'] = data['objstore.yml']!.replace('bucket: thanos', 'bucket: metrics');
      return u;
    });
    await expectFinding(
      { mutate },
      { check: 'wiring', severity: 'error', object: { kind: 'ExternalSecret', name: 'thanos-objstore', namespace: 'observability' }, message: /^the object store configuration thanos-objstore\/objstore\.yml writes to bucket metrics, which nothing creates/ },
    );
  });

  it("Prometheus's Thanos sidecar reading a Secret nothing produces", async () => {
    await expectFinding(
      { config: withComponents('components:\n  kube-prometheus-stack:\n    values:\n      prometheus:\n        prometheusSpec:\n          thanos:\n            objectStorageConfig:\n              existingSecret:\n                name: thanos-bucket') },
      { check: 'wiring', severity: 'error', object: { kind: 'Prometheus', name: 'kube-prometheus-stack-prometheus' }, path: 'spec.thanos.objectStorageConfig.name', message: /^Prometheus's Thanos sidecar reads Secret observability\/thanos-bucket, which nothing in the platform creates$/ },
    );
  });

  it('Tempo reading its keys from a Secret nothing produces (the pod would not start)', async () => {
    await expectFinding(
      { config: withComponents('components:\n  tempo:\n    values:\n      tempo:\n        extraEnvFrom:\n          - secretRef:\n              name: tempo-keys') },
      { check: 'graph', severity: 'error', object: { kind: 'StatefulSet', name: 'tempo' }, message: /^uses Secret observability\/tempo-keys, which nothing in the platform creates$/ },
    );
  });
});

describe('wiring: the canary analysis and the mesh', () => {
  const analysis = (change: (query: string) => string) =>
    changeUnit('argo-rollouts', (u) => {
      const t = u.manifests.find((m) => m.kind === 'ClusterAnalysisTemplate')!;
      const metrics = (t.spec as { metrics: { provider: { prometheus: { query: string } } }[] }).metrics;
      metrics[0]!.provider.prometheus.query = change(metrics[0]!.provider.prometheus.query);
      return u;
    });

  it('a metric name Istio does not produce', async () => {
    await expectFinding(
      { mutate: analysis((q) => q.replaceAll('istio_requests_total', 'istio_request_total')) },
      { check: 'wiring', severity: 'error', object: { kind: 'ClusterAnalysisTemplate', name: 'istio-canary' }, path: 'spec.metrics[0].provider.prometheus.query', message: /^analysis metric error-rate queries istio_request_total, which Istio's telemetry does not produce$/, hint: expect.stringMatching(/^did you mean istio_requests_total\?/) },
    );
  });

  it('a label Istio does not put on its metrics', async () => {
    await expectFinding(
      { mutate: analysis((q) => q.replaceAll('destination_service_name=', 'destination_service_nam=')) },
      { check: 'wiring', severity: 'error', message: /^analysis metric error-rate selects istio_requests_total by label destination_service_nam, which Istio's metrics do not carry$/, hint: 'did you mean destination_service_name?' },
    );
  });

  it("Istio's Prometheus telemetry switched off", async () => {
    const f = await expectFinding(
      { config: withComponents('components:\n  istiod:\n    values:\n      telemetry:\n        v2:\n          prometheus:\n            enabled: false') },
      { check: 'wiring', severity: 'error', message: /^analysis metric error-rate queries istio_requests_total, but istiod's values switch Istio's telemetry off/ },
    );
    expect(f.source).toEqual({ component: 'argo-rollouts' });
  });

  it('no scrape of the proxies', async () => {
    await expectFinding(
      { mutate: changeUnit('istiod', (u) => ({ ...u, manifests: u.manifests.filter((m) => m.kind !== 'PodMonitor') })) },
      { check: 'wiring', severity: 'error', message: /^analysis metric error-rate queries istio_requests_total, but no PodMonitor or ServiceMonitor scrapes the proxies' Envoy stats/ },
    );
  });

  it("a tenant's own AnalysisTemplate, read from the repository", async () => {
    const template: K8sObject = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisTemplate',
      metadata: { name: 'latency', namespace: 'team-a' },
      spec: { metrics: [{ name: 'p99', provider: { prometheus: { address: 'http://kube-prometheus-stack-prometheus.observability.svc:9090', query: 'histogram_quantile(0.99, sum by (le) (rate(istio_request_duration_seconds_bucket{destination_service_name="web"}[5m])))' } } }] },
    };
    const repoFiles = new Map([
      ['apps/team-a/web/service.json', toJson({ name: 'web', team: 'team-a', project: 'team-a', namespace: 'team-a', sources: [{ repoURL: 'https://git.example.com/platform.git', targetRevision: 'main', path: 'apps/team-a/web/manifests' }] })],
      ['apps/team-a/web/manifests/web.yaml', toYamlStream([template])],
    ]);
    await expectFinding(
      { repoFiles },
      { check: 'wiring', severity: 'error', source: { component: 'team-a/web' }, object: { kind: 'AnalysisTemplate', name: 'latency', namespace: 'team-a' }, message: /^analysis metric p99 queries istio_request_duration_seconds_bucket, which Istio's telemetry does not produce$/, hint: expect.stringMatching(/^did you mean istio_request_duration_milliseconds_bucket\?/) },
    );
  });

  it('the analysis asking a Prometheus that is not there', async () => {
    const mutate = changeUnit('argo-rollouts', (u) => {
      const t = u.manifests.find((m) => m.kind === 'ClusterAnalysisTemplate')!;
      for (const m of (t.spec as { metrics: { provider: { prometheus: { address: string } } }[] }).metrics) m.provider.prometheus.address = 'http://prometheus.observability.svc:9090';
      return u;
    });
    const { report } = await check({ mutate });
    const found = report.findings.filter((f) => f.check === 'wiring' && /^analysis metric (error-rate|p95-latency) points at http:\/\/prometheus\.observability\.svc:9090, but no Service observability\/prometheus is rendered/.test(f.message));
    expect(found.map((f) => f.path)).toEqual(['spec.metrics[0].provider.prometheus.address', 'spec.metrics[1].provider.prometheus.address']);
  });
});

describe('wiring: backups', () => {
  it('a Schedule covering no namespace that holds a volume', async () => {
    const f = await expectFinding(
      { config: withComponents('components:\n  velero:\n    values:\n      schedules:\n        daily:\n          template:\n            includedNamespaces: [argocd, istio-system]') },
      { check: 'wiring', severity: 'error', source: { component: 'velero' }, object: { apiVersion: 'velero.io/v1', kind: 'Schedule', namespace: 'velero', name: 'velero-daily' }, path: 'spec.template.includedNamespaces', message: /^Schedule velero\/velero-daily backs up \[argocd, istio-system\], none of which holds a volume: its backups carry no volume data$/ },
    );
    expect(f.hint).toMatch(/namespaces whose workloads keep volumes: .*jenkins.*observability.*vault/);
  });

  it('a Schedule that copies no volume data', async () => {
    await expectFinding(
      { config: withComponents('components:\n  velero:\n    values:\n      schedules:\n        daily:\n          template:\n            defaultVolumesToFsBackup: false') },
      { check: 'wiring', severity: 'error', message: /^Schedule velero\/velero-daily covers the volumes of \[.*vault\] but copies none of their data/ },
    );
  });

  it('a Schedule writing to a backup location that does not exist', async () => {
    await expectFinding(
      { config: withComponents('components:\n  velero:\n    values:\n      schedules:\n        daily:\n          template:\n            storageLocation: minio') },
      { check: 'wiring', severity: 'error', path: 'spec.template.storageLocation', message: /^Schedule velero\/velero-daily writes to backup location minio, which is not rendered \(locations: velero\/default\)$/ },
    );
  });
});

describe('wiring: tenant Rollouts and the platform analysis', () => {
  /** A tenant service as the lab's golden path writes it: a Rollout with the platform's canary strategy, and its Service. */
  function tenant(change: (rollout: K8sObject) => void = () => {}): Map<string, string> {
    const labels = { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/part-of': 'team-a' };
    const rollout: K8sObject = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: 'web', namespace: 'team-a', labels },
      spec: {
        replicas: 2,
        selector: { matchLabels: labels },
        strategy: rolloutCanaryStrategy('web', 'team-a'),
        template: {
          metadata: { labels },
          spec: { containers: [{ name: 'web', image: 'ghcr.io/example/web:1.0.0', ports: [{ name: 'http', containerPort: 8080 }], resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' } } }] },
        },
      },
    };
    change(rollout);
    const service: K8sObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'team-a', labels }, spec: { selector: labels, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } };
    return new Map([
      ['apps/team-a/web/service.json', toJson({ name: 'web', team: 'team-a', project: 'team-a', namespace: 'team-a', sources: [{ repoURL: 'https://git.example.com/platform.git', targetRevision: 'main', path: 'apps/team-a/web/manifests' }] })],
      ['apps/team-a/web/manifests/web.yaml', toYamlStream([rollout, service])],
    ]);
  }

  it('a Rollout with the platform canary strategy is valid against the Rollout CRD and wired to istio-canary', async () => {
    const { report } = await check({ repoFiles: tenant() });
    const mine = report.findings.filter((f) => f.source?.component === 'team-a/web');
    expect(mine.filter((f) => ['schema', 'wiring', 'graph'].includes(f.check))).toEqual([]);
  });

  it('a Rollout running an analysis the platform does not have', async () => {
    const repoFiles = tenant((r) => {
      ((r.spec as { strategy: { canary: { steps: { analysis?: { templates: { templateName: string }[] } }[] } } }).strategy.canary.steps[1]!.analysis!.templates[0]!).templateName = 'istio-canary-v2';
    });
    await expectFinding(
      { repoFiles },
      { check: 'wiring', severity: 'error', source: { component: 'team-a/web' }, object: { kind: 'Rollout', name: 'web', namespace: 'team-a' }, path: 'spec.strategy.canary.steps[1].analysis.templates[0].templateName', message: /^Rollout web runs ClusterAnalysisTemplate istio-canary-v2, which the platform does not have \(it has istio-canary\)$/ },
    );
  });

  it('a Rollout that does not pass the arguments the analysis needs', async () => {
    const repoFiles = tenant((r) => {
      const steps = (r.spec as { strategy: { canary: { steps: { analysis?: { args: unknown[] } }[] } } }).strategy.canary.steps;
      steps[1]!.analysis!.args = [{ name: 'service', value: 'web' }];
    });
    await expectFinding({ repoFiles }, { check: 'wiring', severity: 'error', path: 'spec.strategy.canary.steps[1].analysis.args', message: /^Rollout web runs analysis istio-canary without its argument namespace: the AnalysisRun fails to start$/ });
  });
});
