/**
 * Sealed Secrets (seed 002 "Secrets Management", tier 2): Secrets that must
 * live in Git, encrypted for this cluster. The controller holds the private
 * key (a Secret it creates in its namespace, `sealed-secrets-key<suffix>`,
 * labelled `sealedsecrets.bitnami.com/sealed-secrets-key=active`) and turns
 * every SealedSecret into the Secret it seals.
 *
 * The names are fixed, because tools find the controller by them: release
 * `sealed-secrets-controller` (fullnameOverride) in namespace
 * `sealed-secrets`, Service `sealed-secrets-controller` port `http` (8080),
 * which serves the public certificate at `/v1/cert.pem` through the API
 * server's service proxy (`kubeseal --fetch-cert`, `plinth up`, and
 * `plinth seal` after it). kubeseal's own defaults are the same controller
 * name in kube-system, so pass `--controller-namespace sealed-secrets`.
 *
 * The CRD comes from the chart's `crds/` folder, which no value can annotate:
 * deleting it would delete every SealedSecret and, through their owner
 * references, the Secrets they made. So this unit's resources outlive it
 * (`keepOnDelete`).
 */
import { res } from '../../model/resources.js';
import type { WorkloadSpec } from '../../model/unit.js';
import { CHARTS } from '../charts.js';
import type { Component, ComponentContext } from '../component.js';
import { DASHBOARD_FOLDER_ANNOTATION, DASHBOARD_LABEL } from '../dashboards/index.js';
import { inbound, service } from '../network.js';

/** Where tools find the controller (`plinth seal`, `kubeseal --controller-name/--controller-namespace`). */
export const SEALED_SECRETS_CONTROLLER = {
  namespace: 'sealed-secrets',
  name: 'sealed-secrets-controller',
  service: 'sealed-secrets-controller',
  portName: 'http',
  port: 8080,
  certPath: '/v1/cert.pem',
  keyLabel: 'sealedsecrets.bitnami.com/sealed-secrets-key',
} as const;
export const SEALED_SECRET_API = 'bitnami.com/v1alpha1';

const podLabels = { 'app.kubernetes.io/name': 'sealed-secrets', 'app.kubernetes.io/instance': 'sealed-secrets' };

const workloads: WorkloadSpec[] = [
  {
    kind: 'Deployment',
    name: SEALED_SECRETS_CONTROLLER.name,
    podLabels,
    containers: [{ name: 'controller', resources: res('10m', '32Mi', '200m', '128Mi'), valuesPath: 'resources' }],
    // One replica: the chart's controller is not meant to run twice (no leader election).
    values: { affinity: 'affinity', tolerations: 'tolerations', priorityClassName: 'priorityClassName' },
  },
];

export const sealedSecrets: Component = {
  name: 'sealed-secrets',
  description: 'Secrets that must be in Git, sealed for this cluster: the controller decrypts SealedSecrets into Secrets',
  stack: 'core',
  tier: 2,
  pool: 'infra',
  namespace: SEALED_SECRETS_CONTROLLER.namespace,
  chart: CHARTS.sealedSecrets,
  dependsOn: [],
  crdGroups: ['bitnami.com'],
  keepOnDelete: "its CRD (from the chart's crds/ folder, which no value annotates) holds every SealedSecret, and their Secrets go with them",
  profiles: ['compact'],
  serves: { secrets: ['sealed-secrets', 'both'] },
  build(ctx: ComponentContext) {
    const monitored = ctx.enabled('kube-prometheus-stack');
    return {
      values: {
        fullnameOverride: SEALED_SECRETS_CONTROLLER.name,
        service: { port: SEALED_SECRETS_CONTROLLER.port },
        podSecurityContext: { enabled: true, fsGroup: 65534, seccompProfile: { type: 'RuntimeDefault' } },
        containerSecurityContext: {
          enabled: true,
          readOnlyRootFilesystem: true,
          runAsNonRoot: true,
          runAsUser: 1001,
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'] },
        },
        metrics: {
          serviceMonitor: { enabled: monitored },
          dashboards: {
            create: monitored,
            labels: { [DASHBOARD_LABEL.key]: DASHBOARD_LABEL.value },
            annotations: { [DASHBOARD_FOLDER_ANNOTATION]: 'Sealed Secrets' },
          },
        },
      },
      workloads,
      usesGroups: monitored ? ['monitoring.coreos.com'] : [],
      network: {
        services: [service(SEALED_SECRETS_CONTROLLER.service, SEALED_SECRETS_CONTROLLER.name, [SEALED_SECRETS_CONTROLLER.port]), service('sealed-secrets-controller-metrics', SEALED_SECRETS_CONTROLLER.name, [8081])],
        inbound: [inbound('api-server', SEALED_SECRETS_CONTROLLER.service, SEALED_SECRETS_CONTROLLER.port, 'the API server\'s service proxy serves the public certificate (kubeseal --fetch-cert, plinth up)')],
        scraped: monitored ? [{ service: 'sealed-secrets-controller-metrics', port: 8081 }] : [],
      },
    };
  },
};
