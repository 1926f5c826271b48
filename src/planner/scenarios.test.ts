import { describe, expect, it } from 'vitest';
import { simNodes } from './nodes.js';
import { kindOf, selectScenarios, standardScenarios } from './scenarios.js';
import { edgePlatform } from './test-fixtures.js';

const nodes = simNodes(edgePlatform().nodes);

describe('nodes', () => {
  it('carry the pool label, the labels the kubelet adds, the pool taints and allocatable = capacity − reserved', () => {
    expect(nodes[0]).toEqual({
      name: 'k3s-server-0',
      pool: 'control-plane',
      role: 'control-plane',
      labels: { 'kubernetes.io/hostname': 'k3s-server-0', 'kubernetes.io/os': 'linux', 'plinth.dev/pool': 'control-plane', 'node-role.kubernetes.io/control-plane': 'true' },
      taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }],
      allocatable: { cpu: 1500, memory: 3 * 1024 ** 3 },
      maxPods: 110,
      unschedulable: false,
    });
  });
});

describe('scenarios', () => {
  it('name the seed colour of a set of lost nodes', () => {
    expect(kindOf(new Set(), nodes)).toBe('green');
    expect(kindOf(new Set(['k3s-agent-0']), nodes)).toBe('yellow');
    expect(kindOf(new Set(['k3s-agent-0', 'k3s-agent-1']), nodes)).toBe('red');
    expect(kindOf(new Set(['k3s-server-0']), nodes)).toBe('other');
    expect(kindOf(new Set(['k3s-server-0', 'k3s-agent-0', 'k3s-agent-1']), nodes)).toBe('black');
  });

  it('are picked by name, colour, node or all', () => {
    const names = (o: Parameters<typeof selectScenarios>[1]) => selectScenarios(nodes, o).map((s) => s.name);
    expect(names({})).toEqual(standardScenarios(nodes).map((s) => s.name));
    expect(names({ scenario: 'red' })).toEqual(['red']);
    expect(names({ scenario: 'yellow' })).toEqual(['lost:k3s-agent-0', 'lost:k3s-agent-1']);
    expect(names({ scenario: 'k3s-server-0' })).toEqual(['lost:k3s-server-0']);
    expect(names({ scenario: 'lost:k3s-agent-1' })).toEqual(['lost:k3s-agent-1']);
    expect(names({ fail: ['k3s-agent-1'] })).toEqual(['green', 'lost:k3s-agent-1']);
    expect(names({ scenario: 'black', fail: ['k3s-server-0', 'k3s-agent-0'] })).toEqual(['black', 'lost:k3s-server-0,k3s-agent-0']);
  });

  it('leave out red on a platform without workers', () => {
    expect(standardScenarios([nodes[0]!]).map((s) => [s.name, s.kind])).toEqual([
      ['green', 'green'],
      ['lost:k3s-server-0', 'black'],
      ['black', 'black'],
    ]);
  });
});
