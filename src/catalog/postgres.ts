/**
 * A small PostgreSQL for one component (SonarQube's database; Kong's or
 * Backstage's where a profile has them): one StatefulSet of the official
 * `postgres` image on a volume of the default storage class, a Service, and
 * its password from Vault through an ExternalSecret. The chart cache has no
 * PostgreSQL chart of its own (the Bitnami chart comes only vendored inside
 * other charts, and Bitnami withdrew its public images in 2025), and no
 * operator; so this is glue, budgeted and placed like every workload, and
 * synced one in-Application wave before the chart that uses it.
 *
 * The password takes effect when the database is created (initdb reads
 * POSTGRES_PASSWORD once). `plinth up` never changes a key Vault holds; a
 * password changed in Vault by hand needs an `ALTER ROLE` in the database too.
 */
import type { Labels } from '../model/k8s.js';
import type { K8sObject } from '../model/k8s.js';
import { res, type Resources } from '../model/resources.js';
import type { VaultSecret, WorkloadSpec } from '../model/unit.js';
import type { SharedRefs } from './component.js';
import { externalSecret, namespaced } from './glue.js';

/** The official image (Docker Library), PostgreSQL 17: the newest major SonarQube 2026.x supports. */
export const POSTGRES_IMAGE = 'postgres:17.7';
/** The image's `postgres` user. */
const POSTGRES_UID = 999;
const DATA_DIR = '/var/lib/postgresql/data';
/** Argo CD's in-Application order: the database before the chart (wave 0), so the chart's first start finds it. */
const BEFORE_CHART = { 'argocd.argoproj.io/sync-wave': '-1' };

export interface PostgresSpec {
  /** Base name of the objects (`<name>`: StatefulSet, Service, Secret). */
  name: string;
  namespace: string;
  database: string;
  user: string;
  /** KV path in Vault holding the password (key `password`). */
  vaultPath: string;
  storage: string;
  resources?: Resources;
}

export interface PostgresDatabase {
  manifests: K8sObject[];
  workload: WorkloadSpec;
  secret: VaultSecret;
  /** Secret with key `password`, for the client. */
  passwordSecret: string;
  host: string;
  port: number;
  jdbcUrl: string;
}

export function postgresDatabase(refs: SharedRefs, spec: PostgresSpec): PostgresDatabase {
  const labels: Labels = { 'app.kubernetes.io/name': 'postgresql', 'app.kubernetes.io/instance': spec.name };
  const passwordSecret = `${spec.name}-password`;
  const resources = spec.resources ?? res('50m', '96Mi', '500m', '384Mi');
  const ready = { exec: { command: ['pg_isready', '-h', '127.0.0.1', '-U', spec.user, '-d', spec.database] } };
  const statefulSet = namespaced('apps/v1', 'StatefulSet', spec.name, spec.namespace, {
    spec: {
      serviceName: spec.name,
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          securityContext: { runAsUser: POSTGRES_UID, runAsGroup: POSTGRES_UID, fsGroup: POSTGRES_UID, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: 'postgresql',
              image: POSTGRES_IMAGE,
              // 50 connections: room for two client pools of 20 (SonarQube's web and compute engine).
              args: ['-c', 'shared_buffers=32MB', '-c', 'max_connections=50'],
              ports: [{ name: 'postgresql', containerPort: 5432 }],
              env: [
                { name: 'POSTGRES_DB', value: spec.database },
                { name: 'POSTGRES_USER', value: spec.user },
                { name: 'POSTGRES_PASSWORD', valueFrom: { secretKeyRef: { name: passwordSecret, key: 'password' } } },
                // A folder of the volume: initdb wants an empty one it owns, and a volume's root may hold lost+found.
                { name: 'PGDATA', value: `${DATA_DIR}/pgdata` },
              ],
              resources,
              readinessProbe: { ...ready, periodSeconds: 10, timeoutSeconds: 5 },
              livenessProbe: { ...ready, initialDelaySeconds: 30, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 6 },
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
              volumeMounts: [
                { name: 'data', mountPath: DATA_DIR },
                { name: 'run', mountPath: '/var/run/postgresql' },
                { name: 'tmp', mountPath: '/tmp' },
              ],
            },
          ],
          volumes: [
            { name: 'run', emptyDir: {} },
            { name: 'tmp', emptyDir: {} },
          ],
        },
      },
      // As the API server stores it (apiVersion, kind, volumeMode defaulted): a field Git lacks keeps Argo CD OutOfSync.
      volumeClaimTemplates: [
        { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: spec.storage } }, volumeMode: 'Filesystem' } },
      ],
    },
  });
  const service = namespaced('v1', 'Service', spec.name, spec.namespace, { spec: { selector: labels, ports: [{ name: 'postgresql', port: 5432, targetPort: 'postgresql' }] } });
  const password = externalSecret(refs, { name: passwordSecret, namespace: spec.namespace, target: passwordSecret, vaultPath: spec.vaultPath, data: [{ secretKey: 'password', property: 'password' }] });
  const early = (o: K8sObject): K8sObject => ({ ...o, metadata: { ...o.metadata, annotations: { ...(o.metadata.annotations ?? {}), ...BEFORE_CHART } } });
  return {
    manifests: [password, service, statefulSet].map(early),
    workload: {
      kind: 'StatefulSet',
      name: spec.name,
      glue: true,
      podLabels: labels,
      containers: [{ name: 'postgresql', resources, valuesPath: 'spec.template.spec.containers.0.resources' }],
      volumeClaims: ['data'],
      values: {
        replicas: 'spec.replicas',
        affinity: 'spec.template.spec.affinity',
        tolerations: 'spec.template.spec.tolerations',
        priorityClassName: 'spec.template.spec.priorityClassName',
      },
    },
    secret: { path: spec.vaultPath, keys: [{ name: 'password', generate: 'password' }] },
    passwordSecret,
    host: `${spec.name}.${spec.namespace}.svc`,
    port: 5432,
    jdbcUrl: `jdbc:postgresql://${spec.name}.${spec.namespace}.svc:5432/${spec.database}`,
  };
}
