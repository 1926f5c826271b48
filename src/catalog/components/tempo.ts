/**
 * Tempo, the trace store (seed 004 "life of a request"): one process (the
 * community chart's single binary) taking OTLP from the OpenTelemetry
 * Collector and keeping its blocks in the `tempo` bucket of MinIO, so traces
 * survive the pod and its node; the write-ahead log is on an emptyDir.
 * The S3 keys come from Vault as environment variables (`tempo-s3`, an
 * ExternalSecret), which Tempo expands in its configuration
 * (`-config.expand-env`). Grafana reads it on port 3200.
 */
import type { Values } from '../../lib/values.js';
import { res } from '../../model/resources.js';
import type { WorkloadSpec } from '../../model/unit.js';
import { CHARTS } from '../charts.js';
import { restrictedContainer } from '../security.js';
import type { Component, ComponentContext } from '../component.js';
import { bucketCredentials, bucketOf, s3Endpoint } from '../object-storage.js';

const NAME = 'tempo';
const NAMESPACE = 'observability';
/** Tempo's Service: HTTP API (Grafana, Kiali) and the OTLP receiver. */
export const TEMPO = { service: NAME, httpPort: 3200, otlpGrpcPort: 4317 } as const;
/** The Secret of S3 keys Tempo reads as environment variables. */
export const TEMPO_S3_SECRET = 'tempo-s3';
const RETENTION = '72h';

const workloads: WorkloadSpec[] = [
  {
    kind: 'StatefulSet',
    name: NAME,
    podLabels: { 'app.kubernetes.io/name': NAME, 'app.kubernetes.io/instance': NAME },
    containers: [{ name: NAME, resources: res('50m', '256Mi', '1', '1Gi'), valuesPath: 'tempo.resources' }],
    values: { replicas: 'replicas', affinity: 'affinity', tolerations: 'tolerations', priorityClassName: 'priorityClassName' },
  },
];

function storage(ctx: ComponentContext): Values {
  const wal = { path: '/var/tempo/wal' };
  if (!ctx.enabled('minio')) return { trace: { backend: 'local', local: { path: '/var/tempo/traces' }, wal } };
  return {
    trace: {
      backend: 's3',
      s3: { bucket: bucketOf(NAME).bucket, endpoint: s3Endpoint(ctx), insecure: true, access_key: '${S3_ACCESS_KEY}', secret_key: '${S3_SECRET_KEY}' },
      wal,
    },
  };
}

export const tempo: Component = {
  name: NAME,
  description: 'trace store: Tempo, OTLP in from the collector, blocks in MinIO, read by Grafana and Kiali',
  stack: 'observability',
  tier: 2,
  pool: 'infra',
  namespace: NAMESPACE,
  chart: CHARTS.tempo,
  dependsOn: [],
  profiles: ['lab'],
  build(ctx: ComponentContext) {
    const monitored = ctx.enabled('kube-prometheus-stack');
    const s3 = ctx.enabled('minio');
    return {
      values: {
        tempo: {
          reportingEnabled: false,
          retention: RETENTION,
          storage: storage(ctx),
          ...(s3 ? { extraArgs: { 'config.expand-env': 'true' }, extraEnvFrom: [{ secretRef: { name: TEMPO_S3_SECRET } }] } : {}),
          extraVolumeMounts: [{ name: 'tempo-data', mountPath: '/var/tempo' }],
          // The chart's pod context runs it as UID 10001; it writes only to /var/tempo.
          securityContext: restrictedContainer({ readOnlyRootFilesystem: true }),
        },
        extraVolumes: [{ name: 'tempo-data', emptyDir: { sizeLimit: '2Gi' } }],
        serviceMonitor: { enabled: monitored },
      },
      workloads,
      usesGroups: monitored ? ['monitoring.coreos.com'] : [],
      dependsOn: s3 ? ['minio'] : [],
      manifests: s3
        ? [bucketCredentials(ctx.refs, { name: TEMPO_S3_SECRET, namespace: NAMESPACE, user: bucketOf(NAME).user, data: { S3_ACCESS_KEY: '{{ .accessKey }}', S3_SECRET_KEY: '{{ .secretKey }}' } })]
        : [],
    };
  },
};
