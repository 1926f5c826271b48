/**
 * The dependency graph of units: sync waves are its topological levels
 * (a unit syncs one wave after the latest unit it depends on), and a cycle is
 * an error that names the cycle.
 */
import { CycleError } from '../lib/errors.js';

export type DependencyGraph = ReadonlyMap<string, readonly string[]>;

/** A cycle as a closed path (`a -> b -> a`), rotated to start at its smallest name; undefined when acyclic. */
export function findCycle(graph: DependencyGraph): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    state.set(node, 'visiting');
    stack.push(node);
    for (const dep of [...(graph.get(node) ?? [])].sort()) {
      const s = state.get(dep);
      if (s === 'visiting') return stack.slice(stack.indexOf(dep));
      if (s === undefined && graph.has(dep)) {
        const found = visit(dep);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of [...graph.keys()].sort()) {
    if (state.has(node)) continue;
    const cycle = visit(node);
    if (cycle) {
      const start = cycle.indexOf([...cycle].sort()[0]!);
      const rotated = [...cycle.slice(start), ...cycle.slice(0, start)];
      return [...rotated, rotated[0]!];
    }
  }
  return undefined;
}

/** Sync wave per node: 0 without dependencies, else 1 + the highest wave among them. Throws CycleError. */
export function computeWaves(graph: DependencyGraph): Map<string, number> {
  const cycle = findCycle(graph);
  if (cycle) throw new CycleError(cycle);
  const waves = new Map<string, number>();
  const wave = (node: string): number => {
    const known = waves.get(node);
    if (known !== undefined) return known;
    const deps = (graph.get(node) ?? []).filter((d) => graph.has(d));
    const w = deps.length === 0 ? 0 : 1 + Math.max(...deps.map(wave));
    waves.set(node, w);
    return w;
  };
  for (const node of [...graph.keys()].sort()) wave(node);
  return waves;
}

/**
 * The tier a unit is needed at: its own, or the most critical of the units
 * that depend on it, directly or not (a tier-3 unit a tier-1 unit needs is
 * needed at tier 1).
 */
export function effectiveTiers(graph: DependencyGraph, tiers: ReadonlyMap<string, number>): Map<string, number> {
  const out = new Map<string, number>();
  for (const node of graph.keys()) out.set(node, tiers.get(node) ?? 3);
  // Relax along the edges until stable (the graph is acyclic and small).
  for (let changed = true; changed; ) {
    changed = false;
    for (const [node, deps] of graph) {
      const tier = out.get(node)!;
      for (const d of deps.filter((x) => out.has(x) && out.get(x)! > tier)) {
        out.set(d, tier);
        changed = true;
      }
    }
  }
  return out;
}

/** The order a unit has a claim to: the tier it is needed at, then its own. */
export function criticality(effective: ReadonlyMap<string, number>, tiers: ReadonlyMap<string, number>, node: string): [number, number] {
  return [effective.get(node) ?? 3, tiers.get(node) ?? 3];
}

const before = (a: [number, number], b: [number, number]) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);

/**
 * Sync waves for an engine that applies one wave at a time: a unit never
 * waits behind a less critical unit it does not need. Wave after wave, of the
 * units whose dependencies are all in earlier waves, those with the highest
 * claim go (the tier they are needed at, then their own tier): every unit
 * needed at tier 0 first, then at tier 1, ...; within one, a tier-1 unit
 * before a tier-2 one it does not depend on (a sealed Vault holds back only
 * what needs Vault; a pending tier-3 scanner holds back nothing above it).
 */
export function computeTieredWaves(graph: DependencyGraph, tiers: ReadonlyMap<string, number>): Map<string, number> {
  const cycle = findCycle(graph);
  if (cycle) throw new CycleError(cycle);
  const effective = effectiveTiers(graph, tiers);
  const needs = new Map([...graph.keys()].map((n) => [n, transitiveDependencies(graph, n)]));
  const waves = new Map<string, number>();
  const deps = (n: string) => (graph.get(n) ?? []).filter((d) => graph.has(d));
  for (let wave = 0; waves.size < graph.size; wave++) {
    const unplaced = [...graph.keys()].filter((n) => !waves.has(n));
    const ready = unplaced.filter((n) => deps(n).every((d) => waves.has(d)));
    // A unit goes now only if no more critical unit still to come would wait behind it without needing it.
    const harmless = ready.filter((y) => unplaced.every((x) => !before(criticality(effective, tiers, x), criticality(effective, tiers, y)) || needs.get(x)!.has(y)));
    const pool = harmless.length > 0 ? harmless : ready;
    const best = pool.map((n) => criticality(effective, tiers, n)).reduce((a, b) => (before(b, a) ? b : a));
    for (const n of pool) {
      const c = criticality(effective, tiers, n);
      if (c[0] === best[0] && c[1] === best[1]) waves.set(n, wave);
    }
  }
  return waves;
}

/** Every node `node` depends on, directly or not. */
export function transitiveDependencies(graph: DependencyGraph, node: string): Set<string> {
  const seen = new Set<string>();
  const walk = (n: string): void => {
    for (const d of graph.get(n) ?? []) {
      if (!seen.has(d)) {
        seen.add(d);
        walk(d);
      }
    }
  };
  walk(node);
  return seen;
}
