import { describe, expect, it } from 'vitest';
import { matchesLabelSelector, matchesNodeRequirement, matchesNodeSelectorMap, matchesNodeSelectorTerm, matchesNodeSelectorTerms } from './labels.js';

const node = { name: 'n1', labels: { zone: 'a', 'plinth.dev/pool': 'infra', cores: '8', gpu: '' } };

describe('node selector requirements', () => {
  it.each([
    ['In', 'zone', ['a', 'b'], true],
    ['In', 'zone', ['b'], false],
    ['In', 'missing', ['a'], false],
    ['NotIn', 'zone', ['b'], true],
    ['NotIn', 'zone', ['a'], false],
    ['NotIn', 'missing', ['a'], true],
    ['Exists', 'gpu', [], true],
    ['Exists', 'missing', [], false],
    ['DoesNotExist', 'missing', [], true],
    ['DoesNotExist', 'zone', [], false],
    ['Gt', 'cores', ['4'], true],
    ['Gt', 'cores', ['8'], false],
    ['Lt', 'cores', ['16'], true],
    ['Lt', 'cores', ['8'], false],
    ['Gt', 'zone', ['1'], false],
    ['Gt', 'missing', ['1'], false],
    ['Gt', 'cores', ['4', '5'], false],
    ['Lt', 'cores', ['x'], false],
  ] as const)('%s on %s %j → %s', (operator, key, values, expected) => {
    expect(matchesNodeRequirement({ key, operator, values: [...values] }, node.labels)).toBe(expected);
  });

  it('ANDs expressions and fields within a term, ORs terms', () => {
    const zoneA = { key: 'zone', operator: 'In' as const, values: ['a'] };
    const apps = { key: 'plinth.dev/pool', operator: 'In' as const, values: ['apps'] };
    expect(matchesNodeSelectorTerm({ matchExpressions: [zoneA, apps] }, node)).toBe(false);
    expect(matchesNodeSelectorTerms([{ matchExpressions: [apps] }, { matchExpressions: [zoneA] }], node)).toBe(true);
    expect(matchesNodeSelectorTerm({ matchExpressions: [zoneA], matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n2'] }] }, node)).toBe(false);
    expect(matchesNodeSelectorTerm({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }, node)).toBe(true);
    expect(matchesNodeSelectorTerm({ matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['n1'] }] }, node)).toBe(false);
  });

  it('matches no node with an empty term, an empty list of terms, or an unknown field', () => {
    expect(matchesNodeSelectorTerm({}, node)).toBe(false);
    expect(matchesNodeSelectorTerms([], node)).toBe(false);
    expect(matchesNodeSelectorTerm({ matchFields: [{ key: 'metadata.uid', operator: 'In', values: ['n1'] }] }, node)).toBe(false);
  });

  it('nodeSelector maps need every key with its exact value', () => {
    expect(matchesNodeSelectorMap({ zone: 'a', gpu: '' }, node.labels)).toBe(true);
    expect(matchesNodeSelectorMap({ zone: 'b' }, node.labels)).toBe(false);
    expect(matchesNodeSelectorMap(undefined, node.labels)).toBe(true);
  });
});

describe('label selectors', () => {
  const labels = { app: 'web', tier: 'front' };
  it('an absent selector selects nothing, an empty one everything', () => {
    expect(matchesLabelSelector(undefined, labels)).toBe(false);
    expect(matchesLabelSelector({}, labels)).toBe(true);
  });
  it('matchLabels and every operator of matchExpressions', () => {
    expect(matchesLabelSelector({ matchLabels: { app: 'web' } }, labels)).toBe(true);
    expect(matchesLabelSelector({ matchLabels: { app: 'db' } }, labels)).toBe(false);
    expect(matchesLabelSelector({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'back'] }] }, labels)).toBe(true);
    expect(matchesLabelSelector({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['front'] }] }, labels)).toBe(false);
    expect(matchesLabelSelector({ matchExpressions: [{ key: 'x', operator: 'NotIn', values: ['front'] }] }, labels)).toBe(true);
    expect(matchesLabelSelector({ matchExpressions: [{ key: 'app', operator: 'Exists' }] }, labels)).toBe(true);
    expect(matchesLabelSelector({ matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, labels)).toBe(false);
    expect(matchesLabelSelector({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['back'] }] }, labels)).toBe(false);
  });
});
