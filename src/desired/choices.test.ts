/** Choices in plinth.yaml: each validated with the exact path and message; combinations that cannot work name both paths. */
import { describe, expect, it } from 'vitest';
import { CATALOG } from '../catalog/index.js';
import { parseConfig } from '../config/load.js';
import { starterConfig } from '../config/starter.js';
import { ConfigError, type ErrorDetail } from '../lib/errors.js';
import { resolvePlatform } from './resolve.js';

/** The edge starter with one text replaced. */
function edited(from: string, to: string): string {
  const text = starterConfig();
  expect(text).toContain(from);
  return text.replace(from, to);
}
const withComponents = (yaml: string) => edited('components: {}', yaml);

function problems(text: string): Pick<ErrorDetail, 'path' | 'message' | 'hint'>[] {
  try {
    resolvePlatform(parseConfig(text, 'plinth.yaml'), CATALOG);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return e.details.map((d) => ({ path: d.path, message: d.message, ...(d.hint ? { hint: d.hint } : {}) }));
  }
  throw new Error('expected a ConfigError');
}

describe('choices in plinth.yaml', () => {
  it('resolves the profile preset, and an explicit choice overrides it', () => {
    const edge = resolvePlatform(parseConfig(starterConfig(), 'plinth.yaml'), CATALOG);
    expect(edge.choices).toEqual({ engine: 'argocd', ingress: 'cilium-gateway', secrets: 'vault', storage: 'local-path' });
    expect(edge.enabled).toContain('platform-gateway');
  });

  it.each([
    ['gitops.engine', edited('  engine: argocd', '  engine: gitlab'), 'got "gitlab"; expected a GitOps engine, one of: argocd, flux'],
    ['ingress.provider', withComponents('ingress:\n  provider: traefik\ncomponents: {}'), 'got "traefik"; expected an ingress provider, one of: cilium-gateway, ingress-nginx, kong, istio'],
    ['secrets.provider', withComponents('secrets:\n  provider: aws\ncomponents: {}'), 'got "aws"; expected a secrets provider, one of: vault, sealed-secrets, both'],
    ['storage.class', withComponents('storage:\n  class: nfs\ncomponents: {}'), 'got "nfs"; expected a storage class, one of: local-path, rook-ceph'],
    ['profile', edited('profile: edge', 'profile: huge'), 'got "huge"; expected a profile, one of: edge, compact, standard, lab'],
    ['ingress.loadBalancer.addresses[0]', withComponents('ingress:\n  provider: ingress-nginx\n  loadBalancer:\n    addresses: [10.0.0.300-10.0.0.310]\ncomponents: {}'), 'got "10.0.0.300-10.0.0.310"; expected an IPv4 range: a CIDR (192.168.1.240/28) or first-last (192.168.1.240-192.168.1.250)'],
    ['tls.acme.email', withComponents('tls:\n  acme:\n    email: platform-team\ncomponents: {}'), 'got "platform-team"; expected an e-mail address for the ACME account (expiry notices go there)'],
    ['gitops.progressiveSync', edited('    branch: main\n', '    branch: main\n  progressiveSync: true\n'), 'progressiveSync is no longer a setting: RollingSync switched off self-heal and ordered one stack only; the root Application now orders every component by its sync wave (docs/adr/002-argocd-layout-and-waves.md)'],
  ])('refuses a bad %s with its path and what was expected', (path, text, message) => {
    expect(problems(text)).toContainEqual(expect.objectContaining({ path, message }));
  });

  it('refuses switching off what the chosen ingress needs: Cilium Gateway without Cilium', () => {
    expect(problems(withComponents('components:\n  cilium:\n    enabled: false'))).toContainEqual({
      path: 'components.cilium.enabled',
      message: 'got false; ingress.provider (from profile edge) is cilium-gateway, which needs cilium',
      hint: 'remove components.cilium.enabled, or choose another ingress provider (ingress.provider)',
    });
  });

  it('refuses Vault switched off under secrets.provider vault', () => {
    expect(problems(withComponents('secrets:\n  provider: vault\ncomponents:\n  vault:\n    enabled: false'))).toContainEqual(
      expect.objectContaining({ path: 'components.vault.enabled', message: 'got false; secrets.provider is vault, which needs vault' }),
    );
  });

  it('refuses the GitOps engine switched off', () => {
    expect(problems(withComponents('components:\n  argocd:\n    enabled: false'))).toContainEqual(
      expect.objectContaining({ path: 'components.argocd.enabled', message: 'got false; gitops.engine is argocd, which needs argocd' }),
    );
  });

  it('refuses a component enabled under a choice it does not serve, naming both paths', () => {
    expect(problems(withComponents('secrets:\n  provider: sealed-secrets\ncomponents:\n  vault:\n    enabled: true'))).toContainEqual({
      path: 'components.vault.enabled',
      message: 'got true; vault serves secrets provider vault or both, but secrets.provider is sealed-secrets',
      hint: 'set secrets.provider: vault, or remove components.vault.enabled',
    });
  });

  it('refuses a load balancer under a provider that needs none', () => {
    expect(problems(withComponents('ingress:\n  loadBalancer:\n    addresses: [192.168.1.240/28]\ncomponents: {}'))).toEqual([
      {
        path: 'ingress.loadBalancer',
        message: "set, but ingress.provider (from profile edge) is cilium-gateway, which listens on the nodes' host network and needs no load balancer",
        hint: 'remove ingress.loadBalancer, or choose ingress.provider: ingress-nginx',
      },
    ]);
  });

  it('refuses a file:// repository under Flux, whose GitRepository reads http(s) and ssh only', () => {
    const text = edited('  engine: argocd', '  engine: flux').replace('url: https://git.example.com/platform/gitops.git', 'url: file:///srv/gitops');
    expect(problems(text)).toContainEqual(
      expect.objectContaining({ path: 'gitops.repo.url', message: 'got "file:///srv/gitops"; gitops.engine is flux, whose GitRepository reads http(s):// or ssh:// only' }),
    );
  });
});

