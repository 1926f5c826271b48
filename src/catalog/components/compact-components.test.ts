/** The compact profile's components as plinth.yaml shapes them: MetalLB's pool, the ACME issuer, routes, Sealed Secrets' names. */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/load.js';
import { starterConfig } from '../../config/starter.js';
import { compactEdited, compactTestConfig } from '../../config/test-configs.js';
import { desiredState } from '../../desired/index.js';
import type { K8sObject } from '../../model/k8s.js';
import { preservedOnDelete } from '../../synth/argocd/units.js';
import { isPublicDomain } from '../acme.js';
import { firstAddress } from './metallb.js';
import { SEALED_SECRETS_CONTROLLER } from './sealed-secrets.js';

const state = (text: string) => desiredState(parseConfig(text, 'plinth.yaml'));
const unit = (text: string, name: string) => state(text).units.find((u) => u.name === name)!;
const manifest = (text: string, unitName: string, kind: string, name: string) => unit(text, unitName).manifests.find((m) => m.kind === kind && m.metadata.name === name);
const ACME = 'tls:\n  acme:\n    email: ops@example.org\ncomponents: {}';

describe('MetalLB', () => {
  it('announces the pool of plinth.yaml in layer 2, given out only on request, one sync wave after its webhook', () => {
    const text = compactEdited('      - 192.168.1.240-192.168.1.250', '      - 192.168.1.240-192.168.1.250\n      - 10.0.8.0/29');
    const pool = manifest(text, 'metallb', 'IPAddressPool', 'platform')!;
    expect(pool.spec).toEqual({ addresses: ['192.168.1.240-192.168.1.250', '10.0.8.0/29'], autoAssign: false, avoidBuggyIPs: true });
    expect(manifest(text, 'metallb', 'L2Advertisement', 'platform')!.spec).toEqual({ ipAddressPools: ['platform'] });
    expect(pool.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '1' });
    expect(unit(text, 'metallb').values).toMatchObject({ frrk8s: { enabled: false }, speaker: { frr: { enabled: false }, tolerateMaster: false } });
  });

  it('pins the entrance to the first address of the first range', () => {
    expect(firstAddress('192.168.1.240-192.168.1.250')).toBe('192.168.1.240');
    expect(firstAddress('10.0.8.0/29')).toBe('10.0.8.0');
  });
});

describe('ACME', () => {
  const issuer = (text: string) => manifest(text, 'cert-manager', 'ClusterIssuer', 'letsencrypt');

  it('is off unless tls.acme is set', () => {
    expect(issuer(compactTestConfig())).toBeUndefined();
    expect(issuer(starterConfig())).toBeUndefined();
  });

  it('solves HTTP-01 through ingress-nginx in compact, with the account key Secret and the server of plinth.yaml', () => {
    const text = compactEdited('components: {}', ACME.replace('ops@example.org', 'ops@example.org\n    server: https://acme-staging-v02.api.letsencrypt.org/directory'));
    expect(issuer(text)!.spec).toEqual({
      acme: {
        email: 'ops@example.org',
        server: 'https://acme-staging-v02.api.letsencrypt.org/directory',
        privateKeySecretRef: { name: 'letsencrypt-account-key' },
        solvers: [{ http01: { ingress: { ingressClassName: 'nginx' } } }],
      },
    });
  });

  it("solves through the platform Gateway's http listener in edge, with cert-manager's Gateway API support on", () => {
    const text = starterConfig().replace('components: {}', ACME);
    expect((issuer(text)!.spec as { acme: { solvers: unknown[] } }).acme.solvers).toEqual([
      { http01: { gatewayHTTPRoute: { parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'platform', namespace: 'gateway', sectionName: 'http' }] } } },
    ]);
    expect(unit(text, 'cert-manager').values).toMatchObject({ config: { apiVersion: 'controller.config.cert-manager.io/v1alpha1', kind: 'ControllerConfiguration', enableGatewayAPI: true } });
    expect(unit(starterConfig(), 'cert-manager').values).not.toHaveProperty('config');
  });

  it('gives endpoints their own Let\'s Encrypt certificate only under a public domain; private names keep the wildcard of the platform CA', () => {
    const grafana = (text: string) => manifest(text, 'kube-prometheus-stack', 'Ingress', 'grafana') as K8sObject;
    const publicText = compactEdited('components: {}', ACME).replace('domain: idp.local', 'domain: platform.example.org');
    expect(grafana(publicText).metadata.annotations).toEqual({ 'cert-manager.io/cluster-issuer': 'letsencrypt' });
    expect((grafana(publicText).spec as { tls: unknown[] }).tls).toEqual([{ hosts: ['grafana.platform.example.org'], secretName: 'grafana-tls' }]);
    const privateText = compactEdited('components: {}', ACME);
    expect(grafana(privateText).metadata.annotations).toBeUndefined();
    expect((grafana(privateText).spec as { tls: unknown[] }).tls).toEqual([{ hosts: ['grafana.idp.local'] }]);
    expect(['idp.local', 'lab.internal', 'home.arpa', 'x.test', 'corp'].map(isPublicDomain)).toEqual([false, false, false, false, false]);
    expect(isPublicDomain('platform.example.org')).toBe(true);
  });
});

describe('Sealed Secrets', () => {
  it('runs the controller under the names tools look for, and outlives its unit (its CRD holds every SealedSecret)', () => {
    const u = unit(compactTestConfig(), 'sealed-secrets');
    expect(u.namespace).toBe(SEALED_SECRETS_CONTROLLER.namespace);
    expect(u.values).toMatchObject({ fullnameOverride: 'sealed-secrets-controller', service: { port: 8080 } });
    expect(u.workloads.map((w) => `${w.kind}/${w.name}`)).toEqual(['Deployment/sealed-secrets-controller']);
    expect(preservedOnDelete(u)).toBe(true);
  });
});
