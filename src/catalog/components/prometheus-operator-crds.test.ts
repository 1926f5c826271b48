import { describe, expect, it } from 'vitest';
import { CHARTS } from '../charts.js';
import { PROMETHEUS_OPERATOR_CRDS, prometheusOperatorCrds } from './prometheus-operator-crds.js';

describe('prometheus-operator-crds', () => {
  it('takes the CRD files of the crds subchart at the tag of the kube-prometheus-stack chart Plinth pins', () => {
    const v = CHARTS.kubePrometheusStack.version;
    expect(PROMETHEUS_OPERATOR_CRDS).toEqual({
      repoUrl: 'https://github.com/prometheus-community/helm-charts.git',
      path: 'charts/kube-prometheus-stack/charts/crds/crds',
      ref: `kube-prometheus-stack-${v}`,
      cacheFile: `kube-prometheus-stack-${v}.tgz`,
      downloadUrl: `https://github.com/prometheus-community/helm-charts/releases/download/kube-prometheus-stack-${v}/kube-prometheus-stack-${v}.tgz`,
      cacheArchivePath: 'kube-prometheus-stack/charts/crds/crds',
    });
  });

  it('installs the monitoring.coreos.com group early and runs nothing', () => {
    expect(prometheusOperatorCrds).toMatchObject({ tier: 1, stack: 'observability', namespace: 'kube-system', crdGroups: ['monitoring.coreos.com'], dependsOn: [] });
    expect(prometheusOperatorCrds.chart).toBeUndefined();
  });
});
