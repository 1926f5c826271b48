import { describe, expect, it } from 'vitest';
import type { K8sObject } from '../model/k8s.js';
import { res } from '../model/resources.js';
import type { Unit } from '../model/unit.js';
import { configReloaderResources, operatedWorkloads } from '../planner/operated.js';
import { podTemplateOf } from '../model/pod-template.js';
import { auditWorkloads } from './workloads.js';

const operator: K8sObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'kps-operator', namespace: 'observability' },
  spec: {
    template: {
      spec: {
        containers: [
          {
            name: 'operator',
            args: [
              '--prometheus-config-reloader=quay.io/prometheus-operator/prometheus-config-reloader:v0.93.1',
              '--config-reloader-cpu-request=5m',
              '--config-reloader-cpu-limit=0',
              '--config-reloader-memory-request=16Mi',
              '--config-reloader-memory-limit=48Mi',
            ],
          },
        ],
      },
    },
  },
};

const prometheus = (spec: Record<string, unknown>): K8sObject => ({
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'Prometheus',
  metadata: { name: 'kps-prometheus', namespace: 'observability' },
  spec,
});

const alertmanager = (spec: Record<string, unknown>): K8sObject => ({
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'Alertmanager',
  metadata: { name: 'kps-alertmanager', namespace: 'observability' },
  spec,
});

describe('operatedWorkloads', () => {
  it('reads the config reloader budget from the operator flags, 0 meaning unset', () => {
    expect(configReloaderResources([operator])).toEqual({ requests: { cpu: '5m', memory: '16Mi' }, limits: { memory: '48Mi' } });
    expect(configReloaderResources([])).toBeUndefined();
  });

  it('builds one StatefulSet per Prometheus shard, as the operator names and labels them', () => {
    const resources = { requests: { cpu: '100m', memory: '480Mi' }, limits: { cpu: '1', memory: '1Gi' } };
    const sets = operatedWorkloads([
      operator,
      prometheus({ shards: 2, replicas: 1, resources, priorityClassName: 'tier-1', tolerations: [{ operator: 'Exists' }], podMetadata: { labels: { team: 'platform' } } }),
    ]);
    expect(sets.map((s) => s.metadata.name)).toEqual(['prometheus-kps-prometheus', 'prometheus-kps-prometheus-shard-1']);
    const tpl = podTemplateOf(sets[1]!)!;
    expect(tpl.metadata.labels).toMatchObject({
      team: 'platform',
      'app.kubernetes.io/name': 'prometheus',
      'app.kubernetes.io/instance': 'kps-prometheus',
      'operator.prometheus.io/shard': '1',
      prometheus: 'kps-prometheus',
    });
    expect(tpl.spec.priorityClassName).toBe('tier-1');
    expect(tpl.spec.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(tpl.spec.containers.map((c) => [c.name, c.resources])).toEqual([
      ['prometheus', resources],
      ['config-reloader', { requests: { cpu: '5m', memory: '16Mi' }, limits: { memory: '48Mi' } }],
    ]);
    expect(tpl.spec.initContainers?.map((c) => c.name)).toEqual(['init-config-reloader']);
  });

  it('gives Alertmanager its 200Mi default request and merges the resource own containers by name', () => {
    const [set] = operatedWorkloads([alertmanager({ containers: [{ name: 'config-reloader', resources: { requests: { cpu: '1m' } } }, { name: 'extra' }] })]);
    const tpl = podTemplateOf(set!)!;
    expect(set!.metadata.name).toBe('alertmanager-kps-alertmanager');
    expect(tpl.metadata.labels).toMatchObject({ 'app.kubernetes.io/name': 'alertmanager', alertmanager: 'kps-alertmanager' });
    expect(tpl.spec.containers.map((c) => [c.name, c.resources])).toEqual([
      ['alertmanager', { requests: { memory: '200Mi' } }],
      ['config-reloader', { requests: { cpu: '1m' } }],
      ['extra', undefined],
    ]);
  });

  it('is empty when the chart renders no Prometheus nor Alertmanager', () => {
    expect(operatedWorkloads([operator])).toEqual([]);
  });
});

describe('auditing operator-created workloads', () => {
  const reloader = res('5m', '16Mi', '50m', '48Mi');
  const objects = [
    { ...operator, spec: { template: { spec: { priorityClassName: 'plinth-tier-1-critical', affinity: { nodeAffinity: {} }, containers: [{ name: 'operator', args: ['--prometheus-config-reloader=x', '--config-reloader-cpu-request=5m', '--config-reloader-cpu-limit=50m', '--config-reloader-memory-request=16Mi', '--config-reloader-memory-limit=48Mi'], resources: res('10m', '32Mi', '100m', '64Mi') }] } } } },
    prometheus({ resources: res('100m', '480Mi', '1', '1Gi'), priorityClassName: 'plinth-tier-1-critical', affinity: { nodeAffinity: {} } }),
  ];
  const unit = (prometheusMemory: string, declarePrometheus = true): Unit => ({
    name: 'kps',
    description: '',
    stack: 'observability',
    tier: 1,
    pool: 'infra',
    namespace: 'observability',
    values: {},
    manifests: [],
    endpoints: [],
    secrets: [],
    dependsOn: [],
    crdGroups: [],
    usesGroups: [],
    provides: [],
    wave: 0,
    workloads: [
      { kind: 'Deployment', name: 'kps-operator', namespace: 'observability', tier: 1, replicas: 1, placement: 'pool', podLabels: {}, containers: [{ name: 'operator', resources: res('10m', '32Mi', '100m', '64Mi') }], initContainers: [], volumeClaims: [] },
      ...(declarePrometheus
        ? [
            {
              kind: 'StatefulSet' as const,
              name: 'prometheus-kps-prometheus',
              namespace: 'observability',
              tier: 1 as const,
              replicas: 1,
              placement: 'pool' as const,
              podLabels: { 'app.kubernetes.io/name': 'prometheus' },
              containers: [
                { name: 'prometheus', resources: res('100m', prometheusMemory, '1', '1Gi') },
                { name: 'config-reloader', resources: reloader },
              ],
              initContainers: [{ name: 'init-config-reloader', resources: reloader }],
              volumeClaims: [],
            },
          ]
        : []),
    ],
  });

  it('holds the declared Prometheus StatefulSet to the Prometheus resource', () => {
    expect(auditWorkloads(unit('480Mi'), objects)).toEqual([]);
    const findings = auditWorkloads(unit('256Mi'), objects);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.message).toContain('container prometheus: requests.memory is "480Mi", declared "256Mi"');
  });

  it('reports an operator-created workload that is not declared', () => {
    const findings = auditWorkloads(unit('480Mi', false), objects);
    expect(findings.map((f) => f.message)).toEqual(['StatefulSet prometheus-kps-prometheus is rendered but not declared by the component']);
  });
});
