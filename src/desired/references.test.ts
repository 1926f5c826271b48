import { describe, expect, it } from 'vitest';
import type { K8sObject } from '../model/k8s.js';
import { secretsProducedBy } from './references.js';

const externalSecret = (target: Record<string, unknown>): K8sObject => ({
  apiVersion: 'external-secrets.io/v1',
  kind: 'ExternalSecret',
  metadata: { name: 'grafana-admin', namespace: 'observability' },
  spec: { secretStoreRef: { kind: 'ClusterSecretStore', name: 'vault' }, target },
});
const names = (o: K8sObject) => secretsProducedBy(o).map((k) => `${k.namespace}/${k.name}`);

describe('which Secrets an object produces', () => {
  it('an ExternalSecret creates its target (Owner, Orphan), named after itself unless told', () => {
    expect(names(externalSecret({}))).toEqual(['observability/grafana-admin']);
    expect(names(externalSecret({ name: 'admin', creationPolicy: 'Orphan' }))).toEqual(['observability/admin']);
  });

  it('an ExternalSecret that merges into a Secret or writes none produces nothing', () => {
    expect(names(externalSecret({ name: 'argocd-secret', creationPolicy: 'Merge' }))).toEqual([]);
    expect(names(externalSecret({ creationPolicy: 'None' }))).toEqual([]);
  });

  it('a Certificate produces its secretName', () => {
    expect(names({ apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'c', namespace: 'vault' }, spec: { secretName: 'vault-tls' } })).toEqual(['vault/vault-tls']);
  });
});
