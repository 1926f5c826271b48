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

  describe('objects a chart renders', () => {
    const crdOf = (group: string, kind: string, scope = 'Namespaced'): K8sObject =>
      ({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: `${kind.toLowerCase()}s.${group}` }, spec: { group, scope, names: { kind } } }) as K8sObject;
    const crds = unit('prometheus-operator-crds', 1, { crdGroups: ['monitoring.coreos.com'], dependsOn: ['platform-base'] });
    // The chart leaves the namespace out: the object lands in the release namespace.
    const monitor: K8sObject = { apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: 'loki' }, spec: {} };

    it('requires a rendered custom resource to come after the unit installing its CRD', () => {
      const rendered = new Map([['prometheus-operator-crds', [crdOf('monitoring.coreos.com', 'ServiceMonitor')]], ['loki', [monitor]]]);
      const loki = unit('loki', 1, { namespace: 'app', dependsOn: ['platform-base'] });
      expect(checkGraph({ units: [base, crds, loki], rendered })).toEqual([
        {
          check: 'graph',
          severity: 'error',
          object: { apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', namespace: 'app', name: 'loki' },
          source: { component: 'loki' },
          path: 'apiVersion',
          message: 'ServiceMonitor is in loki (wave 1), but its CRD comes from prometheus-operator-crds in wave 1',
          hint: 'loki must depend on prometheus-operator-crds: its chart renders ServiceMonitor, so declare monitoring.coreos.com in the component\'s `usesGroups`',
        },
      ]);
      // The dependency `usesGroups` gives puts it a wave later.
      const ordered = { ...loki, wave: 2, dependsOn: ['platform-base', 'prometheus-operator-crds'] };
      expect(checkGraph({ units: [base, crds, ordered], rendered })).toEqual([]);
    });

    it('reports a rendered custom resource no unit installs the CRD of', () => {
      const loki = unit('loki', 1, { namespace: 'app', dependsOn: ['platform-base'] });
      expect(checkGraph({ units: [base, loki], rendered: new Map([['loki', [monitor]]]) })).toEqual([
        expect.objectContaining({ object: expect.objectContaining({ kind: 'ServiceMonitor', namespace: 'app' }), path: 'apiVersion', message: 'no unit installs the CRD of ServiceMonitor (monitoring.coreos.com)' }),
      ]);
    });

    it('accepts custom resources beside the CRDs their own chart renders, cluster-scoped ones without a namespace', () => {
      const report: K8sObject = { apiVersion: 'aquasecurity.github.io/v1alpha1', kind: 'ClusterComplianceReport', metadata: { name: 'cis' }, spec: {} };
      const trivy = unit('trivy', 1, { crdGroups: ['aquasecurity.github.io'], dependsOn: ['platform-base'] });
      const rendered = new Map([['trivy', [crdOf('aquasecurity.github.io', 'ClusterComplianceReport', 'Cluster'), report]]]);
      expect(checkGraph({ units: [base, trivy], rendered })).toEqual([]);
      // The CRD elsewhere, in the same wave: the finding names the object without a namespace.
      const other = unit('crds', 1, { crdGroups: ['aquasecurity.github.io'], dependsOn: ['platform-base'] });
      const elsewhere = new Map([['crds', [crdOf('aquasecurity.github.io', 'ClusterComplianceReport', 'Cluster')]], ['trivy', [report]]]);
      expect(checkGraph({ units: [base, other, { ...trivy, crdGroups: [] }], rendered: elsewhere })).toEqual([
        expect.objectContaining({ object: { apiVersion: 'aquasecurity.github.io/v1alpha1', kind: 'ClusterComplianceReport', name: 'cis' }, message: 'ClusterComplianceReport is in trivy (wave 1), but its CRD comes from crds in wave 1' }),
      ]);
    });

    const certManagerWebhook = (failurePolicy?: string): K8sObject =>
      ({
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingWebhookConfiguration',
        metadata: { name: 'cert-manager-webhook' },
        webhooks: [{ name: 'webhook.cert-manager.io', ...(failurePolicy ? { failurePolicy } : {}), rules: [{ apiGroups: ['cert-manager.io', 'acme.cert-manager.io'], resources: ['*/*'] }] }],
      }) as K8sObject;
    const cert: K8sObject = { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'hubble-server-certs', namespace: 'kube-system' }, spec: { secretName: 'hubble-server-certs' } };

    it('requires a rendered object a webhook admits (rule on every resource) to come after that webhook', () => {
      const certManager = unit('cert-manager', 1, { crdGroups: ['cert-manager.io'], dependsOn: ['platform-base'] });
      const cilium = unit('cilium', 1, { namespace: 'kube-system', dependsOn: ['platform-base'] });
      const found = checkGraph({ units: [base, certManager, cilium], rendered: new Map([['cert-manager', [certManagerWebhook()]], ['cilium', [cert]]]) });
      expect(found).toEqual([
        expect.objectContaining({ message: 'Certificate is in cilium (wave 1), but its CRD comes from cert-manager in wave 1' }),
        {
          check: 'graph',
          severity: 'error',
          object: { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', namespace: 'kube-system', name: 'hubble-server-certs' },
          source: { component: 'cilium' },
          path: 'apiVersion',
          message: 'Certificate is admitted by webhook webhook.cert-manager.io of cert-manager, which is not running before it',
          hint: 'cilium must depend on cert-manager',
        },
      ]);
    });

    it('ignores webhooks that let objects through while they are down, and reports a chart\'s objects its own webhook admits', () => {
      const rule = (resources: string[], failurePolicy?: string): K8sObject => {
        const hook = certManagerWebhook(failurePolicy);
        (hook.webhooks as { rules: { resources: string[] }[] }[])[0]!.rules[0]!.resources = resources;
        return hook;
      };
      // cert-manager's chart rendering a Certificate of its own (none does; a chart could).
      const owner = (webhook: K8sObject) => new Map([['cert-manager', [crdOf('cert-manager.io', 'Certificate'), webhook, cert]]]);
      const certManager = unit('cert-manager', 1, { crdGroups: ['cert-manager.io'], dependsOn: ['platform-base'], namespace: 'kube-system' });
      const baseWithKubeSystem = { ...base, manifests: [...base.manifests, ns('kube-system')] };
      expect(checkGraph({ units: [baseWithKubeSystem, certManager], rendered: owner(rule(['*/*'], 'Ignore')) })).toEqual([]);
      expect(checkGraph({ units: [baseWithKubeSystem, certManager], rendered: owner(rule(['issuers'])) })).toEqual([]);
      for (const resources of [['*'], ['certificates'], ['certificates/*']]) {
        expect(checkGraph({ units: [baseWithKubeSystem, certManager], rendered: owner(rule(resources)) })).toEqual([
          expect.objectContaining({
            message: 'Certificate is admitted by webhook webhook.cert-manager.io of cert-manager, which is not running before it',
            hint: 'the chart renders it beside its own webhook: set the webhook\'s failurePolicy to Ignore, or ship the object as glue with a later sync wave',
          }),
        ]);
      }
    });

    it('resolves the names that rendered objects use: a chart Certificate naming an issuer nobody creates', () => {
      const issued = (name: string, issuer: string): K8sObject => ({ apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name }, spec: { secretName: `${name}-tls`, issuerRef: { kind: 'Issuer', name: issuer } } });
      const ownIssuer: K8sObject = { apiVersion: 'cert-manager.io/v1', kind: 'Issuer', metadata: { name: 'hubble-ca' }, spec: { selfSigned: {} } };
      const crdUnit = unit('crds', 1, { crdGroups: ['cert-manager.io'], dependsOn: ['platform-base'] });
      const cilium = unit('cilium', 2, { namespace: 'kube-system', dependsOn: ['platform-base', 'crds'] });
      const found = checkGraph({
        units: [{ ...base, manifests: [...base.manifests, ns('kube-system')] }, crdUnit, cilium],
        rendered: new Map([['cilium', [ownIssuer, issued('hubble-server', 'hubble-ca'), issued('hubble-relay', 'platform-ca')]]]),
      });
      expect(found).toEqual([
        {
          check: 'graph',
          severity: 'error',
          object: { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', namespace: 'kube-system', name: 'hubble-relay' },
          source: { component: 'cilium' },
          path: 'spec.issuerRef.name',
          message: 'refers to Issuer.cert-manager.io kube-system/platform-ca, which nothing in the platform creates',
          hint: 'fix the name, or enable the component that creates it',
        },
      ]);
    });

    it('counts the Secrets of rendered Certificates and ExternalSecrets as created', () => {
      const relay = {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'hubble-relay', namespace: 'kube-system' },
        spec: {
          template: {
            spec: {
              volumes: [{ name: 'tls', projected: { sources: [{ secret: { name: 'hubble-relay-client-certs' } }, { secret: { name: 'relay-token' } }, { secret: { name: 'relay-env' } }, { secret: { name: 'missing' } }] } }],
              containers: [{ name: 'relay' }],
            },
          },
        },
      } as unknown as K8sObject;
      const relayCert = { ...cert, metadata: { name: 'relay-client', namespace: 'kube-system' }, spec: { secretName: 'hubble-relay-client-certs' } };
      // Without a namespace (the release's), with the target named and without (the ExternalSecret's own name).
      const token: K8sObject = { apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'relay-token' }, spec: {} };
      const env: K8sObject = { apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'x', namespace: 'kube-system' }, spec: { target: { name: 'relay-env' } } };
      const crdUnit = unit('crds', 1, { crdGroups: ['cert-manager.io', 'external-secrets.io'], dependsOn: ['platform-base'] });
      const cilium = unit('cilium', 2, { namespace: 'kube-system', dependsOn: ['platform-base', 'crds'] });
      const found = checkGraph({ units: [{ ...base, manifests: [...base.manifests, ns('kube-system')] }, crdUnit, cilium], rendered: new Map([['cilium', [relayCert, token, env, relay]]]) });
      expect(found).toEqual([
        {
          check: 'graph',
          severity: 'error',
          object: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'kube-system', name: 'hubble-relay' },
          source: { component: 'cilium' },
          path: 'spec.template.spec.volumes[0].projected.sources[3].secret.name',
          message: 'uses Secret kube-system/missing, which nothing in the platform creates',
          hint: expect.any(String),
        },
      ]);
    });
  });
});
