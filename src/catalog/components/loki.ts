/**
 * Loki, the log store of seed 001 §5, sized for the edge: one single-binary
 * pod (every Loki target in one process) on a small volume, TSDB index with
 * schema v13 on the filesystem, retention by the compactor, no gateway, no
 * caches, no canary. Fluent Bit pushes to, and Grafana reads from, the `loki`
 * Service on port 3100.
 */
import { res } from '../../model/resources.js';
import type { WorkloadSpec } from '../../model/unit.js';
import { CHARTS } from '../charts.js';
import type { Component, ComponentContext } from '../component.js';
import { connect, service } from '../network.js';

const NAME = 'loki';
const NAMESPACE = 'observability';
/** The Service the single binary serves its HTTP API on (push and query): no gateway in front. */
export const LOKI_HTTP = { service: NAME, port: 3100 } as const;
/** How long logs are kept. */
const RETENTION = '168h';

const workloads: WorkloadSpec[] = [
  {
    kind: 'StatefulSet',
    name: NAME,
    podLabels: { 'app.kubernetes.io/name': NAME, 'app.kubernetes.io/instance': NAME, 'app.kubernetes.io/component': 'single-binary' },
    containers: [{ name: 'loki', resources: res('50m', '256Mi', '1', '768Mi'), valuesPath: 'singleBinary.resources' }],
    volumeClaims: ['storage'], // singleBinary.persistence: chunks and index
    values: {
      replicas: 'singleBinary.replicas',
      affinity: 'singleBinary.affinity',
      tolerations: 'singleBinary.tolerations',
      priorityClassName: 'singleBinary.priorityClassName',
    },
  },
];

/** Loki's own configuration: one tenant, one replica, filesystem storage. */
const lokiConfig = {
  auth_enabled: false,
  commonConfig: { replication_factor: 1 },
  storage: { type: 'filesystem' },
  schemaConfig: {
    configs: [{ from: '2024-04-01', store: 'tsdb', object_store: 'filesystem', schema: 'v13', index: { prefix: 'index_', period: '24h' } }],
  },
  compactor: {
    working_directory: '/var/loki/compactor',
    compaction_interval: '10m',
    retention_enabled: true,
    retention_delete_delay: '2h',
    delete_request_store: 'filesystem',
  },
  limits_config: {
    retention_period: RETENTION,
    ingestion_rate_mb: 4,
    ingestion_burst_size_mb: 8,
    max_query_series: 1000,
  },
  analytics: { reporting_enabled: false },
};

export const loki: Component = {
  name: NAME,
  description: 'log store: Loki as one single-binary pod on the filesystem, fed by Fluent Bit, read by Grafana',
  stack: 'observability',
  tier: 2,
  pool: 'infra',
  namespace: NAMESPACE,
  chart: CHARTS.loki,
  dependsOn: [],
  profiles: ['edge', 'compact', 'standard', 'lab'],
  build(ctx: ComponentContext) {
    const monitored = ctx.enabled('kube-prometheus-stack');
    const off = { enabled: false };
    return {
      values: {
        deploymentMode: 'Monolithic',
        loki: lokiConfig,
        singleBinary: {
          persistence: { enabled: true, size: '5Gi' },
          // The chart's default required anti-affinity would sit beside Plinth's placement: remove it.
          affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: null } },
        },
        // The other deployment modes' targets, explicitly empty.
        read: { replicas: 0 },
        write: { replicas: 0 },
        backend: { replicas: 0 },
        gateway: off,
        chunksCache: off,
        resultsCache: off,
        lokiCanary: off,
        test: off,
        // No ruler: no rules sidecar.
        sidecar: { rules: off },
        monitoring: { serviceMonitor: { enabled: monitored } },
      },
      workloads,
      usesGroups: monitored ? ['monitoring.coreos.com'] : [],
      network: {
        services: [service(LOKI_HTTP.service, NAME, [LOKI_HTTP.port], [9095]), service('loki-memberlist', NAME, [7946])],
        // The single binary joins its own memberlist ring and queries its own gRPC server through its Services.
        connections: [connect({ unit: NAME, service: 'loki-memberlist', port: 7946 }, 'memberlist ring'), connect({ unit: NAME, service: LOKI_HTTP.service, port: 9095 }, 'query frontend to querier (gRPC)')],
        scraped: monitored ? [{ service: LOKI_HTTP.service, port: LOKI_HTTP.port }] : [],
      },
    };
  },
};
