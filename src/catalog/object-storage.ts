/**
 * Object storage of the lab (seed 004 "Storage & Backup"): MinIO holds the
 * blocks of Thanos and Tempo and Velero's backups. Each consumer gets its own
 * bucket, its own MinIO user with a policy limited to that bucket, and its
 * credentials in Vault (`platform/minio/<user>`): MinIO's post-install job
 * creates the user from a Secret in MinIO's namespace, and the consumer reads
 * the same Vault entry through an ExternalSecret in its own namespace, shaped
 * as it wants it (an objstore file, environment variables, an AWS profile).
 * No credential is in Git.
 */
import type { K8sObject } from '../model/k8s.js';
import type { VaultSecret } from '../model/unit.js';
import type { ComponentContext, SharedRefs } from './component.js';
import { namespaced } from './glue.js';

/** The MinIO S3 API Service (standalone mode: release name `minio`). */
export const MINIO_S3 = { service: 'minio', port: 9000 } as const;
/** MinIO's console Service. */
export const MINIO_CONSOLE = { service: 'minio-console', port: 9001 } as const;

export interface BucketUse {
  /** The component reading and writing it. */
  consumer: string;
  bucket: string;
  /** The MinIO user (access key) of that consumer. */
  user: string;
}

/** Every bucket the platform creates, with whose it is. */
export const BUCKETS: readonly BucketUse[] = [
  { consumer: 'thanos', bucket: 'thanos', user: 'thanos' },
  { consumer: 'tempo', bucket: 'tempo', user: 'tempo' },
  { consumer: 'velero', bucket: 'velero', user: 'velero' },
];

export function bucketOf(consumer: string): BucketUse {
  const b = BUCKETS.find((x) => x.consumer === consumer);
  // Invariant, not input: every consumer the catalog names has a bucket in the same table; a miss is a bug (exit 70).
  if (!b) throw new Error(`no bucket for ${consumer}`);
  return b;
}

/** Vault entry of a MinIO user: `access-key` (the user name) and a generated `secret-key`. */
export function minioUserVaultPath(user: string): string {
  return `platform/minio/${user}`;
}

export function minioUserSecret(user: string): VaultSecret {
  return { path: minioUserVaultPath(user), keys: [{ name: 'access-key', generate: { value: user } }, { name: 'secret-key', generate: 'password' }] };
}

/** `minio.<namespace>.svc:9000`: where consumers reach the S3 API (plain HTTP inside the cluster). */
export function s3Endpoint(ctx: ComponentContext): string {
  return `${MINIO_S3.service}.${ctx.namespaceOf('minio')}.svc:${MINIO_S3.port}`;
}

/**
 * An ExternalSecret producing Secret `name` from a MinIO user's Vault entry,
 * its keys rendered by External Secrets' templates from `accessKey` and
 * `secretKey` (e.g. `objstore.yml: "...access_key: {{ .accessKey }}..."`).
 */
export function bucketCredentials(refs: SharedRefs, o: { name: string; namespace: string; user: string; data: Record<string, string> }): K8sObject {
  const path = minioUserVaultPath(o.user);
  return namespaced('external-secrets.io/v1', 'ExternalSecret', o.name, o.namespace, {
    spec: {
      refreshInterval: '1h',
      secretStoreRef: { kind: 'ClusterSecretStore', name: refs.secretStore },
      target: { name: o.name, creationPolicy: 'Owner', deletionPolicy: 'Retain', template: { engineVersion: 'v2', mergePolicy: 'Replace', data: o.data } },
      data: [
        { secretKey: 'accessKey', remoteRef: { key: path, property: 'access-key' } },
        { secretKey: 'secretKey', remoteRef: { key: path, property: 'secret-key' } },
      ],
    },
  });
}
