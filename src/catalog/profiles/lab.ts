/**
 * What the lab (seed 004) adds to components it shares with other profiles,
 * kept here so the shared modules only call a hook. Each hook returns
 * nothing unless the lab's own components (or its choices) are on, so the
 * edge and compact platforms are byte for byte what they were.
 *
 * - Cilium: under Istio, socket load balancing stays in the host namespace
 *   (Cilium's "Integration with Istio": otherwise a pod's connect() to a
 *   Service IP is rewritten to a backend before the sidecar sees it, and the
 *   mesh's routing and mTLS are bypassed); Cilium's own Gateway API
 *   implementation is off (Istio's serves the platform Gateway); LB IPAM with
 *   L2 announcements gives the ingress gateway's Service its address.
 * - kube-prometheus-stack: the Thanos sidecar (blocks to MinIO), exemplar
 *   storage and the remote-write receiver (the OpenTelemetry Collector's
 *   metrics, exemplars included), and Grafana's data sources and
 *   correlations of the "life of a request": exemplar -> trace (Tempo),
 *   log line -> trace (Loki derived field), trace -> logs (Loki, by trace
 *   ID), trace -> metrics (Prometheus), trace -> profile (Pyroscope); the
 *   "Life of a request" dashboard.
 */
import { mergeValues, type Values } from '../../lib/values.js';
import type { K8sObject } from '../../model/k8s.js';
import { res } from '../../model/resources.js';
import type { WorkloadSpec } from '../../model/unit.js';
import type { ComponentContext } from '../component.js';
import { lifeOfARequest } from '../dashboards/life-of-a-request.js';
import { dashboardConfigMap, DATASOURCES } from '../dashboards/index.js';
import { LOKI_STREAM } from '../components/fluent-bit.js';
import { PYROSCOPE } from '../components/pyroscope.js';
import { TEMPO } from '../components/tempo.js';
import { THANOS_IMAGE, THANOS_OBJSTORE, THANOS_QUERY, thanosObjstoreSecret } from '../components/thanos.js';

/** The exemplar label carrying the trace ID (what the OpenTelemetry SDKs and the collector's remote write send). */
export const EXEMPLAR_TRACE_LABEL = 'trace_id';
/** Where Istio's JSON access log (and applications following the same convention) put the trace ID. */
export const LOG_TRACE_ID_REGEX = '"trace_id":"([0-9a-f]{32})"';
/** The CPU profile type of Pyroscope's SDKs and agent. */
export const CPU_PROFILE_TYPE = 'process_cpu:cpu:nanoseconds:cpu:nanoseconds';
/** Resources of the Thanos sidecar in the Prometheus pod. */
export const THANOS_SIDECAR = res('10m', '48Mi', '500m', '256Mi');

// --- Cilium ---------------------------------------------------------------

export function labCiliumValues(ctx: ComponentContext): Values {
  if (ctx.platform.choices.ingress !== 'istio') return {};
  const lb = (ctx.platform.config.ingress.loadBalancer?.addresses ?? []).length > 0;
  return {
    socketLB: { hostNamespaceOnly: true },
    gatewayAPI: { enabled: false },
    ...(lb ? { l2announcements: { enabled: true } } : {}),
  };
}

// --- kube-prometheus-stack -----------------------------------------------

export interface LabObservability {
  prometheusSpec: Values;
  /** Values beside prometheusSpec under `prometheus` (the sidecars' discovery Service). */
  prometheus: Values;
  grafanaSidecarDatasources: Values;
  manifests: K8sObject[];
  /** The Prometheus StatefulSet's containers: with the Thanos sidecar when Thanos is on. */
  workloads(base: readonly WorkloadSpec[]): WorkloadSpec[];
}

const NONE: LabObservability = { prometheusSpec: {}, prometheus: {}, grafanaSidecarDatasources: {}, manifests: [], workloads: (b) => [...b] };

// eslint-disable-next-line complexity -- the Thanos, Tempo and collector pieces of the lab's observability as one record, each present only when its component is enabled
export function labObservability(ctx: ComponentContext, namespace: string, prometheusSet: string): LabObservability {
  const thanos = ctx.enabled('thanos');
  const tempo = ctx.enabled('tempo');
  const collector = ctx.enabled('opentelemetry-collector');
  if (!thanos && !tempo && !collector) return NONE;
  const prometheusSpec: Values = {
    // Exemplars (the trace IDs attached to samples) are kept and served to Grafana.
    enableFeatures: ['exemplar-storage'],
    ...(collector ? { enableRemoteWriteReceiver: true } : {}),
    ...(thanos
      ? {
          thanos: {
            image: `${THANOS_IMAGE.registry}/${THANOS_IMAGE.repository}:${THANOS_IMAGE.tag}`,
            objectStorageConfig: { existingSecret: { name: THANOS_OBJSTORE.secret, key: THANOS_OBJSTORE.key } },
            resources: THANOS_SIDECAR,
          },
        }
      : {}),
  };
  return {
    prometheusSpec,
    prometheus: thanos ? { thanosService: { enabled: true }, thanosServiceMonitor: { enabled: true } } : {},
    grafanaSidecarDatasources: tempo ? { exemplarTraceIdDestinations: { datasourceUid: DATASOURCES.tempo.uid, traceIdLabelName: EXEMPLAR_TRACE_LABEL, urlDisplayLabel: 'Trace' } } : {},
    manifests: [
      ...(thanos ? [thanosObjstoreSecret(ctx, namespace)] : []),
      ...(tempo && ctx.enabled('loki') ? [dashboardConfigMap('plinth-life-of-a-request', namespace, lifeOfARequest({ pyroscope: ctx.enabled('pyroscope'), falco: ctx.enabled('falco'), logs: LOKI_STREAM }))] : []),
    ],
    workloads: (base) =>
      base.map((w) =>
        thanos && w.kind === 'StatefulSet' && w.name === prometheusSet
          ? { ...w, containers: [...w.containers, { name: 'thanos-sidecar', resources: THANOS_SIDECAR, valuesPath: 'prometheus.prometheusSpec.thanos.resources' }] }
          : w,
      ),
  };
}

/** Grafana data sources of the lab, and the Loki one given its correlation to traces. */
export function labDataSources(ctx: ComponentContext, base: readonly Values[]): Values[] {
  const tempo = ctx.enabled('tempo');
  if (!tempo && !ctx.enabled('thanos') && !ctx.enabled('pyroscope')) return [...base];
  const url = (component: string, service: string, port: number) => `http://${service}.${ctx.namespaceOf(component)}.svc:${port}`;
  const withTraces = base.map((d) =>
    tempo && d.uid === DATASOURCES.loki.uid
      ? mergeValues(d, { jsonData: { derivedFields: [{ name: 'trace_id', matcherRegex: LOG_TRACE_ID_REGEX, datasourceUid: DATASOURCES.tempo.uid, url: '$${__value.raw}', urlDisplayLabel: 'Trace' }] } })
      : { ...d },
  );
  const out: Values[] = [...withTraces];
  if (ctx.enabled('thanos')) {
    out.push({
      name: 'Thanos',
      type: 'prometheus',
      uid: DATASOURCES.thanos.uid,
      access: 'proxy',
      url: url('thanos', THANOS_QUERY.service, THANOS_QUERY.port),
      jsonData: {
        timeInterval: '30s',
        ...(tempo ? { exemplarTraceIdDestinations: [{ name: EXEMPLAR_TRACE_LABEL, datasourceUid: DATASOURCES.tempo.uid, urlDisplayLabel: 'Trace' }] } : {}),
      },
    });
  }
  if (ctx.enabled('pyroscope')) {
    out.push({ name: 'Pyroscope', type: 'grafana-pyroscope-datasource', uid: DATASOURCES.pyroscope.uid, access: 'proxy', url: url('pyroscope', PYROSCOPE.service, PYROSCOPE.port) });
  }
  if (tempo) {
    const loki = ctx.enabled('loki');
    const pyroscope = ctx.enabled('pyroscope');
    out.push({
      name: 'Tempo',
      type: 'tempo',
      uid: DATASOURCES.tempo.uid,
      access: 'proxy',
      url: url('tempo', TEMPO.service, TEMPO.httpPort),
      jsonData: {
        // Trace -> logs: the lines of the span's namespace that carry its trace ID.
        ...(loki
          ? {
              tracesToLogsV2: {
                datasourceUid: DATASOURCES.loki.uid,
                filterByTraceID: true,
                spanStartTimeShift: '-5m',
                spanEndTimeShift: '5m',
                tags: [{ key: 'k8s.namespace.name', value: LOKI_STREAM.namespaceLabel }],
              },
              lokiSearch: { datasourceUid: DATASOURCES.loki.uid },
            }
          : {}),
        // Trace -> metrics: the mesh's request rate and errors of the span's service.
        tracesToMetrics: {
          datasourceUid: DATASOURCES.prometheus.uid,
          spanStartTimeShift: '-5m',
          spanEndTimeShift: '5m',
          tags: [{ key: 'service.name', value: 'destination_canonical_service' }],
          queries: [
            { name: 'Request rate', query: 'sum(rate(istio_requests_total{reporter="destination",$$__tags}[1m]))' },
            { name: 'Error rate', query: 'sum(rate(istio_requests_total{reporter="destination",response_code=~"5..",$$__tags}[1m]))' },
          ],
        },
        // Trace -> profile: the CPU profile of the span's service over the span's time.
        ...(pyroscope
          ? { tracesToProfiles: { datasourceUid: DATASOURCES.pyroscope.uid, profileTypeId: CPU_PROFILE_TYPE, tags: [{ key: 'service.name', value: 'service_name' }] } }
          : {}),
        serviceMap: { datasourceUid: DATASOURCES.prometheus.uid },
        nodeGraph: { enabled: true },
      },
    });
  }
  return out;
}
