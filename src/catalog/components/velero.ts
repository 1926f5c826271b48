/**
 * Velero, disaster recovery (seed 004 "Disaster Recovery Flow"): backups of
 * namespaces, their objects and their volume data, to the `velero` bucket of
 * MinIO; `plinth backup` and `plinth restore --namespace N` start and follow
 * them (src/ops/backup.ts).
 *
 * Volume data goes by file-system backup (Kopia, through the node agent on
 * every node), not CSI snapshots: the lab's volumes are k3s local-path
 * volumes, a hostPath provisioner that is not a CSI driver and has no
 * snapshots, and a snapshot would stay on the node it backs up anyway. The
 * node agent reads each pod's volumes from the kubelet's directory on its
 * node and uploads them, deduplicated and encrypted, with the objects.
 * (docs/adr/009-lab-backups.md.)
 *
 * The daily Schedule covers every tenant namespace and every platform
 * namespace whose workloads keep a volume, except MinIO's own (a backup of
 * the bucket store into itself restores nothing). Thanos and Tempo keep
 * their blocks in MinIO already; Vault's raft data is copied as files of a
 * running Vault (crash-consistent), which its integrated storage recovers.
 */
import { res } from '../../model/resources.js';
import type { WorkloadSpec } from '../../model/unit.js';
import { CHARTS } from '../charts.js';
import { restrictedContainer, restrictedPod } from '../security.js';
import type { Component, ComponentContext } from '../component.js';
import { bucketCredentials, bucketOf, MINIO_S3 } from '../object-storage.js';

const NAME = 'velero';
const NAMESPACE = 'velero';
/** The AWS plugin (S3 API, MinIO included) paired with Velero 1.18. */
const AWS_PLUGIN_IMAGE = 'docker.io/velero/velero-plugin-for-aws:v1.14.2';
/** The Secret holding the AWS-style credentials file (key `cloud`). */
export const VELERO_CREDENTIALS = { secret: 'velero-credentials', key: 'cloud' } as const;
/** The backup location the Schedule and `plinth backup` use. */
export const BACKUP_LOCATION = 'default';
/** The daily Schedule (rendered `velero-daily`): at 03:00, kept for a week. */
export const DAILY_SCHEDULE = { key: 'daily', name: `${NAME}-daily`, cron: '0 3 * * *', ttl: '168h' } as const;

const workloads: WorkloadSpec[] = [
  {
    kind: 'Deployment',
    name: NAME,
    podLabels: { 'app.kubernetes.io/name': NAME, 'app.kubernetes.io/instance': NAME },
    containers: [{ name: NAME, resources: res('25m', '128Mi', '1', '512Mi'), valuesPath: 'resources' }],
    initContainers: [{ name: 'velero-plugin-for-aws', resources: res('5m', '16Mi', '100m', '64Mi'), valuesPath: 'initContainers.0.resources' }],
    values: { affinity: 'affinity', tolerations: 'tolerations', priorityClassName: 'priorityClassName' },
  },
  {
    kind: 'DaemonSet',
    name: 'node-agent',
    placement: 'every-node',
    podLabels: { name: 'node-agent' },
    // Kopia hashes and compresses what it uploads: the limit bounds a backup of a large volume.
    containers: [{ name: 'node-agent', resources: res('10m', '64Mi', '1', '768Mi'), valuesPath: 'nodeAgent.resources' }],
    values: { tolerations: 'nodeAgent.tolerations', priorityClassName: 'nodeAgent.priorityClassName' },
  },
];

/**
 * Namespaces the daily backup covers: every team namespace, and the
 * platform namespaces where an enabled component keeps a volume (MinIO's
 * excepted), sorted.
 */
export function backedUpNamespaces(ctx: ComponentContext): string[] {
  const platform = ctx.enabledComponents
    .filter((c) => c.name !== NAME && c.name !== 'minio')
    .filter((c) => (c.build(ctx).workloads ?? []).some((w) => (w.volumeClaims?.length ?? 0) > 0))
    .map((c) => c.namespace);
  const teams = ctx.platform.teams.flatMap((t) => t.namespaces);
  return [...new Set([...platform, ...teams])].sort();
}

export const velero: Component = {
  name: NAME,
  description: 'disaster recovery: Velero backups of namespaces and their volumes (file-system backup) to MinIO, daily',
  stack: 'storage',
  tier: 2,
  pool: 'infra',
  namespace: NAMESPACE,
  chart: CHARTS.velero,
  dependsOn: ['minio'],
  crdGroups: ['velero.io'],
  policyExceptions: [
    {
      name: 'velero-node-agent-volumes',
      component: 'velero',
      policies: ['pss-baseline-host-path', 'pss-restricted-volume-types', 'pss-restricted-run-as-non-root', 'pss-restricted-run-as-user', 'pss-restricted-capabilities', 'pss-restricted-privilege-escalation', 'pss-restricted-seccomp'],
      match: { namespace: NAMESPACE, workloads: ['node-agent'], kinds: ['DaemonSet', 'Pod'] },
      reason: "file-system backup reads every pod's volumes where the kubelet mounts them on the node (/var/lib/kubelet/pods, a hostPath), as root, to back them up and to write them back on restore",
    },
  ],
  profiles: ['lab'],
  build(ctx: ComponentContext) {
    const monitored = ctx.enabled('kube-prometheus-stack');
    const bucket = bucketOf(NAME);
    const s3Url = `http://${MINIO_S3.service}.${ctx.namespaceOf('minio')}.svc:${MINIO_S3.port}`;
    return {
      values: {
        initContainers: [
          {
            name: 'velero-plugin-for-aws',
            image: AWS_PLUGIN_IMAGE,
            imagePullPolicy: 'IfNotPresent',
            volumeMounts: [{ mountPath: '/target', name: 'plugins' }],
            securityContext: restrictedContainer({ readOnlyRootFilesystem: true }),
          },
        ],
        // The server needs no root: it talks to the API server and to MinIO; its scratch space is an emptyDir.
        podSecurityContext: restrictedPod(65534),
        containerSecurityContext: restrictedContainer({ readOnlyRootFilesystem: true }),
        // CRDs come from the chart's crds/ folder on every sync; its hook Job (kubectl) is not needed.
        upgradeCRDs: false,
        snapshotsEnabled: false,
        deployNodeAgent: true,
        credentials: { useSecret: true, existingSecret: VELERO_CREDENTIALS.secret },
        configuration: {
          uploaderType: 'kopia',
          defaultVolumesToFsBackup: true,
          backupStorageLocation: [
            {
              name: BACKUP_LOCATION,
              provider: 'aws',
              bucket: bucket.bucket,
              default: true,
              credential: { name: VELERO_CREDENTIALS.secret, key: VELERO_CREDENTIALS.key },
              config: { region: 'minio', s3ForcePathStyle: 'true', s3Url },
            },
          ],
          volumeSnapshotLocation: [],
        },
        schedules: {
          [DAILY_SCHEDULE.key]: {
            disabled: false,
            schedule: DAILY_SCHEDULE.cron,
            useOwnerReferencesInBackup: false,
            template: {
              ttl: DAILY_SCHEDULE.ttl,
              storageLocation: BACKUP_LOCATION,
              includedNamespaces: backedUpNamespaces(ctx),
              defaultVolumesToFsBackup: true,
              snapshotVolumes: false,
            },
          },
        },
        metrics: {
          enabled: monitored,
          serviceMonitor: { enabled: monitored },
          nodeAgentPodMonitor: { enabled: monitored },
        },
      },
      workloads,
      usesGroups: monitored ? ['monitoring.coreos.com'] : [],
      manifests: [
        bucketCredentials(ctx.refs, {
          name: VELERO_CREDENTIALS.secret,
          namespace: NAMESPACE,
          user: bucket.user,
          data: { [VELERO_CREDENTIALS.key]: '[default]\naws_access_key_id={{ .accessKey }}\naws_secret_access_key={{ .secretKey }}\n' },
        }),
      ],
    };
  },
};
