import { describe, expect, it } from 'vitest';
import type { K8sObject } from '../model/k8s.js';
import { emptyUnitParts, type Unit } from '../model/unit.js';
import { type PlatformException, platformPolicies } from '../policy/index.js';
import { checkPolicies } from './policy.js';

const KYVERNO_VALUES = {
  config: { excludeKyvernoNamespace: true, webhooks: { namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['argocd', 'kube-system'] }] } } },
  features: { policyExceptions: { enabled: true, namespace: 'kyverno' } },
};

function unit(name: string, namespace: string, manifests: K8sObject[], extra: Partial<Unit> = {}): Unit {
  return { ...emptyUnitParts(), name, description: name, stack: 'core', tier: 2, pool: 'infra', namespace, wave: 0, manifests, ...extra };
}

function kyvernoUnit(exceptions: PlatformException[], options: { values?: Record<string, unknown>; exceptionNamespace?: string; manifests?: K8sObject[] } = {}): Unit {
  const policies = platformPolicies({ allowedRegistries: ['ghcr.io'], exceptions, ...(options.exceptionNamespace ? { exceptionNamespace: options.exceptionNamespace } : {}) });
  return unit('kyverno', 'kyverno', [...policies, ...(options.manifests ?? [])], {
    chart: { repoUrl: 'https://kyverno.github.io/kyverno/', chart: 'kyverno', version: '3.9.0' },
    values: options.values ?? KYVERNO_VALUES,
  });
}

const container = { name: 'agent', image: 'ghcr.io/acme/agent:1.0', resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '64Mi' } } };

function daemonSet(name: string, namespace: string): K8sObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace },
    spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { hostNetwork: true, containers: [container] } } },
  };
}

const hostAgent: PlatformException = {
  name: 'agent-host-network',
  component: 'agent',
  policies: ['pss-baseline-host-namespaces'],
  match: { namespace: 'agents', workloads: ['agent'] },
  reason: 'reads node metrics from the host network',
  expiresAt: '2026-01-01T00:00:00Z',
};

const agentUnit = () => unit('agent', 'agents', [daemonSet('agent', 'agents')]);
const hostNamespaceFindings = (units: Unit[], now: Date) =>
  checkPolicies(units, [], { now }).findings.filter((f) => f.object?.name === 'agent' && f.message.startsWith('pss-baseline-host-namespaces'));

describe('policy check: which PolicyExceptions Kyverno honours', () => {
  it('an exception excepts until its expiresAt, not after', () => {
    const units = [kyvernoUnit([hostAgent]), agentUnit()];
    expect(hostNamespaceFindings(units, new Date('2025-12-31T23:59:59Z'))).toEqual([
      expect.objectContaining({ severity: 'info', message: 'pss-baseline-host-namespaces: excepted by kyverno/agent-host-network' }),
    ]);
    expect(hostNamespaceFindings(units, new Date('2026-01-01T00:00:00Z'))).toEqual([
      expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/^pss-baseline-host-namespaces: .*host/) }),
    ]);
  });

  it('an exception outside Kyverno’s exception namespace, or with exceptions disabled, does not except', () => {
    const now = new Date('2025-06-01T00:00:00Z');
    const elsewhere = [kyvernoUnit([hostAgent], { exceptionNamespace: 'agents' }), agentUnit()];
    expect(hostNamespaceFindings(elsewhere, now).map((f) => f.severity)).toEqual(['warning']);
    const disabled = [kyvernoUnit([hostAgent], { values: { ...KYVERNO_VALUES, features: { policyExceptions: { enabled: false } } } }), agentUnit()];
    expect(hostNamespaceFindings(disabled, now).map((f) => f.severity)).toEqual(['warning']);
    // the same exception in the configured namespace does except
    expect(hostNamespaceFindings([kyvernoUnit([hostAgent]), agentUnit()], now).map((f) => f.severity)).toEqual(['info']);
  });
});

describe('policy check: what Kyverno never sees', () => {
  it('shows workloads its resource filters keep out as not evaluated, per component', () => {
    const kyvernoDeployment: K8sObject = { ...daemonSet('kyverno-admission-controller', 'kyverno'), kind: 'Deployment' };
    const units = [kyvernoUnit([], { manifests: [kyvernoDeployment] }), unit('cilium', 'kube-system', [daemonSet('cilium', 'kube-system')])];
    const notEvaluated = checkPolicies(units, [], { now: new Date('2025-06-01T00:00:00Z') }).findings.filter((f) => f.message.startsWith('not evaluated'));
    expect(notEvaluated).toEqual([
      expect.objectContaining({
        severity: 'info',
        source: { component: 'cilium' },
        object: { apiVersion: 'apps/v1', kind: 'DaemonSet', namespace: 'kube-system', name: 'cilium' },
        message: expect.stringMatching(/^not evaluated \(Kyverno resource filter \[\*\/\*,kube-system,\*\]\): \d+ policies would apply, \d+ would fail \(.*pss-baseline-host-namespaces/),
      }),
      expect.objectContaining({ source: { component: 'kyverno' }, object: expect.objectContaining({ kind: 'Deployment', name: 'kyverno-admission-controller' }), message: expect.stringContaining('[*/*,kyverno,*]') }),
    ]);
  });

  it('an Enforce failure outside the webhooks’ namespaceSelector is reported, not blocking', () => {
    const ns = (name: string): K8sObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    const units = [kyvernoUnit([]), unit('argocd', 'argocd', [ns('argocd')]), unit('shop', 'shop', [ns('shop')])];
    const labels = checkPolicies(units, [], { now: new Date('2025-06-01T00:00:00Z') }).findings.filter((f) => f.message.startsWith('enforce-namespace-labels'));
    expect(labels.map((f) => [f.object?.name, f.severity, f.hint])).toEqual([
      ['argocd', 'warning', "enforced, but Kyverno's webhooks leave namespace argocd out: not blocked, only reported by background scans"],
      ['shop', 'error', 'enforced: the API server rejects this object'],
    ]);
  });
});
