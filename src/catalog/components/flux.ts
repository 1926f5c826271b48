/**
 * Flux, the GitOps engine of seed 002 (tier 1: what you need to repair), from
 * the Flux community chart. `plinth up` installs it from these values;
 * afterwards it manages itself through its own Kustomization and HelmRelease,
 * like Argo CD does through its Application.
 *
 * Four controllers: source-controller (fetches this repository and the charts
 * and serves them to the others as artifacts), kustomize-controller (applies
 * the Kustomizations), helm-controller (installs the HelmReleases) and
 * notification-controller (receives their events). Image automation is off:
 * the repository is written by `plinth plan` and golden paths, not by a bot.
 *
 * The CRDs are templates of the chart, so `helm.sh/resource-policy: keep`
 * makes them outlive an uninstall (deleting a CRD deletes every object of
 * its kind: every Kustomization, HelmRelease and source of the platform).
 * The chart's own NetworkPolicies are off: the platform's are generated from
 * the connections declared here (ADR 012).
 */
import { res } from '../../model/resources.js';
import type { WorkloadSpec } from '../../model/unit.js';
import { CHARTS } from '../charts.js';
import type { Component } from '../component.js';
import { connect, service } from '../network.js';

export const FLUX_NAMESPACE = 'flux-system';
export const FLUX_UNIT = 'flux';

/** The controllers: values key, Deployment name (its pods are labelled `app: <name>`). */
export const FLUX_CONTROLLERS = [
  { key: 'sourceController', name: 'source-controller' },
  { key: 'kustomizeController', name: 'kustomize-controller' },
  { key: 'helmController', name: 'helm-controller' },
  { key: 'notificationController', name: 'notification-controller' },
] as const;

/**
 * What each controller requests: the chart's 100m/64Mi requests are its
 * defaults; helm-controller and source-controller hold whole charts and
 * renders in memory (the platform's largest render, kyverno, is ~140 MiB at
 * its peak), kustomize-controller the built manifests of one Kustomization.
 */
const RESOURCES: Record<(typeof FLUX_CONTROLLERS)[number]['name'], ReturnType<typeof res>> = {
  'source-controller': res('50m', '64Mi', '1', '512Mi'),
  'kustomize-controller': res('50m', '64Mi', '1', '512Mi'),
  'helm-controller': res('50m', '96Mi', '1', '768Mi'),
  'notification-controller': res('10m', '32Mi', '200m', '128Mi'),
};

const workloads: WorkloadSpec[] = [
  ...FLUX_CONTROLLERS.map(
    ({ key, name }): WorkloadSpec => ({
      kind: 'Deployment',
      name,
      podLabels: { app: name },
      containers: [{ name: 'manager', resources: RESOURCES[name], valuesPath: `${key}.resources` }],
      values: { affinity: `${key}.affinity`, tolerations: `${key}.tolerations`, priorityClassName: `${key}.priorityClassName` },
    }),
  ),
  // The chart's pre-install hook (`flux check --pre`); the chart gives it no priority class value.
  {
    kind: 'Job',
    name: `${FLUX_UNIT}-flux-check`,
    podLabels: {},
    containers: [{ name: 'flux-cli', resources: res('10m', '32Mi', '200m', '128Mi'), valuesPath: 'cli.resources' }],
    values: { affinity: 'cli.affinity', tolerations: 'cli.tolerations' },
  },
];

export const flux: Component = {
  name: FLUX_UNIT,
  description: 'the GitOps engine: Kustomizations and HelmReleases reconcile this repository into the cluster, itself included',
  stack: 'core',
  tier: 1,
  pool: 'infra',
  namespace: FLUX_NAMESPACE,
  chart: CHARTS.flux2,
  dependsOn: [],
  crdGroups: ['source.toolkit.fluxcd.io', 'kustomize.toolkit.fluxcd.io', 'helm.toolkit.fluxcd.io', 'notification.toolkit.fluxcd.io'],
  profiles: ['edge', 'compact', 'standard', 'lab'],
  serves: { engine: ['flux'] },
  build() {
    const controllers = Object.fromEntries(FLUX_CONTROLLERS.map(({ key }) => [key, { create: true }]));
    return {
      values: {
        installCRDs: true,
        crds: { annotations: { 'helm.sh/resource-policy': 'keep' } },
        policies: { create: false },
        ...controllers,
        imageAutomationController: { create: false },
        imageReflectionController: { create: false },
        sourceWatcher: { create: false },
        logLevel: 'info',
        watchAllNamespaces: true,
      },
      workloads,
      network: {
        services: [
          service('source-controller', 'source-controller', [80, 9090]),
          service('notification-controller', 'notification-controller', [80, 9090]),
          service('webhook-receiver', 'notification-controller', [80, 9292]),
        ],
        connections: [
          connect({ unit: FLUX_UNIT, service: 'source-controller', port: 80 }, 'downloads the artifacts of the sources (this repository, charts)', 'kustomize-controller', 'helm-controller'),
          connect({ unit: FLUX_UNIT, service: 'notification-controller', port: 80 }, 'sends reconciliation events', 'source-controller', 'kustomize-controller', 'helm-controller'),
        ],
      },
    };
  },
};
