/**
 * Upstream charts the catalog installs, pinned to exact versions. These are
 * the versions in the chart cache (`shared/charts/index.json`); a test keeps
 * the two in step. The cache file name is `<chart>-<version>.tgz`.
 */
import type { ChartSource, GitSource } from '../model/unit.js';

const chart = (repoUrl: string, name: string, version: string): ChartSource => ({ repoUrl, chart: name, version });

export const CHARTS = {
  argoCd: chart('https://argoproj.github.io/argo-helm', 'argo-cd', '10.1.1'),
  argoRollouts: chart('https://argoproj.github.io/argo-helm', 'argo-rollouts', '2.41.0'),
  argoWorkflows: chart('https://argoproj.github.io/argo-helm', 'argo-workflows', '1.0.18'),
  backstage: chart('https://backstage.github.io/charts', 'backstage', '2.8.2'),
  certManager: chart('https://charts.jetstack.io', 'cert-manager', 'v1.21.1'),
  cilium: chart('https://helm.cilium.io/', 'cilium', '1.20.0'),
  externalSecrets: chart('https://charts.external-secrets.io', 'external-secrets', '2.9.0'),
  falco: chart('https://falcosecurity.github.io/charts', 'falco', '9.1.0'),
  flux2: chart('https://fluxcd-community.github.io/helm-charts', 'flux2', '2.18.3'),
  fluentBit: chart('https://fluent.github.io/helm-charts', 'fluent-bit', '0.58.1'),
  ingressNginx: chart('https://kubernetes.github.io/ingress-nginx', 'ingress-nginx', '4.15.1'),
  jenkins: chart('https://charts.jenkins.io', 'jenkins', '5.9.53'),
  kong: chart('https://charts.konghq.com', 'kong', '3.4.1'),
  /** Istio's charts `base` (CRDs), `istiod` (control plane) and `gateway` (an Envoy gateway Deployment). */
  istioBase: chart('https://istio-release.storage.googleapis.com/charts', 'base', '1.30.3'),
  istiod: chart('https://istio-release.storage.googleapis.com/charts', 'istiod', '1.30.3'),
  istioGateway: chart('https://istio-release.storage.googleapis.com/charts', 'gateway', '1.30.3'),
  kiali: chart('https://kiali.org/helm-charts', 'kiali-server', '2.29.0'),
  kubePrometheusStack: chart('https://prometheus-community.github.io/helm-charts', 'kube-prometheus-stack', '88.5.3'),
  kyverno: chart('https://kyverno.github.io/kyverno/', 'kyverno', '3.9.0'),
  /** The community-maintained OSS Loki chart (grafana-community/helm-charts). */
  loki: chart('https://grafana-community.github.io/helm-charts', 'loki', '18.11.0'),
  metallb: chart('https://metallb.github.io/metallb', 'metallb', '0.16.1'),
  opentelemetryCollector: chart('https://open-telemetry.github.io/opentelemetry-helm-charts', 'opentelemetry-collector', '0.170.0'),
  policyReporter: chart('https://kyverno.github.io/policy-reporter', 'policy-reporter', '3.9.1'),
  sealedSecrets: chart('https://bitnami-labs.github.io/sealed-secrets', 'sealed-secrets', '2.18.5'),
  rookCeph: chart('https://charts.rook.io/release', 'rook-ceph', 'v1.20.6'),
  rookCephCluster: chart('https://charts.rook.io/release', 'rook-ceph-cluster', 'v1.20.6'),
  /** The legacy community chart kept in minio/minio (`helm/minio`). */
  minio: chart('https://charts.min.io/', 'minio', '5.4.0'),
  pyroscope: chart('https://grafana.github.io/helm-charts', 'pyroscope', '2.2.1'),
  sonarqube: chart('https://SonarSource.github.io/helm-chart-sonarqube', 'sonarqube', '2026.4.0'),
  tempo: chart('https://grafana-community.github.io/helm-charts', 'tempo', '2.2.4'),
  /** Bitnami's chart (thanos-io/thanos ships none), published only as an OCI artifact. */
  thanos: chart('oci://registry-1.docker.io/bitnamicharts', 'thanos', '17.6.0'),
  trivyOperator: chart('https://aquasecurity.github.io/helm-charts/', 'trivy-operator', '0.34.0'),
  vault: chart('https://helm.releases.hashicorp.com', 'vault', '0.34.1'),
  velero: chart('https://vmware-tanzu.github.io/helm-charts', 'velero', '12.1.0'),
} as const satisfies Record<string, ChartSource>;

/** Gateway API standard-channel CRDs: plain manifests from the upstream repository at the release tag. */
export const GATEWAY_API_CRDS: GitSource = {
  repoUrl: 'https://github.com/kubernetes-sigs/gateway-api.git',
  path: 'config/crd/standard',
  ref: 'v1.6.1',
  cacheFile: 'gateway-api-standard-install-v1.6.1.yaml',
  downloadUrl: 'https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.6.1/standard-install.yaml',
};

/** File name of a chart in the chart cache. */
export function chartFileName(source: ChartSource): string {
  return `${source.chart}-${source.version}.tgz`;
}

/**
 * Registries the platform's own images come from (`hashicorp/vault` and
 * `sonarqube` are Docker Hub images): the default of plinth.yaml
 * `policy.allowedRegistries`. `plinth check` reports any image outside it.
 */
export const PLATFORM_REGISTRIES: readonly string[] = [
  'cr.fluentbit.io',
  'docker.io',
  'ecr-public.aws.com',
  'ghcr.io',
  'mirror.gcr.io',
  'quay.io',
  'reg.kyverno.io',
  'registry.k8s.io',
];
