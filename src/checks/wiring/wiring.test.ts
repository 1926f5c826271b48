import { describe, expect, it } from 'vitest';
import { queryUses } from './promql.js';
import { parseServiceAddress, unresolved } from './services.js';

const NS = new Set(['observability', 'minio']);

describe('addresses as cluster DNS resolves them', () => {
  it.each([
    ['http://tempo.observability.svc:3200', { service: 'tempo', namespace: 'observability', port: 3200 }],
    ['tempo.observability.svc.cluster.local:4317', { service: 'tempo', namespace: 'observability', port: 4317 }],
    ['http://kube-prometheus-stack-prometheus.observability:9090/', { service: 'kube-prometheus-stack-prometheus', namespace: 'observability', port: 9090 }],
    ['http://prometheus.monitoring:9090', { service: 'prometheus', namespace: 'monitoring', port: 9090 }],
    ['http://loki:3100/loki/api/v1/push', { service: 'loki', namespace: 'here', port: 3100 }],
    ['https://minio.minio.svc', { service: 'minio', namespace: 'minio', port: 443 }],
    ['dnssrv+_grpc._tcp.thanos-storegateway.observability.svc.cluster.local', { service: 'thanos-storegateway', namespace: 'observability', portName: 'grpc' }],
  ])('%s', (text, want) => {
    expect(parseServiceAddress(text, 'here', NS)).toMatchObject(want);
  });

  it.each(['https://grafana.com/api', 'http://10.0.0.1:9090', 's3.amazonaws.com:443', '${env:MY_POD_IP}:4317', 'example.com'])('%s is not a Service of the cluster', (text) => {
    expect(parseServiceAddress(text, 'here', NS)).toBeUndefined();
  });

  it('names what is wrong: the Service, the port, the port name', () => {
    const services = new Map([['observability/tempo', { name: 'tempo', namespace: 'observability', ports: [{ port: 3200, name: 'http' }, { port: 4317, name: 'grpc' }] }]]);
    const at = (t: string) => unresolved(parseServiceAddress(t, 'x', NS)!, services);
    expect(at('http://tempo.observability.svc:3200')).toBeUndefined();
    expect(at('http://tempo.observability.svc:3100')).toBe('Service observability/tempo does not serve port 3100 (its ports: 3200 (http), 4317 (grpc))');
    expect(at('dnssrv+_otlp._tcp.tempo.observability.svc')).toBe('Service observability/tempo has no port named otlp (its ports: 3200 (http), 4317 (grpc))');
    expect(at('http://tempo.minio.svc:3200')).toBe('no Service minio/tempo is rendered (there is observability/tempo)');
  });
});

describe('the metrics and labels of a PromQL query', () => {
  it('sees selectors, grouping labels and template placeholders, and skips functions, numbers and durations', () => {
    const q = 'sum by (le, destination_service_name) (rate(istio_request_duration_milliseconds_bucket{reporter="destination",destination_service_name="{{args.service}}"}[5m] offset 1h)) / 1e3 > 0.5 or on(instance) up';
    expect(queryUses(q)).toEqual({
      metrics: [
        { metric: 'istio_request_duration_milliseconds_bucket', labels: ['reporter', 'destination_service_name'] },
        { metric: 'up', labels: [] },
      ],
      groupingLabels: ['le', 'destination_service_name', 'instance'],
    });
  });

  it('reads label names, not the values matched', () => {
    expect(queryUses('istio_requests_total{response_code=~"5..", source_workload!="istio_requests_total"}').metrics).toEqual([{ metric: 'istio_requests_total', labels: ['response_code', 'source_workload'] }]);
  });
});
