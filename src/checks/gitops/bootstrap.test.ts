import { describe, expect, it } from 'vitest';
import { bootstrapPlan } from '../../desired/bootstrap.js';
import type { K8sObject } from '../../model/k8s.js';
import { emptyUnitParts, type Unit } from '../../model/unit.js';
import { checkBootstrapNames, checkStartupDiscovery } from './bootstrap.js';

const unit = (name: string, extra: Partial<Unit> = {}): Unit => ({ name, description: name, stack: 'networking', tier: 0, pool: 'infra', namespace: 'kube-system', wave: 0, ...emptyUnitParts(), ...extra });
const crd = (group: string, kind: string): K8sObject => ({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: `${kind.toLowerCase()}s.${group}` }, spec: { group, names: { kind } } });
const relay: K8sObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'hubble-relay' }, spec: { template: { spec: { priorityClassName: 'plinth-tier-2-important', containers: [] } } } };

const units = [
  unit('platform-base', { namespace: 'default', manifests: [{ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'plinth-tier-2-important' } }] }),
  unit('gateway-api-crds', { crdGroups: ['gateway.networking.k8s.io'], git: { repoUrl: 'r', path: 'p', ref: 'v1', cacheFile: 'f' } }),
  unit('cilium', { startupCrdGroups: ['gateway.networking.k8s.io'], chart: { repoUrl: 'r', chart: 'cilium', version: '1' } }),
];
const rendered = new Map<string, K8sObject[]>([
  ['gateway-api-crds', [crd('gateway.networking.k8s.io', 'Gateway')]],
  ['cilium', [relay]],
]);
const input = { units, rendered, baseUnit: 'platform-base', root: [], files: new Map<string, string>() };

describe('the phases of plinth up', () => {
  it('pass in the order up runs them: base and CRDs before the network plugin', () => {
    expect(checkBootstrapNames(input)).toEqual([]);
    expect(checkStartupDiscovery(input)).toEqual([]);
  });

  it('fail in the order up had before: the network plugin first', () => {
    const steps = bootstrapPlan(units, rendered, input);
    const old = ['network', 'base', 'crds'].map((k, i) => ({ ...steps.find((s) => s.key === k)!, number: i + 3 }));
    expect(checkBootstrapNames(input, old)).toEqual([
      expect.objectContaining({
        check: 'bootstrap',
        object: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'hubble-relay' },
        path: 'spec.template.spec.priorityClassName',
        message: 'plinth up applies Deployment hubble-relay in phase 3 (network plugin), naming PriorityClass plinth-tier-2-important, which only phase 4 (namespaces and PriorityClasses) creates: admission refuses its pods (no such PriorityClass) and the controller backs off for minutes',
      }),
    ]);
    expect(checkStartupDiscovery(input, old)).toEqual([
      expect.objectContaining({
        check: 'bootstrap',
        source: { component: 'cilium' },
        message: 'plinth up starts cilium in phase 3 (network plugin), before the CRDs of gateway.networking.k8s.io (phase 5, CustomResourceDefinitions): cilium looks for them only when it starts, and never enables what needs them',
      }),
    ]);
  });

  it('name a ServiceAccount only a later phase creates', () => {
    const steps = bootstrapPlan(units, rendered, input);
    const account: K8sObject = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'relay', namespace: 'kube-system' } };
    const withAccount = (o: K8sObject): K8sObject => ({ ...o, spec: { template: { spec: { serviceAccountName: 'relay', containers: [] } } } });
    const seeded = steps.map((s) => (s.key === 'network' ? { ...s, objects: s.objects.map(withAccount) } : s.key === 'root' ? { ...s, objects: [account] } : s));
    expect(checkBootstrapNames(input, seeded).map((f) => [f.path, f.message])).toEqual([
      ['spec.template.spec.serviceAccountName', 'plinth up applies Deployment hubble-relay in phase 5 (network plugin), naming ServiceAccount kube-system/relay, which only phase 8 (the root of the GitOps repository) creates: admission refuses its pods until the account exists'],
    ]);
  });

  it('name a namespace nothing creates, and a custom resource whose CRD comes in the same phase', () => {
    const stray: K8sObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'nowhere' } };
    const gateway: K8sObject = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'g', namespace: 'kube-system' } };
    const steps = bootstrapPlan(units, rendered, input).map((s) => (s.key === 'crds' ? { ...s, objects: [...s.objects, stray, gateway] } : s));
    expect(checkBootstrapNames(input, steps).map((f) => f.message)).toEqual([
      'plinth up applies ConfigMap c in phase 4 (CustomResourceDefinitions), naming namespace nowhere, which nothing creates: the API server refuses it (namespace not found)',
      'plinth up applies Gateway g in phase 4 (CustomResourceDefinitions), naming CRD gateway.networking.k8s.io/Gateway, which only phase 4 (CustomResourceDefinitions) creates: the API server does not serve its type yet',
    ]);
  });
});
