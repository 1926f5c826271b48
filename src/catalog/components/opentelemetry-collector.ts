/**
 * The OpenTelemetry Collector (seed 002 "OpenTelemetry", seed 004 "life of a
 * request"): one gateway Deployment that takes OTLP from the applications and
 * the mesh's proxies (gRPC 4317, HTTP 4318) and hands each signal to the
 * store the platform has (ADR 014):
 *
 * - metrics: pushed into Prometheus through its OTLP receiver
 *   (`/api/v1/otlp`, switched on in kube-prometheus-stack when this
 *   component is): no second scrape hop, no exporter port, and the k8s
 *   distribution of the collector needs no Prometheus exporter for it;
 * - logs: pushed into Loki's native OTLP endpoint (`/otlp`, Loki 3);
 * - traces: to Tempo (OTLP gRPC) where the platform has it (lab). Without a
 *   trace store (compact), the spanmetrics connector turns every span into
 *   RED metrics (calls, errors, duration histograms per service, span name,
 *   kind and status), which go to Prometheus, and the spans are dropped.
 *
 * The k8s attributes preset adds the pod's namespace, workload and node to
 * every signal (it reads pods and replica sets, hence its ClusterRole). The
 * endpoints come from the components they name (their Service and port
 * constants), and `check` proves each one is a Service the platform renders,
 * on that port, reachable under the NetworkPolicies.
 */
import { ConfigError } from '../../lib/errors.js';
import type { Values } from '../../lib/values.js';
import { res } from '../../model/resources.js';
import type { WorkloadSpec } from '../../model/unit.js';
import { CHARTS } from '../charts.js';
import type { Component, ComponentContext } from '../component.js';
import { PROMETHEUS_HTTP } from './kube-prometheus-stack.js';
import { LOKI_HTTP } from './loki.js';
import { TEMPO } from './tempo.js';
import { connect, inbound, service } from '../network.js';

const NAME = 'opentelemetry-collector';
const NAMESPACE = 'observability';
/** The collector's OTLP ports, on its Service `opentelemetry-collector`. */
export const OTLP_PORTS = { grpc: 4317, http: 4318 } as const;
export const OTEL_COLLECTOR_SERVICE = NAME;
/** The Service applications and proxies send OTLP to. */
export const OTEL_COLLECTOR = { service: NAME, grpcPort: OTLP_PORTS.grpc, httpPort: OTLP_PORTS.http } as const;
const METRICS_PORT = 8888;
/** The image the chart runs: the Kubernetes distribution of the collector (the chart's appVersion is its tag). */
const IMAGE = 'ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-k8s';

export const OTEL_COLLECTOR_LABELS = { 'app.kubernetes.io/name': NAME, 'app.kubernetes.io/instance': NAME, component: 'standalone-collector' } as const;

const workloads: WorkloadSpec[] = [
  {
    kind: 'Deployment',
    name: NAME,
    podLabels: OTEL_COLLECTOR_LABELS,
    // GOMEMLIMIT follows the memory limit (useGOMEMLIMIT); the memory limiter refuses data above 80% of it.
    containers: [{ name: NAME, resources: res('50m', '128Mi', '500m', '384Mi'), valuesPath: 'resources' }],
    values: { replicas: 'replicaCount', affinity: 'affinity', tolerations: 'tolerations', priorityClassName: 'priorityClassName' },
  },
];

/** Where each signal goes, from the components that store it. */
export interface OtelExports {
  /** OTLP base URL of Prometheus (`<url>/v1/metrics`), when kube-prometheus-stack is on. */
  metrics?: string;
  /** OTLP base URL of Loki (`<url>/v1/logs`), when Loki is on. */
  logs?: string;
  /** Tempo's OTLP gRPC endpoint (`host:port`), when Tempo is on. */
  traces?: string;
}

export function otelExports(ctx: ComponentContext): OtelExports {
  return {
    ...(ctx.enabled('kube-prometheus-stack') ? { metrics: `http://${PROMETHEUS_HTTP.service}.${ctx.namespaceOf('kube-prometheus-stack')}.svc:${PROMETHEUS_HTTP.port}/api/v1/otlp` } : {}),
    ...(ctx.enabled('loki') ? { logs: `http://${LOKI_HTTP.service}.${ctx.namespaceOf('loki')}.svc:${LOKI_HTTP.port}/otlp` } : {}),
    ...(ctx.enabled('tempo') ? { traces: `${TEMPO.service}.${ctx.namespaceOf('tempo')}.svc:${TEMPO.otlpGrpcPort}` } : {}),
  };
}

/** Span durations, in seconds, of the RED histograms. */
const DURATION_BUCKETS = ['5ms', '10ms', '25ms', '50ms', '100ms', '250ms', '500ms', '1s', '2500ms', '5s', '10s'];

function collectorConfig(exports: OtelExports): Values {
  const processors = ['memory_limiter', 'batch'];
  const otlp = { protocols: { grpc: { endpoint: `\${env:MY_POD_IP}:${OTLP_PORTS.grpc}` }, http: { endpoint: `\${env:MY_POD_IP}:${OTLP_PORTS.http}` } } };
  const pipelines: Values = {};
  const exporters: Values = {};
  // RED metrics from spans only where no trace store keeps the spans.
  const spanMetrics = Boolean(exports.metrics) && !exports.traces;
  if (exports.metrics) {
    exporters['otlphttp/prometheus'] = { endpoint: exports.metrics, compression: 'gzip' };
    pipelines.metrics = { receivers: spanMetrics ? ['otlp', 'spanmetrics'] : ['otlp'], processors, exporters: ['otlphttp/prometheus'] };
  } else pipelines.metrics = null;
  if (exports.traces) {
    exporters['otlp/tempo'] = { endpoint: exports.traces, tls: { insecure: true } };
    pipelines.traces = { receivers: ['otlp'], processors, exporters: ['otlp/tempo'] };
  } else pipelines.traces = spanMetrics ? { receivers: ['otlp'], processors, exporters: ['spanmetrics'] } : null;
  if (exports.logs) {
    exporters['otlphttp/loki'] = { endpoint: exports.logs };
    pipelines.logs = { receivers: ['otlp'], processors, exporters: ['otlphttp/loki'] };
  } else pipelines.logs = null;
  return {
    // The chart's defaults, removed: no Jaeger or Zipkin receivers, no debug exporter, no self-scrape.
    receivers: { otlp, jaeger: null, zipkin: null, prometheus: null },
    exporters: { debug: null, ...exporters },
    connectors: spanMetrics
      ? {
          spanmetrics: {
            histogram: { explicit: { buckets: DURATION_BUCKETS } },
            dimensions: [{ name: 'http.request.method' }, { name: 'http.response.status_code' }],
            metrics_flush_interval: '30s',
          },
        }
      : {},
    processors: { batch: {}, memory_limiter: { check_interval: '5s', limit_percentage: 80, spike_limit_percentage: 25 } },
    service: { pipelines },
  };
}

const off = { enabled: false };

export const opentelemetryCollector: Component = {
  name: NAME,
  description: 'OTLP in (gRPC 4317, HTTP 4318): metrics to Prometheus, logs to Loki, traces to Tempo (or as RED metrics without a trace store)',
  stack: 'observability',
  tier: 2,
  pool: 'infra',
  namespace: NAMESPACE,
  chart: CHARTS.opentelemetryCollector,
  dependsOn: [],
  profiles: ['compact', 'lab'],
  build(ctx: ComponentContext) {
    const exports = otelExports(ctx);
    if (!exports.metrics && !exports.logs && !exports.traces) {
      throw new ConfigError([
        {
          file: ctx.platform.file,
          path: `components.${NAME}.enabled`,
          message: `${NAME} is on, but none of kube-prometheus-stack, loki and tempo is: it would receive telemetry and have nowhere to send it`,
          hint: `enable kube-prometheus-stack, loki or tempo, or set components.${NAME}.enabled: false`,
        },
      ]);
    }
    const monitored = ctx.enabled('kube-prometheus-stack');
    return {
      values: {
        mode: 'deployment',
        image: { repository: IMAGE },
        presets: { kubernetesAttributes: { enabled: true } },
        config: collectorConfig(exports),
        ports: {
          'jaeger-compact': off,
          'jaeger-thrift': off,
          'jaeger-grpc': off,
          zipkin: off,
          metrics: { enabled: monitored, containerPort: METRICS_PORT, servicePort: METRICS_PORT, protocol: 'TCP' },
        },
        serviceMonitor: { enabled: monitored },
        podSecurityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
      },
      workloads,
      usesGroups: monitored ? ['monitoring.coreos.com'] : [],
      network: {
        services: [service(OTEL_COLLECTOR_SERVICE, NAME, [OTLP_PORTS.grpc], [OTLP_PORTS.http], [METRICS_PORT])],
        inbound: [inbound('cluster', OTEL_COLLECTOR_SERVICE, OTLP_PORTS.grpc, 'applications send OTLP over gRPC'), inbound('cluster', OTEL_COLLECTOR_SERVICE, OTLP_PORTS.http, 'applications send OTLP over HTTP')],
        connections: [
          ...(exports.metrics ? [connect({ unit: 'kube-prometheus-stack', service: PROMETHEUS_HTTP.service, port: PROMETHEUS_HTTP.port }, 'pushes metrics and the RED metrics of traces (OTLP)')] : []),
          ...(exports.logs ? [connect({ unit: 'loki', service: LOKI_HTTP.service, port: LOKI_HTTP.port }, 'pushes logs (OTLP)')] : []),
          ...(exports.traces ? [connect({ unit: 'tempo', service: TEMPO.service, port: TEMPO.otlpGrpcPort }, 'pushes traces (OTLP gRPC)')] : []),
        ],
        scraped: monitored ? [{ service: OTEL_COLLECTOR_SERVICE, port: METRICS_PORT }] : [],
      },
    };
  },
};
