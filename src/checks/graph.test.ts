import { describe, expect, it } from 'vitest';
import type { K8sObject } from '../model/k8s.js';
import { emptyUnitParts, type Unit } from '../model/unit.js';
import { checkGraph } from './graph.js';

const unit = (name: string, wave: number, o: Partial<Unit> = {}): Unit => ({
  name,
  description: name,
  stack: 'core',
  tier: 2,
  pool: 'infra',
  namespace: name,
  ...emptyUnitParts(),
  wave,
  ...o,
});

const ns = (name: string): K8sObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const base = unit('platform-base', 0, { namespace: 'default', manifests: ['certs', 'store', 'app'].map(ns) });

const webhookConfig = (group: string, resource: string): K8sObject => ({
  apiVersion: 'admissionregistration.k8s.io/v1',
  kind: 'ValidatingWebhookConfiguration',
  metadata: { name: 'store-webhook' },
  webhooks: [{ name: 'validate.store.example', rules: [{ apiGroups: [group], resources: [resource] }] }],
} as K8sObject);

const store: K8sObject = { apiVersion: 'stores.example/v1', kind: 'Store', metadata: { name: 's', namespace: 'app' } };

describe('graph checker', () => {
  it('reports a custom resource no unit installs the CRD of', () => {
    const app = unit('app', 1, { manifests: [store], dependsOn: ['platform-base'] });
    expect(checkGraph({ units: [base, app] })).toEqual([
      expect.objectContaining({ object: expect.objectContaining({ kind: 'Store' }), path: 'apiVersion', message: 'no unit installs the CRD of Store (stores.example)' }),
    ]);
  });

  it('requires objects a webhook admits to come after the unit running it', () => {
    const owner = unit('store', 1, { crdGroups: ['stores.example'], dependsOn: ['platform-base'] });
    const early = unit('app', 1, { manifests: [store], dependsOn: ['platform-base'] });
    const rendered = new Map([['store', [webhookConfig('stores.example', 'stores')]]]);
    const found = checkGraph({ units: [base, owner, early], rendered });
    expect(found).toContainEqual(expect.objectContaining({ message: 'Store is admitted by webhook validate.store.example of store, which is not running before it' }));
    expect(found).toContainEqual(expect.objectContaining({ message: 'Store is in app (wave 1), but its CRD comes from store in wave 1' }));
    const late = { ...early, wave: 2, dependsOn: ['platform-base', 'store'] };
    expect(checkGraph({ units: [base, owner, late], rendered })).toEqual([]);
  });

  it('requires the glue of a unit\'s own CRDs to sync after its chart', () => {
    const owner = unit('store', 1, { crdGroups: ['stores.example'], manifests: [{ ...store, metadata: { name: 's', namespace: 'store' } }], dependsOn: ['platform-base'] });
    const baseWithStore = { ...base, manifests: [...base.manifests, ns('store')] };
    expect(checkGraph({ units: [baseWithStore, owner] })).toEqual([
      expect.objectContaining({ path: 'metadata.annotations["argocd.argoproj.io/sync-wave"]', message: 'Store syncs in the same wave as the CRD its own chart installs' }),
    ]);
    owner.manifests[0]!.metadata.annotations = { 'argocd.argoproj.io/sync-wave': '1' };
    expect(checkGraph({ units: [baseWithStore, owner] })).toEqual([]);
  });

  it('reports a namespace nothing creates, for glue and for rendered objects', () => {
    const app = unit('app', 1, { dependsOn: ['platform-base'], manifests: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'elsewhere' } }] });
    const rendered = new Map([['app', [{ apiVersion: 'v1', kind: 'Role', metadata: { name: 'r', namespace: 'kube-flannel' } } as K8sObject]]]);
    expect(checkGraph({ units: [base, app], rendered }).map((f) => f.message)).toEqual([
      'namespace elsewhere does not exist: no unit creates it',
      'namespace kube-flannel does not exist: no unit creates it',
    ]);
  });

  it('reports a dependency on a unit that is not part of the platform, and a cycle', () => {
    expect(checkGraph({ units: [base, unit('app', 1, { dependsOn: ['platform-base', 'vault'] })] })).toEqual([
      expect.objectContaining({ path: 'dependsOn', message: 'app depends on vault, which is not part of the platform' }),
    ]);
    const cyclic = [unit('a', 1, { dependsOn: ['b'] }), unit('b', 2, { dependsOn: ['a'] })];
    expect(checkGraph({ units: cyclic })).toEqual([expect.objectContaining({ message: 'dependency cycle: a -> b -> a' })]);
  });

  it('finds the Secrets a pod cannot start without, ignoring optional ones', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'app' },
      spec: {
        template: {
          spec: {
            volumes: [{ name: 'tls', secret: { secretName: 'web-tls' } }, { name: 'extra', secret: { secretName: 'maybe', optional: true } }],
            containers: [{ name: 'web', env: [{ name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'api-token', key: 't' } } }], envFrom: [{ secretRef: { name: 'web-env' } }] }],
          },
        },
      },
    } as unknown as K8sObject;
    const cert = { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'web', namespace: 'app', annotations: { 'argocd.argoproj.io/sync-wave': '1' } }, spec: { secretName: 'web-tls' } } as unknown as K8sObject;
    const app = unit('app', 1, { dependsOn: ['platform-base'], manifests: [cert], crdGroups: ['cert-manager.io'], provides: [{ apiVersion: 'v1', kind: 'Secret', name: 'web-env' }] });
    const found = checkGraph({ units: [base, app], rendered: new Map([['app', [deployment]]]) });
    expect(found.map((f) => [f.path, f.message])).toEqual([
      ['spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef.name', 'uses Secret app/api-token, which nothing in the platform creates'],
    ]);
  });
});
