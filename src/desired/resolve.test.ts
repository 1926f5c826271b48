import { describe, expect, it } from 'vitest';
import type { Component } from '../catalog/component.js';
import { parseConfig } from '../config/load.js';
import { starterConfig } from '../config/starter.js';
import { ConfigError, type ErrorDetail } from '../lib/errors.js';
import { resolvePlatform } from './resolve.js';

const FILE = 'plinth.yaml';

const fake = (name: string, dependsOn: string[] = [], pool = 'infra', namespace = name): Component => ({
  name,
  description: name,
  stack: 'core',
  tier: 2,
  pool,
  namespace,
  dependsOn,
  profiles: ['edge'],
  build: () => ({}),
});
const CATALOG = [
  fake('vault'),
  fake('external-secrets', ['vault']),
  fake('jenkins', [], 'apps'),
  { ...fake('argocd'), chart: { repoUrl: 'https://argoproj.github.io/argo-helm', chart: 'argo-cd', version: '10.1.1' } },
];

function edited(from: string, to: string): string {
  const text = starterConfig();
  expect(text).toContain(from);
  return text.replace(from, to);
}

function problems(text: string): ErrorDetail[] {
  try {
    resolvePlatform(parseConfig(text, FILE), CATALOG);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return [...(e as ConfigError).details];
  }
  throw new Error('expected a ConfigError');
}

describe('platform resolution', () => {
  it('resolves the starter: nodes with allocatable capacity, pools, teams, enabled components', () => {
    const p = resolvePlatform(parseConfig(starterConfig(), FILE), CATALOG);
    expect(p.nodes.map((n) => [n.name, n.pool, n.allocatable])).toEqual([
      ['k3s-server-0', 'control-plane', { cpu: 1500, memory: 3 * 2 ** 30 }],
      ['k3s-agent-0', 'infra', { cpu: 1900, memory: 3840 * 2 ** 20 }],
      ['k3s-agent-1', 'apps', { cpu: 1900, memory: 3840 * 2 ** 20 }],
    ]);
    expect(p.nodes[0]!.taints).toEqual([{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]);
    expect(p.nodes[1]!.labels).toEqual({ 'plinth.dev/pool': 'infra' });
    expect(p.teams).toEqual([{ name: 'team-a', costCenter: 'cc-100', namespaces: ['team-a'] }]);
    expect(p.enabled).toEqual(['argocd', 'external-secrets', 'jenkins', 'vault']);
  });

  it('rejects two nodes with one name, pointing at the second', () => {
    const [p] = problems(edited('- name: k3s-agent-1', '- name: k3s-agent-0'));
    expect(p).toMatchObject({ path: 'cluster.nodes[2].name', message: 'node name "k3s-agent-0" is already used by cluster.nodes[1]', line: 28 });
  });

  it('rejects a pool the profile does not have, with a suggestion', () => {
    const [p] = problems(edited('      pool: apps', '      pool: app'));
    expect(p).toMatchObject({ path: 'cluster.nodes[2].pool', message: 'got "app"; expected a pool of the edge profile: control-plane, infra, apps', hint: 'did you mean "apps"?' });
  });

  it('rejects a worker in the control-plane pool', () => {
    const [p] = problems(edited('      role: worker\n      pool: infra', '      role: worker\n      pool: control-plane'));
    expect(p!.path).toBe('cluster.nodes[1].pool');
    expect(p!.message).toBe('got "control-plane"; expected a worker pool (infra, apps): only role control-plane nodes belong to it');
  });

  it('requires a control-plane node', () => {
    const text = edited('      role: control-plane\n      pool: control-plane', '      role: worker\n      pool: infra');
    expect(problems(text)).toContainEqual(
      expect.objectContaining({ path: 'cluster.nodes', message: 'no node has role control-plane; expected at least one' }),
    );
  });

  it('rejects an unknown component with a suggestion', () => {
    const [p] = problems(edited('components: {}', 'components:\n  valut:\n    enabled: false'));
    expect(p).toMatchObject({ path: 'components.valut', hint: 'did you mean "vault"?' });
    expect(p!.message).toBe('unknown component "valut"; expected one of: vault, external-secrets, jenkins, argocd');
  });

  it('rejects disabling a component another enabled one depends on', () => {
    // Besides the secrets provider that needs it (src/desired/choices.test.ts).
    expect(problems(edited('components: {}', 'components:\n  vault:\n    enabled: false'))).toContainEqual(
      expect.objectContaining({
        path: 'components.vault.enabled',
        message: 'vault is disabled, but external-secrets depends on it',
        hint: 'enable vault, or disable external-secrets too (components.external-secrets.enabled: false)',
      }),
    );
  });

  it('rejects a component whose home pool has no node', () => {
    const text = edited('    - name: k3s-agent-1\n      role: worker\n      pool: apps\n      cpu: 2\n      memory: 4Gi\n', '');
    expect(problems(text)).toEqual([
      expect.objectContaining({ path: 'cluster.nodes', message: 'no node in pool "apps", where jenkins runs', hint: 'add a node with pool: apps, or disable jenkins' }),
    ]);
  });

  it('refuses to switch off the GitOps engine', () => {
    const [p] = problems(edited('components: {}', 'components:\n  argocd:\n    enabled: false'));
    expect(p).toMatchObject({ path: 'components.argocd.enabled', message: 'got false; gitops.engine is argocd, which needs argocd' });
  });

  it('rejects Helm values for a component without a chart', () => {
    const [p] = problems(edited('components: {}', 'components:\n  vault:\n    values:\n      server: {}'));
    expect(p).toMatchObject({ path: 'components.vault.values', message: 'vault has no Helm chart (it is glue manifests); these values would do nothing' });
  });

  it('rejects a team namespace that belongs to the platform', () => {
    const [p] = problems(edited('  - name: team-a\n    costCenter: cc-100', '  - name: team-a\n    costCenter: cc-100\n    namespaces: [vault]'));
    expect(p).toMatchObject({ path: 'teams[0].namespaces[0]', message: 'namespace "vault" belongs to the platform' });
  });
});
