/**
 * "Plinth platform overview": the platform as Plinth models it. Capacity by
 * node pool (the `plinth.dev/pool` node label, exposed by kube-state-metrics),
 * pods by criticality tier (their PriorityClass), restarts and OOM kills, the
 * GitOps engine's view of every Application, certificate expiry, and log
 * volume from Loki. Panels of components that are off are left out.
 */
import { POOL_LABEL } from '../../model/profiles.js';
import { TIERS, TIER_VALUES } from '../../model/tiers.js';
import { Dashboard, type DataSourceRef, type SeriesStyle } from './builder.js';

export const DATASOURCES = {
  prometheus: { type: 'prometheus', uid: 'prometheus' },
  loki: { type: 'loki', uid: 'loki' },
  tempo: { type: 'tempo', uid: 'tempo' },
  thanos: { type: 'prometheus', uid: 'thanos' },
  pyroscope: { type: 'grafana-pyroscope-datasource', uid: 'pyroscope' },
} as const satisfies Record<string, DataSourceRef>;

export interface OverviewOptions {
  /** Argo CD exports argocd_app_info. */
  argocd: boolean;
  /** cert-manager exports certmanager_certificate_expiration_timestamp_seconds. */
  certManager: boolean;
  /** Loki holds the logs, with these stream labels (as sent by the log shipper). */
  loki?: { selector: string; namespaceLabel: string };
}

const P = DATASOURCES.prometheus;
/** kube-state-metrics turns the node label `plinth.dev/pool` into this metric label. */
export const POOL_METRIC_LABEL = `label_${POOL_LABEL.replace(/[^A-Za-z0-9]/g, '_')}`;
const POOL_LEGEND = `{{${POOL_METRIC_LABEL}}}`;

/** Sums a per-node expression (with a `node` label) by the pool of each node. */
export function byPool(perNode: string): string {
  return `sum by (${POOL_METRIC_LABEL}) ((${perNode}) * on (node) group_left (${POOL_METRIC_LABEL}) max by (node, ${POOL_METRIC_LABEL}) (kube_node_labels))`;
}

/** Requests of pods that hold them (pending or running), per node. */
const requestsPerNode = (resource: string) =>
  `sum by (node) (kube_pod_container_resource_requests{resource="${resource}"} * on (namespace, pod) group_left () max by (namespace, pod) (kube_pod_status_phase{phase=~"Pending|Running"} == 1))`;
const allocatablePerNode = (resource: string) => `sum by (node) (kube_node_status_allocatable{resource="${resource}"})`;

/** Pods in a phase, by PriorityClass ("none" when they have none). */
const podsByPriority = (phase: string) =>
  `count by (priority_class) (label_replace(kube_pod_info, "priority_class", "none", "priority_class", "") * on (namespace, pod) group_left () max by (namespace, pod) (kube_pod_status_phase{phase="${phase}"} == 1))`;

const TIER_COLORS = ['purple', 'red', 'orange', 'blue'];

/** Legend names of the tier PriorityClasses. */
function tierStyles(): Record<string, SeriesStyle> {
  const styles: Record<string, SeriesStyle> = {};
  for (const tier of TIER_VALUES) {
    const spec = TIERS[tier];
    styles[spec.priorityClassName] = { displayName: `tier ${tier}: ${spec.title}`, color: TIER_COLORS[tier] };
  }
  styles['none'] = { displayName: 'no priority class', color: 'text' };
  return styles;
}

const RED_ABOVE_ZERO = [
  { color: 'green', value: null },
  { color: 'red', value: 1 },
];
const USE_STEPS = [
  { color: 'green', value: null },
  { color: 'orange', value: 0.8 },
  { color: 'red', value: 0.9 },
];

function glance(d: Dashboard, o: OverviewOptions): void {
  const stat = (title: string, expr: string, description: string) =>
    d.panel({ kind: 'stat', title, description, width: 4, height: 4, thresholds: RED_ABOVE_ZERO, queries: [{ datasource: P, expr: `${expr} or vector(0)`, instant: true }] });
  d.row('At a glance');
  stat('Nodes not ready', 'count(kube_node_status_condition{condition="Ready", status="true"} == 0)', 'Nodes whose Ready condition is not true.');
  stat('Pending pods', 'sum(kube_pod_status_phase{phase="Pending"})', 'Pods waiting for a node: capacity, taints or affinity.');
  stat('Firing alerts', 'count(ALERTS{alertstate="firing", alertname!~"Watchdog|InfoInhibitor"})', 'Alerts firing now, without the always-on Watchdog.');
  stat('Restarts (1h)', 'round(sum(increase(kube_pod_container_status_restarts_total[1h])))', 'Container restarts over the last hour.');
  if (o.argocd) stat('Apps not healthy', 'count(argocd_app_info{health_status!="Healthy"})', 'Argo CD Applications whose health is not Healthy.');
  if (o.certManager) {
    stat('Certs expiring < 14d', 'count((certmanager_certificate_expiration_timestamp_seconds - time()) < 14 * 86400)', 'Certificates that expire within 14 days.');
  }
}

function capacity(d: Dashboard): void {
  const share = (title: string, description: string, used: string, total: string) =>
    d.panel({
      kind: 'timeseries',
      title,
      description,
      width: 12,
      height: 8,
      unit: 'percentunit',
      min: 0,
      max: 1,
      thresholds: USE_STEPS,
      queries: [{ datasource: P, expr: `${byPool(used)} / ${byPool(total)}`, legend: POOL_LEGEND }],
    });
  d.row('Capacity by node pool');
  share(
    'CPU use by pool',
    'Busy share of the CPUs of each pool (node-exporter).',
    'sum by (node) (1 - rate(node_cpu_seconds_total{mode="idle"}[$__rate_interval]))',
    'count by (node) (node_cpu_seconds_total{mode="idle"})',
  );
  share('Memory use by pool', 'Memory in use (total minus available) over total, per pool (node-exporter).', 'sum by (node) (node_memory_MemTotal_bytes - node_memory_MemAvailable_bytes)', 'sum by (node) (node_memory_MemTotal_bytes)');
  share('CPU requests by pool', 'Requests of pending and running pods over allocatable CPU: what the scheduler (and the Plinth planner) reasons about.', requestsPerNode('cpu'), allocatablePerNode('cpu'));
  share('Memory requests by pool', 'Requests of pending and running pods over allocatable memory, per pool.', requestsPerNode('memory'), allocatablePerNode('memory'));
}

function tiers(d: Dashboard): void {
  const styles = tierStyles();
  d.row('Pods by tier');
  d.panel({
    kind: 'timeseries',
    title: 'Running pods by tier',
    description: 'Running pods by PriorityClass, which carries the criticality tier.',
    width: 12,
    height: 8,
    stacked: true,
    styles,
    queries: [{ datasource: P, expr: podsByPriority('Running'), legend: '{{priority_class}}' }],
  });
  d.panel({
    kind: 'timeseries',
    title: 'Pending pods by tier',
    description: 'Pods that found no node, by tier: after a node loss, tier 3 should wait before tier 1 does.',
    width: 12,
    height: 8,
    stacked: true,
    styles,
    queries: [{ datasource: P, expr: podsByPriority('Pending'), legend: '{{priority_class}}' }],
  });
}

function restarts(d: Dashboard): void {
  const columns = [
    { field: 'namespace', title: 'Namespace' },
    { field: 'pod', title: 'Pod' },
    { field: 'container', title: 'Container' },
    { field: 'Value', title: 'Count' },
  ];
  d.row('Restarts');
  d.panel({
    kind: 'timeseries',
    title: 'Container restarts by namespace',
    width: 12,
    height: 8,
    queries: [{ datasource: P, expr: 'sum by (namespace) (increase(kube_pod_container_status_restarts_total[$__rate_interval])) > 0', legend: '{{namespace}}' }],
  });
  d.panel({
    kind: 'table',
    title: 'Most restarted containers (1h)',
    width: 6,
    height: 8,
    columns,
    queries: [{ datasource: P, expr: 'topk(10, round(sum by (namespace, pod, container) (increase(kube_pod_container_status_restarts_total[1h]))) > 0)', instant: true }],
  });
  d.panel({
    kind: 'table',
    title: 'Last terminated: OOM killed',
    description: 'Containers whose last termination was an OOM kill: their memory limit is too low.',
    width: 6,
    height: 8,
    columns: columns.slice(0, 3),
    queries: [{ datasource: P, expr: 'max by (namespace, pod, container) (kube_pod_container_status_last_terminated_reason{reason="OOMKilled"}) == 1', instant: true }],
  });
}

function gitops(d: Dashboard): void {
  d.row('GitOps: Argo CD Applications');
  d.panel({
    kind: 'timeseries',
    title: 'Applications by health',
    width: 8,
    height: 8,
    stacked: true,
    styles: { Healthy: { color: 'green' }, Progressing: { color: 'blue' }, Degraded: { color: 'red' }, Missing: { color: 'orange' }, Suspended: { color: 'purple' } },
    queries: [{ datasource: P, expr: 'count by (health_status) (argocd_app_info)', legend: '{{health_status}}' }],
  });
  d.panel({
    kind: 'timeseries',
    title: 'Applications by sync status',
    width: 8,
    height: 8,
    stacked: true,
    styles: { Synced: { color: 'green' }, OutOfSync: { color: 'orange' }, Unknown: { color: 'red' } },
    queries: [{ datasource: P, expr: 'count by (sync_status) (argocd_app_info)', legend: '{{sync_status}}' }],
  });
  d.panel({
    kind: 'table',
    title: 'Applications that need attention',
    width: 8,
    height: 8,
    columns: [
      { field: 'name', title: 'Application' },
      { field: 'project', title: 'Project' },
      { field: 'health_status', title: 'Health' },
      { field: 'sync_status', title: 'Sync' },
    ],
    queries: [{ datasource: P, expr: 'max by (name, project, health_status, sync_status) (argocd_app_info{health_status!="Healthy"} or argocd_app_info{sync_status!="Synced"})', instant: true }],
  });
}

function certificates(d: Dashboard): void {
  d.row('Certificates');
  d.panel({
    kind: 'table',
    title: 'Days until certificate expiry',
    description: 'Every cert-manager Certificate, soonest first.',
    width: 12,
    height: 8,
    unit: 'd',
    decimals: 1,
    thresholds: [
      { color: 'red', value: null },
      { color: 'orange', value: 7 },
      { color: 'green', value: 14 },
    ],
    columns: [
      { field: 'exported_namespace', title: 'Namespace' },
      { field: 'name', title: 'Certificate' },
      { field: 'Value', title: 'Days left' },
    ],
    queries: [{ datasource: P, expr: 'sort(min by (exported_namespace, name) (certmanager_certificate_expiration_timestamp_seconds - time()) / 86400)', instant: true }],
  });
  d.panel({
    kind: 'table',
    title: 'Certificates not ready',
    width: 12,
    height: 8,
    columns: [
      { field: 'exported_namespace', title: 'Namespace' },
      { field: 'name', title: 'Certificate' },
    ],
    queries: [{ datasource: P, expr: 'max by (exported_namespace, name) (certmanager_certificate_ready_status{condition="True"}) == 0', instant: true }],
  });
}

function logs(d: Dashboard, loki: NonNullable<OverviewOptions['loki']>): void {
  const L = DATASOURCES.loki;
  const by = loki.namespaceLabel;
  d.row('Logs');
  d.panel({
    kind: 'timeseries',
    title: 'Log volume by namespace',
    description: 'Bytes of log lines received by Loki per second.',
    width: 12,
    height: 8,
    unit: 'Bps',
    stacked: true,
    queries: [{ datasource: L, expr: `sum by (${by}) (bytes_rate(${loki.selector} [$__auto]))`, legend: `{{${by}}}` }],
  });
  d.panel({
    kind: 'timeseries',
    title: 'Error lines by namespace',
    description: 'Lines mentioning error, fatal or panic, per second.',
    width: 12,
    height: 8,
    unit: 'short',
    queries: [{ datasource: L, expr: `sum by (${by}) (rate(${loki.selector} |~ "(?i)\\\\b(error|fatal|panic)\\\\b" [$__auto]))`, legend: `{{${by}}}` }],
  });
}

export function platformOverview(o: OverviewOptions): Dashboard {
  const d = new Dashboard({
    uid: 'plinth-platform-overview',
    title: 'Plinth platform overview',
    description: 'Capacity by pool, pods by tier, restarts, GitOps, certificates and logs of the Plinth platform.',
    tags: ['plinth', 'platform'],
  });
  glance(d, o);
  capacity(d);
  tiers(d);
  restarts(d);
  if (o.argocd) gitops(d);
  if (o.certManager) certificates(d);
  if (o.loki) logs(d, o.loki);
  return d;
}
