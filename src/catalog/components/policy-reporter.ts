/**
 * Policy Reporter (seed 000 "Kyverno reports status to Policy Reporter"): the
 * core reads the PolicyReports Kyverno writes (API group wgpolicyk8s.io) and
 * serves them over its REST API (switched on by the chart when the UI is) and
 * as Prometheus metrics; the UI, on `policies.<domain>`, is the compliance
 * dashboard. It depends on Kyverno for the report CRDs and their content.
 *
 * The UI has no login of its own here: the platform has no identity provider
 * yet, and the UI only reads policy results. When one arrives, the chart's
 * `ui.openIDConnect` (with `secretRef`) is the place to wire it.
 * The Kyverno and Trivy plugins stay off: each is one more pod for details the
 * reports already carry, and the edge infra node is the tightest one.
 */
import { res } from '../../model/resources.js';
import type { WorkloadSpec } from '../../model/unit.js';
import { CHARTS } from '../charts.js';
import type { Component, ComponentContext } from '../component.js';
import { connect, service } from '../network.js';

const NAMESPACE = 'policy-reporter';

const workloads: WorkloadSpec[] = [
  {
    kind: 'Deployment',
    name: 'policy-reporter',
    podLabels: { 'app.kubernetes.io/name': 'policy-reporter', 'app.kubernetes.io/instance': 'policy-reporter' },
    // Results live in an in-pod SQLite database; GOMEMLIMIT follows the limit (`autoMemoryLimit`).
    containers: [{ name: 'policy-reporter', resources: res('10m', '48Mi', '200m', '192Mi'), valuesPath: 'resources' }],
    values: { replicas: 'replicaCount', affinity: 'affinity', tolerations: 'tolerations', priorityClassName: 'priorityClassName' },
  },
  {
    kind: 'Deployment',
    name: 'policy-reporter-ui',
    podLabels: { 'app.kubernetes.io/name': 'policy-reporter-ui', 'app.kubernetes.io/instance': 'policy-reporter' },
    containers: [{ name: 'policy-reporter-ui', resources: res('5m', '32Mi', '100m', '96Mi'), valuesPath: 'ui.resources' }],
    values: { replicas: 'ui.replicaCount', affinity: 'ui.affinity', tolerations: 'ui.tolerations', priorityClassName: 'ui.priorityClassName' },
  },
];

export const policyReporter: Component = {
  name: 'policy-reporter',
  description: 'compliance dashboard and metrics over the PolicyReports of Kyverno',
  stack: 'security',
  tier: 3,
  pool: 'infra',
  namespace: NAMESPACE,
  chart: CHARTS.policyReporter,
  dependsOn: ['kyverno'],
  profiles: ['edge', 'compact', 'standard', 'lab'],
  build(ctx: ComponentContext) {
    const monitored = ctx.enabled('kube-prometheus-stack');
    return {
      values: {
        ui: { enabled: true },
        metrics: { enabled: monitored },
        // ServiceMonitor for the core, plus Grafana dashboards as ConfigMaps (label grafana_dashboard=1).
        monitoring: { enabled: monitored, serviceMonitor: { enabled: true } },
      },
      workloads,
      usesGroups: monitored ? ['monitoring.coreos.com'] : [],
      network: {
        services: [service('policy-reporter', 'policy-reporter', [8080]), service('policy-reporter-ui', 'policy-reporter-ui', [8080])],
        connections: [connect({ unit: 'policy-reporter', service: 'policy-reporter', port: 8080 }, 'the UI reads results from the core API', 'policy-reporter-ui')],
        scraped: monitored ? [{ service: 'policy-reporter', port: 8080 }] : [],
      },
      endpoints: [{ name: 'policy-reporter', subdomain: 'policies', title: 'Policy Reporter', service: 'policy-reporter-ui', port: 8080 }],
    };
  },
};
