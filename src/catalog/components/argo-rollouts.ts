/**
 * Argo Rollouts (seed 004 "Deployment: Argo Rollouts starts a Canary
 * deployment; Analysis: Argo checks Prometheus metrics"): the controller and
 * its CRDs, and the analysis the platform offers every tenant service, a
 * ClusterAnalysisTemplate on the metrics Istio's proxies report by default.
 *
 * `istio-canary` measures the service's own traffic as its server-side
 * proxies see it (`reporter="destination"`, by `destination_service_name` and
 * `destination_service_namespace`): the share of 5xx answers and the 95th
 * percentile of the request duration. A canary that pushes either over its
 * bound fails the analysis and Argo Rollouts aborts the rollout (back to the
 * stable ReplicaSet). Without traffic both read 0, so a quiet service is not
 * held back. The `check` checker `wiring` proves every metric and label
 * these queries use is one Istio's telemetry produces and that Prometheus
 * scrapes the proxies (src/checks/wiring/).
 *
 * Golden paths write a Rollout (not a Deployment) whose canary steps call
 * the template with `clusterScope: true` and the args `service` and
 * `namespace` (CANARY_ANALYSIS is the contract).
 */
import type { K8sObject } from '../../model/k8s.js';
import { res } from '../../model/resources.js';
import type { WorkloadSpec } from '../../model/unit.js';
import { CHARTS } from '../charts.js';
import type { Component, ComponentContext } from '../component.js';
import { clusterScoped } from '../glue.js';
import { KPS_NAMES } from './kube-prometheus-stack.js';

const NAME = 'argo-rollouts';
const NAMESPACE = 'argo-rollouts';

/** The ClusterAnalysisTemplate tenant Rollouts reference, and its arguments. */
export const CANARY_ANALYSIS = {
  name: 'istio-canary',
  args: { service: 'service', namespace: 'namespace' },
  /** Bounds: at most 5% of answers 5xx, p95 at most 500 ms. */
  maxErrorRate: 0.05,
  maxP95Milliseconds: 500,
} as const;

const selector = (extra = '') =>
  `reporter="destination",destination_service_namespace="{{args.${CANARY_ANALYSIS.args.namespace}}}",destination_service_name="{{args.${CANARY_ANALYSIS.args.service}}}"${extra}`;

/** Share of 5xx answers over the last two minutes (0 without traffic). */
export const ERROR_RATE_QUERY = `(sum(rate(istio_requests_total{${selector(',response_code=~"5.."')}}[2m])) / clamp_min(sum(rate(istio_requests_total{${selector()}}[2m])), 1e-9)) or vector(0)`;
/** 95th percentile of the request duration in ms over the last two minutes (0 without traffic). */
export const P95_LATENCY_QUERY = `(histogram_quantile(0.95, sum by (le) (rate(istio_request_duration_milliseconds_bucket{${selector()}}[2m]))) >= 0) or vector(0)`;

/**
 * The canary strategy a tenant Rollout uses (what golden paths write under
 * `spec.strategy`): 20 %, then 50 %, each held while the platform's analysis
 * runs against the service; a failed analysis aborts the rollout.
 */
export function rolloutCanaryStrategy(service: string, namespace: string): Record<string, unknown> {
  const analysis = () => ({
    templates: [{ templateName: CANARY_ANALYSIS.name, clusterScope: true }],
    args: [
      { name: CANARY_ANALYSIS.args.service, value: service },
      { name: CANARY_ANALYSIS.args.namespace, value: namespace },
    ],
  });
  return { canary: { steps: [{ setWeight: 20 }, { analysis: analysis() }, { setWeight: 50 }, { analysis: analysis() }, { setWeight: 100 }] } };
}

const workloads: WorkloadSpec[] = [
  {
    kind: 'Deployment',
    name: NAME,
    podLabels: { 'app.kubernetes.io/name': NAME, 'app.kubernetes.io/instance': NAME, 'app.kubernetes.io/component': 'rollouts-controller' },
    containers: [{ name: NAME, resources: res('20m', '96Mi', '500m', '384Mi'), valuesPath: 'controller.resources' }],
    values: { replicas: 'controller.replicas', affinity: 'controller.affinity', tolerations: 'controller.tolerations', priorityClassName: 'controller.priorityClassName' },
  },
];

export function canaryAnalysisTemplate(prometheusUrl: string): K8sObject {
  const metric = (name: string, query: string, condition: string) => ({
    name,
    interval: '1m',
    count: 3,
    failureLimit: 1,
    successCondition: condition,
    provider: { prometheus: { address: prometheusUrl, query } },
  });
  return clusterScoped('argoproj.io/v1alpha1', 'ClusterAnalysisTemplate', CANARY_ANALYSIS.name, {
    spec: {
      args: [{ name: CANARY_ANALYSIS.args.service }, { name: CANARY_ANALYSIS.args.namespace }],
      metrics: [
        metric('error-rate', ERROR_RATE_QUERY, `result[0] <= ${CANARY_ANALYSIS.maxErrorRate}`),
        metric('p95-latency', P95_LATENCY_QUERY, `result[0] <= ${CANARY_ANALYSIS.maxP95Milliseconds}`),
      ],
    },
  });
}

export const argoRollouts: Component = {
  name: NAME,
  description: 'progressive delivery: Argo Rollouts with a canary analysis on the mesh\'s metrics for tenant services',
  stack: 'cicd',
  tier: 3,
  pool: 'infra',
  namespace: NAMESPACE,
  chart: CHARTS.argoRollouts,
  dependsOn: [],
  crdGroups: ['argoproj.io/Rollout', 'argoproj.io/AnalysisTemplate', 'argoproj.io/ClusterAnalysisTemplate', 'argoproj.io/AnalysisRun', 'argoproj.io/Experiment'],
  profiles: ['lab'],
  build(ctx: ComponentContext) {
    const monitored = ctx.enabled('kube-prometheus-stack');
    const prometheus = `http://${KPS_NAMES.prometheus}.${ctx.namespaceOf('kube-prometheus-stack')}.svc:9090`;
    return {
      values: {
        // Kept when Argo Rollouts goes: deleting the CRDs would delete every tenant Rollout.
        keepCRDs: true,
        controller: {
          replicas: 1,
          metrics: { enabled: monitored, serviceMonitor: { enabled: monitored } },
        },
        dashboard: { enabled: false },
        notifications: { secret: { create: false } },
      },
      workloads,
      usesGroups: monitored ? ['monitoring.coreos.com'] : [],
      manifests: monitored ? [canaryAnalysisTemplate(prometheus)] : [],
    };
  },
};
