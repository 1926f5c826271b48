/**
 * The desired state: every unit of the platform with its derived
 * dependencies and sync wave, in wave order. Pure data, no I/O; `plan`,
 * `check` and `up` all start from it.
 */
import type { Component } from '../catalog/component.js';
import { ConfigError, PlatformError } from '../lib/errors.js';
import { STORAGE_CLASS_NAMES } from '../model/choices.js';
import { apiGroup } from '../model/k8s.js';
import { CHOICE_KEYS, CHOICES } from '../model/choices.js';
import type { Platform } from '../model/platform.js';
import { TIERS } from '../model/tiers.js';
import { emptyUnitParts, type Unit } from '../model/unit.js';
import { computeTieredWaves, type DependencyGraph } from './graph.js';
import { danglingReferences, indexObjects } from './integrity.js';
import { namespaceObject, namespaceOwners, priorityClasses } from './namespaces.js';
import { networkPoliciesUnit } from './network-policies.js';
import { keyText, referencesOf } from './references.js';
import { SYSTEM_NAMESPACES } from './resolve.js';
import { buildUnit, componentContext, type UnitDraft } from './units.js';
import { withChartMirror } from './mirror.js';

export const PLATFORM_BASE_UNIT = 'platform-base';

export interface DesiredState {
  platform: Platform;
  /** Units in sync order: by wave, then by name. */
  units: Unit[];
  graph: DependencyGraph;
}

export function buildDesiredState(platform: Platform, catalog: readonly Component[]): DesiredState {
  const ctx = componentContext(platform, catalog);
  // Every component's config errors at once.
  const problems: ConfigError[] = [];
  const drafts = catalog
    .filter((c) => platform.enabled.includes(c.name))
    .flatMap((c) => {
      try {
        return [buildUnit(c, ctx)];
      } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        problems.push(e);
        return [];
      }
    });
  if (problems.length > 0) throw new ConfigError(problems.flatMap((e) => e.details));
  const base = platformBaseUnit(platform, drafts);
  const policies = networkPoliciesUnit(platform, drafts);
  const all = [base, ...drafts, ...(policies ? [policies] : [])];

  const dependsOn = deriveDependencies(all, catalog, platform);
  const graph: DependencyGraph = new Map(all.map((u) => [u.name, dependsOn.get(u.name)!]));
  const waves = computeTieredWaves(graph, new Map(all.map((u) => [u.name, u.tier])));
  const units: Unit[] = all
    .map((u) => ({ ...u, dependsOn: dependsOn.get(u.name)!, wave: waves.get(u.name)! }))
    .sort((a, b) => a.wave - b.wave || (a.name < b.name ? -1 : 1));

  const dangling = danglingReferences(units);
  if (dangling.length > 0) {
    throw new PlatformError(
      `the desired state refers to objects nothing creates:\n${dangling.map((d) => `  - ${d.unit}: ${d.from} ${d.path} -> ${keyText(d.to)}`).join('\n')}`,
    );
  }
  // The one place the chart mirror is applied: everything downstream (synthesis, check, up) sees mirror sources.
  return withChartMirror({ platform, units, graph }, platform.config.charts?.mirror);
}

/** The unit that creates namespaces (with their required labels) and PriorityClasses before anything else. */
function platformBaseUnit(platform: Platform, drafts: readonly UnitDraft[]): UnitDraft {
  return {
    name: PLATFORM_BASE_UNIT,
    description: 'namespaces with owner, cost-center and environment labels; PriorityClasses of the tiers',
    stack: 'core',
    tier: 0,
    pool: 'control-plane',
    namespace: 'default',
    ...emptyUnitParts(),
    manifests: [...namespaceOwners(platform, drafts).map((o) => namespaceObject(platform, o)), ...priorityClasses()],
  };
}

/**
 * Declared dependencies plus those the objects imply: a custom resource needs
 * the unit that installs its CRD (and webhook), a reference needs the unit that
 * creates its target, a namespace or a tier PriorityClass needs platform-base.
 */
// eslint-disable-next-line complexity -- one pass per unit over the four kinds of implied dependency (storage class, CRD owner, reference target, platform-base), all adding to the unit's one set
function deriveDependencies(units: readonly UnitDraft[], catalog: readonly Component[], platform: Platform): Map<string, string[]> {
  const problems: { unit: string; message: string; hint: string }[] = [];
  // `group/Kind` entries win over whole-group entries.
  const crdOwner = new Map<string, string>();
  for (const c of catalog) for (const g of c.crdGroups ?? []) crdOwner.set(g, c.name);
  const ownerOf = (group: string, kind: string | undefined) => (kind !== undefined ? crdOwner.get(`${group}/${kind}`) : undefined) ?? crdOwner.get(group);
  const enabled = new Set(units.map((u) => u.name));
  const index = indexObjects(units);
  const plinthPriority = new Set(Object.values(TIERS).flatMap((t) => (t.priority !== undefined ? [t.priorityClassName] : [])));

  // A volume of a storage class waits for the unit that creates the class (the Ceph cluster's rook-ceph-block).
  const classOwner = new Map(units.flatMap((u) => u.provides.filter((p) => p.kind === 'StorageClass').map((p) => [p.name, u.name] as const)));
  const defaultClass = STORAGE_CLASS_NAMES[platform.choices.storage];

  const result = new Map<string, string[]>();
  for (const u of units) {
    const deps = new Set(u.dependsOn);
    for (const w of u.workloads) {
      const owner = w.volumeClaims.length > 0 ? classOwner.get(w.storageClass ?? defaultClass) : undefined;
      if (owner && owner !== u.name) deps.add(owner);
    }
    const needGroup = (group: string, kind: string | undefined, what: string) => {
      const owner = ownerOf(group, kind);
      if (!owner || owner === u.name) return;
      if (!enabled.has(owner)) {
        // Off because of a choice (Sealed Secrets under secrets.provider vault): name the choice to change.
        const c = catalog.find((x) => x.name === owner);
        const key = CHOICE_KEYS.find((k) => c?.serves?.[k] && !(c.serves[k] as readonly string[]).includes(platform.choices[k]));
        const choice = key ? { path: CHOICES[key].path.join('.'), values: c!.serves![key] as readonly string[] } : undefined;
        problems.push({
          unit: u.name,
          message: `${u.name} uses ${what} (API group ${group}), whose CRDs ${owner} installs, but ${owner} is disabled${choice ? ` (${choice.path} is ${platform.choices[key!]}; ${owner} serves ${choice.values.join(' or ')})` : ''}`,
          hint: choice ? `set ${choice.path}: ${choice.values.join(' or ')}, or disable ${u.name}` : `enable ${owner}, or disable ${u.name}`,
        });
      } else deps.add(owner);
    };
    for (const m of u.manifests) {
      needGroup(apiGroup(m.apiVersion), m.kind, m.kind);
      const owners = referencesOf(m).map((ref) => index.get(keyText(ref.to)));
      for (const owner of owners.filter((o) => o && o !== u.name)) deps.add(owner!);
    }
    for (const g of u.startupCrdGroups ?? []) needGroup(g, undefined, 'CRDs it discovers only at start-up');
    for (const g of u.usesGroups) {
      const slash = g.indexOf('/');
      needGroup(slash === -1 ? g : g.slice(0, slash), slash === -1 ? undefined : g.slice(slash + 1), 'custom resources of its chart');
    }
    if (u.name !== PLATFORM_BASE_UNIT) {
      const ownNamespace = !(SYSTEM_NAMESPACES as readonly string[]).includes(u.namespace);
      const glueNamespaces = u.manifests.some((m) => m.metadata.namespace && !(SYSTEM_NAMESPACES as readonly string[]).includes(m.metadata.namespace));
      const usesPriority = u.workloads.some((w) => plinthPriority.has(TIERS[w.tier].priorityClassName));
      if (ownNamespace || glueNamespaces || usesPriority) deps.add(PLATFORM_BASE_UNIT);
    }
    result.set(u.name, [...deps].sort());
  }
  if (problems.length > 0) {
    throw new ConfigError(problems.map((p) => ({ file: platform.file, path: `components.${p.unit}`, message: p.message, hint: p.hint })));
  }
  return result;
}
