/**
 * Fluent Bit, the log agent of seed 001 §5: a DaemonSet on every node (tainted
 * ones included) that tails the container logs, adds Kubernetes metadata and
 * pushes the lines to Loki. It has no other sink, so it needs Loki.
 */
import { res } from '../../model/resources.js';
import type { WorkloadSpec } from '../../model/unit.js';
import { CHARTS } from '../charts.js';
import type { Component, ComponentContext } from '../component.js';
import { LOKI_HTTP } from './loki.js';
import { connect, service } from '../network.js';

const NAME = 'fluent-bit';
const NAMESPACE = 'observability';

/** Stream labels Fluent Bit sends to Loki; dashboards select and group by them. */
export const LOKI_STREAM = {
  job: NAME,
  selector: `{job="${NAME}"}`,
  namespaceLabel: 'namespace',
} as const;

const workloads: WorkloadSpec[] = [
  {
    kind: 'DaemonSet',
    name: NAME,
    tier: 2,
    placement: 'every-node',
    podLabels: { 'app.kubernetes.io/name': NAME, 'app.kubernetes.io/instance': NAME },
    containers: [{ name: NAME, resources: res('10m', '48Mi', '200m', '128Mi'), valuesPath: 'resources' }],
    values: { tolerations: 'tolerations', priorityClassName: 'priorityClassName' },
  },
];

/** Fluent Bit classic-mode sections: `[NAME]` then indented `Key Value` lines. */
function section(name: string, entries: [string, string | number][]): string {
  const width = Math.max(...entries.map(([k]) => k.length));
  return [`[${name}]`, ...entries.map(([k, v]) => `    ${k.padEnd(width)} ${v}`)].join('\n') + '\n';
}

function pipeline(ctx: ComponentContext): { inputs: string; filters: string; outputs: string } {
  const lokiHost = `${LOKI_HTTP.service}.${ctx.namespaceOf('loki')}.svc`;
  const labels = [
    `job=${LOKI_STREAM.job}`,
    `cluster=${ctx.platform.name}`,
    `${LOKI_STREAM.namespaceLabel}=$kubernetes['namespace_name']`,
    `container=$kubernetes['container_name']`,
    `node=$kubernetes['host']`,
  ].join(', ');
  return {
    inputs: section('INPUT', [
      ['Name', 'tail'],
      ['Tag', 'kube.*'],
      ['Path', '/var/log/containers/*.log'],
      // k3s runs containerd: CRI log format (docker kept for generic clusters).
      ['multiline.parser', 'cri, docker'],
      // Offsets survive restarts, so lines are neither lost nor sent twice.
      ['DB', '/var/log/fluent-bit-kube.db'],
      ['Mem_Buf_Limit', '5MB'],
      ['Skip_Long_Lines', 'On'],
      ['Refresh_Interval', 10],
    ]),
    filters: section('FILTER', [
      ['Name', 'kubernetes'],
      ['Match', 'kube.*'],
      ['Merge_Log', 'On'],
      ['Keep_Log', 'Off'],
      ['Annotations', 'Off'],
      ['K8S-Logging.Parser', 'On'],
      ['K8S-Logging.Exclude', 'On'],
    ]),
    outputs: section('OUTPUT', [
      ['Name', 'loki'],
      ['Match', 'kube.*'],
      ['Host', lokiHost],
      ['Port', LOKI_HTTP.port],
      ['Labels', labels],
      ['Line_Format', 'json'],
      ['Retry_Limit', 'False'],
    ]),
  };
}

export const fluentBit: Component = {
  name: NAME,
  description: 'log agent on every node: tails container logs and ships them to Loki',
  stack: 'observability',
  tier: 2,
  pool: 'infra',
  namespace: NAMESPACE,
  chart: CHARTS.fluentBit,
  dependsOn: ['loki'],
  policyExceptions: [
    {
      name: 'fluent-bit-node-logs',
      component: 'fluent-bit',
      policies: ['pss-baseline-host-path', 'pss-restricted-volume-types', 'pss-restricted-capabilities', 'pss-restricted-privilege-escalation', 'pss-restricted-run-as-non-root', 'pss-restricted-seccomp'],
      match: { namespace: 'observability', workloads: ['fluent-bit'], kinds: ['DaemonSet', 'Pod'] },
      reason: 'a node log collector: it reads every container log under /var/log and the machine id from the node through hostPath volumes, as root, to ship them to Loki',
    },
  ],
  profiles: ['edge', 'compact', 'standard', 'lab'],
  build(ctx: ComponentContext) {
    const monitored = ctx.enabled('kube-prometheus-stack');
    return {
      values: {
        kind: 'DaemonSet',
        testFramework: { enabled: false },
        config: pipeline(ctx),
        serviceMonitor: { enabled: monitored },
      },
      workloads,
      usesGroups: monitored ? ['monitoring.coreos.com'] : [],
      network: {
        services: [service(NAME, NAME, [2020])],
        connections: [connect({ unit: 'loki', service: LOKI_HTTP.service, port: LOKI_HTTP.port }, 'pushes the container logs')],
        scraped: monitored ? [{ service: NAME, port: 2020 }] : [],
      },
    };
  },
};
