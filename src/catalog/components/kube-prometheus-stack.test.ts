import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/load.js';
import { starterConfig } from '../../config/starter.js';
import { resolvePlatform } from '../../desired/resolve.js';
import { buildUnit, componentContext } from '../../desired/units.js';
import { getIn } from '../../lib/values.js';
import { memoryBytes } from '../../lib/quantity.js';
import { podAmount } from '../../desired/footprint.js';
import { fluentBit } from './fluent-bit.js';
import { kubePrometheusStack } from './kube-prometheus-stack.js';
import { loki } from './loki.js';
import { prometheusOperatorCrds } from './prometheus-operator-crds.js';

const CATALOG = [prometheusOperatorCrds, kubePrometheusStack, loki, fluentBit];

function unitFor(enabled: string[], distribution: 'k3s' | 'generic' = 'k3s') {
  const text = starterConfig().replace('distribution: k3s', `distribution: ${distribution}`);
  const platform = resolvePlatform(parseConfig(text, 'plinth.yaml'), CATALOG);
  return buildUnit(kubePrometheusStack, { ...componentContext(platform, CATALOG), enabled: (n) => enabled.includes(n) });
}

const MI = 1024 * 1024;

describe('kube-prometheus-stack', () => {
  it('leaves the CRDs to prometheus-operator-crds and watches every monitor and rule of the cluster', () => {
    const u = unitFor([]);
    expect(u.dependsOn).toEqual(['prometheus-operator-crds']);
    expect(u.usesGroups).toEqual(['monitoring.coreos.com']);
    expect(getIn(u.values, 'crds.enabled')).toBe(false);
    const spec = getIn(u.values, 'prometheus.prometheusSpec') as Record<string, unknown>;
    for (const k of ['serviceMonitor', 'podMonitor', 'rule', 'probe', 'scrapeConfig']) expect(spec[`${k}SelectorNilUsesHelmValues`], k).toBe(false);
    // No volume claim: local-path storage would pin Prometheus to a node and defeat the lifeboat.
    expect(spec).toMatchObject({ retention: '2d', retentionSize: '1536MB', storageSpec: { emptyDir: { sizeLimit: '2Gi' } }, podAntiAffinity: '' });
  });

  it('switches off what k3s does not run as pods, only on k3s', () => {
    const k3s = unitFor([]);
    for (const k of ['kubeControllerManager', 'kubeScheduler', 'kubeProxy', 'kubeEtcd']) expect(getIn(k3s.values, `${k}.enabled`), k).toBe(false);
    expect(getIn(k3s.values, 'defaultRules.rules')).toMatchObject({ etcd: false, kubeControllerManager: false, kubeProxy: false, kubeSchedulerAlerting: false, kubeSchedulerRecording: false });
    const generic = unitFor([], 'generic');
    expect(getIn(generic.values, 'kubeControllerManager')).toBeUndefined();
    expect(getIn(generic.values, 'defaultRules')).toBeUndefined();
  });

  it('declares the pods the operator creates, with Prometheus in tier 1 and Alertmanager and Grafana in tier 2', () => {
    const u = unitFor([]);
    const tiers = Object.fromEntries(u.workloads.map((w) => [w.name, w.tier]));
    expect(tiers).toEqual({
      'kube-prometheus-stack-operator': 1,
      'prometheus-kube-prometheus-stack-prometheus': 1,
      'kube-prometheus-stack-kube-state-metrics': 1,
      'kube-prometheus-stack-prometheus-node-exporter': 1,
      'kube-prometheus-stack-grafana': 2,
      'alertmanager-kube-prometheus-stack-alertmanager': 2,
      'kube-prometheus-stack-admission-create': 1,
      'kube-prometheus-stack-admission-patch': 1,
    });
    expect(u.workloads.find((w) => w.name.endsWith('node-exporter'))!.placement).toBe('every-node');
    // The config reloader budget is one set of operator flags, read back from the values.
    expect(getIn(u.values, 'prometheusOperator.prometheusConfigReloader.resources')).toEqual({ requests: { cpu: '5m', memory: '16Mi' }, limits: { cpu: '50m', memory: '48Mi' } });
  });

  it('keeps the lifeboat lean: Prometheus, its operator and kube-state-metrics ask for well under a gigabyte', () => {
    const u = unitFor([]);
    const lifeboat = ['prometheus-kube-prometheus-stack-prometheus', 'kube-prometheus-stack-operator', 'kube-prometheus-stack-kube-state-metrics'];
    const memory = u.workloads.filter((w) => lifeboat.includes(w.name)).reduce((sum, w) => sum + podAmount(w, 'requests').memory, 0);
    expect(memory).toBe(624 * MI);
    for (const w of u.workloads) {
      for (const c of [...w.containers, ...w.initContainers]) {
        expect(memoryBytes(c.resources.limits.memory), `${w.name}/${c.name}`).toBeGreaterThan(memoryBytes(c.resources.requests.memory));
      }
    }
  });

  it('takes the Grafana admin from Vault through an ExternalSecret, with no password in the values', () => {
    const u = unitFor([]);
    expect(getIn(u.values, 'grafana.admin')).toEqual({ existingSecret: 'grafana-admin', userKey: 'admin-user', passwordKey: 'admin-password' });
    expect(JSON.stringify(u.values)).not.toMatch(/adminPassword/);
    expect(u.secrets).toEqual([{ path: 'platform/grafana', keys: [{ name: 'admin-user', generate: { value: 'admin' } }, { name: 'admin-password', generate: 'password' }] }]);
    const es = u.manifests.find((m) => m.kind === 'ExternalSecret')!;
    expect(es.spec).toMatchObject({ target: { name: 'grafana-admin', creationPolicy: 'Owner' }, secretStoreRef: { kind: 'ClusterSecretStore', name: 'vault' } });
  });

  it('adds Loki as a Grafana data source only when Loki runs', () => {
    expect(getIn(unitFor([]).values, 'grafana.additionalDataSources')).toEqual([]);
    expect(getIn(unitFor(['loki']).values, 'grafana.additionalDataSources')).toEqual([
      { name: 'Loki', type: 'loki', uid: 'loki', access: 'proxy', url: 'http://loki.observability.svc:3100', jsonData: { maxLines: 1000 } },
    ]);
  });

  it('ships the platform dashboard for the sidecar and exposes only Grafana (Prometheus and Alertmanager have no login)', () => {
    const u = unitFor(['argocd', 'cert-manager', 'loki', 'fluent-bit']);
    const cm = u.manifests.find((m) => m.kind === 'ConfigMap')!;
    expect(cm.metadata.labels).toEqual({ grafana_dashboard: '1' });
    expect(getIn(u.values, 'grafana.sidecar.dashboards')).toMatchObject({ label: 'grafana_dashboard', labelValue: '1', searchNamespace: 'ALL', folderAnnotation: 'grafana_folder' });
    expect(getIn(u.values, 'kube-state-metrics.metricLabelsAllowlist')).toEqual(['nodes=[plinth.dev/pool]']);
    expect(u.endpoints.map((e) => [e.host, e.service, e.port])).toEqual([
      ['grafana.idp.local', 'kube-prometheus-stack-grafana', 80],
    ]);
  });
});
