/**
 * Pyroscope, continuous profiling (seed 004: "the flamegraph shows which
 * function was slow"): the server as one process on a small volume, and the
 * chart's Grafana Alloy agent, which pulls pprof profiles from every pod
 * annotated `profiles.grafana.com/<type>.scrape: "true"` (with the port in
 * `profiles.grafana.com/<type>.port_name`) and pushes them to the server.
 * Applications with a Pyroscope SDK push to the same Service (port 4040).
 * Grafana's Tempo data source links a span to the profile of its service
 * and time (trace to profile).
 */
import { KEEP_ON_DELETE } from '../../model/labels.js';
import { res } from '../../model/resources.js';
import type { WorkloadSpec } from '../../model/unit.js';
import { CHARTS } from '../charts.js';
import { restrictedContainer } from '../security.js';
import type { Component, ComponentContext } from '../component.js';

const NAME = 'pyroscope';
const NAMESPACE = 'observability';
/** The server's Service: push API and the query API Grafana reads. */
export const PYROSCOPE = { service: NAME, port: 4040 } as const;
/** The pod annotations the agent looks for, per profile type. */
export const PROFILE_SCRAPE_ANNOTATIONS = (portName: string): Record<string, string> => ({
  'profiles.grafana.com/cpu.scrape': 'true',
  'profiles.grafana.com/cpu.port_name': portName,
  'profiles.grafana.com/memory.scrape': 'true',
  'profiles.grafana.com/memory.port_name': portName,
});

const workloads: WorkloadSpec[] = [
  {
    kind: 'StatefulSet',
    name: NAME,
    podLabels: { 'app.kubernetes.io/name': NAME, 'app.kubernetes.io/instance': NAME, 'app.kubernetes.io/component': 'all' },
    containers: [{ name: NAME, resources: res('50m', '256Mi', '1', '1Gi'), valuesPath: 'pyroscope.resources' }],
    volumeClaims: ['data'], // pyroscope.persistence: profiles on the filesystem
    values: { replicas: 'pyroscope.replicaCount', affinity: 'pyroscope.affinity', tolerations: 'pyroscope.tolerations', priorityClassName: 'pyroscope.priorityClassName' },
  },
  {
    // The agent (Grafana Alloy), as the chart's subchart renders it for release `pyroscope`.
    kind: 'StatefulSet',
    name: `${NAME}-alloy`,
    podLabels: { 'app.kubernetes.io/name': 'alloy', 'app.kubernetes.io/instance': NAME },
    containers: [
      { name: 'alloy', resources: res('25m', '128Mi', '500m', '384Mi'), valuesPath: 'alloy.alloy.resources' },
      { name: 'config-reloader', resources: res('5m', '16Mi', '50m', '64Mi'), valuesPath: 'alloy.configReloader.resources' },
    ],
    values: {
      replicas: 'alloy.controller.replicas',
      affinity: 'alloy.controller.affinity',
      tolerations: 'alloy.controller.tolerations',
      priorityClassName: 'alloy.controller.priorityClassName',
    },
  },
];

export const pyroscope: Component = {
  name: NAME,
  description: 'continuous profiling: the Pyroscope server and its Alloy agent pulling profiles from annotated pods',
  stack: 'observability',
  tier: 2,
  pool: 'infra',
  namespace: NAMESPACE,
  chart: CHARTS.pyroscope,
  dependsOn: [],
  profiles: ['lab'],
  build(ctx: ComponentContext) {
    const monitored = ctx.enabled('kube-prometheus-stack');
    return {
      values: {
        pyroscope: {
          extraArgs: { 'log.level': 'info' },
          // One replica: a budget with maxUnavailable 1 would still allow nothing else.
          podDisruptionBudget: { enabled: false },
          persistence: { enabled: true, size: '5Gi', annotations: { ...KEEP_ON_DELETE } },
          // The chart's pod context runs it as UID 10001.
          securityContext: restrictedContainer({ readOnlyRootFilesystem: false }),
        },
        alloy: {
          // Alloy's image has its own user (UID 473); its storage is a temporary directory.
          alloy: { securityContext: restrictedContainer({ readOnlyRootFilesystem: false, runAsUser: 473 }) },
          configReloader: { securityContext: restrictedContainer({ readOnlyRootFilesystem: true, runAsUser: 65534 }) },
        },
        serviceMonitor: { enabled: monitored },
      },
      workloads,
      usesGroups: monitored ? ['monitoring.coreos.com'] : [],
    };
  },
};
