/**
 * Thanos (seed 004 "Metrics (Prometheus/Thanos)"): long-term metrics in
 * MinIO. The sidecar runs in the Prometheus pod (kube-prometheus-stack's
 * `prometheusSpec.thanos`, src/catalog/profiles/lab.ts) and uploads every
 * two-hour block to the `thanos` bucket; the store gateway serves those
 * blocks, the compactor downsamples them and applies retention, and the
 * querier answers PromQL over both (the sidecar for the last hours, the store
 * gateway for the rest). Grafana's "Thanos" data source reads the querier.
 *
 * The chart is Bitnami's (thanos-io/thanos publishes none); its images are
 * replaced by the Thanos project's own (`quay.io/thanos/thanos`, the same
 * version as the chart's app version): Bitnami no longer publishes its
 * free images on Docker Hub under `bitnami/`, and the chart asks to be told
 * (`global.security.allowInsecureImages`) before it renders another image.
 *
 * The object store configuration (`thanos-objstore`, key `objstore.yml`) is
 * written by External Secrets from the Thanos user's keys in Vault. The
 * ExternalSecret ships with kube-prometheus-stack, whose Prometheus pod (the
 * sidecar) is its first reader and must not wait for this later unit; the
 * querier, store gateway and compactor read the same Secret.
 */
import { res } from '../../model/resources.js';
import { KEEP_ON_DELETE } from '../../model/labels.js';
import type { WorkloadSpec } from '../../model/unit.js';
import { CHARTS } from '../charts.js';
import type { Component, ComponentContext } from '../component.js';
import { bucketCredentials, bucketOf, s3Endpoint } from '../object-storage.js';

const NAME = 'thanos';
const NAMESPACE = 'observability';
/** The upstream image, at the chart's app version. */
export const THANOS_IMAGE = { registry: 'quay.io', repository: 'thanos/thanos', tag: 'v0.39.2' } as const;
/** The Secret with the object store configuration, shared by the sidecar and the chart's components. */
export const THANOS_OBJSTORE = { secret: 'thanos-objstore', key: 'objstore.yml' } as const;
/** The querier's HTTP Service (PromQL API). */
export const THANOS_QUERY = { service: `${NAME}-query`, port: 9090 } as const;
/** The headless Service kube-prometheus-stack renders for the sidecars (`prometheus.thanosService`). */
export const THANOS_SIDECAR_DISCOVERY = 'kube-prometheus-stack-thanos-discovery';

const labels = (component: string) => ({ 'app.kubernetes.io/name': NAME, 'app.kubernetes.io/instance': NAME, 'app.kubernetes.io/component': component });
const paths = (key: string, replicas: boolean) => ({
  ...(replicas ? { replicas: `${key}.replicaCount` } : {}),
  affinity: `${key}.affinity`,
  tolerations: `${key}.tolerations`,
  priorityClassName: `${key}.priorityClassName`,
});

const workloads: WorkloadSpec[] = [
  {
    kind: 'Deployment',
    name: `${NAME}-query`,
    podLabels: labels('query'),
    containers: [{ name: 'query', resources: res('25m', '64Mi', '500m', '256Mi'), valuesPath: 'query.resources' }],
    values: paths('query', true),
  },
  {
    kind: 'StatefulSet',
    name: `${NAME}-storegateway`,
    podLabels: labels('storegateway'),
    containers: [{ name: 'storegateway', resources: res('25m', '96Mi', '500m', '384Mi'), valuesPath: 'storegateway.resources' }],
    volumeClaims: ['data'], // storegateway.persistence: its index cache
    values: paths('storegateway', true),
  },
  {
    kind: 'Deployment',
    name: `${NAME}-compactor`,
    podLabels: labels('compactor'),
    containers: [{ name: 'compactor', resources: res('25m', '96Mi', '500m', '512Mi'), valuesPath: 'compactor.resources' }],
    volumeClaims: ['thanos-compactor'], // compactor.persistence: its working directory
    values: paths('compactor', false),
  },
];

/** The ExternalSecret writing objstore.yml (shipped by kube-prometheus-stack, in its namespace). */
export function thanosObjstoreSecret(ctx: ComponentContext, namespace: string) {
  return bucketCredentials(ctx.refs, { name: THANOS_OBJSTORE.secret, namespace, user: bucketOf(NAME).user, data: { [THANOS_OBJSTORE.key]: objstoreTemplate(ctx) } });
}

/** objstore.yml as External Secrets renders it (the keys from Vault, the rest fixed). */
export function objstoreTemplate(ctx: ComponentContext): string {
  return [
    'type: S3',
    'config:',
    `  bucket: ${bucketOf(NAME).bucket}`,
    `  endpoint: ${s3Endpoint(ctx)}`,
    '  insecure: true',
    '  access_key: "{{ .accessKey }}"',
    '  secret_key: "{{ .secretKey }}"',
    '',
  ].join('\n');
}

export const thanos: Component = {
  name: NAME,
  description: 'long-term metrics: Thanos querier, store gateway and compactor over the Prometheus sidecar\'s blocks in MinIO',
  stack: 'observability',
  tier: 2,
  pool: 'infra',
  namespace: NAMESPACE,
  chart: CHARTS.thanos,
  dependsOn: ['minio', 'kube-prometheus-stack'],
  profiles: ['lab'],
  build(ctx: ComponentContext) {
    const monitored = ctx.enabled('kube-prometheus-stack');
    const keep = { annotations: { ...KEEP_ON_DELETE } };
    return {
      values: {
        global: { security: { allowInsecureImages: true } },
        image: { ...THANOS_IMAGE },
        existingObjstoreSecret: THANOS_OBJSTORE.secret,
        query: {
          // The sidecars' Prometheus replicas differ only by this label: deduplicate on it.
          replicaLabel: ['prometheus_replica'],
          dnsDiscovery: { enabled: true, sidecarsService: THANOS_SIDECAR_DISCOVERY, sidecarsNamespace: ctx.namespaceOf('kube-prometheus-stack') },
          // Plinth writes the whole affinity (pools and spread).
          podAntiAffinityPreset: '',
        },
        queryFrontend: { enabled: false },
        storegateway: { enabled: true, persistence: { enabled: true, size: '2Gi', ...keep }, podAntiAffinityPreset: '' },
        compactor: {
          enabled: true,
          retentionResolutionRaw: '15d',
          retentionResolution5m: '60d',
          retentionResolution1h: '1y',
          persistence: { enabled: true, size: '4Gi', ...keep },
          podAntiAffinityPreset: '',
        },
        metrics: { enabled: monitored, serviceMonitor: { enabled: monitored } },
      },
      workloads,
      usesGroups: monitored ? ['monitoring.coreos.com'] : [],
    };
  },
};
