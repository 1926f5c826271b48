import { describe, expect, it } from 'vitest';
import type { K8sObject } from '../model/k8s.js';
import { res } from '../model/resources.js';
import { workloadsFromRendered } from './from-rendered.js';
import { podsOf } from './pods.js';
import { MI, node, unit } from './test-fixtures.js';

const deployment = (name: string, spec: Record<string, unknown>, replicas = 1, annotations?: Record<string, string>): K8sObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'tools', ...(annotations ? { annotations } : {}) },
  spec: { replicas, template: { metadata: { labels: { app: name } }, spec } },
});
const c = (cpu: string, memory: string, limitsOnly = false) => ({ name: 'main', image: 'x', resources: limitsOnly ? { limits: { cpu, memory } } : { requests: { cpu, memory } } });

const u = unit('tools', 3, 'apps', [{ name: 'declared', tier: 2, resources: res('1m', '1Mi', '1m', '1Mi') }]);
const rendered = [
  {
    unit: u,
    glue: [{ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'plinth-tier-2-important' }, value: 100_000 }],
    chartObjects: [
      { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'chart-low' }, value: 42, preemptionPolicy: 'Never' },
      deployment('declared', { priorityClassName: 'plinth-tier-2-important', containers: [c('250m', '128Mi')], initContainers: [c('1', '16Mi')] }, 2),
      deployment('own-class', { priorityClassName: 'chart-low', containers: [c('0.5', '1Gi', true)], nodeSelector: { 'kubernetes.io/os': 'linux' } }),
      deployment('system', { priorityClassName: 'system-cluster-critical', containers: [c('10m', '10Mi')], tolerations: [{ operator: 'Exists' }] }),
      deployment('unknown', { priorityClassName: 'nope', containers: [c('10m', '10Mi')] }),
      deployment('no-class', { containers: [c('10m', '10Mi')], affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'no-class' } } }] } } }),
      deployment('hook', { containers: [c('10m', '10Mi')] }, 1, { 'helm.sh/hook': 'pre-install' }),
      { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate', namespace: 'tools' }, spec: { parallelism: 3, template: { spec: { containers: [c('10m', '10Mi')] } } } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc' }, spec: {} },
    ] as K8sObject[],
  },
];

describe('workloads of the glue', () => {
  it('are scheduled like the chart\'s (a unit\'s own database beside its chart)', () => {
    const db = { ...deployment('db', { containers: [c('100m', '256Mi')] }), kind: 'StatefulSet' } as K8sObject;
    const ws = workloadsFromRendered([{ unit: u, glue: [db], chartObjects: [deployment('app', { containers: [c('10m', '10Mi')] })] }]);
    expect(ws.map((w) => `${w.kind}/${w.name}`)).toEqual(['Deployment/app', 'StatefulSet/db']);
    expect(podsOf(ws[1]!, [node('n1')]).map((p) => p.name)).toEqual(['db-0']);
  });
});

describe('workloads from the rendered charts', () => {
  const ws = new Map(workloadsFromRendered(rendered).map((w) => [w.name, w]));

  it('keeps workloads, leaves hooks and other objects out', () => {
    expect([...ws.keys()]).toEqual(['declared', 'own-class', 'system', 'unknown', 'no-class', 'migrate']);
  });

  it('resolves priority through the platform and chart PriorityClasses and the built-in ones', () => {
    expect([...ws.values()].map((w) => [w.name, w.template.priority, w.template.preemptionPolicy, w.invalid])).toEqual([
      ['declared', 100_000, 'PreemptLowerPriority', undefined],
      ['own-class', 42, 'Never', undefined],
      ['system', 2_000_000_000, 'PreemptLowerPriority', undefined],
      ['unknown', 0, 'PreemptLowerPriority', 'no PriorityClass with name nope was found'],
      ['no-class', 0, 'PreemptLowerPriority', undefined],
      ['migrate', 0, 'PreemptLowerPriority', undefined],
    ]);
  });

  it('takes the tier from the component, else from the class, else the unit', () => {
    expect([...ws.values()].map((w) => w.tier)).toEqual([2, 3, 0, 3, 3, 3]);
  });

  it('reads requests (limits when no request), replicas, selectors, tolerations and affinity', () => {
    expect(ws.get('declared')!.replicas).toBe(2);
    expect(ws.get('declared')!.template.initContainers).toEqual([{ name: 'main', requests: { cpu: 1000, memory: 16 * MI } }]);
    expect(ws.get('own-class')!.template.containers[0]!.requests).toEqual({ cpu: 500, memory: 1024 * MI });
    expect(ws.get('own-class')!.template.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
    expect(ws.get('system')!.template.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(ws.get('no-class')!.template.affinity?.podAntiAffinity?.required).toEqual([{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'no-class' } } }]);
    expect(ws.get('migrate')!.replicas).toBe(3);
    expect(podsOf(ws.get('migrate')!, [node('n')])).toEqual([]);
    expect(podsOf(ws.get('migrate')!, [node('n')], { includeJobs: true })).toHaveLength(3);
  });

  it('counts the StatefulSets the Prometheus Operator creates from the resources the chart renders', () => {
    const prometheus: K8sObject = {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'Prometheus',
      metadata: { name: 'kps-prometheus', namespace: 'observability' },
      spec: { replicas: 1, priorityClassName: 'plinth-tier-2-important', resources: { requests: { cpu: '200m', memory: '768Mi' } } },
    };
    const ws = workloadsFromRendered([{ unit: u, glue: rendered[0]!.glue, chartObjects: [prometheus] }]);
    expect(ws.map((w) => [w.kind, w.namespace, w.name, w.replicas, w.template.priority])).toEqual([['StatefulSet', 'observability', 'prometheus-kps-prometheus', 1, 100_000]]);
    expect(ws[0]!.template.containers.find((c) => c.name === 'prometheus')!.requests).toEqual({ cpu: 200, memory: 768 * MI });
  });
});
