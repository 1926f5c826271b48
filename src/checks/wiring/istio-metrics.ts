/**
 * What Istio's telemetry produces by default (Istio's "Istio Standard
 * Metrics" reference; the proxies' stats extension, `telemetry.v2.prometheus`
 * of the istiod chart): the metric names, the labels on them, and the labels
 * a Prometheus scrape of the proxies adds (PodMonitor target labels).
 */

/** Counters (`_total` in the name) and distributions (histograms: `_bucket`, `_sum`, `_count`). */
export const ISTIO_COUNTERS = [
  'istio_requests_total',
  'istio_request_messages_total',
  'istio_response_messages_total',
  'istio_tcp_sent_bytes_total',
  'istio_tcp_received_bytes_total',
  'istio_tcp_connections_opened_total',
  'istio_tcp_connections_closed_total',
] as const;
export const ISTIO_DISTRIBUTIONS = ['istio_request_duration_milliseconds', 'istio_request_bytes', 'istio_response_bytes'] as const;

/** Every series name Prometheus gets from the proxies for them. */
export const ISTIO_SERIES: readonly string[] = [...ISTIO_COUNTERS, ...ISTIO_DISTRIBUTIONS.flatMap((d) => [`${d}_bucket`, `${d}_sum`, `${d}_count`])].sort();

export const ISTIO_LABELS: readonly string[] = [
  'reporter',
  'source_workload',
  'source_workload_namespace',
  'source_principal',
  'source_app',
  'source_version',
  'source_canonical_service',
  'source_canonical_revision',
  'source_cluster',
  'destination_workload',
  'destination_workload_namespace',
  'destination_principal',
  'destination_app',
  'destination_version',
  'destination_service',
  'destination_service_name',
  'destination_service_namespace',
  'destination_canonical_service',
  'destination_canonical_revision',
  'destination_cluster',
  'request_protocol',
  'response_code',
  'grpc_response_status',
  'response_flags',
  'connection_security_policy',
];

/** Labels the scrape adds (Prometheus Operator PodMonitor targets), and `le` of histogram buckets. */
export const SCRAPE_LABELS: readonly string[] = ['job', 'instance', 'namespace', 'pod', 'container', 'endpoint', '__name__'];

export function isIstioMetric(name: string): boolean {
  return name.startsWith('istio_');
}
