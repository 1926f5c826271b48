/**
 * "Life of a request" (seed 004 §2A): the four signals of one request on one
 * page, in the order an engineer follows them. A latency spike on the
 * ingress gateway or a service (Istio's metrics, with exemplars: each dot
 * opens the trace of one request in Tempo); the traces themselves; the log
 * lines carrying a trace ID (Istio's access log writes one per request, so
 * every trace has its lines, and Loki's derived field links back); the CPU
 * flame graph of the services (Pyroscope; from a span, Grafana's "profiles"
 * link narrows it to that service and time); and what Falco saw meanwhile.
 */
import { FALCO_MATCHES_METRIC } from '../components/falco.js';
import { Dashboard } from './builder.js';
import { DATASOURCES } from './platform-overview.js';

export interface LifeOfARequestOptions {
  pyroscope: boolean;
  falco: boolean;
  /** The log stream labels the log shipper sets. */
  logs: { selector: string; namespaceLabel: string };
}

/** The CPU profile type the panel shows (Pyroscope's SDKs and agent report it). */
const CPU = 'process_cpu:cpu:nanoseconds:cpu:nanoseconds';
const P = DATASOURCES.prometheus;
const GATEWAY = 'reporter="source",source_workload="istio-gateway"';
const MESH = 'reporter="destination"';

export function lifeOfARequest(o: LifeOfARequestOptions): Dashboard {
  const d = new Dashboard({
    uid: 'plinth-life-of-a-request',
    title: 'Life of a request',
    description: 'One request through the lab: ingress gateway and mesh metrics (with exemplars), its trace, its log lines, the profile of its services, and runtime security events.',
    tags: ['plinth', 'istio', 'tracing'],
    from: 'now-1h',
    refresh: '30s',
  });
  d.row('1. Ingress: the Istio ingress gateway')
    .panel({
      kind: 'timeseries',
      title: 'Requests per second by service',
      width: 12,
      height: 8,
      unit: 'reqps',
      queries: [{ datasource: P, expr: `sum by (destination_service_name) (rate(istio_requests_total{${GATEWAY}}[$__rate_interval]))`, legend: '{{destination_service_name}}' }],
    })
    .panel({
      kind: 'timeseries',
      title: 'Latency p95 at the gateway (click an exemplar for its trace)',
      width: 12,
      height: 8,
      unit: 'ms',
      queries: [
        {
          datasource: P,
          expr: `histogram_quantile(0.95, sum by (le, destination_service_name) (rate(istio_request_duration_milliseconds_bucket{${GATEWAY}}[$__rate_interval])))`,
          legend: '{{destination_service_name}}',
          exemplar: true,
        },
      ],
    });
  d.row('2. Service mesh: the services behind it')
    .panel({
      kind: 'timeseries',
      title: 'Error rate (5xx) by service',
      width: 12,
      height: 8,
      unit: 'percentunit',
      queries: [
        {
          datasource: P,
          expr: `sum by (destination_service_name) (rate(istio_requests_total{${MESH},response_code=~"5.."}[$__rate_interval])) / sum by (destination_service_name) (rate(istio_requests_total{${MESH}}[$__rate_interval]))`,
          legend: '{{destination_service_name}}',
        },
      ],
    })
    .panel({
      kind: 'timeseries',
      title: 'Latency p95 by service (click an exemplar for its trace)',
      width: 12,
      height: 8,
      unit: 'ms',
      queries: [
        {
          datasource: P,
          expr: `histogram_quantile(0.95, sum by (le, destination_service_name) (rate(istio_request_duration_milliseconds_bucket{${MESH}}[$__rate_interval])))`,
          legend: '{{destination_service_name}}',
          exemplar: true,
        },
      ],
    });
  d.row('3. Traces (Tempo) and their logs (Loki)')
    .panel({
      kind: 'table',
      title: 'Slowest recent traces',
      description: 'Open one: its spans link to their logs (by trace ID), metrics and profile.',
      width: 12,
      height: 10,
      queries: [{ datasource: DATASOURCES.tempo, expr: '{ duration > 100ms }' }],
    })
    .panel({
      kind: 'logs',
      title: 'Log lines with a trace ID',
      description: 'Istio access logs and application lines carrying "trace_id"; the trace_id field links to Tempo.',
      width: 12,
      height: 10,
      queries: [{ datasource: DATASOURCES.loki, expr: `${o.logs.selector} |= "trace_id"` }],
    });
  if (o.pyroscope) {
    d.row('4. Profiles (Pyroscope)').panel({
      kind: 'flamegraph',
      title: 'CPU flame graph',
      description: 'Every profiled service; from a span, "Profiles" narrows it to that service and time.',
      width: 24,
      height: 12,
      queries: [{ datasource: DATASOURCES.pyroscope, expr: '{}', profileTypeId: CPU }],
    });
  }
  if (o.falco) {
    d.row('Runtime security (Falco)')
      .panel({
        kind: 'bargauge',
        title: 'Rule matches in the last hour',
        width: 8,
        height: 8,
        queries: [{ datasource: P, expr: `sum by (rule_name) (increase(${FALCO_MATCHES_METRIC}[1h]))`, legend: '{{rule_name}}', instant: true }],
      })
      .panel({
        kind: 'logs',
        title: 'Falco events',
        width: 16,
        height: 8,
        queries: [{ datasource: DATASOURCES.loki, expr: `${o.logs.selector.replace(/}$/, `, ${o.logs.namespaceLabel}="falco"}`)} |= "rule"` }],
      });
  }
  return d;
}
