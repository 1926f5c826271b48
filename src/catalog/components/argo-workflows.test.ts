import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/load.js';
import { starterConfig } from '../../config/starter.js';
import { getIn } from '../../lib/values.js';
import { resolvePlatform } from '../../desired/resolve.js';
import { buildUnit, componentContext } from '../../desired/units.js';
import { argoWorkflows } from './argo-workflows.js';
import { argocd } from './argocd.js';
import { trivyOperator } from './trivy-operator.js';

const CATALOG = [argocd, argoWorkflows, trivyOperator];

function unitFor(component: typeof argoWorkflows) {
  const platform = resolvePlatform(parseConfig(starterConfig(), 'plinth.yaml'), CATALOG);
  return buildUnit(component, { ...componentContext(platform, CATALOG), enabled: () => false });
}

describe('argo-workflows', () => {
  it('owns its CRDs kind by kind, none of them Argo CD\'s', () => {
    const ours = argoWorkflows.crdGroups ?? [];
    expect(ours).toContain('argoproj.io/Workflow');
    expect(ours).not.toContain('argoproj.io');
    for (const entry of argocd.crdGroups ?? []) expect(ours).not.toContain(entry);
  });

  it('renders the minimal CRDs instead of the download hook, and authenticates users with their own tokens', () => {
    const u = unitFor(argoWorkflows);
    expect(getIn(u.values, 'crds')).toEqual({ install: true, keep: true, full: false });
    expect(getIn(u.values, 'server.authModes')).toEqual(['client']);
    expect(u.endpoints).toEqual([{ name: 'argo-workflows', title: 'Argo Workflows', host: 'workflows.idp.local', service: 'argo-workflows-server', port: 2746 }]);
  });

  it('gives workflow pods executor resources, a default for main containers and the apps pool', () => {
    const u = unitFor(argoWorkflows);
    expect(getIn(u.values, 'executor.resources')).toEqual({ requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '200m', memory: '128Mi' } });
    expect(getIn(u.values, 'mainContainer.resources')).toBeDefined();
    expect(getIn(u.values, 'controller.workflowDefaults.spec.nodeSelector')).toEqual({ 'plinth.dev/pool': 'apps' });
    expect(getIn(u.values, 'controller.parallelism')).toBe(2);
  });
});

describe('trivy-operator', () => {
  it('runs one scan job at a time, with its resources, priority and pool', () => {
    const u = unitFor(trivyOperator);
    expect(getIn(u.values, 'operator.scanJobsConcurrentLimit')).toBe(1);
    expect(getIn(u.values, 'trivy.resources')).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } });
    expect(getIn(u.values, 'trivyOperator')).toEqual({ scanJobPodPriorityClassName: 'plinth-tier-3-workload', scanJobNodeSelector: { 'plinth.dev/pool': 'infra' } });
    expect(u.workloads.map((w) => w.name)).toEqual(['trivy-operator']);
  });
});
