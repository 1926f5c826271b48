/**
 * Routes: how every endpoint of a unit (and a tenant service) reaches users,
 * for the ingress provider the platform chose. One function per provider;
 * `routeFor` is the one place that picks (golden paths use it too).
 */
import type { SharedRefs } from '../catalog/component.js';
import { INGRESS_NGINX_CLASS } from '../catalog/components/ingress-nginx.js';
import { ACME_ISSUER, acmeForEndpoints, CLUSTER_ISSUER_ANNOTATION } from '../catalog/acme.js';
import { KONG_GATEWAY } from '../catalog/components/kong.js';
import type { IngressProvider } from '../model/choices.js';
import type { K8sObject } from '../model/k8s.js';
import type { Platform } from '../model/platform.js';
import type { Endpoint } from '../model/unit.js';

/** The unit that serves the platform's routes for each provider (its objects are what routes attach to). */
export const ROUTE_PROVIDER_UNIT: Readonly<Record<IngressProvider, string>> = {
  'cilium-gateway': 'platform-gateway',
  'ingress-nginx': 'ingress-nginx',
  kong: 'kong',
  istio: 'istio-gateway',
};

/** The route of one endpoint in `namespace`, or none when the platform has no ingress for it (its unit disabled). */
export function routeFor(platform: Pick<Platform, 'choices' | 'enabled' | 'config' | 'domain'>, refs: SharedRefs, namespace: string, endpoint: Endpoint): K8sObject | undefined {
  const provider = platform.choices.ingress;
  if (!platform.enabled.includes(ROUTE_PROVIDER_UNIT[provider])) return undefined;
  switch (provider) {
    // Both are Gateway API implementations: the platform Gateway (SharedRefs.gateway) is Cilium's or
    // Istio's, and routes attach to it the same way (docs/adr/008-lab-mesh-and-gateway.md).
    case 'cilium-gateway':
    case 'istio':
      return httpRoute(refs, namespace, endpoint);
    case 'ingress-nginx':
      return nginxIngress(namespace, endpoint, acmeForEndpoints(platform));
    case 'kong':
      // Kong implements the Gateway API: the same HTTPRoute, on Kong's Gateway (ADR 015).
      return httpRoute({ ...refs, gateway: KONG_GATEWAY }, namespace, endpoint);
      // Invariant, not input: the switch covers every provider the config schema accepts; a new one without routes is a bug (exit 70).
      throw new Error(`routes for ingress provider ${provider} are not written yet`);
  }
}

/**
 * Written with every field the Gateway API CRDs default (a backendRef's group, kind
 * and weight; a rule's match): what the API server stores is then what Git says, and
 * Argo CD does not see the route OutOfSync for ever (the e2e suite's real Argo CD did).
 */
export function httpRoute(refs: SharedRefs, namespace: string, endpoint: Endpoint): K8sObject {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: endpoint.name, namespace },
    spec: {
      parentRefs: [
        {
          group: 'gateway.networking.k8s.io',
          kind: 'Gateway',
          name: refs.gateway.name,
          namespace: refs.gateway.namespace,
          sectionName: refs.gateway.httpsListener,
        },
      ],
      hostnames: [endpoint.host],
      rules: [
        {
          matches: [{ path: { type: 'PathPrefix', value: '/' } }],
          backendRefs: [{ group: '', kind: 'Service', name: endpoint.service, port: endpoint.port, weight: 1 }],
        },
      ],
    },
  };
}

/**
 * An Ingress of class nginx for one endpoint. Its TLS entry names the host and
 * no Secret: ingress-nginx serves it with its default certificate, the
 * platform wildcard in its own namespace (ADR 011), so no Secret of the
 * wildcard is copied into the endpoint's namespace. With ACME on a public
 * domain, cert-manager's ingress-shim issues the host its own certificate
 * from Let's Encrypt instead (HTTP-01 through this controller), into
 * `<name>-tls` beside the Ingress. Plain HTTP to the host is redirected to
 * HTTPS by the controller (it does so for every TLS host; ACME challenges
 * excepted).
 */
export function nginxIngress(namespace: string, endpoint: Endpoint, acme = false): K8sObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: endpoint.name, namespace, ...(acme ? { annotations: { [CLUSTER_ISSUER_ANNOTATION]: ACME_ISSUER } } : {}) },
    spec: {
      ingressClassName: INGRESS_NGINX_CLASS,
      tls: [{ hosts: [endpoint.host], ...(acme ? { secretName: `${endpoint.name}-tls` } : {}) }],
      rules: [
        {
          host: endpoint.host,
          http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: endpoint.service, port: { number: endpoint.port } } } }] },
        },
      ],
    },
  };
}
