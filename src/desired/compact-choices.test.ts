/** Bad plinth.yaml for the compact profile's choices: each refused with its exact path, message and hint. */
import { describe, expect, it } from 'vitest';
import { CATALOG, type Component } from '../catalog/index.js';
import { parseConfig } from '../config/load.js';
import { starterConfig } from '../config/starter.js';
import { compactEdited, compactTestConfig } from '../config/test-configs.js';
import { ConfigError, type ErrorDetail } from '../lib/errors.js';
import { CHOICE_KEYS, CHOICES } from '../model/choices.js';
import { desiredState, resolvePlatform } from './index.js';

type Detail = Pick<ErrorDetail, 'path' | 'message' | 'hint'>;

function problems(text: string, catalog: readonly Component[] = CATALOG): Detail[] {
  try {
    desiredState(parseConfig(text, 'plinth.yaml'), catalog);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return e.details.map((d) => ({ path: d.path, message: d.message, ...(d.hint ? { hint: d.hint } : {}) }));
  }
  throw new Error('expected a ConfigError');
}

const withComponents = (yaml: string) => compactEdited('components: {}', yaml);
const withoutLoadBalancer = () => {
  const text = compactTestConfig();
  const start = text.indexOf('ingress:\n');
  const end = text.indexOf('\n# Certificates');
  expect(start).toBeGreaterThan(0);
  return text.slice(0, start) + text.slice(end + 1);
};

describe('the compact preset', () => {
  it('brings every component its choices need that the catalog has', () => {
    const platform = resolvePlatform(parseConfig(starterConfig('compact'), 'plinth.yaml'), CATALOG);
    const needs = CHOICE_KEYS.flatMap((k) => (CHOICES[k].values as Record<string, { needs: readonly string[] }>)[platform.choices[k]]!.needs).filter((n) => CATALOG.some((c) => c.name === n));
    expect(needs.length).toBeGreaterThan(4);
    for (const n of needs) expect(platform.enabled, n).toContain(n);
  });
});

describe('the compact profile refuses', () => {
  it('ingress-nginx without MetalLB addresses', () => {
    expect(problems(withoutLoadBalancer())).toEqual([
      {
        path: 'ingress.loadBalancer.addresses',
        message: 'missing; ingress.provider (from profile compact) is ingress-nginx, whose Service MetalLB gives an address from this pool',
        hint: "list free addresses of the nodes' network, e.g. addresses: [192.168.1.240-192.168.1.250]",
      },
    ]);
  });

  it('an empty address pool', () => {
    expect(problems(compactEdited('    addresses:\n      - 192.168.1.240-192.168.1.250', '    addresses: []'))).toEqual([{ path: 'ingress.loadBalancer.addresses', message: 'got []; expected at least one address range' }]);
  });

  it('MetalLB switched off under ingress-nginx', () => {
    expect(problems(withComponents('components:\n  metallb:\n    enabled: false'))).toContainEqual({
      path: 'components.metallb.enabled',
      message: 'got false; ingress.provider (from profile compact) is ingress-nginx, which needs metallb',
      hint: 'remove components.metallb.enabled, or choose another ingress provider (ingress.provider)',
    });
  });

  it('ingress-nginx switched off under ingress-nginx', () => {
    expect(problems(withComponents('components:\n  ingress-nginx:\n    enabled: false'))).toEqual([
      {
        path: 'components.ingress-nginx.enabled',
        message: 'got false; ingress.provider (from profile compact) is ingress-nginx, which needs ingress-nginx',
        hint: 'remove components.ingress-nginx.enabled, or choose another ingress provider (ingress.provider)',
      },
    ]);
  });

  it('the Sealed Secrets controller switched off under secrets.provider both', () => {
    expect(problems(withComponents('components:\n  sealed-secrets:\n    enabled: false'))).toEqual([
      {
        path: 'components.sealed-secrets.enabled',
        message: 'got false; secrets.provider (from profile compact) is both, which needs sealed-secrets',
        hint: 'remove components.sealed-secrets.enabled, or choose another secrets provider (secrets.provider)',
      },
    ]);
  });

  it('the Sealed Secrets controller switched on under secrets.provider vault', () => {
    expect(problems(withComponents('secrets:\n  provider: vault\ncomponents:\n  sealed-secrets:\n    enabled: true'))).toEqual([
      {
        path: 'components.sealed-secrets.enabled',
        message: 'got true; sealed-secrets serves secrets provider sealed-secrets or both, but secrets.provider is vault',
        hint: 'set secrets.provider: sealed-secrets, or remove components.sealed-secrets.enabled',
      },
    ]);
  });

  it('secrets.provider sealed-secrets alone: the platform\'s own logins come from Vault', () => {
    expect(problems(withComponents('secrets:\n  provider: sealed-secrets\ncomponents: {}'))).toEqual([
      {
        path: 'components.kube-prometheus-stack',
        message: 'kube-prometheus-stack uses ExternalSecret (API group external-secrets.io), whose CRDs external-secrets installs, but external-secrets is disabled (secrets.provider is sealed-secrets; external-secrets serves vault or both)',
        hint: 'set secrets.provider: vault or both, or disable kube-prometheus-stack',
      },
    ]);
  });

  it('a SealedSecret in the glue of a platform without the controller, naming the secrets choice', () => {
    const catalog = CATALOG.map((c) =>
      c.name !== 'loki'
        ? c
        : {
            ...c,
            build: (ctx: Parameters<Component['build']>[0]) => {
              const built = c.build(ctx);
              return { ...built, manifests: [...(built.manifests ?? []), { apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', metadata: { name: 'loki-s3', namespace: 'observability' }, spec: { encryptedData: { key: 'AgB...' } } }] };
            },
          },
    );
    expect(problems(withComponents('secrets:\n  provider: vault\ncomponents: {}'), catalog)).toEqual([
      {
        path: 'components.loki',
        message: 'loki uses SealedSecret (API group bitnami.com), whose CRDs sealed-secrets installs, but sealed-secrets is disabled (secrets.provider is vault; sealed-secrets serves sealed-secrets or both)',
        hint: 'set secrets.provider: sealed-secrets or both, or disable loki',
      },
    ]);
  });

  it("the Cilium Gateway in a profile without Cilium, and a load balancer it does not need", () => {
    const text = compactEdited('ingress:\n  # MetalLB', 'ingress:\n  provider: cilium-gateway\n  # MetalLB');
    expect(problems(text)).toEqual([
      ...['cilium', 'gateway-api-crds', 'platform-gateway'].map((need) => ({
        path: 'ingress.provider',
        message: `ingress.provider is cilium-gateway, which needs ${need}, and profile compact does not include it`,
        hint: `enable it (components.${need}.enabled: true), or choose another ingress provider`,
      })),
      {
        path: 'ingress.loadBalancer',
        message: "set, but ingress.provider is cilium-gateway, which listens on the nodes' host network and needs no load balancer",
        hint: 'remove ingress.loadBalancer, or choose ingress.provider: ingress-nginx',
      },
    ]);
  });

  it('ingress-nginx or MetalLB switched on under the Cilium Gateway (edge)', () => {
    expect(problems(starterConfig().replace('components: {}', 'components:\n  metallb:\n    enabled: true'))).toEqual([
      {
        path: 'components.metallb.enabled',
        message: 'got true; metallb serves ingress provider ingress-nginx, but ingress.provider (from profile edge) is cilium-gateway',
        hint: 'set ingress.provider: ingress-nginx, or remove components.metallb.enabled',
      },
    ]);
  });

  it('the OpenTelemetry Collector with nothing to export to', () => {
    expect(problems(withComponents('components:\n  loki:\n    enabled: false\n  fluent-bit:\n    enabled: false\n  kube-prometheus-stack:\n    enabled: false'))).toEqual([
      {
        path: 'components.opentelemetry-collector.enabled',
        message: 'opentelemetry-collector is on, but none of kube-prometheus-stack, loki and tempo is: it would receive telemetry and have nowhere to send it',
        hint: 'enable kube-prometheus-stack, loki or tempo, or set components.opentelemetry-collector.enabled: false',
      },
    ]);
  });

  it('an ACME directory that is not https', () => {
    expect(problems(withComponents('tls:\n  acme:\n    email: ops@example.org\n    server: http://acme.example.org/directory\ncomponents: {}'))).toEqual([
      { path: 'tls.acme.server', message: 'got "http://acme.example.org/directory"; expected an https:// ACME directory URL' },
    ]);
  });

  it('an RBAC group name with a space', () => {
    expect(problems(compactEdited('operatorGroups: [platform-operators]', 'operatorGroups: [platform operators]'))).toEqual([
      { path: 'rbac.operatorGroups[0]', message: 'got "platform operators"; expected a group name without spaces' },
    ]);
  });
});
