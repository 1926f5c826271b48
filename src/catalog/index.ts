/** The component catalog: every component Plinth can put on a platform, one module each. */
import type { Component } from './component.js';
import { argoRollouts } from './components/argo-rollouts.js';
import { argoWorkflows } from './components/argo-workflows.js';
import { argocd } from './components/argocd.js';
import { flux } from './components/flux.js';
import { backstage } from './components/backstage.js';
import { certManager } from './components/cert-manager.js';
import { cloudflareTunnel } from './components/cloudflare-tunnel.js';
import { cilium } from './components/cilium.js';
import { externalSecrets } from './components/external-secrets.js';
import { falco } from './components/falco.js';
import { fluentBit } from './components/fluent-bit.js';
import { gatewayApiCrds } from './components/gateway-api-crds.js';
import { ingressNginx } from './components/ingress-nginx.js';
import { jenkins } from './components/jenkins.js';
import { kong } from './components/kong.js';
import { kubePrometheusStack } from './components/kube-prometheus-stack.js';
import { kyverno } from './components/kyverno.js';
import { loki } from './components/loki.js';
import { metallb } from './components/metallb.js';
import { opentelemetryCollector } from './components/opentelemetry-collector.js';
import { platformAccess } from './components/platform-access.js';
import { platformGateway } from './components/platform-gateway.js';
import { policyReporter } from './components/policy-reporter.js';
import { prometheusOperatorCrds } from './components/prometheus-operator-crds.js';
import { sealedSecrets } from './components/sealed-secrets.js';
import { rookCeph } from './components/rook-ceph.js';
import { rookCephCluster } from './components/rook-ceph-cluster.js';
import { istioBase } from './components/istio-base.js';
import { istioGateway } from './components/istio-gateway.js';
import { istiod } from './components/istiod.js';
import { kiali } from './components/kiali.js';
import { minio } from './components/minio.js';
import { pyroscope } from './components/pyroscope.js';
import { sonarqube } from './components/sonarqube.js';
import { tempo } from './components/tempo.js';
import { thanos } from './components/thanos.js';
import { trivyOperator } from './components/trivy-operator.js';
import { vault } from './components/vault.js';
import { velero } from './components/velero.js';

export type { Component, ComponentBuild, ComponentContext, EndpointSpec, SharedRefs } from './component.js';
export { CHARTS, GATEWAY_API_CRDS, PLATFORM_REGISTRIES, chartFileName } from './charts.js';

/** In a stable order (by stack); the desired state sorts units by wave, then name. */
export const CATALOG: readonly Component[] = [
  // networking
  gatewayApiCrds,
  cilium,
  platformGateway,
  metallb,
  ingressNginx,
  kong,
  cloudflareTunnel,
  // storage
  rookCeph,
  rookCephCluster,
  istioBase,
  istiod,
  istioGateway,
  kiali,
  // core
  certManager,
  vault,
  externalSecrets,
  sealedSecrets,
  argocd,
  flux,
  // security
  kyverno,
  policyReporter,
  trivyOperator,
  platformAccess,
  falco,
  // observability
  prometheusOperatorCrds,
  kubePrometheusStack,
  loki,
  fluentBit,
  opentelemetryCollector,
  tempo,
  thanos,
  pyroscope,
  // cicd
  argoWorkflows,
  sonarqube,
  jenkins,
  // portal (optional, off by default)
  backstage,
  argoRollouts,
  // storage
  minio,
  velero,
];

export function componentNamed(name: string): Component | undefined {
  return CATALOG.find((c) => c.name === name);
}
