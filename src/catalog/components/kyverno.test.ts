import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/load.js';
import { starterConfig } from '../../config/starter.js';
import { getIn } from '../../lib/values.js';
import { resolvePlatform } from '../../desired/resolve.js';
import { buildUnit, componentContext } from '../../desired/units.js';
import type { Component } from '../component.js';
import { argocd } from './argocd.js';
import { kyverno } from './kyverno.js';
import { policyReporter } from './policy-reporter.js';

/** Stands in for the monitoring component: only its name and namespace matter here. */
const monitoring: Component = {
  name: 'kube-prometheus-stack',
  description: 'test double',
  stack: 'observability',
  tier: 1,
  pool: 'infra',
  namespace: 'monitoring',
  dependsOn: [],
  profiles: ['edge'],
  build: () => ({}),
};
const CATALOG = [argocd, kyverno, policyReporter, monitoring];
const all = (name: string) => CATALOG.some((c) => c.name === name);

function unitFor(component: Component, enabled: (name: string) => boolean) {
  const platform = resolvePlatform(parseConfig(starterConfig(), 'plinth.yaml'), CATALOG);
  return buildUnit(component, { ...componentContext(platform, CATALOG), enabled });
}

const excluded = (values: Record<string, unknown>) =>
  (getIn(values, 'config.webhooks.namespaceSelector.matchExpressions') as { key: string; operator: string; values: string[] }[])[0];

describe('kyverno', () => {
  it('keeps its webhooks away from kube-system, itself and the lifeboat namespaces', () => {
    const off = unitFor(kyverno, (n) => n === 'argocd');
    expect(excluded(off.values)).toEqual({ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['argocd', 'kube-system'] });
    // The chart appends the Kyverno namespace itself.
    expect(getIn(off.values, 'config.excludeKyvernoNamespace')).toBe(true);
    const on = unitFor(kyverno, all);
    expect(excluded(on.values).values).toEqual(['argocd', 'kube-system', 'monitoring']);
    expect(getIn(on.values, 'features.excludeBootstrapResources.enabled')).toBe(true);
  });

  it('switches off the Helm hooks, which carry no priority class', () => {
    const u = unitFor(kyverno, () => false);
    expect(getIn(u.values, 'crds.migration.enabled')).toBe(false);
    expect(getIn(u.values, 'webhooksCleanup.enabled')).toBe(false);
  });

  it('budgets the admission controller under container.resources and places every controller through the split affinity keys', () => {
    const u = unitFor(kyverno, () => false);
    expect(getIn(u.values, 'admissionController.container.resources')).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '384Mi' } });
    expect(getIn(u.values, 'admissionController.resources')).toBeUndefined();
    for (const key of ['admissionController', 'backgroundController', 'cleanupController', 'reportsController']) {
      expect(getIn(u.values, `${key}.priorityClassName`)).toBe('plinth-tier-2-important');
      expect(getIn(u.values, `${key}.affinity`)).toBeUndefined();
      // Tier 2 may consolidate on the other worker pool.
      expect(getIn(u.values, `${key}.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms`)).toEqual([
        { matchExpressions: [{ key: 'plinth.dev/pool', operator: 'In', values: ['infra', 'apps'] }] },
      ]);
      expect(getIn(u.values, `${key}.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution`)).toHaveLength(1);
    }
    const requested = u.workloads.flatMap((w) => w.containers).reduce((sum, c) => sum + parseInt(c.resources.requests.memory, 10), 0);
    expect(requested).toBeLessThanOrEqual(320);
  });

  it('installs every API group its chart ships CRDs for, and ServiceMonitors only with kube-prometheus-stack', () => {
    expect(kyverno.crdGroups).toEqual(['kyverno.io', 'policies.kyverno.io', 'reports.kyverno.io', 'wgpolicyk8s.io']);
    expect(unitFor(kyverno, () => false).usesGroups).toEqual([]);
    const on = unitFor(kyverno, all);
    expect(on.usesGroups).toEqual(['monitoring.coreos.com']);
    expect(getIn(on.values, 'reportsController.serviceMonitor.enabled')).toBe(true);
  });
});

describe('policy-reporter', () => {
  it('serves its UI on policies.<domain> and reads the reports of Kyverno', () => {
    const u = unitFor(policyReporter, () => false);
    expect(u.dependsOn).toContain('kyverno');
    expect(u.endpoints).toEqual([{ name: 'policy-reporter', title: 'Policy Reporter', host: 'policies.idp.local', service: 'policy-reporter-ui', port: 8080 }]);
    expect(getIn(u.values, 'monitoring.enabled')).toBe(false);
    expect(getIn(unitFor(policyReporter, all).values, 'monitoring.enabled')).toBe(true);
  });
});
