/**
 * External Secrets Operator (seed 001 "Secrets Management"): syncs Vault
 * entries into Kubernetes Secrets, so nothing secret is ever in Git. Its glue
 * is the platform ClusterSecretStore every ExternalSecret points at: Vault's
 * KV v2 mount over TLS (trusting the platform CA from Vault's own certificate
 * Secret), logged in with the kubernetes auth method as the controller's
 * ServiceAccount. `plinth up` creates the Vault role that account maps to.
 */
import type { K8sObject } from '../../model/k8s.js';
import { res } from '../../model/resources.js';
import type { WorkloadSpec } from '../../model/unit.js';
import { CHARTS } from '../charts.js';
import type { Component, ComponentContext } from '../component.js';
import { clusterScoped, externalSecret } from '../glue.js';
import { ARGOCD_VAULT_PATH } from './argocd.js';
import { VAULT_TLS_SECRET } from './vault.js';
import { KEEP_ON_DELETE } from '../../model/labels.js';
import { connect, service, webhook } from '../network.js';

const NAMESPACE = 'external-secrets';
/** The controller's ServiceAccount (the chart names it after the release). */
export const ESO_SERVICE_ACCOUNT = 'external-secrets';
/** The Vault kubernetes-auth role the controller logs in with. */
export const ESO_VAULT_ROLE = 'external-secrets';
const VAULT_AUTH_MOUNT = 'kubernetes';

const podLabels = (name: string) => ({ 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': 'external-secrets' });

/** The three Deployments read the same keys, at the top level (controller) or under their section. */
function workload(section: string, name: string, container: string, resources: ReturnType<typeof res>): WorkloadSpec {
  const key = (k: string) => (section ? `${section}.${k}` : k);
  return {
    kind: 'Deployment',
    name,
    podLabels: podLabels(name),
    containers: [{ name: container, resources, valuesPath: key('resources') }],
    values: { replicas: key('replicaCount'), affinity: key('affinity'), tolerations: key('tolerations'), priorityClassName: key('priorityClassName') },
  };
}

const workloads: WorkloadSpec[] = [
  workload('', 'external-secrets', 'external-secrets', res('10m', '64Mi', '200m', '256Mi')),
  workload('webhook', 'external-secrets-webhook', 'webhook', res('10m', '32Mi', '100m', '128Mi')),
  workload('certController', 'external-secrets-cert-controller', 'cert-controller', res('10m', '48Mi', '100m', '192Mi')),
];

function clusterSecretStore(ctx: ComponentContext): K8sObject {
  return clusterScoped('external-secrets.io/v1', 'ClusterSecretStore', ctx.refs.secretStore, {
    spec: {
      provider: {
        vault: {
          server: ctx.refs.vaultAddress,
          path: ctx.refs.vaultKvMount,
          version: 'v2',
          caProvider: { type: 'Secret', name: VAULT_TLS_SECRET, namespace: ctx.namespaceOf('vault'), key: 'ca.crt' },
          auth: {
            kubernetes: {
              mountPath: VAULT_AUTH_MOUNT,
              role: ESO_VAULT_ROLE,
              serviceAccountRef: { name: ESO_SERVICE_ACCOUNT, namespace: NAMESPACE },
            },
          },
        },
      },
    },
  });
}

export const externalSecrets: Component = {
  name: 'external-secrets',
  description: 'syncs secrets from Vault into Kubernetes Secrets through the platform ClusterSecretStore',
  stack: 'core',
  tier: 2,
  pool: 'infra',
  namespace: NAMESPACE,
  chart: CHARTS.externalSecrets,
  dependsOn: ['vault'],
  crdGroups: ['external-secrets.io', 'generators.external-secrets.io'],
  policyExceptions: [
    {
      name: 'external-secrets-probes',
      component: 'external-secrets',
      policies: ['require-probes'],
      match: { namespace: 'external-secrets', workloads: ['external-secrets', 'external-secrets-webhook', 'external-secrets-cert-controller'], kinds: ['Deployment'] },
      reason: 'the chart leaves the probes of its three controllers off by default',
    },
  ],
  profiles: ['edge', 'compact', 'standard', 'lab'],
  serves: { secrets: ['vault', 'both'] },
  build(ctx: ComponentContext) {
    const monitored = ctx.enabled('kube-prometheus-stack');
    return {
      values: {
        installCRDs: true,
        // Kept when External Secrets goes: every component's ExternalSecrets are of these kinds.
        crds: { annotations: { ...KEEP_ON_DELETE } },
        // Render the ServiceMonitors whatever the renderer knows of the cluster (no lookup of the CRD).
        serviceMonitor: { enabled: monitored, renderMode: 'alwaysRender' },
      },
      workloads,
      usesGroups: monitored ? ['monitoring.coreos.com'] : [],
      network: {
        services: [
          service('external-secrets-webhook', 'external-secrets-webhook', [443, 10250], [8080]),
          service('external-secrets-metrics', 'external-secrets', [8080]),
          service('external-secrets-cert-controller-metrics', 'external-secrets-cert-controller', [8080]),
        ],
        inbound: [webhook('external-secrets-webhook')],
        connections: ctx.enabled('vault') ? [connect({ unit: 'vault', service: 'vault', port: 8200 }, 'reads platform secrets from Vault (the ClusterSecretStore)', 'external-secrets')] : [],
        scraped: monitored ? ['external-secrets-webhook', 'external-secrets-metrics', 'external-secrets-cert-controller-metrics'].map((s) => ({ service: s, port: 8080 })) : [],
      },
      manifests: [clusterSecretStore(ctx), ...(ctx.enabled('argocd') ? [argocdAdminPassword(ctx)] : [])],
    };
  },
};

/**
 * Argo CD's admin password (bcrypt hash from Vault), merged into the
 * `argocd-secret` the argo-cd chart creates (`creationPolicy: Merge`: both own
 * the Secret). It ships here rather than with Argo CD so that the tier-1
 * engine never depends on tier-2 Vault and External Secrets.
 */
function argocdAdminPassword(ctx: ComponentContext): K8sObject {
  return externalSecret(ctx.refs, {
    name: 'argocd-admin',
    namespace: ctx.namespaceOf('argocd'),
    target: 'argocd-secret',
    vaultPath: ARGOCD_VAULT_PATH,
    merge: true,
    data: [{ secretKey: 'admin.password', property: 'admin-password-bcrypt' }],
  });
}
