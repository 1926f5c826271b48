/**
 * MetalLB (seed 002 "MetalLB"): LoadBalancer addresses on a cluster with no
 * cloud load balancer, announced on the nodes' network in layer 2 (ARP). The
 * controller hands out addresses from the pool of plinth.yaml
 * (`ingress.loadBalancer.addresses`); the speaker, one per node, answers ARP
 * for the address of a Service from the node that holds it.
 *
 * - Layer 2 only: the chart's FRR-K8s (BGP) subchart and the speaker's FRR
 *   container are off.
 * - The pool is not auto-assigned: addresses are few on a small network, so a
 *   Service gets one only by asking for this pool by name (ingress-nginx does).
 * - The IPAddressPool and L2Advertisement are admitted by MetalLB's own
 *   webhook (failurePolicy Fail): they ship as glue one sync wave after the
 *   chart, once the controller (and so its webhook) is ready.
 * - The speaker needs the node's network (hostNetwork, to answer ARP on the
 *   node's interface) and raw sockets (NET_RAW) as root: a documented policy
 *   exception, nothing broader.
 */
import type { K8sObject } from '../../model/k8s.js';
import { res } from '../../model/resources.js';
import type { WorkloadSpec } from '../../model/unit.js';
import { CHARTS } from '../charts.js';
import type { Component, ComponentContext } from '../component.js';
import { namespaced } from '../glue.js';
import { service, webhook } from '../network.js';

const NAME = 'metallb';
const NAMESPACE = 'metallb-system';
const METALLB_API = 'metallb.io/v1beta1';
/** The address pool of plinth.yaml, and the advertisement announcing it. */
export const METALLB_POOL = 'platform';
/** Annotations a Service asks MetalLB with (the `metallb.io` prefix; `metallb.universe.tf` is deprecated upstream). */
export const METALLB_POOL_ANNOTATION = 'metallb.io/address-pool';
export const METALLB_IPS_ANNOTATION = 'metallb.io/loadBalancerIPs';

const labels = (component: string) => ({ 'app.kubernetes.io/name': NAME, 'app.kubernetes.io/instance': NAME, 'app.kubernetes.io/component': component });
export const METALLB_CONTROLLER_LABELS = labels('controller');

const workloads: WorkloadSpec[] = [
  {
    kind: 'Deployment',
    name: 'metallb-controller',
    podLabels: METALLB_CONTROLLER_LABELS,
    containers: [{ name: 'controller', resources: res('10m', '32Mi', '100m', '128Mi'), valuesPath: 'controller.resources' }],
    // The chart has no replicas key: one controller, with leader election.
    values: { affinity: 'controller.affinity', tolerations: 'controller.tolerations', priorityClassName: 'controller.priorityClassName' },
  },
  {
    kind: 'DaemonSet',
    name: 'metallb-speaker',
    placement: 'every-node',
    podLabels: labels('speaker'),
    containers: [{ name: 'speaker', resources: res('10m', '32Mi', '100m', '128Mi'), valuesPath: 'speaker.resources' }],
    values: { tolerations: 'speaker.tolerations', priorityClassName: 'speaker.priorityClassName' },
  },
];

/** The first address of a pool entry (`a.b.c.d/n` or `first-last`): the one the platform's entrance is pinned to. */
export function firstAddress(range: string): string {
  return range.split(/[-/]/)[0]!;
}

function poolObjects(ctx: ComponentContext): K8sObject[] {
  const addresses = ctx.platform.config.ingress.loadBalancer?.addresses ?? [];
  return [
    namespaced(METALLB_API, 'IPAddressPool', METALLB_POOL, NAMESPACE, {
      spec: { addresses: [...addresses], autoAssign: false, avoidBuggyIPs: true },
    }),
    namespaced(METALLB_API, 'L2Advertisement', METALLB_POOL, NAMESPACE, { spec: { ipAddressPools: [METALLB_POOL] } }),
  ];
}

export const metallb: Component = {
  name: NAME,
  description: 'LoadBalancer addresses from the pool of plinth.yaml, announced on the nodes\' network (layer 2)',
  stack: 'networking',
  // The platform's entrance depends on it, as edge's Gateway: what you need to reach the platform.
  tier: 1,
  pool: 'infra',
  namespace: NAMESPACE,
  chart: CHARTS.metallb,
  dependsOn: [],
  crdGroups: ['metallb.io'],
  // The speakers' memberlist key: the controller creates it at start-up, the speakers mount it.
  provides: [{ apiVersion: 'v1', kind: 'Secret', name: 'metallb-memberlist', namespace: NAMESPACE }],
  policyExceptions: [
    {
      name: 'metallb-speaker-layer2',
      component: NAME,
      policies: [
        'pss-baseline-host-namespaces',
        'pss-baseline-host-ports',
        'pss-baseline-capabilities',
        'pss-restricted-capabilities',
        'pss-restricted-run-as-non-root',
      ],
      match: { namespace: NAMESPACE, workloads: ['metallb-speaker'], kinds: ['DaemonSet', 'Pod'] },
      reason: "layer-2 announcement: the speaker answers ARP for LoadBalancer addresses on the node's own interface, so it runs in the host network with raw sockets (NET_RAW), which only root holds; every other capability is dropped",
    },
  ],
  profiles: ['compact'],
  serves: { ingress: ['ingress-nginx'] },
  build(ctx: ComponentContext) {
    const monitored = ctx.enabled('kube-prometheus-stack');
    const seccomp = { seccompProfile: { type: 'RuntimeDefault' } };
    return {
      values: {
        // Layer 2 only: no BGP speaker (FRR) beside MetalLB.
        frrk8s: { enabled: false },
        crds: { enabled: true, validationFailurePolicy: 'Fail' },
        controller: { securityContext: { runAsNonRoot: true, runAsUser: 65534, fsGroup: 65534, ...seccomp } },
        speaker: {
          frr: { enabled: false },
          // Plinth's tolerations (every taint) replace the chart's control-plane ones.
          tolerateMaster: false,
          securityContext: seccomp,
        },
        prometheus: monitored
          ? {
              serviceMonitor: { enabled: true },
              // The metrics endpoints authorize Prometheus' service account (bearer token, RBAC).
              rbacPrometheus: true,
              serviceAccount: 'kube-prometheus-stack-prometheus',
              namespace: ctx.namespaceOf('kube-prometheus-stack'),
            }
          : { serviceMonitor: { enabled: false }, rbacPrometheus: false },
      },
      workloads,
      usesGroups: monitored ? ['monitoring.coreos.com'] : [],
      // The speakers run in the host network, where NetworkPolicies do not reach: only the controller is declared.
      network: {
        services: [service('metallb-webhook-service', 'metallb-controller', [443, 9443]), ...(monitored ? [service('metallb-controller-monitor-service', 'metallb-controller', [9120])] : [])],
        inbound: [webhook('metallb-webhook-service')],
        scraped: monitored ? [{ service: 'metallb-controller-monitor-service', port: 9120 }] : [],
      },
      manifests: poolObjects(ctx),
    };
  },
};
