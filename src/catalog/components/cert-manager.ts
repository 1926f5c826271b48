/**
 * cert-manager and the platform PKI of seed 000 §3: a self-signed
 * ClusterIssuer bootstraps a CA Certificate, which backs the CA ClusterIssuer
 * that signs every platform certificate (the Gateway wildcard among them).
 * With plinth.yaml `tls.acme`, also the ACME ClusterIssuer `letsencrypt`
 * (HTTP-01 through the platform's ingress, src/catalog/acme.ts); through a
 * Gateway, cert-manager's Gateway API support is switched on for it.
 */
import { res } from '../../model/resources.js';
import type { WorkloadSpec } from '../../model/unit.js';
import { CHARTS } from '../charts.js';
import type { Component, ComponentContext } from '../component.js';
import { acmeIssuer } from '../acme.js';
import { clusterScoped, namespaced } from '../glue.js';
import { service, webhook } from '../network.js';

const NAMESPACE = 'cert-manager';
const SELF_SIGNED_ISSUER = 'plinth-selfsigned';
const ROOT_CA_SECRET = 'plinth-root-ca';

const labels = (name: string, component: string) => ({
  'app.kubernetes.io/name': name,
  'app.kubernetes.io/instance': 'cert-manager',
  'app.kubernetes.io/component': component,
});

const workloads: WorkloadSpec[] = [
  {
    kind: 'Deployment',
    name: 'cert-manager',
    podLabels: labels('cert-manager', 'controller'),
    containers: [{ name: 'cert-manager-controller', resources: res('20m', '64Mi', '200m', '192Mi'), valuesPath: 'resources' }],
    values: { replicas: 'replicaCount', affinity: 'affinity', tolerations: 'tolerations', priorityClassName: 'global.priorityClassName' },
  },
  {
    kind: 'Deployment',
    name: 'cert-manager-webhook',
    podLabels: labels('webhook', 'webhook'),
    containers: [{ name: 'cert-manager-webhook', resources: res('10m', '32Mi', '100m', '96Mi'), valuesPath: 'webhook.resources' }],
    values: { replicas: 'webhook.replicaCount', affinity: 'webhook.affinity', tolerations: 'webhook.tolerations', priorityClassName: 'global.priorityClassName' },
  },
  {
    kind: 'Deployment',
    name: 'cert-manager-cainjector',
    podLabels: labels('cainjector', 'cainjector'),
    containers: [{ name: 'cert-manager-cainjector', resources: res('10m', '64Mi', '100m', '192Mi'), valuesPath: 'cainjector.resources' }],
    values: {
      replicas: 'cainjector.replicaCount',
      affinity: 'cainjector.affinity',
      tolerations: 'cainjector.tolerations',
      priorityClassName: 'global.priorityClassName',
    },
  },
  {
    kind: 'Job',
    name: 'cert-manager-startupapicheck',
    podLabels: labels('startupapicheck', 'startupapicheck'),
    containers: [{ name: 'cert-manager-startupapicheck', resources: res('10m', '32Mi', '100m', '64Mi'), valuesPath: 'startupapicheck.resources' }],
    values: { affinity: 'startupapicheck.affinity', tolerations: 'startupapicheck.tolerations', priorityClassName: 'global.priorityClassName' },
  },
];

export const certManager: Component = {
  name: 'cert-manager',
  description: 'X.509 certificates for the platform, from a self-signed root CA to the Gateway wildcard',
  stack: 'core',
  tier: 2,
  pool: 'infra',
  namespace: NAMESPACE,
  chart: CHARTS.certManager,
  dependsOn: [],
  crdGroups: ['cert-manager.io', 'acme.cert-manager.io'],
  policyExceptions: [
    {
      name: 'cert-manager-controllers-probes',
      component: 'cert-manager',
      policies: ['require-probes'],
      match: { namespace: NAMESPACE, workloads: ['cert-manager', 'cert-manager-cainjector'], kinds: ['Deployment'] },
      reason: 'the controller and the CA injector serve no readiness endpoint upstream (only the webhook does)',
    },
  ],
  profiles: ['edge', 'compact', 'standard', 'lab'],
  build(ctx: ComponentContext) {
    const monitored = ctx.enabled('kube-prometheus-stack');
    const acme = acmeIssuer(ctx.platform, ctx.refs);
    const gatewaySolver = acme !== undefined && ctx.platform.choices.ingress === 'cilium-gateway';
    return {
      values: {
        crds: { enabled: true, keep: true },
        ...(gatewaySolver ? { config: { apiVersion: 'controller.config.cert-manager.io/v1alpha1', kind: 'ControllerConfiguration', enableGatewayAPI: true } } : {}),
        // Leader election in its own namespace, not kube-system (where its AppProject may not write).
        global: { leaderElection: { namespace: NAMESPACE } },
        prometheus: { enabled: true, servicemonitor: { enabled: monitored } },
      },
      workloads,
      usesGroups: monitored ? ['monitoring.coreos.com'] : [],
      network: {
        services: [service('cert-manager', 'cert-manager', [9402]), service('cert-manager-cainjector', 'cert-manager-cainjector', [9402]), service('cert-manager-webhook', 'cert-manager-webhook', [443, 10250], [9402])],
        inbound: [webhook('cert-manager-webhook')],
        scraped: monitored ? ['cert-manager', 'cert-manager-cainjector', 'cert-manager-webhook'].map((s) => ({ service: s, port: 9402 })) : [],
      },
      manifests: [
        clusterScoped('cert-manager.io/v1', 'ClusterIssuer', SELF_SIGNED_ISSUER, { spec: { selfSigned: {} } }),
        namespaced('cert-manager.io/v1', 'Certificate', ROOT_CA_SECRET, NAMESPACE, {
          spec: {
            isCA: true,
            commonName: `${ctx.platform.name} platform root CA`,
            secretName: ROOT_CA_SECRET,
            duration: '87600h',
            renewBefore: '720h',
            privateKey: { algorithm: 'ECDSA', size: 256 },
            issuerRef: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: SELF_SIGNED_ISSUER },
          },
        }),
        clusterScoped('cert-manager.io/v1', 'ClusterIssuer', ctx.refs.caIssuer, { spec: { ca: { secretName: ROOT_CA_SECRET } } }),
        ...(acme ? [acme] : []),
      ],
    };
  },
};
