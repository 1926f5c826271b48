import { describe, expect, it } from 'vitest';
import { ConfigError, type ErrorDetail } from '../lib/errors.js';
import { parseConfig } from './load.js';
import { starterConfig } from './starter.js';

const FILE = 'plinth.yaml';

/** The starter config with one line replaced: bad input exactly where a user would make the mistake. */
function edited(from: string, to: string): string {
  const text = starterConfig();
  expect(text).toContain(from);
  return text.replace(from, to);
}

function problems(text: string): ErrorDetail[] {
  try {
    parseConfig(text, FILE);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return [...(e as ConfigError).details];
  }
  throw new Error('expected a ConfigError');
}

describe('plinth.yaml validation', () => {
  it('accepts the starter and fills defaults', () => {
    const { config } = parseConfig(starterConfig(), FILE);
    expect(config.cluster.nodes.map((n) => n.name)).toEqual(['k3s-server-0', 'k3s-agent-0', 'k3s-agent-1']);
    expect(config.cluster.apiServer.port).toBe(6443);
    expect(config.gitops.engine).toBe('argocd'); // as the starter sets it; the profile presets it otherwise
  });

  it('names the path, the value and the expectation of a malformed memory quantity, with its line', () => {
    const [p, ...rest] = problems(edited('      memory: 4Gi\n  # Where', '      memory: 4GB\n  # Where'));
    expect(rest).toEqual([]);
    expect(p).toMatchObject({
      file: FILE,
      path: 'cluster.nodes[2].memory',
      message: 'got "4GB"; expected a memory quantity of at least 1Mi with a unit, such as 4Gi or 4096Mi (binary units Ki, Mi, Gi; decimal k, M, G)',
      line: 32,
    });
  });

  it('rejects a memory amount without a unit', () => {
    const [p] = problems(edited('      memory: 4Gi\n    - name: k3s-agent-0', '      memory: "4096"\n    - name: k3s-agent-0'));
    expect(p!.path).toBe('cluster.nodes[0].memory');
    expect(p!.message).toMatch(/^got "4096"; expected a memory quantity of at least 1Mi with a unit/);
  });

  it('rejects a CPU amount that is not a quantity', () => {
    const [p] = problems(edited('      cpu: 2\n      memory: 4Gi\n    - name: k3s-agent-1', '      cpu: two\n      memory: 4Gi\n    - name: k3s-agent-1'));
    expect(p).toMatchObject({ path: 'cluster.nodes[1].cpu', message: 'got "two"; expected a CPU amount greater than 0: a number of cores (2) or a quantity (2000m)' });
  });

  it('rejects an unknown node role with the list of roles', () => {
    const [p] = problems(edited('      role: worker\n      pool: apps', '      role: agent\n      pool: apps'));
    expect(p).toMatchObject({ path: 'cluster.nodes[2].role', message: 'got "agent"; expected a node role, one of: control-plane, worker' });
  });

  it('rejects a node name that is not a DNS label', () => {
    const [p] = problems(edited('- name: k3s-agent-1', '- name: K3s_Agent_1'));
    expect(p!.path).toBe('cluster.nodes[2].name');
    expect(p!.message).toBe(
      "got \"K3s_Agent_1\"; expected a node name: a DNS-1123 label (lowercase letters, digits and '-', at most 63 characters, starting and ending with a letter or digit)",
    );
  });

  it('rejects an unknown key and suggests the nearest one', () => {
    const [p] = problems(edited('  distribution: k3s', '  distrbution: k3s'));
    expect(p).toMatchObject({ path: 'cluster.distrbution', hint: 'did you mean "distribution"?' });
    expect(p!.message).toBe('unknown key "distrbution"; expected one of: name, domain, distribution, environment, nodes, apiServer');
  });

  it('says a planned profile is not available yet', () => {
    const [p] = problems(edited('profile: edge', 'profile: huge'));
    expect(p).toMatchObject({ path: 'profile', message: 'got "huge"; expected a profile, one of: edge, compact, standard, lab' });
  });

  it('rejects a repository URL that is not a Git URL', () => {
    const [p] = problems(edited('url: https://git.example.com/platform/gitops.git', 'url: git.example.com/platform'));
    expect(p).toMatchObject({ path: 'gitops.repo.url', message: 'got "git.example.com/platform"; expected a Git repository URL (https://, ssh://, git@host:path, or file:/// for a local repository Argo CD reads)' });
  });

  it('reports a missing required section', () => {
    const text = starterConfig().replace(/\ngitops:\n(?: {2}.*\n|\s*#.*\n)*/, '\n');
    const [p] = problems(text);
    expect(p).toMatchObject({ path: 'gitops', message: 'missing; expected a map of the gitops settings' });
  });

  it('rejects a domain with uppercase letters', () => {
    const [p] = problems(edited('domain: idp.local', 'domain: IDP.local'));
    expect(p).toMatchObject({ path: 'cluster.domain', message: 'got "IDP.local"; expected a DNS domain in lowercase, such as idp.local or platform.example.com' });
  });

  it('rejects the wrong apiVersion', () => {
    const [p] = problems(edited('apiVersion: plinth.dev/v1alpha1', 'apiVersion: plinth.dev/v1'));
    expect(p).toMatchObject({ path: 'apiVersion', message: 'got "plinth.dev/v1"; expected the API version plinth.dev/v1alpha1' });
  });

  it('reports every problem at once, not only the first', () => {
    const text = edited('  domain: idp.local', '  domain: IDP').replace('profile: edge', 'profile: tiny');
    expect(problems(text).map((p) => p.path)).toEqual(['cluster.domain', 'profile']);
  });

  it('points at the line of invalid YAML', () => {
    const [p] = problems('apiVersion: plinth.dev/v1alpha1\nkind: Platform\ncluster:\n  name: a\n  name: b\n');
    expect(p).toMatchObject({ file: FILE, line: 5, message: 'not valid YAML: Map keys must be unique' });
  });

  it('rejects a file that is not a map', () => {
    const [p] = problems('- just\n- a list\n');
    expect(p!.message).toBe('got ["just","a list"]; expected a map with apiVersion, kind, cluster and gitops');
  });
});
