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
import { CHOICE_KEYS, CHOICES, type ChoiceValue, type Choices, servesChoices } from '../model/choices.js';
import { homePool, PROFILES, type ProfileSpec } from '../model/profiles.js';
import type { PlinthConfig } from '../config/schema.js';

/** Namespaces Kubernetes itself owns; never created by Plinth nor given to teams. */
export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'] as const;

// eslint-disable-next-line complexity -- the cross-field rules of plinth.yaml (nodes, components, dependencies, teams) in one pass, so that they report together in one ConfigError
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
  // Choices: the profile's, overridden by plinth.yaml; each value's needs, and the components serving it.
  const choices = resolveChoices(config, profile);
  const isEnabled = (c: Component) => config.components[c.name]?.enabled ?? (c.profiles.includes(profile.name) && servesChoices(c.serves, choices) && (c.wanted?.(config) ?? true));
  choiceProblems({ config, choices, catalog, byName, problem, isEnabled });
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
    const home = homePool(profile, c.pool);
    if (!poolNames.includes(home) || !config.cluster.nodes.some((n) => n.pool === home)) {
      problem(['cluster', 'nodes'], `no node in pool ${JSON.stringify(home)}, where ${c.name} runs`, `add a node with pool: ${home}, or disable ${c.name}`);
    }
  }

  // Teams: unique names; namespaces not taken by the platform or another team.
  const platformNamespaces = new Set<string>([...SYSTEM_NAMESPACES, ...enabled.map((c) => c.namespace)]);
  const teamOf = new Map<string, string>();
  const seenTeams = new Set<string>();
  config.teams.forEach((t, i) => {
    if (seenTeams.has(t.name)) problem(['teams', i, 'name'], `team name ${JSON.stringify(t.name)} is already used`, 'give every team its own name');
    seenTeams.add(t.name);
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
    choices,
    nodes,
    pools: resolvePools(profile, nodes),
    teams: resolveTeams(config),
    enabled: enabled.map((c) => c.name).sort(),
  };
}

/** The choices in force: each one plinth.yaml sets, else the profile's. */
export function resolveChoices(config: PlinthConfig, profile: ProfileSpec): Choices {
  return {
    engine: config.gitops.engine ?? profile.choices.engine,
    ingress: config.ingress.provider ?? profile.choices.ingress,
    secrets: config.secrets.provider ?? profile.choices.secrets,
    storage: config.storage.class ?? profile.choices.storage,
  };
}

type Problem = (path: (string | number)[], message: string, hint?: string) => void;

/** Where a choice was decided: plinth.yaml's key, or the profile. */
function decidedBy(config: PlinthConfig, key: keyof Choices): string {
  const path = CHOICES[key].path.join('.');
  const set = key === 'engine' ? config.gitops.engine : key === 'ingress' ? config.ingress.provider : key === 'secrets' ? config.secrets.provider : config.storage.class;
  return set !== undefined ? path : `${path} (from profile ${config.profile})`;
}

/**
 * Combinations that cannot work, each naming both paths: a component a choice
 * needs switched off or missing from the catalog, a component enabled under a
 * choice it does not serve, settings of a choice that is not in force.
 */
function choiceProblems(ctx: ChoiceContext): void {
  choiceNeedProblems(ctx);
  servedChoiceProblems(ctx);
  loadBalancerProblems(ctx);
  reachProblems(ctx);
}

/** What choiceProblems looks at: the config, the choices in force, the catalog, and where a problem goes. */
interface ChoiceContext {
  config: PlinthConfig;
  choices: Choices;
  catalog: readonly Component[];
  byName: ReadonlyMap<string, Component>;
  problem: Problem;
  isEnabled: (c: Component) => boolean;
}

/** A planned choice, and a component a choice needs that is switched off or not in the profile. */
function choiceNeedProblems({ config, choices, byName, problem, isEnabled }: ChoiceContext): void {
  for (const key of CHOICE_KEYS) {
    const value = choices[key];
    const spec = CHOICES[key];
    const at = [...spec.path];
    const by = decidedBy(config, key);
    const explicit = !by.includes('(from profile');
    const values = spec.values as Readonly<Record<string, ChoiceValue>>;
    const chosen = values[value]!;
    if (chosen.planned) {
      const ready = Object.keys(values).filter((v) => !values[v]!.planned);
      problem(at, `${by} is ${value}, which is planned (it comes with ${chosen.planned}) and not available in this version`, `choose one of: ${ready.join(', ')}`);
      continue;
    }
    // A catalog without the component (a test's, say) decides nothing about it.
    for (const need of chosen.needs.filter((n) => byName.has(n))) {
      if (config.components[need]?.enabled === false) {
        problem(['components', need, 'enabled'], `got false; ${by} is ${value}, which needs ${need}`, `remove components.${need}.enabled, or choose another ${spec.title} (${spec.path.join('.')})`);
      } else if (explicit && !isEnabled(byName.get(need)!)) {
        // A choice that overrides the profile's preset may need components the profile does not bring.
        problem(at, `${by} is ${value}, which needs ${need}, and profile ${config.profile} does not include it`, `enable it (components.${need}.enabled: true), or choose another ${spec.title}`);
      }
    }
  }
}

/** A component enabled under a choice it does not serve. */
function servedChoiceProblems({ config, choices, catalog, problem }: ChoiceContext): void {
  for (const c of catalog) {
    if (config.components[c.name]?.enabled !== true || servesChoices(c.serves, choices)) continue;
    const key = CHOICE_KEYS.find((k) => c.serves?.[k] && !(c.serves[k] as readonly string[]).includes(choices[k]))!;
    problem(
      ['components', c.name, 'enabled'],
      `got true; ${c.name} serves ${CHOICES[key].title} ${(c.serves![key] as readonly string[]).join(' or ')}, but ${decidedBy(config, key)} is ${choices[key]}`,
      `set ${CHOICES[key].path.join('.')}: ${(c.serves![key] as readonly string[])[0]}, or remove components.${c.name}.enabled`,
    );
  }
}

/** The load balancer pool an ingress choice needs, or one that does nothing under it. */
function loadBalancerProblems({ config, choices, problem }: ChoiceContext): void {
  const lb = config.ingress.loadBalancer;
  if (choices.ingress === 'ingress-nginx' && !lb) {
    problem(['ingress', 'loadBalancer', 'addresses'], `missing; ${decidedBy(config, 'ingress')} is ingress-nginx, whose Service MetalLB gives an address from this pool`, 'list free addresses of the nodes\' network, e.g. addresses: [192.168.1.240-192.168.1.250]');
  }
  if (choices.ingress === 'istio' && !lb) {
    problem(['ingress', 'loadBalancer', 'addresses'], `missing; ${decidedBy(config, 'ingress')} is istio, whose ingress gateway is a LoadBalancer Service that gets an address from this pool`, 'list free addresses of the nodes\' network, e.g. addresses: [192.168.1.240-192.168.1.245]');
  }
  if (lb && choices.ingress === 'cilium-gateway') {
    problem(['ingress', 'loadBalancer'], `set, but ${decidedBy(config, 'ingress')} is cilium-gateway, which listens on the nodes' host network and needs no load balancer`, 'remove ingress.loadBalancer, or choose ingress.provider: ingress-nginx');
  }
}

/** What ACME and the engine need to reach: the platform's ingress, a repository URL the engine can read. */
function reachProblems({ config, choices, problem }: ChoiceContext): void {
  if (config.tls.acme && choices.ingress === 'cilium-gateway' && config.components['platform-gateway']?.enabled === false) {
    problem(['tls', 'acme'], `set, but components.platform-gateway.enabled is false: the ACME HTTP-01 challenge needs the platform's ingress`, 'enable platform-gateway, or remove tls.acme');
  }
  if (choices.engine === 'flux' && config.gitops.repo.url.startsWith('file://')) {
    problem(['gitops', 'repo', 'url'], `got ${JSON.stringify(config.gitops.repo.url)}; ${decidedBy(config, 'engine')} is flux, whose GitRepository reads http(s):// or ssh:// only`, 'serve the repository over HTTP (git http-backend) or SSH');
  }
}
