/**
 * The scenarios of seed 001 on the platform Plinth really ships (the built-in
 * edge example and its catalog), from the budgets the components declare:
 * green places everything, red keeps Argo CD and Prometheus on the control
 * plane, and the report names the tier-2 and tier-3 pods each scenario loses.
 * (test/check.test.ts runs the same scenarios on the charts rendered by Helm.)
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.js';
import { starterConfig } from '../config/starter.js';
import { desiredState } from '../desired/index.js';
import { declaredInput } from './input.js';
import type { ScenarioReport } from './report.js';
import { standardScenarios } from './scenarios.js';
import { simulate } from './simulate.js';
import { scenarioText } from './text.js';

const input = declaredInput(desiredState(parseConfig(starterConfig(), 'plinth.yaml')));
const report = simulate(input, standardScenarios(input.nodes));
const scenario = (name: string): ScenarioReport => report.scenarios.find((s) => s.name === name)!;
const workloadsOn = (s: ScenarioReport, node: string) => new Set(s.nodes.find((n) => n.name === node)!.pods.map((p) => `${p.unit}/${p.workload.name}`));
const lost = (s: ScenarioReport, tier: number) => s.pending.filter((p) => p.tier === tier).map((p) => `${p.namespace}/${p.name}`);

describe('the built-in edge platform under failure', () => {
  it('places every pod with all nodes healthy', () => {
    expect(scenario('green').pending).toEqual([]);
    expect(scenario('green').tiers.map((t) => t.verdict)).toEqual(['ok', 'ok', 'ok', 'ok']);
  });

  it('keeps Argo CD and Prometheus running on k3s-server-0 when both workers are lost', () => {
    const red = scenario('red');
    const onServer = workloadsOn(red, 'k3s-server-0');
    for (const w of ['argocd/argocd-application-controller', 'argocd/argocd-repo-server', 'argocd/argocd-server', 'kube-prometheus-stack/prometheus-kube-prometheus-stack-prometheus', 'kube-prometheus-stack/kube-prometheus-stack-operator']) {
      expect(onServer, w).toContain(w);
    }
    expect(red.tiers.find((t) => t.tier === 1)!.verdict).toBe('ok');
  });

  it('names the tier-2 and tier-3 pods lost in yellow and red, in the text a person reads', () => {
    const yellow = scenario('lost:k3s-agent-0');
    // Vault and Loki keep their local-path volumes on the lost node.
    expect(lost(yellow, 2)).toEqual(['observability/loki-0', 'vault/vault-0']);
    expect(lost(yellow, 3).length).toBeGreaterThan(0);
    const red = scenario('red');
    expect(lost(red, 2)).toEqual(expect.arrayContaining(['observability/loki-0', 'vault/vault-0', 'cert-manager/cert-manager-0']));
    expect(lost(red, 3)).toEqual(expect.arrayContaining(['jenkins/jenkins-0', 'sonarqube/sonarqube-sonarqube-0']));
    for (const s of [yellow, red]) {
      const text = scenarioText(s);
      for (const p of s.pending.filter((x) => x.tier >= 2)) expect(text).toContain(`${p.namespace}/${p.name}`);
      expect(text).toMatch(/tier 2 down: .*StatefulSet vault\/vault/);
    }
  });
});
