import { describe, expect, it } from 'vitest';
import { res } from '../model/resources.js';
import { checkPlan, planFindings } from './findings.js';
import { workloadsFromUnits } from './from-units.js';
import { simNodes } from './nodes.js';
import { standardScenarios } from './scenarios.js';
import { simulate } from './simulate.js';
import { edgePlatform, MI, seedUnits, unit } from './test-fixtures.js';
import type { Unit } from '../model/unit.js';

const platform = edgePlatform();
function findings(units: Unit[], shrink?: (nodes: ReturnType<typeof simNodes>) => void) {
  const nodes = simNodes(platform.nodes);
  shrink?.(nodes);
  return planFindings(simulate({ nodes, workloads: workloadsFromUnits(platform, units), source: 'declared' }, standardScenarios(nodes)));
}

describe('the plan check', () => {
  it('finds nothing wrong in the seed stack (tier 3 may be lost when a worker is), and says what red needs of the administrator', () => {
    const found = findings(seedUnits());
    expect(found.filter((f) => f.severity !== 'info')).toEqual([]);
    // The lifeboat's StatefulSets move to the control plane only once the lost Node objects are gone.
    expect(found.map((f) => [f.severity, f.object?.name])).toEqual([
      ['info', 'argocd-application-controller'],
      ['info', 'prometheus-kube-prometheus-stack-prometheus'],
    ]);
    expect(found[0]!.message).toContain('only once the Node object k3s-agent-0 is deleted or tainted node.kubernetes.io/out-of-service=nodeshutdown:NoExecute');
    expect(found[0]!.hint).toContain('kubectl taint node k3s-agent-0 node.kubernetes.io/out-of-service=nodeshutdown:NoExecute');
  });

  it('warns when one lost worker strands a tier-2 pod with its node-local volume, with a hint about storage', () => {
    const units = seedUnits().map((u) => (u.name === 'vault' ? { ...u, workloads: u.workloads.map((w) => ({ ...w, volumeClaims: ['data'] })) } : u));
    const warnings = findings(units).filter((f) => f.severity === 'warning');
    expect(warnings.map((f) => [f.object?.name, f.message.split(': ')[0]])).toEqual([['vault', 'lost:k3s-agent-0 (k3s-agent-0 lost)']]);
    expect(warnings[0]!.message).toContain('node(s) didn\'t match PersistentVolume\'s node affinity');
    expect(warnings[0]!.hint).toContain('storage class local-path');
  });

  it('errors when a pod stays pending with all nodes healthy', () => {
    const huge = unit('huge', 3, 'apps', [{ kind: 'StatefulSet', name: 'huge', replicas: 2, resources: res('1500m', '3Gi', '2', '4Gi') }]);
    expect(findings([...seedUnits(), huge])).toContainEqual({
      check: 'plan',
      severity: 'error',
      message:
        "with all nodes healthy, 2 pods of StatefulSet huge/huge (tier 3) stay pending: 0/3 nodes are available: 1 Insufficient cpu, 1 Insufficient memory, 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint(s). no new claims to deallocate, preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.",
      object: { apiVersion: 'apps/v1', kind: 'StatefulSet', namespace: 'huge', name: 'huge' },
      source: { component: 'huge' },
      hint: 'lower its requests, give the pools it may use more capacity, or fix its placement (pool affinity, tolerations)',
    });
  });

  it('errors when red loses a tier-1 workload of the GitOps engine or of Prometheus', () => {
    const out = findings(seedUnits(), (nodes) => {
      nodes[0]!.allocatable = { cpu: 1500, memory: 1200 * MI };
    });
    expect(out.filter((f) => f.severity === 'error').map((f) => [f.source?.component, f.object?.name])).toEqual([
      ['kube-prometheus-stack', 'prometheus-kube-prometheus-stack-prometheus'],
    ]);
    expect(out.find((f) => f.severity === 'error')!.message).toMatch(/^red \(all workers lost \(k3s-agent-0, k3s-agent-1\)\): Prometheus loses StatefulSet monitoring\/prometheus-kube-prometheus-stack-prometheus: 0\/1 nodes are available: 1 Insufficient memory\./);
  });

  it('warns when losing one worker leaves a pod of tier 2 or less pending', () => {
    const apps = unit('registry', 2, 'apps', [{ kind: 'StatefulSet', name: 'registry', resources: res('100m', '2Gi', '1', '2Gi') }]);
    const infra = unit('store', 2, 'infra', [{ kind: 'StatefulSet', name: 'store', resources: res('100m', '2Gi', '1', '2Gi') }]);
    const out = findings([apps, infra]);
    expect(out.map((f) => [f.severity, f.object?.name, f.message])).toEqual([
      [
        'warning',
        'store',
        'lost:k3s-agent-0 (k3s-agent-0 lost): 1 pod of StatefulSet store/store (tier 2) stays pending: 0/2 nodes are available: 1 Insufficient memory, 1 node(s) had untolerated taint(s). no new claims to deallocate, preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.',
      ],
      [
        'warning',
        'registry',
        'lost:k3s-agent-1 (k3s-agent-1 lost): 1 pod of StatefulSet registry/registry (tier 2) stays pending: 0/2 nodes are available: 1 Insufficient memory, 1 node(s) had untolerated taint(s). no new claims to deallocate, preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.',
      ],
    ]);
  });

  it('runs from the desired state, with the GitOps engine of plinth.yaml', () => {
    const state = { platform, units: seedUnits(), graph: new Map() };
    expect(checkPlan(state).filter((f) => f.severity !== 'info')).toEqual([]);
    const tight = { ...state, platform: { ...platform, nodes: platform.nodes.map((n) => (n.role === 'control-plane' ? { ...n, allocatable: { cpu: 1500, memory: 300 * MI } } : n)) } };
    expect(checkPlan(tight).filter((f) => f.severity === 'error').map((f) => f.object?.name)).toEqual([
      'argocd-application-controller',
      'argocd-repo-server',
      'kube-prometheus-stack-operator',
      'prometheus-kube-prometheus-stack-prometheus',
    ]);
  });
});
