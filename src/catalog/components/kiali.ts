/**
 * Kiali, the mesh console (seed 004 "Visualization"): the graph of the
 * tenants' services from Istio's metrics in Prometheus, their Istio
 * configuration, and their traces from Tempo. Users log in with a Kubernetes
 * token (`auth.strategy: token`), so what they see and change is what their
 * own RBAC allows; it gets a route at `kiali.<domain>`.
 */
import { res } from '../../model/resources.js';
import type { WorkloadSpec } from '../../model/unit.js';
import { CHARTS } from '../charts.js';
import type { Component, ComponentContext } from '../component.js';
import { ISTIO_NAMESPACE } from './istio-base.js';
import { KPS_NAMES } from './kube-prometheus-stack.js';
import { TEMPO } from './tempo.js';

const NAME = 'kiali';
/** Kiali's Service (HTTP UI and API). */
export const KIALI = { service: NAME, port: 20001 } as const;

const workloads: WorkloadSpec[] = [
  {
    kind: 'Deployment',
    name: NAME,
    podLabels: { 'app.kubernetes.io/name': 'kiali', 'app.kubernetes.io/instance': NAME },
    containers: [{ name: 'kiali', resources: res('20m', '96Mi', '500m', '512Mi'), valuesPath: 'deployment.resources' }],
    values: {
      replicas: 'deployment.replicas',
      nodeAffinity: 'deployment.affinity.node',
      podAntiAffinity: 'deployment.affinity.pod_anti',
      tolerations: 'deployment.tolerations',
      priorityClassName: 'deployment.priority_class_name',
    },
  },
];

export const kiali: Component = {
  name: NAME,
  description: 'mesh console: the service graph, Istio configuration and traces of the tenants\' services',
  stack: 'networking',
  tier: 3,
  pool: 'infra',
  namespace: ISTIO_NAMESPACE,
  chart: CHARTS.kiali,
  dependsOn: ['istiod'],
  profiles: ['lab'],
  serves: { ingress: ['istio'] },
  build(ctx: ComponentContext) {
    const prometheus = ctx.enabled('kube-prometheus-stack') ? `http://${KPS_NAMES.prometheus}.${ctx.namespaceOf('kube-prometheus-stack')}.svc:9090` : undefined;
    const tempo = ctx.enabled('tempo') ? `http://${TEMPO.service}.${ctx.namespaceOf('tempo')}.svc:${TEMPO.httpPort}` : undefined;
    return {
      values: {
        auth: { strategy: 'token' },
        deployment: {
          // Not pulled on every start: the tag is pinned.
          image_pull_policy: 'IfNotPresent',
          // Kiali is not in the mesh itself.
          pod_annotations: {},
          pod_labels: { 'sidecar.istio.io/inject': 'false' },
        },
        server: { web_root: '/', web_fqdn: ctx.host('kiali'), web_port: 443, web_schema: 'https' },
        external_services: {
          istio: { root_namespace: ISTIO_NAMESPACE },
          prometheus: prometheus ? { enabled: true, url: prometheus } : { enabled: false },
          tracing: tempo
            ? { enabled: true, provider: 'tempo', internal_url: tempo, use_grpc: false, ...(ctx.enabled('kube-prometheus-stack') ? { external_url: `https://${ctx.host('grafana')}` } : {}) }
            : { enabled: false },
          grafana: { enabled: false },
        },
      },
      workloads,
      endpoints: [{ name: 'kiali', title: 'Kiali', service: KIALI.service, port: KIALI.port }],
    };
  },
};
