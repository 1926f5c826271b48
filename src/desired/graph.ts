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
