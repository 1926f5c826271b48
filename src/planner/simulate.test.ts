import { describe, expect, it } from 'vitest';
import { workloadsFromUnits } from './from-units.js';
import { simNodes } from './nodes.js';
import type { ScenarioReport } from './report.js';
import { scenarioLosing, standardScenarios } from './scenarios.js';
import { simulate } from './simulate.js';
import { edgePlatform, MI, seedUnits } from './test-fixtures.js';
import type { PlanInput } from './types.js';

const platform = edgePlatform();
const input = (): PlanInput => ({ nodes: simNodes(platform.nodes), workloads: workloadsFromUnits(platform, seedUnits()), source: 'declared' });
const report = simulate(input(), standardScenarios(simNodes(platform.nodes)));
const scenario = (name: string): ScenarioReport => report.scenarios.find((s) => s.name === name)!;
const podsOn = (s: ScenarioReport, node: string) => s.nodes.find((n) => n.name === node)!.pods.map((p) => p.name);
const pendingNames = (s: ScenarioReport) => s.pending.map((p) => `${p.tier} ${p.name}`);
const verdicts = (s: ScenarioReport) => s.tiers.map((t) => t.verdict);

const TIER_1 = [
  'argocd-application-controller-0',
  'argocd-redis-0',
  'argocd-repo-server-0',
  'argocd-server-0',
  'kube-prometheus-stack-operator-0',
  'prometheus-kube-prometheus-stack-prometheus-0',
];

describe('scenarios on the edge platform (3 × 2 vCPU / 4 GiB)', () => {
  it('runs green, each node lost, red and black', () => {
    expect(report.scenarios.map((s) => [s.name, s.kind, s.failed])).toEqual([
      ['green', 'green', []],
      ['lost:k3s-server-0', 'other', ['k3s-server-0']],
      ['lost:k3s-agent-0', 'yellow', ['k3s-agent-0']],
      ['lost:k3s-agent-1', 'yellow', ['k3s-agent-1']],
      ['red', 'red', ['k3s-agent-0', 'k3s-agent-1']],
      ['black', 'black', ['k3s-server-0', 'k3s-agent-0', 'k3s-agent-1']],
    ]);
  });

  it('green: nothing pending, each pod in its home pool, only node agents on the control plane', () => {
    const green = scenario('green');
    expect(green.pending).toEqual([]);
    expect(verdicts(green)).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(podsOn(green, 'k3s-server-0')).toEqual(['cilium-k3s-server-0', 'fluent-bit-k3s-server-0', 'kube-prometheus-stack-prometheus-node-exporter-k3s-server-0']);
    expect(podsOn(green, 'k3s-agent-1')).toEqual(['cilium-k3s-agent-1', 'fluent-bit-k3s-agent-1', 'kube-prometheus-stack-prometheus-node-exporter-k3s-agent-1', 'jenkins-0', 'sonarqube-0']);
    expect(podsOn(green, 'k3s-agent-0')).toEqual(expect.arrayContaining([...TIER_1, 'loki-0', 'vault-0', 'kube-prometheus-stack-grafana-0']));
    const agent0 = green.nodes.find((n) => n.name === 'k3s-agent-0')!;
    expect(agent0.requested).toEqual({ cpu: 975, memory: 2864 * MI });
    expect(agent0.allocatable).toEqual({ cpu: 1900, memory: 3840 * MI });
  });

  it('red: Argo CD and Prometheus survive on k3s-server-0; tiers 2 and 3 are lost', () => {
    const red = scenario('red');
    expect(podsOn(red, 'k3s-server-0')).toEqual(expect.arrayContaining(TIER_1));
    expect(red.nodes.find((n) => n.name === 'k3s-server-0')!.pods.filter((p) => p.tier === 1).every((p) => p.movedFrom === 'k3s-agent-0')).toBe(true);
    expect(verdicts(red)).toEqual(['ok', 'ok', 'down', 'down']);
    expect(pendingNames(red)).toEqual([
      '2 argocd-notifications-controller-0',
      '2 cert-manager-0',
      '2 cert-manager-cainjector-0',
      '2 cert-manager-webhook-0',
      '2 loki-0',
      '2 alertmanager-kube-prometheus-stack-alertmanager-0',
      '2 vault-0',
      '3 jenkins-0',
      '3 kube-prometheus-stack-grafana-0',
      '3 sonarqube-0',
    ]);
    expect(red.pending[0]!.reason).toBe(
      '0/1 nodes are available: 1 node(s) had untolerated taint(s). no new claims to deallocate, preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.',
    );
    expect(red.gone.map((p) => p.name)).toEqual([
      'cilium-k3s-agent-0',
      'cilium-k3s-agent-1',
      'fluent-bit-k3s-agent-0',
      'fluent-bit-k3s-agent-1',
      'kube-prometheus-stack-prometheus-node-exporter-k3s-agent-0',
      'kube-prometheus-stack-prometheus-node-exporter-k3s-agent-1',
    ]);
  });

  it('yellow: the tier-3 pods of the lost worker pool are named, tier 2 consolidates on the other worker', () => {
    const infraLost = scenario('lost:k3s-agent-0');
    expect(pendingNames(infraLost)).toEqual(['3 kube-prometheus-stack-grafana-0']);
    expect(infraLost.pending[0]!.reason).toBe(
      "0/2 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint(s). no new claims to deallocate, preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.",
    );
    expect(podsOn(infraLost, 'k3s-agent-1')).toEqual(expect.arrayContaining(['loki-0', 'vault-0', 'cert-manager-0']));
    expect(infraLost.tiers.find((t) => t.tier === 3)!.down).toEqual(['Deployment monitoring/kube-prometheus-stack-grafana']);
    expect(pendingNames(scenario('lost:k3s-agent-1'))).toEqual(['3 jenkins-0', '3 sonarqube-0']);
    expect(verdicts(scenario('lost:k3s-agent-1'))).toEqual(['ok', 'ok', 'ok', 'down']);
  });

  it('black: nothing runs, every pod pending for want of nodes', () => {
    const black = scenario('black');
    expect(black.nodes.every((n) => n.failed && n.pods.length === 0)).toBe(true);
    expect(new Set(black.pending.map((p) => p.reason))).toEqual(new Set(['no nodes available to schedule pods']));
    expect(verdicts(black)).toEqual(['down', 'down', 'down', 'down']);
  });

  it('simulates any set of nodes named on the command line, and names its colour', () => {
    const nodes = simNodes(platform.nodes);
    expect(scenarioLosing(['k3s-agent-1', 'k3s-agent-0'], nodes)).toEqual({ name: 'lost:k3s-agent-0,k3s-agent-1', kind: 'red', failed: ['k3s-agent-0', 'k3s-agent-1'], title: 'all workers lost (k3s-agent-0, k3s-agent-1)' });
    const custom = simulate(input(), [scenarioLosing(['k3s-agent-1', 'k3s-agent-0'], nodes)]).scenarios[0]!;
    expect(custom.pending).toEqual(scenario('red').pending);
  });

  it('is deterministic: the same input gives the same report', () => {
    const again = simulate(input(), standardScenarios(simNodes(platform.nodes)));
    expect(JSON.stringify(again)).toBe(JSON.stringify(report));
  });

  it('on a tight control plane, tier 1 preempts the tier-2 node agents there', () => {
    const nodes = simNodes(platform.nodes);
    nodes[0]!.allocatable = { cpu: 1500, memory: 1530 * MI };
    const red = simulate({ ...input(), nodes }, [scenarioLosing(['k3s-agent-0', 'k3s-agent-1'], nodes, 'red')]).scenarios[0]!;
    expect(red.preemptions.map((e) => [e.preemptor.name, e.node, e.victims.map((v) => v.name)])).toEqual([
      ['kube-prometheus-stack-operator-0', 'k3s-server-0', ['kube-prometheus-stack-prometheus-node-exporter-k3s-server-0', 'fluent-bit-k3s-server-0']],
    ]);
    expect(podsOn(red, 'k3s-server-0')).toEqual(expect.arrayContaining(TIER_1));
    expect(pendingNames(red)).toContain('2 fluent-bit-k3s-server-0');
    expect(red.pending.find((p) => p.name === 'fluent-bit-k3s-server-0')!.reason).toBe(
      '0/1 nodes are available: 1 Insufficient memory. no new claims to deallocate, preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.',
    );
  });

  it('notes pods that a live cluster would keep on an unreachable node', () => {
    const nodes = simNodes(platform.nodes);
    const base = input();
    const vault = base.workloads.find((w) => w.name === 'vault')!;
    const { affinity: _none, ...plain } = vault.template;
    const stubborn = { ...vault, name: 'stubborn', template: { ...plain, labels: { app: 'stubborn' }, nodeSelector: { 'plinth.dev/pool': 'infra' }, tolerations: [{ operator: 'Exists' as const }] } };
    const out = simulate({ ...base, workloads: [...base.workloads, stubborn] }, [scenarioLosing(['k3s-agent-0'], nodes)]).scenarios[0]!;
    expect(out.notes[0]).toBe(
      'vault/stubborn-0 tolerates node.kubernetes.io/unreachable:NoExecute without tolerationSeconds: a live cluster keeps it bound to k3s-agent-0 until the Node object is deleted',
    );
    // StatefulSet pods start elsewhere only once the lost Node object is deleted or tainted out-of-service.
    expect(out.statefulMoves.map((m) => [m.pod.name, m.from, m.to])).toEqual([
      ['argocd-application-controller-0', 'k3s-agent-0', 'k3s-server-0'],
      ['loki-0', 'k3s-agent-0', 'k3s-agent-1'],
      ['alertmanager-kube-prometheus-stack-alertmanager-0', 'k3s-agent-0', 'k3s-agent-1'],
      ['prometheus-kube-prometheus-stack-prometheus-0', 'k3s-agent-0', 'k3s-server-0'],
      ['vault-0', 'k3s-agent-0', 'k3s-agent-1'],
    ]);
    expect(out.notes[1]).toMatch(/^StatefulSet pods of k3s-agent-0 start elsewhere only once the Node object is deleted or tainted node\.kubernetes\.io\/out-of-service=nodeshutdown:NoExecute .*: argocd\/argocd-application-controller-0 \(to k3s-server-0\), loki\/loki-0 \(to k3s-agent-1\)/);
  });

  it('keeps a pod with a node-local volume on its node: lost with it, and a preemption victim comes back only there', () => {
    const nodes = simNodes(platform.nodes);
    const base = input();
    const withClaims = base.workloads.map((w) => (w.name === 'vault' || w.name === 'loki' ? { ...w, template: { ...w.template, localClaims: ['data'] } } : w));
    const lost = simulate({ ...base, workloads: withClaims }, [scenarioLosing(['k3s-agent-0'], nodes)]).scenarios[0]!;
    expect(lost.pending.filter((p) => p.name === 'vault-0' || p.name === 'loki-0').map((p) => [p.name, p.reason])).toEqual([
      ['loki-0', '0/2 nodes are available: 1 node(s) didn\'t match PersistentVolume\'s node affinity, 1 node(s) had untolerated taint(s). no new claims to deallocate, preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.'],
      ['vault-0', '0/2 nodes are available: 1 node(s) didn\'t match PersistentVolume\'s node affinity, 1 node(s) had untolerated taint(s). no new claims to deallocate, preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.'],
    ]);
    expect(lost.statefulMoves.map((m) => m.pod.name)).not.toContain('vault-0');
    // Without the claims, the same pods move to the other worker.
    const plain = simulate(base, [scenarioLosing(['k3s-agent-0'], nodes)]).scenarios[0]!;
    expect(plain.pending.map((p) => p.name)).not.toContain('vault-0');
  });
});
