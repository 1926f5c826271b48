import { describe, expect, it } from 'vitest';
import { res } from '../model/resources.js';
import { workloadsFromUnits } from './from-units.js';
import { edgePlatform, MI, unit } from './test-fixtures.js';

const platform = edgePlatform();
const byName = (units: Parameters<typeof workloadsFromUnits>[1]) => new Map(workloadsFromUnits(platform, units).map((w) => [w.name, w]));

describe('workloads from the declared budgets', () => {
  const ws = byName([
    unit('argocd', 1, 'infra', [
      { kind: 'StatefulSet', name: 'controller', resources: res('100m', '256Mi', '1', '768Mi') },
      { name: 'repo', replicas: 2, resources: res('50m', '128Mi', '500m', '512Mi'), init: res('10m', '16Mi', '100m', '64Mi') },
      { name: 'notifications', tier: 2, resources: res('10m', '32Mi', '100m', '96Mi') },
    ]),
    unit('jenkins', 3, 'apps', [{ kind: 'StatefulSet', name: 'jenkins', resources: res('300m', '1Gi', '2', '2Gi') }]),
    unit('cilium', 0, 'infra', [
      { kind: 'DaemonSet', name: 'cilium', placement: 'every-node', resources: res('100m', '128Mi', '1', '512Mi') },
      { name: 'cilium-operator', resources: res('25m', '64Mi', '500m', '256Mi') },
    ]),
  ]);

  it('takes priority from the tier, through the same classes the values get', () => {
    expect([...ws.values()].map((w) => [w.name, w.template.priorityClassName, w.template.priority])).toEqual([
      ['controller', 'plinth-tier-1-critical', 1_000_000],
      ['repo', 'plinth-tier-1-critical', 1_000_000],
      ['notifications', 'plinth-tier-2-important', 100_000],
      ['jenkins', 'plinth-tier-3-workload', 1_000],
      ['cilium', 'system-node-critical', 2_000_001_000],
      ['cilium-operator', 'system-cluster-critical', 2_000_000_000],
    ]);
  });

  it('gives tier 1 the lifeboat: every pool, home preferred, the control-plane taint tolerated', () => {
    const t = ws.get('controller')!.template;
    expect(t.tolerations).toEqual([{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }]);
    expect(t.affinity?.nodeAffinity).toEqual({
      required: [{ matchExpressions: [{ key: 'plinth.dev/pool', operator: 'In', values: ['infra', 'control-plane', 'apps'] }] }],
      preferred: [{ weight: 100, preference: { matchExpressions: [{ key: 'plinth.dev/pool', operator: 'In', values: ['infra'] }] } }],
    });
    expect(t.affinity?.podAntiAffinity?.preferred).toEqual([
      { weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'controller', 'app.kubernetes.io/instance': 'argocd' } } } },
    ]);
  });

  const requiredPools = (name: string) => ws.get(name)!.template.affinity?.nodeAffinity?.required?.[0]?.matchExpressions?.[0]?.values;

  it('keeps tier 2 on the workers and tier 3 in its home pool', () => {
    expect(ws.get('notifications')!.template.tolerations).toEqual([]);
    expect(requiredPools('notifications')).toEqual(['infra', 'apps']);
    expect(requiredPools('jenkins')).toEqual(['apps']);
  });

  it('lets node agents tolerate every taint without a pool rule', () => {
    const t = ws.get('cilium')!.template;
    expect(t.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(t.affinity).toBeUndefined();
  });

  it('carries replicas, containers and init containers', () => {
    const repo = ws.get('repo')!;
    expect(repo.replicas).toBe(2);
    expect(repo.namespace).toBe('argocd');
    expect(repo.template.containers).toEqual([{ name: 'main', requests: { cpu: 50, memory: 128 * MI } }]);
    expect(repo.template.initContainers).toEqual([{ name: 'init', requests: { cpu: 10, memory: 16 * MI } }]);
  });

  it('requests a limit when the request is missing, as the API does', () => {
    const u = unit('x', 3, 'apps', [{ name: 'only-limits', resources: { requests: {}, limits: { cpu: '200m', memory: '64Mi' } } as never }]);
    expect(workloadsFromUnits(platform, [u])[0]!.template.containers[0]!.requests).toEqual({ cpu: 200, memory: 64 * MI });
  });
});
