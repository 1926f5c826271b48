/**
 * Cilium, the CNI of seed 001 layer 0: pod networking, kube-proxy replacement
 * (k3s runs without flannel and kube-proxy), Hubble flow visibility and the
 * Gateway API implementation behind the platform Gateway.
 *
 * Choices worth knowing:
 * - Gateway in host-network mode: an edge cluster has no LoadBalancer, so the
 *   Envoy of every node listens on 80/443 itself; Envoy keeps NET_BIND_SERVICE
 *   for those privileged ports. The chart always creates the `cilium`
 *   GatewayClass (`create: 'true'`, not `auto`, which depends on what the
 *   cluster serves at render time).
 * - The operator keeps the chart's own tolerations (no `tolerations` path is
 *   declared): they include `node.kubernetes.io/not-ready`, which it needs to
 *   start on nodes that are not ready precisely because the CNI is not there
 *   yet. They also include the control-plane taint, so it keeps its tier-0
 *   lifeboat.
 * - Hubble TLS is off, for want of a fitting way to make its certificates:
 *   `helm` makes a new CA on every render (a GitOps engine renders without
 *   `lookup`, so the Secrets churn), `cronJob` names its Job after a hash of
 *   its spec (a name a budget cannot declare ahead), `certmanager` renders
 *   Certificates, which need cert-manager, which needs this CNI to run.
 *   Relay and agents speak plain gRPC on the node network (port 4244).
 * - Hubble relay and UI are tier 2: useful, not needed to keep the node
 *   network up.
 * - No `endpoints` here: an HTTPRoute of this unit would make it depend on the
 *   platform Gateway, which depends on Cilium (a cycle), and kube-system does
 *   not carry the gateway-access label. The platform-gateway unit serves the
 *   Hubble UI instead (HUBBLE_UI below).
 */
import { mergeValues, type Values } from '../../lib/values.js';
import { NAMESPACE_COST_CENTER_LABEL, NAMESPACE_ENVIRONMENT_LABEL, NAMESPACE_OWNER_LABEL } from '../../model/labels.js';
import type { Platform } from '../../model/platform.js';
import { res } from '../../model/resources.js';
import type { WorkloadSpec } from '../../model/unit.js';
import { CHARTS } from '../charts.js';
import { labCiliumValues } from '../profiles/lab.js';
import type { Component, ComponentContext } from '../component.js';
import { PlatformError } from '../../lib/errors.js';

const NAMESPACE = 'kube-system';

/** Where k3s's containerd looks for CNI plugins and configuration (static since k3s 1.31.7 / 1.32.3). */
const K3S_CNI = { binPath: '/var/lib/rancher/k3s/data/cni', confPath: '/var/lib/rancher/k3s/agent/etc/cni/net.d' };

/** Hubble metrics exported per node when Prometheus is there: a modest set for a small cluster. */
const HUBBLE_METRICS = ['dns', 'drop', 'tcp', 'flow', 'icmp', 'port-distribution', 'httpV2'];

const partOf = { 'app.kubernetes.io/part-of': 'cilium' };

/** The agent's init containers; all but two read the shared `initResources`. */
const INIT = res('10m', '32Mi', '200m', '128Mi');

const workloads: WorkloadSpec[] = [
  {
    kind: 'DaemonSet',
    name: 'cilium',
    placement: 'every-node',
    podLabels: { 'k8s-app': 'cilium', 'app.kubernetes.io/name': 'cilium-agent', ...partOf },
    containers: [{ name: 'cilium-agent', resources: res('100m', '192Mi', '1', '1Gi'), valuesPath: 'resources' }],
    initContainers: [
      { name: 'config', resources: INIT, valuesPath: 'initResources' },
      { name: 'mount-cgroup', resources: INIT, valuesPath: 'cgroup.autoMount.resources' },
      { name: 'apply-sysctl-overwrites', resources: INIT, valuesPath: 'initResources' },
      { name: 'mount-bpf-fs', resources: INIT, valuesPath: 'initResources' },
      { name: 'clean-cilium-state', resources: INIT, valuesPath: 'initResources' },
      { name: 'install-cni-binaries', resources: res('10m', '16Mi', '100m', '64Mi'), valuesPath: 'cni.resources' },
    ],
    values: { tolerations: 'tolerations', priorityClassName: 'priorityClassName' },
  },
  {
    kind: 'DaemonSet',
    name: 'cilium-envoy',
    placement: 'every-node',
    podLabels: { 'k8s-app': 'cilium-envoy', 'app.kubernetes.io/name': 'cilium-envoy', ...partOf },
    containers: [{ name: 'cilium-envoy', resources: res('25m', '64Mi', '1', '512Mi'), valuesPath: 'envoy.resources' }],
    values: { tolerations: 'envoy.tolerations', priorityClassName: 'envoy.priorityClassName' },
  },
  {
    kind: 'Deployment',
    name: 'cilium-operator',
    podLabels: { 'io.cilium/app': 'operator', 'app.kubernetes.io/name': 'cilium-operator', ...partOf },
    containers: [{ name: 'cilium-operator', resources: res('25m', '64Mi', '500m', '256Mi'), valuesPath: 'operator.resources' }],
    // No tolerations path on purpose: see the module comment.
    values: { replicas: 'operator.replicas', affinity: 'operator.affinity', priorityClassName: 'operator.priorityClassName' },
  },
  {
    kind: 'Deployment',
    name: 'hubble-relay',
    tier: 2,
    podLabels: { 'k8s-app': 'hubble-relay', 'app.kubernetes.io/name': 'hubble-relay', ...partOf },
    containers: [{ name: 'hubble-relay', resources: res('10m', '32Mi', '200m', '128Mi'), valuesPath: 'hubble.relay.resources' }],
    values: {
      replicas: 'hubble.relay.replicas',
      affinity: 'hubble.relay.affinity',
      tolerations: 'hubble.relay.tolerations',
      priorityClassName: 'hubble.relay.priorityClassName',
    },
  },
  {
    kind: 'Deployment',
    name: 'hubble-ui',
    tier: 2,
    podLabels: { 'k8s-app': 'hubble-ui', 'app.kubernetes.io/name': 'hubble-ui', ...partOf },
    containers: [
      { name: 'frontend', resources: res('5m', '16Mi', '100m', '64Mi'), valuesPath: 'hubble.ui.frontend.resources' },
      { name: 'backend', resources: res('10m', '32Mi', '200m', '128Mi'), valuesPath: 'hubble.ui.backend.resources' },
    ],
    values: {
      replicas: 'hubble.ui.replicas',
      affinity: 'hubble.ui.affinity',
      tolerations: 'hubble.ui.tolerations',
      priorityClassName: 'hubble.ui.priorityClassName',
    },
  },
];

/** The Hubble UI Service, which the platform Gateway routes `hubble.<domain>` to. */
export const HUBBLE_UI = { name: 'hubble', title: 'Hubble UI', service: 'hubble-ui', namespace: NAMESPACE, port: 80 } as const;

/** Where nodes reach the API server: plinth.yaml, else the first control-plane node. */
export function apiServerOf(platform: Platform): { host: string; port: number } {
  const { apiServer } = platform.config.cluster;
  const host = apiServer.host ?? platform.nodes.find((n) => n.role === 'control-plane')?.name;
  if (!host) throw new PlatformError('cilium: no API server host (cluster.apiServer.host) and no control-plane node to default to; set cluster.apiServer.host or add a node with role control-plane');
  return { host, port: apiServer.port };
}

/** Metrics, ServiceMonitors and Grafana dashboards of every part, all on or all off. */
function monitoring(on: boolean): Values {
  const serviceMonitor = { enabled: on };
  const dashboards = { enabled: on };
  return {
    // trustCRDsExist: render the ServiceMonitors whatever API versions the renderer is told about.
    prometheus: { enabled: on, serviceMonitor: { enabled: on, trustCRDsExist: on } },
    dashboards,
    operator: { prometheus: { enabled: true, serviceMonitor }, dashboards },
    envoy: { prometheus: { enabled: true, serviceMonitor } },
    hubble: {
      ...(on ? { metrics: { enabled: HUBBLE_METRICS, serviceMonitor, dashboards } } : {}),
      relay: { prometheus: { enabled: on, serviceMonitor } },
    },
  };
}

export const cilium: Component = {
  name: 'cilium',
  description: 'the CNI: pod network, kube-proxy replacement, Hubble flow visibility and the Gateway API implementation',
  stack: 'networking',
  tier: 0,
  pool: 'infra',
  namespace: NAMESPACE,
  // The chart keeps the Gateway's TLS Secrets (copies) in their own namespace.
  extraNamespaces: ['cilium-secrets'],
  chart: CHARTS.cilium,
  dependsOn: [],
  // cilium-operator checks for the Gateway API CRDs once, when it starts, and never again: started
  // before them, it never runs its Gateway controller (the GatewayClass stays "Waiting for
  // controller") until something restarts it. The derived dependency and `up`'s phases put the
  // CRDs first; `check` proves both.
  discoversCrdsAtStartup: ['gateway.networking.k8s.io'],
  // The operator registers the cilium.io CRDs at start (the chart holds none); glue of other
  // units using them (CiliumNetworkPolicy, ...) still has to wait for Cilium.
  crdGroups: ['cilium.io'],
  provides: [{ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', name: 'cilium' }],
  profiles: ['edge', 'lab'],
  build(ctx: ComponentContext) {
    const monitored = ctx.enabled('kube-prometheus-stack');
    const { host, port } = apiServerOf(ctx.platform);
    const owner = ctx.platform.config.platformOwner;
    const base: Values = {
      kubeProxyReplacement: true,
      k8sServiceHost: host,
      k8sServicePort: port,
      ipam: { mode: 'kubernetes' },
      k8s: { requireIPv4PodCIDR: true },
      ...(ctx.platform.config.cluster.distribution === 'k3s' ? { cni: { ...K3S_CNI } } : {}),
      // The chart's default rules (one operator per node; relay next to an agent) would sit beside
      // Plinth's placement; null removes them (Helm merges values maps with the chart's defaults).
      operator: { replicas: 1, affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: null } } },
      hubble: {
        enabled: true,
        tls: { enabled: false },
        relay: { enabled: true, affinity: { podAffinity: null } },
        ui: { enabled: true },
      },
      gatewayAPI: {
        enabled: true,
        hostNetwork: { enabled: true },
        gatewayClass: { create: 'true' },
      },
      envoy: {
        securityContext: {
          capabilities: { envoy: ['NET_ADMIN', 'SYS_ADMIN', 'NET_BIND_SERVICE'], keepCapNetBindService: true },
        },
      },
      // The Gateway's TLS Secrets are copied into this namespace, which the chart creates:
      // it needs the labels policy requires of every namespace.
      secretsNamespaceLabels: {
        [NAMESPACE_OWNER_LABEL]: owner.team,
        [NAMESPACE_COST_CENTER_LABEL]: owner.costCenter,
        [NAMESPACE_ENVIRONMENT_LABEL]: ctx.platform.environment,
      },
    };
    return {
      // Under Istio (the lab): src/catalog/profiles/lab.ts.
      values: mergeValues(mergeValues(base, monitoring(monitored)), labCiliumValues(ctx)),
      workloads,
      usesGroups: ['gateway.networking.k8s.io', ...(monitored ? ['monitoring.coreos.com'] : [])],
    };
  },
};
