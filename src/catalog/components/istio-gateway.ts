/**
 * The Istio ingress gateway (seed 004: "the request hits the Istio Ingress
 * Gateway"): the `gateway` chart's Envoy Deployment and LoadBalancer Service
 * in the platform Gateway's namespace, and the platform Gateway itself, of
 * the Gateway API class `istio` (docs/adr/008-lab-mesh-and-gateway.md).
 *
 * The Gateway names the chart's Service in `spec.addresses` (Istio's
 * "manual deployment"): istiod then programs these pods instead of deploying
 * a gateway of its own, and the listeners match the Service's ports (80,
 * 443). Routes attach to it exactly as to Cilium's Gateway on edge (HTTPRoute
 * from namespaces with the gateway-access label; `routeFor`), the wildcard
 * certificate is read by the gateway pods from their own namespace.
 *
 * The Service gets its address from Cilium's LB IPAM (a pool of
 * `ingress.loadBalancer.addresses`), announced on the nodes' network by ARP
 * (Cilium's L2 announcements), so the lab needs no cloud load balancer.
 *
 * The gateway is a proxy of the mesh: istiod injects its Envoy (`image:
 * auto`), it reaches tenant services over mTLS, starts the traces of
 * requests (the mesh-wide Telemetry) and reports Istio's standard metrics.
 */
import type { K8sObject } from '../../model/k8s.js';
import { res } from '../../model/resources.js';
import type { WorkloadSpec } from '../../model/unit.js';
import { CHARTS } from '../charts.js';
import type { Component, ComponentContext } from '../component.js';
import { clusterScoped } from '../glue.js';
import { platformGatewayObjects } from './platform-gateway.js';

const NAME = 'istio-gateway';
/** The GatewayClass istiod creates. */
export const ISTIO_GATEWAY_CLASS = 'istio';
/** Labels the chart puts on the gateway's Service and pods (release `istio-gateway`). */
const SELECTOR = { app: NAME, istio: 'gateway' } as const;

const workloads: WorkloadSpec[] = [
  {
    kind: 'Deployment',
    name: NAME,
    podLabels: { app: NAME, istio: 'gateway' },
    containers: [{ name: 'istio-proxy', resources: res('50m', '96Mi', '1', '512Mi'), valuesPath: 'resources' }],
    values: { replicas: 'replicaCount', affinity: 'affinity', tolerations: 'tolerations', priorityClassName: 'priorityClassName' },
  },
];

/** One IP pool block per range of plinth.yaml (`a.b.c.d/n` or `first-last`). */
export function poolBlocks(addresses: readonly string[]): Record<string, string>[] {
  return addresses.map((a): Record<string, string> => {
    const dash = a.indexOf('-');
    return dash === -1 ? { cidr: a } : { start: a.slice(0, dash), stop: a.slice(dash + 1) };
  });
}

function loadBalancerObjects(ctx: ComponentContext): K8sObject[] {
  const addresses = ctx.platform.config.ingress.loadBalancer?.addresses ?? [];
  if (addresses.length === 0) return [];
  const services = { matchLabels: { ...SELECTOR } };
  return [
    clusterScoped('cilium.io/v2', 'CiliumLoadBalancerIPPool', 'platform-ingress', { spec: { blocks: poolBlocks(addresses), serviceSelector: services } }),
    clusterScoped('cilium.io/v2alpha1', 'CiliumL2AnnouncementPolicy', 'platform-ingress', { spec: { serviceSelector: services, loadBalancerIPs: true } }),
  ];
}

export const istioGateway: Component = {
  name: NAME,
  description: 'the one HTTPS entry of the platform: Istio\'s ingress gateway behind the platform Gateway (Gateway API), HTTP redirected to HTTPS',
  stack: 'networking',
  tier: 2,
  pool: 'infra',
  // SHARED_REFS.gateway.namespace: the Gateway, its certificate and the gateway pods together.
  namespace: 'gateway',
  chart: CHARTS.istioGateway,
  dependsOn: ['cert-manager', 'gateway-api-crds', 'istiod'],
  policyExceptions: [
    {
      name: 'istio-gateway-injected-proxy',
      component: 'istio-gateway',
      policies: ['disallow-latest-tag', 'require-probes'],
      match: { namespace: 'gateway', workloads: [NAME], kinds: ['Deployment'] },
      reason: "the gateway chart renders its Envoy as `image: auto` without probes: istiod's injector (gateway template) replaces the container at admission with its pinned proxy image (docker.io/istio/proxyv2:1.30.3) and a readiness probe; only the Deployment's template, which Kyverno also reads, keeps the placeholder",
    },
  ],
  profiles: ['lab'],
  serves: { ingress: ['istio'] },
  build(ctx: ComponentContext) {
    const { namespace } = ctx.refs.gateway;
    return {
      values: {
        autoscaling: { enabled: false },
        replicaCount: 1,
        service: { type: 'LoadBalancer' },
        // The chart's default pod context only lets the proxy bind ports below 1024; the runtime's seccomp profile on top.
        securityContext: { seccompProfile: { type: 'RuntimeDefault' }, sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }] },
        // Scraped by the PodMonitor of istiod's unit, not by annotations.
        podAnnotations: { 'inject.istio.io/templates': 'gateway', 'sidecar.istio.io/inject': 'true' },
      },
      workloads,
      manifests: [
        ...platformGatewayObjects(ctx, {
          gatewayClassName: ISTIO_GATEWAY_CLASS,
          addresses: [{ type: 'Hostname', value: `${NAME}.${namespace}.svc.cluster.local` }],
        }),
        ...loadBalancerObjects(ctx),
      ],
    };
  },
};
