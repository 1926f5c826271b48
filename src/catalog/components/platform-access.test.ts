/**
 * The platform's ClusterRoles, evaluated as the API server's RBAC authorizer
 * does (a rule grants a request when its apiGroups, resources and verbs each
 * hold it or `*`; `*` resources do not cover subresources): what an on-call
 * can and cannot do.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/load.js';
import { starterConfig } from '../../config/starter.js';
import { compactTestConfig } from '../../config/test-configs.js';
import { desiredState } from '../../desired/index.js';
import { OPERATOR_ROLE, READ_ONLY_ROLE } from './platform-access.js';

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

function allows(rules: readonly Rule[], verb: string, group: string, resource: string): boolean {
  const sub = resource.includes('/');
  return rules.some(
    (r) =>
      (r.apiGroups.includes('*') || r.apiGroups.includes(group)) &&
      (r.verbs.includes('*') || r.verbs.includes(verb)) &&
      r.resources.some((x) => x === resource || (x === '*' && !sub) || x === '*/*' || (sub && x === `${resource.split('/')[0]}/*`)),
  );
}

const state = desiredState(parseConfig(compactTestConfig(), 'plinth.yaml'));
const access = state.units.find((u) => u.name === 'platform-access')!;
const rulesOf = (name: string) => access.manifests.find((m) => m.kind === 'ClusterRole' && m.metadata.name === name)!.rules as Rule[];

describe('plinth:read-only and plinth:operator', () => {
  it('are bound to the groups of plinth.yaml rbac', () => {
    const bindings = access.manifests.filter((m) => m.kind === 'ClusterRoleBinding').map((b) => [b.metadata.name, (b.subjects as { name: string }[]).map((s) => s.name)]);
    expect(bindings).toEqual([
      [READ_ONLY_ROLE, ['platform-viewers']],
      [OPERATOR_ROLE, ['platform-operators']],
    ]);
  });

  it('read everything but Secrets, the platform\'s own kinds included, and no logs for read-only', () => {
    const ro = rulesOf(READ_ONLY_ROLE);
    for (const [group, resource] of [['', 'pods'], ['', 'configmaps'], ['apps', 'deployments'], ['networking.k8s.io', 'networkpolicies'], ['cert-manager.io', 'certificates'], ['bitnami.com', 'sealedsecrets'], ['metallb.io', 'ipaddresspools'], ['external-secrets.io', 'externalsecrets']]) {
      for (const verb of ['get', 'list', 'watch']) expect(allows(ro, verb, group!, resource!), `${verb} ${group}/${resource}`).toBe(true);
    }
    expect(allows(ro, 'get', '', 'secrets')).toBe(false);
    expect(allows(ro, 'list', '', 'secrets')).toBe(false);
    expect(allows(ro, 'get', '', 'pods/log')).toBe(false);
    expect(allows(ro, 'delete', '', 'pods')).toBe(false);
  });

  it('let an operator restart, scale and read logs, but never reach a Secret (no exec, attach, port-forward, pod or Job creation)', () => {
    const op = rulesOf(OPERATOR_ROLE);
    expect(allows(op, 'get', '', 'pods/log')).toBe(true);
    expect(allows(op, 'delete', '', 'pods')).toBe(true);
    expect(allows(op, 'create', '', 'pods/eviction')).toBe(true);
    expect(allows(op, 'patch', 'apps', 'deployments')).toBe(true);
    expect(allows(op, 'update', 'apps', 'statefulsets/scale')).toBe(true);
    for (const [verb, group, resource] of [
      ['get', '', 'secrets'],
      ['list', '', 'secrets'],
      ['watch', '', 'secrets'],
      ['create', '', 'pods/exec'],
      ['get', '', 'pods/exec'],
      ['create', '', 'pods/attach'],
      ['create', '', 'pods/portforward'],
      ['create', '', 'pods'],
      ['create', 'batch', 'jobs'],
      ['create', '', 'serviceaccounts/token'],
      ['patch', '', 'nodes'],
      ['delete', 'apps', 'deployments'],
    ] as const) {
      expect(allows(op, verb, group, resource), `${verb} ${group}/${resource}`).toBe(false);
    }
  });

  it('is left out where plinth.yaml names no group (the edge starter): edge is unchanged', () => {
    expect(desiredState(parseConfig(starterConfig(), 'plinth.yaml')).units.some((u) => u.name === 'platform-access')).toBe(false);
    const edge = starterConfig().replace('components: {}', 'rbac:\n  operatorGroups: [oncall]\ncomponents: {}');
    const unit = desiredState(parseConfig(edge, 'plinth.yaml')).units.find((u) => u.name === 'platform-access')!;
    expect(unit.manifests.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual(['ClusterRole/plinth:read-only', 'ClusterRole/plinth:operator', 'ClusterRoleBinding/plinth:operator']);
  });
});
