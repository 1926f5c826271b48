/** Planner speed: `npx vitest bench src/planner`. Measured here, never asserted in tests. */
import { bench, describe } from 'vitest';
import { workloadsFromUnits } from './from-units.js';
import { simNodes } from './nodes.js';
import { standardScenarios } from './scenarios.js';
import { simulate } from './simulate.js';
import { edgePlatform, GI, seedUnits } from './test-fixtures.js';
import type { SimWorkload } from './types.js';

const platform = edgePlatform();
const nodes = simNodes(platform.nodes);
const seed = workloadsFromUnits(platform, seedUnits());

/** Twelve workers of 8 cores / 32 GiB and the seed stack scaled to ~300 pods. */
const bigNodes = [
  nodes[0]!,
  ...Array.from({ length: 12 }, (_, i) => ({ ...nodes[1 + (i % 2)]!, name: `worker-${i}`, labels: { ...nodes[1 + (i % 2)]!.labels, 'kubernetes.io/hostname': `worker-${i}` }, allocatable: { cpu: 8000, memory: 32 * GI } })),
];
const bigWorkloads: SimWorkload[] = Array.from({ length: 10 }, (_, copy) =>
  seed.map((w) => ({ ...w, name: `${w.name}-${copy}`, replicas: w.kind === 'DaemonSet' ? 0 : w.replicas * 3, template: { ...w.template, labels: { ...w.template.labels, copy: String(copy) } } })),
).flat();

describe('simulate', () => {
  bench('edge platform, seed stack, all scenarios', () => {
    simulate({ nodes, workloads: seed, source: 'declared' }, standardScenarios(nodes));
  });
  bench('13 nodes, ~500 pods, green and red', () => {
    const scenarios = standardScenarios(bigNodes).filter((s) => s.name === 'green' || s.name === 'red');
    simulate({ nodes: bigNodes, workloads: bigWorkloads, source: 'declared' }, scenarios);
  });
});
