/**
 * Falco, runtime security (seed 004 "Runtime (Run Time)"): a DaemonSet on
 * every node watching the kernel's system calls with the modern eBPF probe
 * (built into Falco, least-privileged mode: BPF, PERFMON, SYS_RESOURCE and
 * SYS_PTRACE instead of a privileged container). The falcosecurity rules
 * come from falcoctl (the `falco-rules` artifact, followed weekly); the
 * platform adds its own rule for an interactive shell in a container.
 *
 * Where alerts go: Falco writes each one as a JSON line on its stdout, which
 * Fluent Bit ships to Loki like any log (`{namespace="falco"} | json`, the
 * "Life of a request" dashboard shows them), and counts matches per rule in
 * its Prometheus metrics (`falcosecurity_falco_rules_matches_total`), on which
 * a PrometheusRule raises an alert in Alertmanager.
 */
import type { K8sObject } from '../../model/k8s.js';
import { res } from '../../model/resources.js';
import type { WorkloadSpec } from '../../model/unit.js';
import { CHARTS } from '../charts.js';
import type { Component, ComponentContext } from '../component.js';
import { namespaced } from '../glue.js';

const NAME = 'falco';
const NAMESPACE = 'falco';
/** The platform's rule: its name is the `rule_name` label of the match counter. */
export const SHELL_RULE = 'Shell in a container';
/** Falco's counter of rule matches (metrics.rulesCountersEnabled). */
export const FALCO_MATCHES_METRIC = 'falcosecurity_falco_rules_matches_total';

/**
 * The rule, with the macros of the falcosecurity rules file (loaded first):
 * a shell started with a terminal inside a container.
 */
export const SHELL_RULE_YAML = `- rule: ${SHELL_RULE}
  desc: >
    A shell with a terminal was started inside a container (kubectl exec -it, docker exec -it):
    someone is working interactively where only the application should run.
  condition: >
    spawned_process and container and shell_procs and proc.tty != 0
  output: >
    Shell in a container (user=%user.name shell=%proc.name parent=%proc.pname cmdline=%proc.cmdline
    container=%container.name image=%container.image.repository namespace=%k8s.ns.name pod=%k8s.pod.name)
  priority: WARNING
  tags: [container, shell, mitre_execution, plinth]
`;

const workloads: WorkloadSpec[] = [
  {
    kind: 'DaemonSet',
    name: NAME,
    placement: 'every-node',
    podLabels: { 'app.kubernetes.io/name': NAME, 'app.kubernetes.io/instance': NAME },
    containers: [
      { name: 'falco', resources: res('50m', '192Mi', '1', '512Mi'), valuesPath: 'resources' },
      { name: 'falcoctl-artifact-follow', resources: res('5m', '24Mi', '100m', '96Mi'), valuesPath: 'falcoctl.artifact.follow.resources' },
    ],
    initContainers: [{ name: 'falcoctl-artifact-install', resources: res('5m', '24Mi', '100m', '96Mi'), valuesPath: 'falcoctl.artifact.install.resources' }],
    values: { tolerations: 'tolerations', priorityClassName: 'podPriorityClassName' },
  },
];

function shellAlert(): K8sObject {
  return namespaced('monitoring.coreos.com/v1', 'PrometheusRule', 'falco-alerts', NAMESPACE, {
    spec: {
      groups: [
        {
          name: 'falco',
          rules: [
            {
              alert: 'FalcoShellInContainer',
              expr: `sum by (rule_name, node) (increase(${FALCO_MATCHES_METRIC}{rule_name="${SHELL_RULE}"}[5m])) > 0`,
              labels: { severity: 'warning' },
              annotations: {
                summary: 'Falco saw an interactive shell in a container',
                description: 'Falco matched the rule "{{ $labels.rule_name }}" on node {{ $labels.node }}; the event (namespace, pod, command line) is in Loki: {namespace="falco"} | json',
              },
            },
          ],
        },
      ],
    },
  });
}

export const falco: Component = {
  name: NAME,
  description: 'runtime security: Falco on every node (modern eBPF), alerts in Loki and Alertmanager',
  stack: 'security',
  tier: 2,
  pool: 'infra',
  namespace: NAMESPACE,
  chart: CHARTS.falco,
  dependsOn: [],
  policyExceptions: [
    {
      name: 'falco-kernel-events',
      component: 'falco',
      policies: [
        'pss-baseline-apparmor',
        'pss-baseline-capabilities',
        'pss-baseline-host-path',
        'pss-restricted-capabilities',
        'pss-restricted-privilege-escalation',
        'pss-restricted-run-as-non-root',
        'pss-restricted-seccomp',
        'pss-restricted-volume-types',
      ],
      match: { namespace: NAMESPACE, workloads: [NAME], kinds: ['DaemonSet', 'Pod'] },
      reason: "a kernel sensor: Falco runs unconfined by AppArmor, loads its eBPF probe (BPF, PERFMON, SYS_RESOURCE, SYS_PTRACE) and reads the node's /proc, /etc and container runtime socket through hostPath, as root, to see every process of the node",
    },
  ],
  profiles: ['lab'],
  build(ctx: ComponentContext) {
    const monitored = ctx.enabled('kube-prometheus-stack');
    return {
      values: {
        driver: { kind: 'modern_ebpf', modernEbpf: { leastPrivileged: true } },
        falco: { json_output: true, json_include_output_property: true, priority: 'notice' },
        customRules: { 'plinth-rules.yaml': SHELL_RULE_YAML },
        metrics: { enabled: monitored, rulesCountersEnabled: true, service: { create: monitored } },
        serviceMonitor: { create: monitored },
      },
      workloads,
      usesGroups: monitored ? ['monitoring.coreos.com'] : [],
      manifests: monitored ? [shellAlert()] : [],
    };
  },
};
