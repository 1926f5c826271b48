/**
 * Argo CD, the GitOps engine (tier 1: what you need to repair). `plinth up`
 * installs it from these values; afterwards it manages itself through its own
 * Application. The admin password comes from Vault, merged by External
 * Secrets into the `argocd-secret` the chart creates (`creationPolicy: Merge`);
 * that ExternalSecret ships with the external-secrets unit, so the tier-1
 * engine never waits for tier-2 Vault to sync (a sealed Vault after a reboot
 * must not stop Argo CD from repairing the platform).
 */
import { res } from '../../model/resources.js';
import type { WorkloadSpec } from '../../model/unit.js';
import { CHARTS } from '../charts.js';
import type { Component, ComponentContext } from '../component.js';

const NAMESPACE = 'argocd';
/** Vault entry of the admin password; `argocdAdminPassword` (external-secrets) reads it. */
export const ARGOCD_VAULT_PATH = 'platform/argocd';
const VAULT_PATH = ARGOCD_VAULT_PATH;

/** Pods of the chart are selected by `app.kubernetes.io/name: argocd-<component>`. */
const podLabels = (component: string) => ({ 'app.kubernetes.io/name': `argocd-${component}`, 'app.kubernetes.io/instance': 'argocd' });

/** Most Argo CD workloads read the same keys under their own section. */
function section(key: string, kind: WorkloadSpec['kind'], name: string, container: string, resources: ReturnType<typeof res>, extra: Partial<WorkloadSpec> = {}): WorkloadSpec {
  return {
    kind,
    name,
    podLabels: podLabels(name.replace(/^argocd-/, '')),
    containers: [{ name: container, resources, valuesPath: `${key}.resources` }],
    values: {
      replicas: `${key}.replicas`,
      affinity: `${key}.affinity`,
      tolerations: `${key}.tolerations`,
      priorityClassName: `${key}.priorityClassName`,
    },
    ...extra,
  };
}

const workloads: WorkloadSpec[] = [
  section('controller', 'StatefulSet', 'argocd-application-controller', 'application-controller', res('100m', '256Mi', '1', '768Mi')),
  section('repoServer', 'Deployment', 'argocd-repo-server', 'repo-server', res('50m', '128Mi', '500m', '512Mi'), {
    initContainers: [{ name: 'copyutil', resources: res('10m', '16Mi', '100m', '64Mi'), valuesPath: 'repoServer.copyutil.resources' }],
  }),
  section('server', 'Deployment', 'argocd-server', 'server', res('25m', '64Mi', '500m', '256Mi')),
  section('applicationSet', 'Deployment', 'argocd-applicationset-controller', 'applicationset-controller', res('10m', '48Mi', '200m', '128Mi')),
  section('redis', 'Deployment', 'argocd-redis', 'redis', res('10m', '32Mi', '200m', '128Mi'), {
    values: { affinity: 'redis.affinity', tolerations: 'redis.tolerations', priorityClassName: 'redis.priorityClassName' },
  }),
  section('notifications', 'Deployment', 'argocd-notifications-controller', 'notifications-controller', res('10m', '32Mi', '100m', '96Mi'), {
    tier: 2,
    values: { affinity: 'notifications.affinity', tolerations: 'notifications.tolerations', priorityClassName: 'notifications.priorityClassName' },
  }),
  section('redisSecretInit', 'Job', 'argocd-redis-secret-init', 'secret-init', res('10m', '32Mi', '100m', '64Mi'), {
    values: { affinity: 'redisSecretInit.affinity', tolerations: 'redisSecretInit.tolerations', priorityClassName: 'redisSecretInit.priorityClassName' },
  }),
];

export const argocd: Component = {
  name: 'argocd',
  description: 'the GitOps engine: reconciles this repository into the cluster, itself included',
  stack: 'core',
  tier: 1,
  pool: 'infra',
  namespace: NAMESPACE,
  chart: CHARTS.argoCd,
  dependsOn: [],
  crdGroups: ['argoproj.io/Application', 'argoproj.io/ApplicationSet', 'argoproj.io/AppProject'],
  provides: [
    { apiVersion: 'v1', kind: 'Secret', name: 'argocd-secret', namespace: NAMESPACE },
    // Written by the chart's redis-secret-init hook Job before the pods start.
    { apiVersion: 'v1', kind: 'Secret', name: 'argocd-redis', namespace: NAMESPACE },
  ],
  policyExceptions: [
    {
      name: 'argocd-controllers-probes',
      component: 'argocd',
      policies: ['require-probes'],
      match: { namespace: NAMESPACE, workloads: ['argocd-applicationset-controller', 'argocd-notifications-controller', 'argocd-redis'], kinds: ['Deployment'] },
      reason: 'controllers with leader election and the chart-managed Redis: the chart defines no readiness and liveness probes for them',
    },
  ],
  profiles: ['edge'],
  build(ctx: ComponentContext) {
    const monitored = ctx.enabled('kube-prometheus-stack');
    const metrics = { metrics: { enabled: monitored, serviceMonitor: { enabled: monitored } } };
    const progressive = ctx.platform.config.gitops.progressiveSync;
    return {
      values: {
        crds: { install: true, keep: true },
        global: { domain: ctx.host('argocd') },
        configs: {
          params: {
            // TLS ends at the platform Gateway.
            'server.insecure': true,
            'applicationsetcontroller.enable.progressive.syncs': progressive,
          },
          cm: {
            'admin.enabled': true,
            'exec.enabled': false,
            'statusbadge.enabled': true,
          },
          secret: { createSecret: true },
        },
        dex: { enabled: false },
        controller: metrics,
        server: metrics,
        repoServer: metrics,
        applicationSet: metrics,
      },
      workloads,
      usesGroups: monitored ? ['monitoring.coreos.com'] : [],
      endpoints: [{ name: 'argocd', title: 'Argo CD', service: 'argocd-server', port: 80 }],
      secrets: [
        {
          path: VAULT_PATH,
          keys: [
            { name: 'admin-password', generate: 'password' },
            { name: 'admin-password-bcrypt', generate: { bcryptOf: 'admin-password' } },
          ],
        },
      ],
    };
  },
};
