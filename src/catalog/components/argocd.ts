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
import type { WorkloadSpec, WorkNeeds } from '../../model/unit.js';
import { RENDER_PEAK_MIB } from '../render-peaks.js';
import { CHARTS } from '../charts.js';
import type { Component, ComponentContext } from '../component.js';
import type { NetworkSpec } from '../../model/network.js';
import { connect, service } from '../network.js';

const NAMESPACE = 'argocd';

/**
 * argocd-cm key of the health check of Applications. Argo CD no longer
 * assesses the health of an Application as a resource of another (since 1.8);
 * the root Application's sync waves only wait for what has a health check, so
 * without this one they would not wait for anything (ADR 002).
 */
export const APPLICATION_HEALTH_KEY = 'resource.customizations.health.argoproj.io_Application';

/**
 * Healthy only once the child Application has compared the spec it has now
 * (a spec just changed by the root still shows the old verdict until then),
 * is not syncing, is Synced, and its resources are Healthy. Degraded stays
 * Degraded, and so is an Application with a ComparisonError, an
 * InvalidSpecError or a SyncError: the root's sync then fails and is retried
 * at the newest revision (`retry.refresh`), so a fixing commit gets through.
 * Missing (an Application not synced yet) is Progressing.
 */
export const APPLICATION_HEALTH_LUA = [
  '-- Plinth (ADR 002): a child Application is Healthy when it is current, Synced and Healthy.',
  'local function same(a, b)',
  '  if type(a) ~= type(b) then return false end',
  '  if type(a) ~= "table" then return a == b end',
  '  for k, v in pairs(a) do if not same(v, b[k]) then return false end end',
  '  for k, _ in pairs(b) do if a[k] == nil then return false end end',
  '  return true',
  'end',
  'local hs = { status = "Progressing", message = "not reconciled yet" }',
  'local st = obj.status',
  'if st == nil then return hs end',
  '-- An Application that cannot compare, sync or even be read is Degraded: the root fails and retries at the newest revision.',
  'if st.conditions ~= nil then',
  '  for _, c in ipairs(st.conditions) do',
  '    if c.type == "ComparisonError" or c.type == "InvalidSpecError" or c.type == "SyncError" then',
  '      hs.status = "Degraded"',
  '      hs.message = c.type .. ": " .. tostring(c.message)',
  '      return hs',
  '    end',
  '  end',
  'end',
  'if st.health == nil or st.sync == nil then return hs end',
  'local compared = st.sync.comparedTo',
  'if compared == nil or not same(compared.sources or compared.source, obj.spec.sources or obj.spec.source) then',
  '  hs.message = "the current spec is not compared yet"',
  '  return hs',
  'end',
  'if st.operationState ~= nil and st.operationState.phase == "Running" then',
  '  hs.message = "syncing"',
  '  return hs',
  'end',
  'if st.health.status == "Degraded" then',
  '  hs.status = st.health.status',
  '  hs.message = st.health.message or ""',
  '  return hs',
  'end',
  'if st.sync.status ~= "Synced" then',
  '  hs.message = "sync status " .. tostring(st.sync.status)',
  '  return hs',
  'end',
  'hs.status = st.health.status',
  'hs.message = st.health.message or ""',
  'return hs',
  '',
].join('\n');

/** How long one sync may run before Argo CD ends it (and automated sync starts it again). */
export const SYNC_TIMEOUT_SECONDS = 1800;

/** Helm renders one repo-server runs at once (`reposerver.parallelism.limit`). */
export const REPO_SERVER_PARALLELISM = 2;
/** Vault entry of the admin password; `argocdAdminPassword` (external-secrets) reads it. */
export const ARGOCD_VAULT_PATH = 'platform/argocd';
const VAULT_PATH = ARGOCD_VAULT_PATH;

/** Pods of the chart are selected by `app.kubernetes.io/name: argocd-<component>`. */
const podLabels = (component: string) => ({ 'app.kubernetes.io/name': `argocd-${component}`, 'app.kubernetes.io/instance': 'argocd' });

/** Most Argo CD workloads read the same keys under their own section. */
// eslint-disable-next-line max-params -- called as one table row per Argo CD workload (values key, kind, name, container, budget), seven rows that read as a table; the rare extras are an object
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

/**
 * The repo-server's own resident memory, the manifests of a render it parses
 * (kyverno's ~96k lines of CRDs) and the git checkouts and chart archives it
 * keeps in /tmp (page cache counts in its cgroup too). An estimate until the
 * e2e suite measures it; the renders themselves are measured.
 */
const REPO_SERVER_BASE_MIB = 192;

/**
 * What the repo-server needs: itself, plus as many Helm renders at once as the
 * parallelism limit allows, each as large as the largest chart of the platform
 * (measured, src/catalog/render-peaks.ts).
 */
export function repoServerNeeds(charts: readonly { chart: string; version: string }[]): WorkNeeds {
  const peaks = charts.map((c) => ({ chart: `${c.chart}@${c.version}`, mib: RENDER_PEAK_MIB[`${c.chart}@${c.version}`] ?? UNMEASURED_RENDER_MIB }));
  const top = peaks.reduce((a, b) => (b.mib > a.mib ? b : a), { chart: 'none', mib: 0 });
  const mib = REPO_SERVER_BASE_MIB + REPO_SERVER_PARALLELISM * top.mib;
  return {
    memoryBytes: mib * 2 ** 20,
    why: `${REPO_SERVER_BASE_MIB}Mi for the repo-server and its checkouts + ${REPO_SERVER_PARALLELISM} parallel Helm renders (reposerver.parallelism.limit) x ${top.mib}Mi, the measured peak of ${top.chart}`,
  };
}

/** A chart not measured yet is assumed as large as the largest measured one. */
const UNMEASURED_RENDER_MIB = Math.max(...Object.values(RENDER_PEAK_MIB));

/** The request: the need, in 32Mi steps. */
function requestFor(needs: WorkNeeds): string {
  return `${Math.ceil(needs.memoryBytes / 2 ** 20 / 32) * 32}Mi`;
}

/** The limit: the need with a quarter more for Helm's variance between runs and versions, in 64Mi steps. */
function limitFor(needs: WorkNeeds): string {
  return `${Math.ceil((needs.memoryBytes / 2 ** 20) * 1.25 / 64) * 64}Mi`;
}

function workloadsFor(needs: WorkNeeds): WorkloadSpec[] {
  return [
    section('controller', 'StatefulSet', 'argocd-application-controller', 'application-controller', res('100m', '256Mi', '1', '768Mi')),
    // Requested as much as its work needs: below it, the node's memory pressure picks it first.
    section('repoServer', 'Deployment', 'argocd-repo-server', 'repo-server', res('50m', requestFor(needs), '1', limitFor(needs)), {
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
  ].map((w) => (w.name === 'argocd-repo-server' ? { ...w, containers: w.containers.map((c) => ({ ...c, needs })) } : w));
}

/** Its Services and the connections between its parts (the chart's own NetworkPolicies allow the same). */
function network(monitored: boolean): NetworkSpec {
  const repo = { unit: 'argocd', service: 'argocd-repo-server', port: 8081 };
  const redis = { unit: 'argocd', service: 'argocd-redis', port: 6379 };
  const metrics: [string, string, number][] = [
    ['argocd-application-controller-metrics', 'argocd-application-controller', 8082],
    ['argocd-applicationset-controller-metrics', 'argocd-applicationset-controller', 8080],
    ['argocd-repo-server-metrics', 'argocd-repo-server', 8084],
    ['argocd-server-metrics', 'argocd-server', 8083],
  ];
  return {
    services: [
      service('argocd-server', 'argocd-server', [80, 8080], [443, 8080]),
      service('argocd-repo-server', 'argocd-repo-server', [8081]),
      service('argocd-redis', 'argocd-redis', [6379]),
      ...(monitored ? metrics.map(([s, w, p]) => service(s, w, [p])) : []),
    ],
    connections: [
      connect(repo, 'renders the manifests of Applications', 'argocd-server', 'argocd-application-controller', 'argocd-applicationset-controller', 'argocd-notifications-controller'),
      connect(redis, 'caches application state and manifests', 'argocd-server', 'argocd-application-controller', 'argocd-repo-server'),
    ],
    scraped: monitored ? metrics.map(([s, , p]) => ({ service: s, port: p })) : [],
  };
}

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
  profiles: ['edge', 'compact', 'standard', 'lab'],
  serves: { engine: ['argocd'] },
  build(ctx: ComponentContext) {
    const monitored = ctx.enabled('kube-prometheus-stack');
    const needs = repoServerNeeds(ctx.enabledComponents.flatMap((c) => (c.chart ? [c.chart] : [])));
    const metrics = { metrics: { enabled: monitored, serviceMonitor: { enabled: monitored } } };
    return {
      values: {
        crds: { install: true, keep: true },
        global: { domain: ctx.host('argocd') },
        configs: {
          params: {
            // TLS ends at the platform Gateway.
            'server.insecure': true,
            // At most REPO_SERVER_PARALLELISM Helm renders at once per repo-server: each peaks at
            // up to ~140 MiB (measured, src/catalog/render-peaks.ts), and unbounded parallel
            // renders of a whole platform are what OOM-kills a small repo-server.
            'reposerver.parallelism.limit': REPO_SERVER_PARALLELISM,
            // A sync that waits longer (the root waiting on a wave that never turns Healthy) is
            // ended and started again at the newest revision, so a fixing commit always lands.
            'controller.sync.timeout.seconds': SYNC_TIMEOUT_SECONDS,
          },
          cm: {
            'admin.enabled': true,
            'exec.enabled': false,
            'statusbadge.enabled': true,
            [APPLICATION_HEALTH_KEY]: APPLICATION_HEALTH_LUA,
          },
          secret: { createSecret: true },
        },
        dex: { enabled: false },
        controller: metrics,
        server: metrics,
        repoServer: metrics,
        applicationSet: metrics,
      },
      workloads: workloadsFor(needs),
      usesGroups: monitored ? ['monitoring.coreos.com'] : [],
      network: network(monitored),
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
