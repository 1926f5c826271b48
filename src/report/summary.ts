/** The summary `plan` prints: components per stack and tier, and each pool's budget against its capacity. */
import type { DesiredState } from '../desired/state.js';
import { footprint } from '../desired/footprint.js';
import { formatCpu, formatMemory } from '../lib/quantity.js';
import { TIER_VALUES } from '../model/tiers.js';
import { STACKS } from '../model/unit.js';
import { table } from '../lib/table.js';

const pct = (used: number, total: number) => (total === 0 ? (used === 0 ? '0%' : 'n/a') : `${Math.round((used / total) * 100)}%`);

export function planSummary(state: DesiredState): string {
  const units = state.units;
  const stacks = STACKS.filter((s) => units.some((u) => u.stack === s));
  const byStack = table(
    ['stack', ...TIER_VALUES.map((t) => `tier ${t}`), 'components'],
    stacks.map((s) => {
      const inStack = units.filter((u) => u.stack === s);
      return [s, ...TIER_VALUES.map((t) => String(inStack.filter((u) => u.tier === t).length)), inStack.map((u) => u.name).join(', ')];
    }),
  );
  const pools = table(
    ['pool', 'nodes', 'pods', 'cpu requests', 'cpu limits', 'memory requests', 'memory limits', 'allocatable'],
    footprint(state.platform, units).map((f) => [
      f.pool,
      String(f.nodes),
      String(f.pods),
      `${formatCpu(f.requests.cpu)} (${pct(f.requests.cpu, f.allocatable.cpu)})`,
      `${formatCpu(f.limits.cpu)} (${pct(f.limits.cpu, f.allocatable.cpu)})`,
      `${formatMemory(f.requests.memory)} (${pct(f.requests.memory, f.allocatable.memory)})`,
      `${formatMemory(f.limits.memory)} (${pct(f.limits.memory, f.allocatable.memory)})`,
      `${formatCpu(f.allocatable.cpu)} cpu, ${formatMemory(f.allocatable.memory)}`,
    ]),
  );
  return [`${units.length} units on ${state.platform.nodes.length} nodes, ${Math.max(...units.map((u) => u.wave)) + 1} sync waves`, '', byStack, '', 'Budget per pool (pods placed in their home pool; node agents on every node):', pools].join('\n');
}
