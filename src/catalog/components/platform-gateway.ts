/**
 * The platform Gateway (seed 000 §3, seed 001 "Gateway API"): one Gateway of
 * the Cilium class in front of every UI, terminating TLS with a wildcard
 * certificate from the platform CA. No chart and no pods: Cilium's operator
 * programs its node-local Envoys from these objects, and in host-network mode
 * they listen on ports 80 and 443 of every node.
 *
 * Listeners:
 * - `https` (443, `*.<domain>`): routes attach from namespaces labelled
 *   GATEWAY_ACCESS_LABEL=true (platform namespaces with endpoints and team
 *   namespaces get it from the desired state).
 * - `http` (80): only the redirect route of this namespace attaches (`Same`),
 *   so no tenant can serve plain HTTP through the platform Gateway.
 * - one per system UI (443, `<name>.<domain>`, `Same`): UIs that live in
 *   kube-system, which carries no gateway-access label, and whose unit comes
 *   before this one (Cilium's Hubble UI). Their route lives here and reaches
 *   the Service through a ReferenceGrant in its namespace.
 */
import type { K8sObject } from '../../model/k8s.js';
import { GATEWAY_ACCESS_LABEL } from '../../model/labels.js';
import type { Component, ComponentContext } from '../component.js';
import { caCertificate, namespaced } from '../glue.js';
import { HUBBLE_UI } from './cilium.js';

const GATEWAY_API = 'gateway.networking.k8s.io/v1';
const GATEWAY_GROUP = 'gateway.networking.k8s.io';
/** The GatewayClass Cilium's chart creates. */
export const CILIUM_GATEWAY_CLASS = 'cilium';
const HTTP_LISTENER = 'http';
const HTTP_ROUTES = [{ group: GATEWAY_GROUP, kind: 'HTTPRoute' }];

/** A UI in a system namespace, served by this unit on its own listener. */
export interface SystemUi {
  name: string;
  title: string;
  service: string;
  namespace: string;
  port: number;
}

/** System UIs of the enabled components. */
export function systemUis(ctx: ComponentContext): SystemUi[] {
  return ctx.enabled('cilium') ? [HUBBLE_UI] : [];
}

function tlsListener(ctx: ComponentContext, name: string, hostname: string, from: Record<string, unknown>) {
  return {
    name,
    protocol: 'HTTPS',
    port: 443,
    hostname,
    tls: { mode: 'Terminate', certificateRefs: [{ group: '', kind: 'Secret', name: ctx.refs.wildcardSecret }] },
    allowedRoutes: { namespaces: from, kinds: HTTP_ROUTES },
  };
}

/** How the platform Gateway is implemented: its class and, for a gateway deployed apart, the Service it binds to. */
export interface GatewayImplementation {
  gatewayClassName: string;
  addresses?: { type: 'Hostname' | 'IPAddress'; value: string }[];
}

function gateway(ctx: ComponentContext, uis: readonly SystemUi[], impl: GatewayImplementation): K8sObject {
  const { name, namespace, httpsListener } = ctx.refs.gateway;
  return namespaced(GATEWAY_API, 'Gateway', name, namespace, {
    spec: {
      gatewayClassName: impl.gatewayClassName,
      ...(impl.addresses ? { addresses: impl.addresses } : {}),
      listeners: [
        { name: HTTP_LISTENER, protocol: 'HTTP', port: 80, allowedRoutes: { namespaces: { from: 'Same' }, kinds: HTTP_ROUTES } },
        tlsListener(ctx, httpsListener, ctx.host('*'), { from: 'Selector', selector: { matchLabels: { [GATEWAY_ACCESS_LABEL]: 'true' } } }),
        ...uis.map((ui) => tlsListener(ctx, ui.name, ctx.host(ui.name), { from: 'Same' })),
      ],
    },
  });
}

function parentRef(ctx: ComponentContext, sectionName: string) {
  const { name, namespace } = ctx.refs.gateway;
  return { group: GATEWAY_GROUP, kind: 'Gateway', name, namespace, sectionName };
}

/** Every plain-HTTP request, whatever its host, is sent to the same URL over HTTPS. */
function httpsRedirect(ctx: ComponentContext): K8sObject {
  return namespaced(GATEWAY_API, 'HTTPRoute', 'https-redirect', ctx.refs.gateway.namespace, {
    spec: {
      parentRefs: [parentRef(ctx, HTTP_LISTENER)],
      // The match is the one the CRD defaults to: written out, so that the stored route is what Git says.
      rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }],
    },
  });
}

/** The route of a system UI and the grant that lets it reach a Service in another namespace. */
function systemUiObjects(ctx: ComponentContext, ui: SystemUi): K8sObject[] {
  const namespace = ctx.refs.gateway.namespace;
  return [
    namespaced(GATEWAY_API, 'HTTPRoute', ui.name, namespace, {
      spec: {
        parentRefs: [parentRef(ctx, ui.name)],
        hostnames: [ctx.host(ui.name)],
        rules: [
          {
            matches: [{ path: { type: 'PathPrefix', value: '/' } }],
            backendRefs: [{ group: '', kind: 'Service', name: ui.service, namespace: ui.namespace, port: ui.port, weight: 1 }],
          },
        ],
      },
    }),
    namespaced(GATEWAY_API, 'ReferenceGrant', `${namespace}-${ui.name}`, ui.namespace, {
      spec: {
        from: [{ group: GATEWAY_GROUP, kind: 'HTTPRoute', namespace }],
        to: [{ group: '', kind: 'Service', name: ui.service }],
      },
    }),
  ];
}

/**
 * The objects of the platform Gateway whatever implements it: the wildcard
 * certificate, the Gateway, the HTTPS redirect and the system UIs' routes.
 */
export function platformGatewayObjects(ctx: ComponentContext, impl: GatewayImplementation): K8sObject[] {
  const uis = systemUis(ctx);
  return [
    caCertificate(ctx.refs, {
      name: 'platform-wildcard',
      namespace: ctx.refs.gateway.namespace,
      secretName: ctx.refs.wildcardSecret,
      dnsNames: [ctx.host('*'), ctx.platform.domain],
    }),
    gateway(ctx, uis, impl),
    httpsRedirect(ctx),
    ...uis.flatMap((ui) => systemUiObjects(ctx, ui)),
  ];
}

export const platformGateway: Component = {
  name: 'platform-gateway',
  description: 'the one HTTPS entry of the platform: a Cilium Gateway with the wildcard certificate, HTTP redirected to HTTPS',
  stack: 'networking',
  tier: 1,
  pool: 'infra',
  // SHARED_REFS.gateway.namespace (a test keeps the two equal).
  namespace: 'gateway',
  dependsOn: ['cert-manager', 'cilium', 'gateway-api-crds'],
  profiles: ['edge'],
  serves: { ingress: ['cilium-gateway'] },
  build(ctx: ComponentContext) {
    return { workloads: [], manifests: platformGatewayObjects(ctx, { gatewayClassName: CILIUM_GATEWAY_CLASS }) };
  },
};
