/**
 * Kyverno, the policy engine (seed 000 "GitOps and Policy Engine"): admission
 * controller (validating and mutating webhooks), background controller
 * (generate and mutate-existing rules), cleanup controller (CleanupPolicies and
 * TTL labels) and reports controller (PolicyReports that Policy Reporter reads).
 *
 * Webhook failure behaviour. Kyverno is tier 2: in the "red" scenario of seed
 * 001 only tier 1 survives, on the control plane, and even in "yellow" Kyverno
 * is briefly gone while it moves to the remaining worker. Policies with
 * `failurePolicy: Fail` would then reject every admission their webhooks match,
 * Argo CD's own pods and the objects it applies to repair the platform
 * included. So the webhooks' namespaceSelector leaves out `kube-system`, the
 * Kyverno namespace (it must be able to restart itself) and the namespaces of
 * the lifeboat components: the GitOps engine and Prometheus. Only admission is
 * skipped there: background scans still report on those namespaces.
 * Cluster-bootstrap objects (Nodes, CSRs) are also left out of Fail webhooks
 * so that a cold restart of the whole edge cluster cannot deadlock on a
 * Kyverno that has no node to run on yet.
 *
 * Budget: four single-replica controllers, about 300Mi requested in all on the
 * infra node. The chart reads node affinity and pod anti-affinity under
 * separate keys per controller, which is how the tier-2 placement (home pool
 * infra, the apps pool when infra is lost) reaches it.
 *
 * The chart's Helm hooks are switched off: they carry no priority class nor
 * placement, and under Argo CD a post-upgrade hook runs on every sync. The CRD
 * storage-version migration (`kyverno migrate`) is an upgrade step to run by
 * hand when a release changes storage versions. The pre-delete webhook cleanup
 * is redundant: since Kyverno 1.13 the admission controller removes its own
 * webhook configurations when it is deleted (finalizers on its roles keep its
 * permissions until it has).
 */
import { res } from '../../model/resources.js';
import type { WorkloadSpec } from '../../model/unit.js';
import { platformPolicies } from '../../policy/index.js';
import { CHARTS, PLATFORM_REGISTRIES } from '../charts.js';
import type { Component, ComponentContext } from '../component.js';
import { KEEP_ON_DELETE } from '../../model/labels.js';
import { service, webhook } from '../network.js';

const NAMESPACE = 'kyverno';

/** Components whose namespaces Kyverno's webhooks must never block: what repairs and what sees (tier 1). */
const LIFEBOAT_COMPONENTS = ['argocd', 'flux', 'kube-prometheus-stack'];

/** Each controller is a Deployment `kyverno-<component>` reading its settings under its own values key. */
// eslint-disable-next-line max-params -- called as one table row per Kyverno controller (values key, component, container, budget), with the values path given only where the chart moved it
function controller(key: string, component: string, container: string, resources: ReturnType<typeof res>, resourcesPath = `${key}.resources`): WorkloadSpec {
  return {
    kind: 'Deployment',
    name: `kyverno-${component}`,
    podLabels: { 'app.kubernetes.io/component': component, 'app.kubernetes.io/instance': 'kyverno' },
    containers: [{ name: container, resources, valuesPath: resourcesPath }],
    values: {
      replicas: `${key}.replicas`,
      nodeAffinity: `${key}.nodeAffinity`,
      podAntiAffinity: `${key}.podAntiAffinity`,
      tolerations: `${key}.tolerations`,
      priorityClassName: `${key}.priorityClassName`,
    },
  };
}

const workloads: WorkloadSpec[] = [
  {
    // The admission controller reads its container resources under `container`, not at the top of its section.
    ...controller('admissionController', 'admission-controller', 'kyverno', res('100m', '128Mi', '1', '384Mi'), 'admissionController.container.resources'),
    initContainers: [{ name: 'kyverno-pre', resources: res('10m', '32Mi', '100m', '128Mi'), valuesPath: 'admissionController.initContainer.resources' }],
  },
  controller('backgroundController', 'background-controller', 'controller', res('25m', '64Mi', '250m', '192Mi')),
  controller('cleanupController', 'cleanup-controller', 'controller', res('10m', '48Mi', '100m', '128Mi')),
  controller('reportsController', 'reports-controller', 'controller', res('25m', '64Mi', '250m', '256Mi')),
];

export const kyverno: Component = {
  name: 'kyverno',
  description: 'policy engine: admission, background, cleanup and reports controllers',
  stack: 'security',
  tier: 2,
  pool: 'infra',
  namespace: NAMESPACE,
  chart: CHARTS.kyverno,
  dependsOn: [],
  crdGroups: ['kyverno.io', 'policies.kyverno.io', 'reports.kyverno.io', 'wgpolicyk8s.io'],
  profiles: ['edge', 'compact', 'standard', 'lab'],
  build(ctx: ComponentContext) {
    const monitored = ctx.enabled('kube-prometheus-stack');
    const serviceMonitor = { serviceMonitor: { enabled: monitored } };
    const lifeboats = LIFEBOAT_COMPONENTS.filter((c) => ctx.enabled(c)).map((c) => ctx.namespaceOf(c));
    // The chart appends the Kyverno namespace itself (`config.excludeKyvernoNamespace`).
    const unblocked = [...new Set(['kube-system', ...lifeboats])].sort();
    return {
      values: {
        // Kept when Kyverno goes: other components' PolicyExceptions and the reports are of these kinds.
        crds: { install: true, migration: { enabled: false }, annotations: { ...KEEP_ON_DELETE } },
        // The policies.kyverno.io CRDs (ValidatingPolicy, PolicyException) come from this subchart.
        'kyverno-api': { annotations: { ...KEEP_ON_DELETE } },
        webhooksCleanup: { enabled: false },
        config: {
          excludeKyvernoNamespace: true,
          webhooks: { namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: unblocked }] } },
        },
        // PolicyExceptions are how components that cannot meet a policy say so; the chart turns them off by default.
        features: { excludeBootstrapResources: { enabled: true }, policyExceptions: { enabled: true, namespace: NAMESPACE } },
        // Dashboards as ConfigMaps for Grafana's sidecar (label grafana_dashboard=1), in their own folder.
        grafana: { enabled: monitored, annotations: { grafana_folder: 'Kyverno' } },
        admissionController: serviceMonitor,
        backgroundController: serviceMonitor,
        cleanupController: serviceMonitor,
        reportsController: serviceMonitor,
      },
      workloads,
      usesGroups: monitored ? ['monitoring.coreos.com'] : [],
      network: {
        services: [
          service('kyverno-svc', 'kyverno-admission-controller', [443, 9443]),
          service('kyverno-svc-metrics', 'kyverno-admission-controller', [8000]),
          service('kyverno-cleanup-controller', 'kyverno-cleanup-controller', [443, 9443]),
          service('kyverno-cleanup-controller-metrics', 'kyverno-cleanup-controller', [8000]),
          service('kyverno-background-controller-metrics', 'kyverno-background-controller', [8000]),
          service('kyverno-reports-controller-metrics', 'kyverno-reports-controller', [8000]),
        ],
        // Kyverno registers its resource webhooks itself, at run time, on these two Services.
        inbound: [webhook('kyverno-svc'), webhook('kyverno-cleanup-controller')],
        scraped: monitored
          ? ['kyverno-svc-metrics', 'kyverno-cleanup-controller-metrics', 'kyverno-background-controller-metrics', 'kyverno-reports-controller-metrics'].map((s) => ({ service: s, port: 8000 }))
          : [],
      },
      // The platform policies and the exceptions the enabled components declare (src/policy/library).
      manifests: platformPolicies({
        allowedRegistries: ctx.platform.config.policy.allowedRegistries ?? [...PLATFORM_REGISTRIES],
        exceptions: ctx.enabledComponents.flatMap((c) => c.policyExceptions ?? []),
        exceptionNamespace: NAMESPACE,
      }),
    };
  },
};
