/**
 * kube-prometheus-stack: the Prometheus Operator, Prometheus, Alertmanager,
 * kube-state-metrics, node-exporter and Grafana (seed 001 §5). Prometheus and
 * what feeds it are tier 1 ("what you need to see": they sail in the
 * lifeboat); Grafana and Alertmanager are tier 2.
 *
 * - CRDs come from the `prometheus-operator-crds` unit, so this chart's are off.
 * - Prometheus selects every ServiceMonitor, PodMonitor, Probe, ScrapeConfig
 *   and rule in the cluster, whatever its labels.
 * - The Prometheus and Alertmanager StatefulSets are created by the operator
 *   from the `Prometheus`/`Alertmanager` resources the chart renders; they are
 *   declared here like any workload (the audit rebuilds them from those
 *   resources, `src/planner/operated.ts`), so the planner counts their pods.
 * - On k3s the controller manager, scheduler, proxy and etcd run inside the k3s
 *   process and expose no pods to scrape: their scrapes and rules are off.
 * - Grafana's admin credentials come from Vault through an ExternalSecret;
 *   its dashboards from ConfigMaps labelled for its sidecar, the Plinth
 *   platform overview among them.
 */
import type { Values } from '../../lib/values.js';
import { POOL_LABEL } from '../../model/profiles.js';
import { res } from '../../model/resources.js';
import type { WorkloadSpec } from '../../model/unit.js';
import { CHARTS } from '../charts.js';
import type { Component, ComponentContext } from '../component.js';
import { DASHBOARD_FOLDER_ANNOTATION, DASHBOARD_LABEL, DATASOURCES, platformDashboards } from '../dashboards/index.js';
import { adminLoginFromVault } from '../glue.js';
import { LOKI_HTTP } from './loki.js';
import type { NetworkSpec } from '../../model/network.js';
import { connect, service, webhook } from '../network.js';
import { labDataSources, labObservability } from '../profiles/lab.js';
import { mergeValues } from '../../lib/values.js';

const NAME = 'kube-prometheus-stack';
const NAMESPACE = 'observability';
const VAULT_PATH = 'platform/grafana';
const GRAFANA_ADMIN_SECRET = 'grafana-admin';

/** Object names the chart renders for release `kube-prometheus-stack` (no fullnameOverride). */
export const KPS_NAMES = {
  prometheus: `${NAME}-prometheus`,
  alertmanager: `${NAME}-alertmanager`,
  grafana: `${NAME}-grafana`,
  operator: `${NAME}-operator`,
} as const;

/** The StatefulSets the operator creates, by the names of their workloads. */
export const PROMETHEUS_WORKLOAD = `prometheus-${KPS_NAMES.prometheus}`;
const ALERTMANAGER_WORKLOAD = `alertmanager-${KPS_NAMES.alertmanager}`;
const ALERTMANAGER_HTTP = { service: KPS_NAMES.alertmanager, port: 9093 } as const;

/** Prometheus' HTTP API (queries, remote write, the OTLP receiver when it is on). */
export const PROMETHEUS_HTTP = { service: KPS_NAMES.prometheus, port: 9090 } as const;

/** Resources of the config reloader the operator adds to Prometheus and Alertmanager pods (one flag set for both). */
const CONFIG_RELOADER = res('5m', '16Mi', '50m', '48Mi');
const RELOADER_PATH = 'prometheusOperator.prometheusConfigReloader.resources';

/** Values paths of a workload whose settings sit side by side under `key`. */
const paths = (key: string, replicas = true) => ({
  ...(replicas ? { replicas: `${key}.replicas` } : {}),
  affinity: `${key}.affinity`,
  tolerations: `${key}.tolerations`,
  priorityClassName: `${key}.priorityClassName`,
});

const chartLabels = (name: string) => ({ 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': NAME });
const admissionLabels = { 'app.kubernetes.io/name': `${NAME}-prometheus-operator`, 'app.kubernetes.io/component': 'prometheus-operator-webhook' };

const workloads: WorkloadSpec[] = [
  {
    kind: 'Deployment',
    name: KPS_NAMES.operator,
    podLabels: { 'app.kubernetes.io/name': `${NAME}-prometheus-operator`, 'app.kubernetes.io/component': 'prometheus-operator' },
    containers: [{ name: NAME, resources: res('20m', '64Mi', '200m', '192Mi'), valuesPath: 'prometheusOperator.resources' }],
    values: paths('prometheusOperator', false),
  },
  {
    kind: 'StatefulSet',
    name: PROMETHEUS_WORKLOAD,
    podLabels: { 'app.kubernetes.io/name': 'prometheus', 'app.kubernetes.io/instance': KPS_NAMES.prometheus },
    containers: [
      { name: 'prometheus', resources: res('100m', '480Mi', '1', '1536Mi'), valuesPath: 'prometheus.prometheusSpec.resources' },
      { name: 'config-reloader', resources: CONFIG_RELOADER, valuesPath: RELOADER_PATH },
    ],
    initContainers: [{ name: 'init-config-reloader', resources: CONFIG_RELOADER, valuesPath: RELOADER_PATH }],
    values: paths('prometheus.prometheusSpec'),
  },
  {
    kind: 'Deployment',
    name: `${NAME}-kube-state-metrics`,
    podLabels: chartLabels('kube-state-metrics'),
    containers: [{ name: 'kube-state-metrics', resources: res('10m', '64Mi', '200m', '192Mi'), valuesPath: 'kube-state-metrics.resources' }],
    values: paths('kube-state-metrics'),
  },
  {
    kind: 'DaemonSet',
    name: `${NAME}-prometheus-node-exporter`,
    placement: 'every-node',
    podLabels: chartLabels('prometheus-node-exporter'),
    containers: [{ name: 'node-exporter', resources: res('10m', '32Mi', '200m', '64Mi'), valuesPath: 'prometheus-node-exporter.resources' }],
    values: { tolerations: 'prometheus-node-exporter.tolerations', priorityClassName: 'prometheus-node-exporter.priorityClassName' },
  },
  {
    kind: 'Deployment',
    name: KPS_NAMES.grafana,
    tier: 2,
    podLabels: chartLabels('grafana'),
    containers: [
      { name: 'grafana', resources: res('50m', '120Mi', '500m', '384Mi'), valuesPath: 'grafana.resources' },
      // Both sidecars read the one `sidecar.resources` of the Grafana chart.
      { name: 'grafana-sc-dashboard', resources: res('5m', '40Mi', '100m', '128Mi'), valuesPath: 'grafana.sidecar.resources' },
      { name: 'grafana-sc-datasources', resources: res('5m', '40Mi', '100m', '128Mi'), valuesPath: 'grafana.sidecar.resources' },
    ],
    values: paths('grafana'),
  },
  {
    kind: 'StatefulSet',
    name: ALERTMANAGER_WORKLOAD,
    tier: 2,
    podLabels: { 'app.kubernetes.io/name': 'alertmanager', alertmanager: KPS_NAMES.alertmanager },
    containers: [
      { name: 'alertmanager', resources: res('5m', '32Mi', '100m', '128Mi'), valuesPath: 'alertmanager.alertmanagerSpec.resources' },
      { name: 'config-reloader', resources: CONFIG_RELOADER, valuesPath: RELOADER_PATH },
    ],
    initContainers: [{ name: 'init-config-reloader', resources: CONFIG_RELOADER, valuesPath: RELOADER_PATH }],
    values: paths('alertmanager.alertmanagerSpec'),
  },
  // Helm hooks creating the operator's webhook certificate and patching it into the webhook configurations.
  ...(['create', 'patch'] as const).map(
    (job): WorkloadSpec => ({
      kind: 'Job',
      name: `${NAME}-admission-${job}`,
      podLabels: admissionLabels,
      containers: [{ name: job, resources: res('10m', '32Mi', '100m', '64Mi'), valuesPath: 'prometheusOperator.admissionWebhooks.patch.resources' }],
      values: paths('prometheusOperator.admissionWebhooks.patch', false),
    }),
  ),
];

/** Scrapes and default rules of control-plane parts k3s runs inside its own process, where no pod serves them. */
function k3sControlPlane(): Values {
  const off = { enabled: false };
  return {
    kubeControllerManager: off,
    kubeScheduler: off,
    kubeProxy: off,
    kubeEtcd: off,
    defaultRules: {
      rules: { etcd: false, kubeControllerManager: false, kubeProxy: false, kubeSchedulerAlerting: false, kubeSchedulerRecording: false, windows: false },
    },
  };
}

function prometheusValues(ctx: ComponentContext): Values {
  const everything = {
    serviceMonitorSelectorNilUsesHelmValues: false,
    podMonitorSelectorNilUsesHelmValues: false,
    ruleSelectorNilUsesHelmValues: false,
    probeSelectorNilUsesHelmValues: false,
    scrapeConfigSelectorNilUsesHelmValues: false,
  };
  return {
    prometheusSpec: {
      ...everything,
      // Edge sizing: two days of history on an emptyDir, capped below its size limit. A volume
      // claim on k3s local-path storage would pin Prometheus to one node, and the tier-1 lifeboat
      // (rescheduling onto the control plane when workers are lost) could not happen: seeing the
      // cluster now matters more than keeping history through a node loss.
      retention: '2d',
      retentionSize: '1536MB',
      storageSpec: { emptyDir: { sizeLimit: '2Gi' } },
      externalLabels: { cluster: ctx.platform.name },
      // Plinth writes the whole affinity (pools and spread); the chart's own anti-affinity would clash with it.
      podAntiAffinity: '',
      // The OpenTelemetry Collector pushes metrics (and the RED metrics of traces) in over OTLP.
      ...(ctx.enabled('opentelemetry-collector') ? { enableOTLPReceiver: true } : {}),
    },
  };
}

function grafanaValues(ctx: ComponentContext): Values {
  const loki = ctx.enabled('loki')
    ? [
        {
          name: 'Loki',
          type: 'loki',
          uid: DATASOURCES.loki.uid,
          access: 'proxy',
          url: `http://${LOKI_HTTP.service}.${ctx.namespaceOf('loki')}.svc:${LOKI_HTTP.port}`,
          jsonData: { maxLines: 1000 },
        },
      ]
    : [];
  return {
    admin: { existingSecret: GRAFANA_ADMIN_SECRET, userKey: 'admin-user', passwordKey: 'admin-password' },
    testFramework: { enabled: false },
    // Grafana settings as GF_<SECTION>_<KEY> variables (the chart takes `env` whole).
    env: {
      GF_SERVER_ROOT_URL: `https://${ctx.host('grafana')}`,
      GF_ANALYTICS_REPORTING_ENABLED: 'false',
      GF_ANALYTICS_CHECK_FOR_UPDATES: 'false',
      GF_ANALYTICS_CHECK_FOR_PLUGIN_UPDATES: 'false',
    },
    additionalDataSources: labDataSources(ctx, loki),
    sidecar: {
      dashboards: {
        label: DASHBOARD_LABEL.key,
        labelValue: DASHBOARD_LABEL.value,
        searchNamespace: 'ALL',
        folderAnnotation: DASHBOARD_FOLDER_ANNOTATION,
        provider: { foldersFromFilesStructure: true },
      },
      datasources: { uid: DATASOURCES.prometheus.uid, ...labObservability(ctx, NAMESPACE, PROMETHEUS_WORKLOAD).grafanaSidecarDatasources },
    },
  };
}

/** Its Services, Grafana's data sources, Prometheus' alerts and scrapes (Prometheus scrapes every ServiceMonitor). */
function network(ctx: ComponentContext): NetworkSpec {
  const prometheus = { unit: NAME, service: PROMETHEUS_HTTP.service, port: PROMETHEUS_HTTP.port };
  const alertmanager = { unit: NAME, ...ALERTMANAGER_HTTP };
  return {
    services: [
      service(KPS_NAMES.grafana, KPS_NAMES.grafana, [80, 3000]),
      service(PROMETHEUS_HTTP.service, PROMETHEUS_WORKLOAD, [PROMETHEUS_HTTP.port], [8080]),
      service(ALERTMANAGER_HTTP.service, ALERTMANAGER_WORKLOAD, [ALERTMANAGER_HTTP.port], [8080]),
      service(`${NAME}-kube-state-metrics`, `${NAME}-kube-state-metrics`, [8080]),
      service(KPS_NAMES.operator, KPS_NAMES.operator, [443, 10250]),
    ],
    scraper: PROMETHEUS_WORKLOAD,
    connections: [
      connect(prometheus, 'Grafana data source Prometheus', KPS_NAMES.grafana),
      connect(alertmanager, 'Grafana data source Alertmanager', KPS_NAMES.grafana),
      ...(ctx.enabled('loki') ? [connect({ unit: 'loki', service: LOKI_HTTP.service, port: LOKI_HTTP.port }, 'Grafana data source Loki', KPS_NAMES.grafana)] : []),
      connect(alertmanager, 'Prometheus sends its alerts', PROMETHEUS_WORKLOAD),
    ],
    inbound: [webhook(KPS_NAMES.operator)],
    scraped: [
      { service: KPS_NAMES.grafana, port: 80 },
      { service: PROMETHEUS_HTTP.service, port: PROMETHEUS_HTTP.port },
      { service: PROMETHEUS_HTTP.service, port: 8080 },
      { service: ALERTMANAGER_HTTP.service, port: ALERTMANAGER_HTTP.port },
      { service: ALERTMANAGER_HTTP.service, port: 8080 },
      { service: `${NAME}-kube-state-metrics`, port: 8080 },
      { service: KPS_NAMES.operator, port: 443 },
    ],
  };
}

export const kubePrometheusStack: Component = {
  name: NAME,
  description: 'metrics and alerts: Prometheus Operator, Prometheus, Alertmanager, kube-state-metrics, node-exporter and Grafana',
  stack: 'observability',
  tier: 1,
  pool: 'infra',
  namespace: NAMESPACE,
  chart: CHARTS.kubePrometheusStack,
  dependsOn: ['prometheus-operator-crds'],
  // The operator's webhook certificate, written by the chart's admission-create hook Job.
  provides: [{ apiVersion: 'v1', kind: 'Secret', name: `${NAME}-admission`, namespace: NAMESPACE }],
  policyExceptions: [
    {
      name: 'node-exporter-host-metrics',
      component: 'kube-prometheus-stack',
      policies: ['pss-baseline-host-namespaces', 'pss-baseline-host-path', 'pss-restricted-volume-types', 'pss-restricted-capabilities', 'pss-restricted-privilege-escalation', 'pss-restricted-run-as-non-root', 'pss-restricted-seccomp'],
      match: { namespace: NAMESPACE, workloads: [`${NAME}-prometheus-node-exporter`], kinds: ['DaemonSet', 'Pod'] },
      reason: "node metrics are the node's own: node-exporter reads /proc, /sys and the root filesystem through hostPath and runs in the host's network and PID namespaces",
    },
    {
      name: 'grafana-sidecars-probes',
      component: 'kube-prometheus-stack',
      policies: ['require-probes'],
      match: { namespace: NAMESPACE, workloads: [`${NAME}-grafana`], kinds: ['Deployment'] },
      reason: "the chart's dashboard and data source sidecars (k8s-sidecar) expose no health endpoint; Grafana itself has both probes",
    },
  ],
  profiles: ['edge', 'compact', 'standard', 'lab'],
  build(ctx: ComponentContext) {
    const login = adminLoginFromVault(ctx.refs, { secretName: GRAFANA_ADMIN_SECRET, namespace: NAMESPACE, vaultPath: VAULT_PATH, userKey: 'admin-user', passwordKey: 'admin-password' });
    // The lab's integrations (Thanos sidecar, exemplars, remote write, its dashboard): src/catalog/profiles/lab.ts.
    const lab = labObservability(ctx, NAMESPACE, PROMETHEUS_WORKLOAD);
    const k3s = ctx.platform.config.cluster.distribution === 'k3s';
    return {
      values: {
        crds: { enabled: false },
        ...(k3s ? k3sControlPlane() : {}),
        prometheus: mergeValues(prometheusValues(ctx), { prometheusSpec: lab.prometheusSpec, ...lab.prometheus }),
        alertmanager: {
          alertmanagerSpec: { podAntiAffinity: '' },
        },
        grafana: grafanaValues(ctx),
        // Linux nodes only: no AIX or Darwin node dashboards.
        nodeExporter: { operatingSystems: { aix: { enabled: false }, darwin: { enabled: false } } },
        'kube-state-metrics': {
          // kube_node_labels carries the pool of each node (label_plinth_dev_pool) for per-pool views.
          metricLabelsAllowlist: [`nodes=[${POOL_LABEL}]`],
        },
        'prometheus-node-exporter': {
          // Node metrics carry the node name, so they join kube-state-metrics' node labels (the pool).
          prometheus: {
            monitor: { relabelings: [{ sourceLabels: ['__meta_kubernetes_pod_node_name'], targetLabel: 'node', action: 'replace' }] },
          },
        },
      },
      workloads: lab.workloads(workloads),
      usesGroups: ['monitoring.coreos.com'],
      endpoints: [
        { name: 'grafana', title: 'Grafana', service: KPS_NAMES.grafana, port: 80 },
      ],
      secrets: [login.secret],
      network: network(ctx),
      manifests: [
        login.externalSecret,
        ...platformDashboards(ctx, NAMESPACE),
        ...lab.manifests,
      ],
    };
  },
};
