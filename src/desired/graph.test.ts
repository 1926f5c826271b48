import { describe, expect, it } from 'vitest';
import { CycleError } from '../lib/errors.js';
import { computeWaves, findCycle, transitiveDependencies } from './graph.js';

const graph = (edges: Record<string, string[]>) => new Map(Object.entries(edges));

describe('dependency graph', () => {
  it('gives wave 0 to roots and one more than the latest dependency otherwise', () => {
    const waves = computeWaves(graph({ base: [], crds: [], certs: ['base'], vault: ['certs'], eso: ['vault', 'base'], gateway: ['certs', 'crds'] }));
    expect(Object.fromEntries(waves)).toEqual({ base: 0, crds: 0, certs: 1, vault: 2, eso: 3, gateway: 2 });
  });

  it('names a cycle in order, starting at its smallest name', () => {
    const g = graph({ vault: ['eso'], eso: ['kps'], kps: ['vault'], base: [] });
    expect(findCycle(g)).toEqual(['eso', 'kps', 'vault', 'eso']);
    expect(() => computeWaves(g)).toThrowError(new CycleError(['eso', 'kps', 'vault', 'eso']));
    expect(() => computeWaves(g)).toThrow('dependency cycle: eso -> kps -> vault -> eso; remove one of these dependencies');
  });

  it('finds a self-dependency', () => {
    expect(findCycle(graph({ a: ['a'] }))).toEqual(['a', 'a']);
  });

  it('has no cycle in a diamond', () => {
    expect(findCycle(graph({ a: ['b', 'c'], b: ['d'], c: ['d'], d: [] }))).toBeUndefined();
  });

  it('lists transitive dependencies', () => {
    expect([...transitiveDependencies(graph({ a: ['b'], b: ['c'], c: [], d: ['a'] }), 'a')].sort()).toEqual(['b', 'c']);
  });
});
