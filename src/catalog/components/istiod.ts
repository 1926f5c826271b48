/**
 * istiod, Istio's control plane (seed 004 "Ingress & Networking"): it
 * programs the ingress gateway and every sidecar, issues the workload
 * certificates behind mTLS, injects sidecars and implements the Gateway API
 * (GatewayClass `istio`, which it creates itself).
 *
 * The mesh is the tenants': team namespaces carry `istio-injection=enabled`
 * and a PeerAuthentication requiring mTLS (STRICT). Platform namespaces stay
 * out of it; the ingress gateway is the one platform proxy (it is injected
 * from the `gateway` template). Sidecars need their own CNI plumbing: without
 * Istio's CNI node agent (no chart for it in the cache) the injected
 * `istio-init` container sets up the redirection with NET_ADMIN and NET_RAW
 * (docs/adr/019-lab-mesh-and-gateway.md).
 *
 * Telemetry, "life of a request" (seed 004): every proxy reports Istio's
 * standard metrics (`istio_requests_total`, `istio_request_duration_milliseconds`,
 * ...), scraped from its port 15090 by a PodMonitor; sends spans to the
 * OpenTelemetry Collector (extension provider `otel-tracing`, W3C trace
 * context), which forwards them to Tempo; and writes a JSON access log line per
 * request carrying the trace ID, which Fluent Bit ships to Loki, so a trace
 * leads to its logs even when the application logs no trace ID.
 */
import type { K8sObject } from '../../model/k8s.js';
import { res } from '../../model/resources.js';
import type { WorkloadSpec } from '../../model/unit.js';
import { CHARTS } from '../charts.js';
import type { Component, ComponentContext } from '../component.js';
import { namespaced } from '../glue.js';
import { ISTIO_NAMESPACE } from './istio-base.js';
import { OTEL_COLLECTOR } from './opentelemetry-collector.js';

const NAME = 'istiod';
/** The label that puts a namespace's pods in the mesh (the injector's namespaceSelector). */
export const INJECTION_LABEL = { key: 'istio-injection', value: 'enabled' } as const;
/** The extension provider proxies send spans through. */
export const TRACING_PROVIDER = 'otel-tracing';
/** The port of Envoy's own Prometheus endpoint in every proxy (`/stats/prometheus`), excluded from traffic capture. */
export const ENVOY_STATS = { port: 'http-envoy-prom', path: '/stats/prometheus' } as const;
/** istiod's monitoring port (its Service, `http-monitoring`). */
const MONITORING_PORT = 'http-monitoring';
/** Where istiod and the proxies it injects come from (`global.hub`, `global.tag`). */
export const ISTIO_IMAGES = { hub: 'docker.io/istio', tag: '1.30.3', proxy: 'proxyv2' } as const;
/** Percentage of requests traced at the ingress gateway (the decision travels with the trace context). */
const SAMPLING_PERCENT = 10;

/** The sidecar every tenant pod gets (`global.proxy.resources`): what the golden path must count in its pods. */
export const SIDECAR_RESOURCES = res('20m', '64Mi', '500m', '256Mi');

/** Envoy's access log as JSON, one line per request, with the W3C trace ID (Envoy's %TRACE_ID%). */
const ACCESS_LOG_FORMAT = JSON.stringify({
  start_time: '%START_TIME%',
  method: '%REQ(:METHOD)%',
  path: '%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%',
  protocol: '%PROTOCOL%',
  response_code: '%RESPONSE_CODE%',
  response_flags: '%RESPONSE_FLAGS%',
  duration_ms: '%DURATION%',
  upstream_cluster: '%UPSTREAM_CLUSTER%',
  authority: '%REQ(:AUTHORITY)%',
  trace_id: '%TRACE_ID%',
  request_id: '%REQ(X-REQUEST-ID)%',
});

const workloads: WorkloadSpec[] = [
  {
    kind: 'Deployment',
    name: NAME,
    podLabels: { app: 'istiod', istio: 'pilot' },
    containers: [{ name: 'discovery', resources: res('100m', '256Mi', '1', '1Gi'), valuesPath: 'resources' }],
    values: { replicas: 'replicaCount', affinity: 'affinity', tolerations: 'tolerations', priorityClassName: 'global.priorityClassName' },
  },
];

/** mTLS required for every workload of a team namespace. */
function strictMtls(namespace: string): K8sObject {
  return namespaced('security.istio.io/v1', 'PeerAuthentication', 'default', namespace, { spec: { mtls: { mode: 'STRICT' } } });
}

/** Mesh-wide telemetry (in the root namespace): spans through the collector. */
function meshTelemetry(): K8sObject {
  return namespaced('telemetry.istio.io/v1', 'Telemetry', 'mesh-default', ISTIO_NAMESPACE, {
    spec: { tracing: [{ providers: [{ name: TRACING_PROVIDER }], randomSamplingPercentage: SAMPLING_PERCENT }] },
  });
}

/** Envoy's standard metrics from every proxy in the cluster (sidecars and the ingress gateway). */
function envoyPodMonitor(): K8sObject {
  return namespaced('monitoring.coreos.com/v1', 'PodMonitor', 'istio-proxies', ISTIO_NAMESPACE, {
    spec: {
      // Injected pods carry this label; its value is the TLS mode (istio, or disabled).
      selector: { matchExpressions: [{ key: 'security.istio.io/tlsMode', operator: 'Exists' }] },
      namespaceSelector: { any: true },
      podMetricsEndpoints: [{ port: ENVOY_STATS.port, path: ENVOY_STATS.path, interval: '30s' }],
    },
  });
}

function istiodServiceMonitor(): K8sObject {
  return namespaced('monitoring.coreos.com/v1', 'ServiceMonitor', NAME, ISTIO_NAMESPACE, {
    spec: {
      selector: { matchLabels: { app: 'istiod', istio: 'pilot' } },
      namespaceSelector: { matchNames: [ISTIO_NAMESPACE] },
      endpoints: [{ port: MONITORING_PORT, interval: '60s' }],
    },
  });
}

export const istiod: Component = {
  name: NAME,
  description: 'Istio control plane: configures the ingress gateway and sidecars, issues mesh certificates, injects sidecars, implements the Gateway API',
  stack: 'networking',
  tier: 2,
  pool: 'infra',
  namespace: ISTIO_NAMESPACE,
  chart: CHARTS.istiod,
  dependsOn: ['istio-base'],
  // istiod creates the GatewayClass `istio` itself when it starts.
  provides: [{ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', name: 'istio' }],
  // Its Gateway API controller starts only when the CRDs are there.
  discoversCrdsAtStartup: ['gateway.networking.k8s.io'],
  policyExceptions: [
    {
      name: 'istiod-readiness-only',
      component: 'istiod',
      policies: ['require-probes'],
      match: { namespace: ISTIO_NAMESPACE, workloads: [NAME], kinds: ['Deployment'] },
      reason: 'the chart gives istiod a readiness probe and no liveness probe: a restart would drop the configuration stream of every proxy, so upstream leaves restarts to crashes',
    },
  ],
  profiles: ['lab'],
  serves: { ingress: ['istio'] },
  build(ctx: ComponentContext) {
    const monitored = ctx.enabled('kube-prometheus-stack');
    const traced = ctx.enabled('opentelemetry-collector');
    const collector = `${OTEL_COLLECTOR.service}.${ctx.namespaceOf('opentelemetry-collector')}.svc.cluster.local`;
    const teamNamespaces = ctx.platform.teams.flatMap((t) => t.namespaces);
    return {
      values: {
        autoscaleEnabled: false,
        seccompProfile: { type: 'RuntimeDefault' },
        global: {
          // One replica: a budget with minAvailable 1 would block every node drain.
          defaultPodDisruptionBudget: { enabled: false },
          // The images of istiod and of every proxy it injects, pinned here (the chart's own defaults).
          hub: ISTIO_IMAGES.hub,
          tag: ISTIO_IMAGES.tag,
          proxy: { resources: SIDECAR_RESOURCES },
          logAsJson: true,
        },
        meshConfig: {
          enablePrometheusMerge: true,
          accessLogFile: '/dev/stdout',
          accessLogEncoding: 'JSON',
          accessLogFormat: ACCESS_LOG_FORMAT,
          // The application starts once its proxy is ready: no request leaves before mTLS works.
          defaultConfig: { holdApplicationUntilProxyStarts: true },
          ...(traced ? { extensionProviders: [{ name: TRACING_PROVIDER, opentelemetry: { service: collector, port: OTEL_COLLECTOR.grpcPort } }] } : {}),
        },
      },
      workloads,
      tenantNamespaceLabels: { [INJECTION_LABEL.key]: INJECTION_LABEL.value },
      manifests: [
        ...teamNamespaces.map(strictMtls),
        ...(traced ? [meshTelemetry()] : []),
        ...(monitored ? [envoyPodMonitor(), istiodServiceMonitor()] : []),
      ],
    };
  },
};

