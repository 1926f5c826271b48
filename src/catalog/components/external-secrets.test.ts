import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/load.js';
import { starterConfig } from '../../config/starter.js';
import { SHARED_REFS } from '../../desired/refs.js';
import { resolvePlatform } from '../../desired/resolve.js';
import { buildUnit, componentContext } from '../../desired/units.js';
import { externalSecrets } from './external-secrets.js';
import { argocd } from './argocd.js';
import { vault } from './vault.js';

const CATALOG = [vault, externalSecrets, argocd];

/** `monitored`: kube-prometheus-stack is enabled; `withArgocd`: the GitOps engine is. */
function unitFor(monitored: boolean, withArgocd = false) {
  const platform = resolvePlatform(parseConfig(starterConfig(), 'plinth.yaml'), CATALOG);
  const enabled = (name: string) => (name === 'argocd' ? withArgocd : monitored);
  return buildUnit(externalSecrets, { ...componentContext(platform, CATALOG), enabled });
}

describe('external-secrets', () => {
  it('ships the platform ClusterSecretStore: Vault KV v2 over TLS, kubernetes auth as the controller', () => {
    const store = unitFor(false).manifests.find((m) => m.kind === 'ClusterSecretStore')!;
    expect(store.apiVersion).toBe('external-secrets.io/v1');
    expect(store.metadata.name).toBe(SHARED_REFS.secretStore);
    expect(store.spec).toEqual({
      provider: {
        vault: {
          server: SHARED_REFS.vaultAddress,
          path: SHARED_REFS.vaultKvMount,
          version: 'v2',
          caProvider: { type: 'Secret', name: 'vault-tls', namespace: 'vault', key: 'ca.crt' },
          auth: {
            kubernetes: {
              mountPath: 'kubernetes',
              role: 'external-secrets',
              serviceAccountRef: { name: 'external-secrets', namespace: 'external-secrets' },
            },
          },
        },
      },
    });
  });

  it('installs its CRDs and declares the controller, webhook and cert-controller', () => {
    const u = unitFor(false);
    expect(u.values).toMatchObject({ installCRDs: true });
    expect(u.crdGroups).toEqual(['external-secrets.io', 'generators.external-secrets.io']);
    expect(u.workloads.map((w) => w.name)).toEqual(['external-secrets', 'external-secrets-webhook', 'external-secrets-cert-controller']);
    expect(u.dependsOn).toEqual(['vault']);
  });

  it('renders ServiceMonitors only with kube-prometheus-stack', () => {
    expect(unitFor(false).values).toMatchObject({ serviceMonitor: { enabled: false } });
    const on = unitFor(true);
    expect(on.values).toMatchObject({ serviceMonitor: { enabled: true, renderMode: 'alwaysRender' } });
    expect(on.usesGroups).toEqual(['monitoring.coreos.com']);
  });

  it("merges Argo CD's admin password into the argocd-secret the chart owns (creationPolicy Merge), when Argo CD is enabled", () => {
    expect(unitFor(false).manifests.map((m) => m.kind)).toEqual(['ClusterSecretStore']);
    const es = unitFor(false, true).manifests.find((m) => m.kind === 'ExternalSecret')!;
    expect(es.metadata).toMatchObject({ name: 'argocd-admin', namespace: 'argocd' });
    expect(es.spec).toMatchObject({
      secretStoreRef: { kind: 'ClusterSecretStore', name: SHARED_REFS.secretStore },
      target: { name: 'argocd-secret', creationPolicy: 'Merge', deletionPolicy: 'Merge' },
      data: [{ secretKey: 'admin.password', remoteRef: { key: 'platform/argocd', property: 'admin-password-bcrypt' } }],
    });
  });
});
