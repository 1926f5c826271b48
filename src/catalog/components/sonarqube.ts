/**
 * SonarQube Community Build (seed 000: Jenkins sends its analyses here) on
 * `sonarqube.<domain>`.
 *
 * Memory. One pod runs three JVMs: web, compute engine and the embedded
 * Elasticsearch. Their heaps are fixed here (web 384m, CE 384m, search 512m:
 * 1.25Gi in all), and a small instance settles around 1.7-1.9Gi resident. The
 * request, 1.5Gi, covers the heaps and most of the rest; the 3Gi limit leaves
 * room for compute-engine peaks and Elasticsearch's off-heap memory so that an
 * analysis does not end in an OOM kill. On the 4GiB apps node, next to Jenkins
 * and Argo Workflows, a 2Gi+ request would leave nothing for build agents, so
 * what goes beyond the request is borrowed: SonarQube is tier 3 and is the
 * first to go when the node is short.
 *
 * Database. The chart no longer bundles PostgreSQL: it takes a JDBC URL, or
 * SonarQube falls back to its embedded H2 database, which SonarSource
 * supports for evaluation only and which no upgrade carries over. So the unit
 * ships its own PostgreSQL 17 (src/catalog/postgres.ts: 2Gi volume, sized for
 * the edge: 96Mi requested, 384Mi limit, shared_buffers 32MB), synced before
 * the chart, its password generated into Vault (`platform/sonarqube-postgresql`)
 * by `plinth up` and brought to both through one ExternalSecret.
 *
 * vm.max_map_count. Elasticsearch needs 524288; the chart's `init-sysctl` init
 * container sets it on the node, which takes a privileged container running as
 * root. It is kept (and budgeted) so SonarQube starts on any node image; on
 * nodes where it is already set (sysctl.d), set `initSysctl.enabled: false`
 * and no privileged container runs.
 *
 * The admin account starts as admin/admin and SonarQube forces a new password
 * at the first login. The chart's job that sets it from a Secret is a Helm
 * hook without a priority class, which the platform does not run.
 */
import { res } from '../../model/resources.js';
import type { VaultSecret, WorkloadSpec } from '../../model/unit.js';
import { CHARTS } from '../charts.js';
import type { Component, ComponentContext } from '../component.js';
import { externalSecret } from '../glue.js';
import { postgresDatabase } from '../postgres.js';
import { KEEP_ON_DELETE } from '../../model/labels.js';
import { connect, service } from '../network.js';

const NAME = 'sonarqube';
const NAMESPACE = 'sonarqube';
const VAULT_PATH = 'platform/sonarqube';
const MONITORING_SECRET = 'sonarqube-monitoring';
/** Connections per SonarQube JVM pool (web, compute engine). */
const JDBC_POOL = 20;

/** Init containers: a shell script each (sysctl, chown). */
const INIT = res('10m', '16Mi', '100m', '64Mi');

/** The chart names its objects `<release>-sonarqube`. */
export const SONARQUBE_SERVICE = { name: 'sonarqube-sonarqube', port: 9000 };

const workloads: WorkloadSpec[] = [
  {
    kind: 'StatefulSet',
    name: 'sonarqube-sonarqube',
    podLabels: { app: 'sonarqube', release: NAME },
    containers: [{ name: 'sonarqube', resources: res('250m', '1536Mi', '1500m', '3Gi'), valuesPath: 'resources' }],
    // Both read the chart's shared `initContainers.resources` (their own `initSysctl.resources` and
    // `initFs.resources` work too, but only through a `default` the values check cannot follow).
    initContainers: [
      { name: 'init-sysctl', resources: INIT, valuesPath: 'initContainers.resources' },
      // chown of the data volume (local-path volumes ignore fsGroup).
      { name: 'init-fs', resources: INIT, valuesPath: 'initContainers.resources' },
    ],
    volumeClaims: ['sonarqube-sonarqube'], // persistence: data, extensions and the Elasticsearch indexes
    values: { replicas: 'replicaCount', affinity: 'affinity', tolerations: 'tolerations', priorityClassName: 'priorityClassName' },
  },
];

export const sonarqube: Component = {
  name: NAME,
  description: 'static code analysis and quality gates',
  stack: 'cicd',
  tier: 3,
  pool: 'apps',
  namespace: NAMESPACE,
  chart: CHARTS.sonarqube,
  dependsOn: [],
  policyExceptions: [
    {
      name: 'sonarqube-init-sysctl',
      component: 'sonarqube',
      policies: ['pss-baseline-privileged', 'pss-restricted-run-as-user', 'pss-restricted-capabilities', 'pss-restricted-privilege-escalation', 'pss-restricted-run-as-non-root', 'pss-restricted-seccomp'],
      match: { namespace: 'sonarqube', workloads: ['sonarqube-sonarqube'], kinds: ['StatefulSet', 'Pod'] },
      reason: "SonarQube's embedded Elasticsearch needs vm.max_map_count >= 262144: the chart's init-sysctl container sets it on the node and must be privileged (set it on the nodes instead and disable initSysctl to drop this exception)",
    },
  ],
  profiles: ['edge'],
  build(ctx: ComponentContext) {
    const monitored = ctx.enabled('kube-prometheus-stack');
    const db = postgresDatabase(ctx.refs, { name: 'sonarqube-postgresql', namespace: NAMESPACE, database: 'sonarqube', user: 'sonarqube', vaultPath: 'platform/sonarqube-postgresql', storage: '2Gi' });
    const secrets: VaultSecret[] = [{ path: VAULT_PATH, keys: [{ name: 'monitoring-passcode', generate: 'token' }] }, db.secret];
    return {
      values: {
        community: { enabled: true },
        // The passcode guards /api/system/liveness and /api/monitoring/metrics (probes, PodMonitor).
        monitoringPasscodeSecretName: MONITORING_SECRET,
        monitoringPasscodeSecretKey: 'passcode',
        persistence: { enabled: true, size: '5Gi', annotations: { ...KEEP_ON_DELETE } },
        env: [
          { name: 'SONAR_WEB_JAVAOPTS', value: '-Xmx384m -Xms128m' },
          { name: 'SONAR_CE_JAVAOPTS', value: '-Xmx384m -Xms128m' },
          { name: 'SONAR_SEARCH_JAVAOPTS', value: '-Xmx512m -Xms512m' },
          // The web server and the compute engine each keep a JDBC pool (60 by default): 2 x 20 fit
          // the 50 connections the small PostgreSQL allows, with room for its own.
          { name: 'SONAR_JDBC_MAXACTIVE', value: String(JDBC_POOL) },
          // sonar.core.serverBaseURL, for links in reports and pull requests. Through the environment
          // rather than `sonarProperties`, which adds one more init container to assemble the file.
          { name: 'SONAR_CORE_SERVERBASEURL', value: `https://${ctx.host('sonarqube')}` },
        ],
        jdbcOverwrite: { enabled: true, jdbcUrl: db.jdbcUrl, jdbcUsername: 'sonarqube', jdbcSecretName: db.passwordSecret, jdbcSecretPasswordKey: 'password' },
        prometheusMonitoring: { podMonitor: { enabled: monitored } },
        tests: { enabled: false },
      },
      workloads: [...workloads, db.workload],
      usesGroups: monitored ? ['monitoring.coreos.com'] : [],
      network: {
        services: [service(SONARQUBE_SERVICE.name, 'sonarqube-sonarqube', [SONARQUBE_SERVICE.port]), service('sonarqube-postgresql', 'sonarqube-postgresql', [5432])],
        connections: [connect({ unit: 'sonarqube', service: 'sonarqube-postgresql', port: 5432 }, 'its database', 'sonarqube-sonarqube')],
        scraped: monitored ? [{ service: SONARQUBE_SERVICE.name, port: SONARQUBE_SERVICE.port }] : [],
      },
      endpoints: [{ name: 'sonarqube', title: 'SonarQube', service: SONARQUBE_SERVICE.name, port: SONARQUBE_SERVICE.port }],
      secrets,
      manifests: [
        externalSecret(ctx.refs, {
          name: MONITORING_SECRET,
          namespace: NAMESPACE,
          target: MONITORING_SECRET,
          vaultPath: VAULT_PATH,
          data: [{ secretKey: 'passcode', property: 'monitoring-passcode' }],
        }),
        ...db.manifests,
      ],
    };
  },
};
