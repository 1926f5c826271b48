/** HTTPRoutes: every endpoint of a unit reaches users through the platform Gateway. */
import type { SharedRefs } from '../catalog/component.js';
import type { K8sObject } from '../model/k8s.js';
import type { Endpoint } from '../model/unit.js';

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
          backendRefs: [{ name: endpoint.service, port: endpoint.port }],
        },
      ],
    },
  };
}
