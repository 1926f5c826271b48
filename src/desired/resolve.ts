/**
 * From a validated plinth.yaml to the resolved Platform, applying the rules
 * that span fields (unique names, known pools and components, dependencies of
 * enabled components). Every problem is reported at once, located in the file.
 */
import type { Component } from '../catalog/component.js';
import { configProblem, type LoadedConfig } from '../config/load.js';
import { ConfigError, type ErrorDetail } from '../lib/errors.js';
import { closest } from '../lib/suggest.js';
import { type Platform, resolveNodes, resolvePools, resolveTeams } from '../model/platform.js';
import { PROFILES } from '../model/profiles.js';

/** Namespaces Kubernetes itself owns; never created by Plinth nor given to teams. */
export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'] as const;

export function resolvePlatform(loaded: LoadedConfig, catalog: readonly Component[]): Platform {
  const { config, source } = loaded;
  const problems: ErrorDetail[] = [];
  const problem = (path: (string | number)[], message: string, hint?: string) => problems.push(configProblem(source, path, message, hint));

  const profile = PROFILES[config.profile]!;
  const poolNames = profile.pools.map((p) => p.name);

  // Nodes: unique names, known pools, roles matching pools, one control plane at least.
  const seenNodes = new Map<string, number>();
  config.cluster.nodes.forEach((n, i) => {
    const first = seenNodes.get(n.name);
    if (first !== undefined) problem(['cluster', 'nodes', i, 'name'], `node name ${JSON.stringify(n.name)} is already used by cluster.nodes[${first}]`, 'give every node its own name');
    else seenNodes.set(n.name, i);
    if (!poolNames.includes(n.pool)) {
      const guess = closest(n.pool, poolNames);
      problem(['cluster', 'nodes', i, 'pool'], `got ${JSON.stringify(n.pool)}; expected a pool of the ${profile.name} profile: ${poolNames.join(', ')}`, guess ? `did you mean ${JSON.stringify(guess)}?` : undefined);
    } else if ((n.role === 'control-plane') !== (n.pool === 'control-plane')) {
      problem(
        ['cluster', 'nodes', i, 'pool'],
        n.role === 'control-plane'
          ? `got ${JSON.stringify(n.pool)}; expected "control-plane": a control-plane node belongs to the control-plane pool`
          : `got "control-plane"; expected a worker pool (${poolNames.filter((p) => p !== 'control-plane').join(', ')}): only role control-plane nodes belong to it`,
        n.role === 'control-plane' ? 'set pool: control-plane, or role: worker' : 'set role: control-plane, or pick a worker pool',
      );
    }
  });
  if (!config.cluster.nodes.some((n) => n.role === 'control-plane')) {
    problem(['cluster', 'nodes'], 'no node has role control-plane; expected at least one', 'add the server node with role: control-plane and pool: control-plane');
  }

  // Components: known names; what is enabled must have its dependencies enabled.
  const byName = new Map(catalog.map((c) => [c.name, c]));
  const names = catalog.map((c) => c.name);
  for (const [name, settings] of Object.entries(config.components)) {
    const component = byName.get(name);
    if (!component) {
      const guess = closest(name, names);
      problem(['components', name], `unknown component ${JSON.stringify(name)}; expected one of: ${names.join(', ')}`, guess ? `did you mean ${JSON.stringify(guess)}?` : 'run `plinth plan` to list the catalog');
    } else if (settings.values && !component.chart) {
      problem(['components', name, 'values'], `${name} has no Helm chart (it is ${component.git ? 'upstream manifests' : 'glue manifests'}); these values would do nothing`, 'remove them');
    }
  }
  // The GitOps engine installs everything else: it cannot be switched off.
  const engine = config.gitops.engine;
  if (byName.has(engine) && config.components[engine]?.enabled === false) {
    problem(['components', engine, 'enabled'], `got false; the GitOps engine is ${engine} (gitops.engine), so ${engine} must be enabled`, `remove components.${engine}.enabled`);
  }
  const isEnabled = (c: Component) => config.components[c.name]?.enabled ?? c.profiles.includes(profile.name);
  const enabled = catalog.filter(isEnabled);
  for (const c of enabled) {
    for (const dep of c.dependsOn) {
      const d = byName.get(dep);
      if (d && !isEnabled(d)) {
        const explicit = config.components[dep]?.enabled === false;
        problem(
          explicit ? ['components', dep, 'enabled'] : ['components'],
          `${dep} is disabled, but ${c.name} depends on it`,
          `enable ${dep}, or disable ${c.name} too (components.${c.name}.enabled: false)`,
        );
      }
    }
    if (!poolNames.includes(c.pool) || !config.cluster.nodes.some((n) => n.pool === c.pool)) {
      problem(['cluster', 'nodes'], `no node in pool ${JSON.stringify(c.pool)}, where ${c.name} runs`, `add a node with pool: ${c.pool}, or disable ${c.name}`);
    }
  }

  // Teams: unique names; namespaces not taken by the platform or another team.
  const platformNamespaces = new Set<string>([...SYSTEM_NAMESPACES, ...enabled.map((c) => c.namespace)]);
  const teamOf = new Map<string, string>();
  config.teams.forEach((t, i) => {
    if (config.teams.findIndex((o) => o.name === t.name) !== i) problem(['teams', i, 'name'], `team name ${JSON.stringify(t.name)} is already used`, 'give every team its own name');
    (t.namespaces ?? [t.name]).forEach((ns, j) => {
      const path = t.namespaces ? ['teams', i, 'namespaces', j] : ['teams', i, 'name'];
      if (platformNamespaces.has(ns)) problem(path, `namespace ${JSON.stringify(ns)} belongs to the platform`, 'pick another namespace for the team');
      else if (teamOf.has(ns) && teamOf.get(ns) !== t.name) problem(path, `namespace ${JSON.stringify(ns)} already belongs to team ${teamOf.get(ns)}`, 'a namespace has one owner');
      else teamOf.set(ns, t.name);
    });
  });

  if (problems.length > 0) throw new ConfigError(problems);

  const nodes = resolveNodes(config, profile);
  return {
    file: loaded.file,
    config,
    name: config.cluster.name,
    domain: config.cluster.domain,
    environment: config.cluster.environment,
    profile,
    nodes,
    pools: resolvePools(profile, nodes),
    teams: resolveTeams(config),
    enabled: enabled.map((c) => c.name).sort(),
  };
}
