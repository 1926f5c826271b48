import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/load.js';
import { starterConfig } from '../../config/starter.js';
import { SHARED_REFS } from '../../desired/refs.js';
import { resolvePlatform } from '../../desired/resolve.js';
import { buildDesiredState } from '../../desired/state.js';
import { GATEWAY_UNIT } from '../../desired/units.js';
import type { K8sObject } from '../../model/k8s.js';
import { GATEWAY_ACCESS_LABEL } from '../../model/labels.js';
import { certManager } from './cert-manager.js';
import { cilium } from './cilium.js';
import { externalSecrets } from './external-secrets.js';
import { gatewayApiCrds } from './gateway-api-crds.js';
import { platformGateway } from './platform-gateway.js';
import { vault } from './vault.js';

const CATALOG = [certManager, cilium, gatewayApiCrds, platformGateway, vault, externalSecrets];
const state = () => buildDesiredState(resolvePlatform(parseConfig(starterConfig(), 'plinth.yaml'), CATALOG), CATALOG);
const find = (objects: K8sObject[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name)!;

describe('platform-gateway', () => {
  it('is the unit the desired state routes endpoints through, in the namespace every route points at', () => {
    expect(platformGateway.name).toBe(GATEWAY_UNIT);
    expect(platformGateway.namespace).toBe(SHARED_REFS.gateway.namespace);
  });

  it('builds with Cilium, cert-manager and the CRDs: no cycle, every reference resolves, Cilium first', () => {
    const { units } = state();
    const gw = units.find((u) => u.name === 'platform-gateway')!;
    expect(gw.dependsOn).toEqual(expect.arrayContaining(['cert-manager', 'cilium', 'gateway-api-crds']));
    expect(gw.wave).toBeGreaterThan(units.find((u) => u.name === 'cilium')!.wave);
    expect(units.find((u) => u.name === 'cilium')!.dependsOn).not.toContain('platform-gateway');
  });

  it('terminates TLS for *.<domain> with the wildcard certificate, for labelled namespaces only', () => {
    const gw = state().units.find((u) => u.name === 'platform-gateway')!;
    const cert = find(gw.manifests, 'Certificate', 'platform-wildcard');
    expect(cert.spec).toMatchObject({ secretName: SHARED_REFS.wildcardSecret, dnsNames: ['*.idp.local', 'idp.local'], issuerRef: { name: SHARED_REFS.caIssuer } });
    const listeners = (find(gw.manifests, 'Gateway', SHARED_REFS.gateway.name).spec as { gatewayClassName: string; listeners: Record<string, unknown>[] });
    expect(listeners.gatewayClassName).toBe('cilium');
    const https = listeners.listeners.find((l) => l.name === SHARED_REFS.gateway.httpsListener)!;
    expect(https).toMatchObject({
      port: 443,
      protocol: 'HTTPS',
      hostname: '*.idp.local',
      tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: SHARED_REFS.wildcardSecret }] },
      allowedRoutes: { namespaces: { from: 'Selector', selector: { matchLabels: { [GATEWAY_ACCESS_LABEL]: 'true' } } } },
    });
    // Cilium's admission policy: exactly one certificate per terminating listener.
    for (const l of listeners.listeners.filter((l) => l.tls)) expect((l.tls as { certificateRefs: unknown[] }).certificateRefs).toHaveLength(1);
  });

  it('redirects every plain-HTTP request to HTTPS with a 301', () => {
    const gw = state().units.find((u) => u.name === 'platform-gateway')!;
    const route = find(gw.manifests, 'HTTPRoute', 'https-redirect');
    expect(route.spec).toEqual({
      parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'platform', namespace: 'gateway', sectionName: 'http' }],
      rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }],
    });
  });

  it('serves the Hubble UI of kube-system on its own listener through a ReferenceGrant', () => {
    const gw = state().units.find((u) => u.name === 'platform-gateway')!;
    const route = find(gw.manifests, 'HTTPRoute', 'hubble');
    expect(route.spec).toMatchObject({
      hostnames: ['hubble.idp.local'],
      parentRefs: [{ name: 'platform', sectionName: 'hubble' }],
      rules: [{ backendRefs: [{ name: 'hubble-ui', namespace: 'kube-system', port: 80 }] }],
    });
    const grant = find(gw.manifests, 'ReferenceGrant', 'gateway-hubble');
    expect(grant.metadata.namespace).toBe('kube-system');
    expect(grant.spec).toEqual({
      from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'gateway' }],
      to: [{ group: '', kind: 'Service', name: 'hubble-ui' }],
    });
  });
});
