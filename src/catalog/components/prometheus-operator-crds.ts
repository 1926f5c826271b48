/**
 * The Prometheus Operator CRDs (`monitoring.coreos.com`) on their own, in an
 * early wave: every component can then ship a ServiceMonitor without depending
 * on kube-prometheus-stack, which itself needs External Secrets and Vault
 * (cert-manager → kube-prometheus-stack → external-secrets → vault →
 * cert-manager would be a cycle). They are the plain CRD files of the `crds`
 * subchart of kube-prometheus-stack, at the chart's release tag, so they
 * always match the operator that chart runs; offline they come from the same
 * packaged chart in the cache.
 */
import type { GitSource } from '../../model/unit.js';
import { CHARTS, chartFileName } from '../charts.js';
import type { Component } from '../component.js';

const KPS = CHARTS.kubePrometheusStack;

export const PROMETHEUS_OPERATOR_CRDS: GitSource = {
  repoUrl: 'https://github.com/prometheus-community/helm-charts.git',
  path: 'charts/kube-prometheus-stack/charts/crds/crds',
  ref: `${KPS.chart}-${KPS.version}`,
  cacheFile: chartFileName(KPS),
  // The packaged chart, as its repository publishes it (chart-releaser assets on the release tag).
  downloadUrl: `https://github.com/prometheus-community/helm-charts/releases/download/${KPS.chart}-${KPS.version}/${chartFileName(KPS)}`,
  cacheArchivePath: `${KPS.chart}/charts/crds/crds`,
};

export const prometheusOperatorCrds: Component = {
  name: 'prometheus-operator-crds',
  description: 'the monitoring.coreos.com CRDs (ServiceMonitor, PrometheusRule, ...), early so every component can be monitored',
  stack: 'observability',
  tier: 1,
  pool: 'infra',
  // Cluster-scoped objects only; the namespace is where Argo CD points the Application.
  namespace: 'kube-system',
  git: PROMETHEUS_OPERATOR_CRDS,
  dependsOn: [],
  crdGroups: ['monitoring.coreos.com'],
  profiles: ['edge', 'compact', 'standard', 'lab'],
  build() {
    return {};
  },
};
