/**
 * MinIO, the lab's S3 object store (seed 004 "Storage & Backup"): one
 * standalone server on a volume of its own, holding Thanos's and Tempo's
 * blocks and Velero's backups (src/catalog/object-storage.ts). Its home is the
 * apps pool, so the backups of the platform's volumes (on infra) live on
 * another node than the data they copy.
 *
 * The buckets, one user per consumer and a policy per user limited to its
 * bucket are made by the chart's post-install job (an Argo CD PostSync hook)
 * with `mc`, from Secrets External Secrets fills from Vault: the root login
 * (`platform/minio/root`) and each user's secret key. Nothing of it is in Git.
 * Buckets of consumers that are switched off are not made.
 *
 * The console (`minio.<domain>`) asks for a login (the root user or a user's
 * keys), so it gets a route.
 */
import type { K8sObject } from '../../model/k8s.js';
import { KEEP_ON_DELETE } from '../../model/labels.js';
import { res } from '../../model/resources.js';
import type { WorkloadSpec } from '../../model/unit.js';
import { CHARTS } from '../charts.js';
import { restrictedContainer, restrictedPod } from '../security.js';
import type { Component, ComponentContext } from '../component.js';
import { externalSecret } from '../glue.js';
import { BUCKETS, MINIO_CONSOLE, minioUserSecret, minioUserVaultPath } from '../object-storage.js';

const NAME = 'minio';
const NAMESPACE = 'minio';
const ROOT_SECRET = 'minio-root';
const ROOT_VAULT_PATH = 'platform/minio/root';
/** The Secret in MinIO's namespace holding one user's secret key, read by the user-making job. */
export const userSecretName = (user: string) => `minio-user-${user}`;
const MC = res('10m', '32Mi', '200m', '128Mi');

const workloads: WorkloadSpec[] = [
  {
    kind: 'Deployment',
    name: NAME,
    podLabels: { app: NAME, release: NAME },
    containers: [{ name: NAME, resources: res('100m', '384Mi', '1', '1Gi'), valuesPath: 'resources' }],
    volumeClaims: ['minio'], // persistence: the buckets
    values: { replicas: 'replicas', affinity: 'affinity', tolerations: 'tolerations', priorityClassName: 'priorityClassName' },
  },
  {
    // Helm post-install/post-upgrade hook (Argo CD PostSync): buckets, policies, users.
    kind: 'Job',
    name: `${NAME}-post-job`,
    podLabels: { app: `${NAME}-job`, release: NAME },
    // With policies to make, the chart runs that step first, as an init container.
    initContainers: [{ name: 'minio-make-policy', resources: MC, valuesPath: 'makePolicyJob.resources' }],
    containers: [
      { name: 'minio-make-bucket', resources: MC, valuesPath: 'makeBucketJob.resources' },
      { name: 'minio-make-user', resources: MC, valuesPath: 'makeUserJob.resources' },
    ],
    // The chart reads no priorityClassName for this hook: it runs unprioritised (a warning of the budget check).
    values: { affinity: 'postJob.affinity', tolerations: 'postJob.tolerations' },
  },
];

export const minio: Component = {
  name: NAME,
  description: 'S3 object store: the buckets of Thanos, Tempo and Velero, one user and policy per bucket',
  stack: 'storage',
  tier: 2,
  pool: 'apps',
  namespace: NAMESPACE,
  chart: CHARTS.minio,
  dependsOn: [],
  policyExceptions: [
    {
      name: 'minio-no-probes',
      component: 'minio',
      policies: ['require-probes'],
      match: { namespace: NAMESPACE, workloads: [NAME], kinds: ['Deployment'] },
      reason: 'the legacy MinIO chart (minio/minio helm/minio 5.4.0, no longer developed upstream) renders no liveness or readiness probe and reads no value for them',
    },
  ],
  profiles: ['lab'],
  build(ctx: ComponentContext) {
    const monitored = ctx.enabled('kube-prometheus-stack');
    const used = BUCKETS.filter((b) => ctx.enabled(b.consumer));
    const root = externalSecret(ctx.refs, {
      name: ROOT_SECRET,
      namespace: NAMESPACE,
      target: ROOT_SECRET,
      vaultPath: ROOT_VAULT_PATH,
      data: [
        { secretKey: 'rootUser', property: 'root-user' },
        { secretKey: 'rootPassword', property: 'root-password' },
      ],
    });
    const userSecrets: K8sObject[] = used.map((b) =>
      externalSecret(ctx.refs, { name: userSecretName(b.user), namespace: NAMESPACE, target: userSecretName(b.user), vaultPath: minioUserVaultPath(b.user), data: [{ secretKey: 'secret-key', property: 'secret-key' }] }),
    );
    return {
      values: {
        mode: 'standalone',
        replicas: 1,
        existingSecret: ROOT_SECRET,
        persistence: { enabled: true, size: '20Gi', annotations: { ...KEEP_ON_DELETE } },
        // The chart's user (1000) owns the volume; the server writes only to it.
        securityContext: { enabled: true, ...restrictedPod(1000), fsGroupChangePolicy: 'OnRootMismatch' },
        containerSecurityContext: restrictedContainer({ readOnlyRootFilesystem: false }),
        postJob: { securityContext: { enabled: true, ...restrictedPod(1000) } },
        makePolicyJob: { securityContext: { enabled: true }, containerSecurityContext: restrictedContainer({ readOnlyRootFilesystem: false }) },
        makeBucketJob: { securityContext: { enabled: true }, containerSecurityContext: restrictedContainer({ readOnlyRootFilesystem: false }) },
        makeUserJob: { securityContext: { enabled: true }, containerSecurityContext: restrictedContainer({ readOnlyRootFilesystem: false }) },
        buckets: used.map((b) => ({ name: b.bucket, policy: 'none', purge: false, versioning: false, objectlocking: false })),
        policies: used.map((b) => ({
          name: `${b.user}-bucket`,
          statements: [
            { resources: [`arn:aws:s3:::${b.bucket}`], actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'] },
            { resources: [`arn:aws:s3:::${b.bucket}/*`], actions: ['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:PutObject'] },
          ],
        })),
        users: used.map((b) => ({ accessKey: b.user, existingSecret: userSecretName(b.user), existingSecretKey: 'secret-key', policy: `${b.user}-bucket` })),
        metrics: { serviceMonitor: { enabled: monitored, public: true } },
      },
      workloads,
      usesGroups: monitored ? ['monitoring.coreos.com'] : [],
      endpoints: [{ name: 'minio', title: 'MinIO console', service: MINIO_CONSOLE.service, port: MINIO_CONSOLE.port }],
      secrets: [
        { path: ROOT_VAULT_PATH, keys: [{ name: 'root-user', generate: { value: 'minio-admin' } }, { name: 'root-password', generate: 'password' }] },
        ...used.map((b) => minioUserSecret(b.user)),
      ],
      manifests: [root, ...userSecrets],
    };
  },
};
