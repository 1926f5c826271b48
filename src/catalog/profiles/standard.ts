/**
 * The standard profile's settings of shared components (seed 003 "High
 * Availability"): replicas, spreading, disruption budgets and Ceph volumes.
 * Each function takes what the component builds for every profile and
 * returns it for this one; the component files stay the same for the others.
 *
 * - Vault: 3 raft voters on distinct workers (quorum 2 of 3), data on Ceph.
 * - External Secrets: 2 controllers with leader election, 2 webhooks.
 * - Argo CD: 2 API servers, 2 repo-servers, 2 ApplicationSet controllers; one
 *   application controller (more would shard, not fail over) and one Redis,
 *   a cache that holds nothing Git and the cluster do not (ADR 018).
 * - cert-manager: 2 of each controller (leader election) and of the webhook.
 * - Kyverno: 3 admission controllers, 2 of each other controller.
 * - kube-prometheus-stack: 2 Prometheus (30 days, 50Gi Ceph volumes) and 2
 *   Alertmanager replicas (Ceph volumes for silences and notification state).
 * - Loki: its single binary on a Ceph volume, 14 days of logs.
 * Every replicated workload gets a PodDisruptionBudget that lets one pod go.
 */
import { mergeValues, type Values } from '../../lib/values.js';
import { res } from '../../model/resources.js';
import type { WorkloadSpec } from '../../model/unit.js';
import type { ComponentBuild, ComponentContext } from '../component.js';
import { CEPH_BLOCK_CLASS } from '../components/rook-ceph-cluster.js';
import { KPS_NAMES } from '../components/kube-prometheus-stack.js';
import { serverConfig as vaultServerConfig } from '../components/vault.js';

export type Tuning = (ctx: ComponentContext, built: ComponentBuild) => ComponentBuild;

/** The quorum group of Vault's raft voters. */
export const VAULT_RAFT_QUORUM = 'Vault raft quorum';
export const VAULT_REPLICAS = 3;
/** Days of metrics Prometheus keeps (seed 003 "Retention: 30 days"), and its volume. */
export const PROMETHEUS_RETENTION = { time: '30d', size: '45GB', volume: '50Gi' };
/** One pod of a replicated workload may be evicted at a time. */
const ONE_AT_A_TIME = { enabled: true, maxUnavailable: 1 };
const ONE_LEFT = { enabled: true, minAvailable: 1 };

function patch(built: ComponentBuild, changes: Readonly<Record<string, Partial<WorkloadSpec>>>, values: Values = {}): ComponentBuild {
  return {
    ...built,
    values: mergeValues(built.values ?? {}, values),
    workloads: (built.workloads ?? []).map((w) => (changes[w.name] ? { ...w, ...changes[w.name] } : w)),
  };
}

const vault: Tuning = (ctx, built) =>
  patch(
    built,
    { vault: { replicas: VAULT_REPLICAS, spread: 'required', quorum: { group: VAULT_RAFT_QUORUM }, storageClass: CEPH_BLOCK_CLASS } },
    {
      server: {
        dataStorage: { storageClass: CEPH_BLOCK_CLASS, size: '10Gi' },
        ha: { disruptionBudget: ONE_AT_A_TIME, raft: { config: vaultServerConfig(ctx.enabled('kube-prometheus-stack'), VAULT_REPLICAS) } },
      },
    },
  );

const externalSecrets: Tuning = (_ctx, built) =>
  patch(
    built,
    { 'external-secrets': { replicas: 2 }, 'external-secrets-webhook': { replicas: 2 } },
    // Two controllers reconcile only with leader election (off in the chart).
    { leaderElect: true, podDisruptionBudget: ONE_LEFT, webhook: { podDisruptionBudget: ONE_LEFT } },
  );

const argocd: Tuning = (_ctx, built) =>
  patch(
    built,
    { 'argocd-server': { replicas: 2 }, 'argocd-repo-server': { replicas: 2 }, 'argocd-applicationset-controller': { replicas: 2 } },
    { server: { pdb: ONE_AT_A_TIME }, repoServer: { pdb: ONE_AT_A_TIME }, applicationSet: { pdb: ONE_AT_A_TIME } },
  );

const certManager: Tuning = (_ctx, built) =>
  patch(
    built,
    { 'cert-manager': { replicas: 2 }, 'cert-manager-webhook': { replicas: 2 }, 'cert-manager-cainjector': { replicas: 2 } },
    { podDisruptionBudget: ONE_LEFT, webhook: { podDisruptionBudget: ONE_LEFT }, cainjector: { podDisruptionBudget: ONE_LEFT } },
  );

const kyverno: Tuning = (_ctx, built) =>
  patch(
    built,
    {
      'kyverno-admission-controller': { replicas: 3 },
      'kyverno-background-controller': { replicas: 2 },
      'kyverno-cleanup-controller': { replicas: 2 },
      'kyverno-reports-controller': { replicas: 2 },
    },
    Object.fromEntries(['admissionController', 'backgroundController', 'cleanupController', 'reportsController'].map((k) => [k, { podDisruptionBudget: { enabled: true, minAvailable: 1 } }])),
  );

/** A claim template of the Prometheus Operator's resources, on Ceph. */
const cephVolume = (size: string) => ({ volumeClaimTemplate: { spec: { storageClassName: CEPH_BLOCK_CLASS, accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } } } } });

const kubePrometheusStack: Tuning = (_ctx, built) =>
  patch(
    built,
    {
      [`prometheus-${KPS_NAMES.prometheus}`]: {
        replicas: 2,
        volumeClaims: [`prometheus-${KPS_NAMES.prometheus}-db`],
        storageClass: CEPH_BLOCK_CLASS,
        // The head block of a production cluster's series, and queries over thirty days.
        containers: (built.workloads ?? []).find((w) => w.name === `prometheus-${KPS_NAMES.prometheus}`)!.containers.map((c) => (c.name === 'prometheus' ? { ...c, resources: res('200m', '1536Mi', '2', '3Gi') } : c)),
      },
      [`alertmanager-${KPS_NAMES.alertmanager}`]: { replicas: 2, volumeClaims: [`alertmanager-${KPS_NAMES.alertmanager}-db`], storageClass: CEPH_BLOCK_CLASS },
    },
    {
      prometheus: {
        podDisruptionBudget: ONE_LEFT,
        // Thirty days on a Ceph volume that follows the pod (the edge keeps two on an emptyDir, ADR 003).
        prometheusSpec: { retention: PROMETHEUS_RETENTION.time, retentionSize: PROMETHEUS_RETENTION.size, storageSpec: { emptyDir: null, ...cephVolume(PROMETHEUS_RETENTION.volume) } },
      },
      alertmanager: { podDisruptionBudget: ONE_LEFT, alertmanagerSpec: { storage: cephVolume('1Gi') } },
    },
  );

const loki: Tuning = (_ctx, built) =>
  patch(
    built,
    { loki: { storageClass: CEPH_BLOCK_CLASS } },
    { singleBinary: { persistence: { storageClass: CEPH_BLOCK_CLASS, size: '20Gi' } }, loki: { limits_config: { retention_period: '336h' } } },
  );

export const STANDARD_TUNINGS: Readonly<Record<string, Tuning>> = {
  argocd,
  'cert-manager': certManager,
  'external-secrets': externalSecrets,
  'kube-prometheus-stack': kubePrometheusStack,
  kyverno,
  loki,
  vault,
};
