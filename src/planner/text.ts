/** The simulation as text: per scenario, nodes with their use, placement, pending pods, preemptions and a verdict per tier. */
import { formatCpu, formatMemory } from '../lib/quantity.js';
import { table } from '../lib/table.js';
import type { NodeReport, ScenarioReport, SimulationReport } from './report.js';

const pct = (used: number, total: number) => (total === 0 ? 'n/a' : `${Math.round((used / total) * 100)}%`);

function nodeRows(nodes: readonly NodeReport[]): string[][] {
  return nodes.map((n) =>
    n.failed
      ? [n.name, n.pool, 'FAILED', '', '', '']
      : [
          n.name,
          n.pool,
          n.role,
          `${formatCpu(n.requested.cpu)}/${formatCpu(n.allocatable.cpu)} (${pct(n.requested.cpu, n.allocatable.cpu)})`,
          `${formatMemory(n.requested.memory)}/${formatMemory(n.allocatable.memory)} (${pct(n.requested.memory, n.allocatable.memory)})`,
          String(n.pods.length),
        ],
  );
}

export function scenarioText(s: ScenarioReport): string {
  const out: string[] = [`Scenario ${s.name} (${s.kind}): ${s.title}`, ''];
  out.push(table(['node', 'pool', 'role', 'cpu requests', 'memory requests', 'pods'], nodeRows(s.nodes)), '');
  const placed = s.nodes.flatMap((n) => n.pods.map((p) => [n.name, String(p.tier), `${p.namespace}/${p.name}`, formatCpu(p.requests.cpu), formatMemory(p.requests.memory), p.movedFrom ? `from ${p.movedFrom}` : '']));
  if (placed.length > 0) out.push('Placement:', table(['node', 'tier', 'pod', 'cpu', 'memory', 'moved'], placed), '');
  if (s.pending.length > 0) {
    out.push(`Pending (${s.pending.length}):`, table(['tier', 'pod', 'workload', 'reason'], s.pending.map((p) => [String(p.tier), `${p.namespace}/${p.name}`, p.workload.kind, p.reason])), '');
  } else out.push('Pending: none', '');
  if (s.stuck.length > 0) {
    out.push(`Bound but not working (${s.stuck.length}):`, table(['tier', 'pod', 'node', 'reason'], s.stuck.map((p) => [String(p.tier), `${p.namespace}/${p.name}`, p.node, p.reason])), '');
  }
  if (s.gone.length > 0) out.push(`Gone with their node (DaemonSet pods): ${s.gone.map((p) => `${p.namespace}/${p.name}`).join(', ')}`, '');
  if (s.quorums.length > 0) {
    out.push(
      'Quorums:',
      table(['unit', 'quorum', 'working', 'needs', 'state'], s.quorums.map((q) => [q.unit, q.group, `${q.working} of ${q.members}`, String(q.need), q.holds ? 'holds' : `LOST${q.backs ? ` (${q.backs} volumes stop)` : ''}`])),
      '',
    );
  }
  if (s.preemptions.length > 0) {
    out.push('Preemptions:');
    for (const e of s.preemptions) {
      out.push(`  ${e.preemptor.namespace}/${e.preemptor.name} (tier ${e.preemptor.tier}) on ${e.node} evicted ${e.victims.map((v) => `${v.namespace}/${v.name} (tier ${v.tier})`).join(', ')}`);
    }
    out.push('');
  }
  out.push(
    'Tiers:',
    table(
      ['tier', 'title', 'workloads', 'pods', 'running', 'pending', 'down', 'verdict'],
      s.tiers.map((t) => [String(t.tier), t.title, String(t.workloads), String(t.pods), String(t.running), String(t.pending), String(t.down.length), t.verdict]),
    ),
  );
  for (const t of s.tiers.filter((x) => x.down.length > 0)) out.push(`  tier ${t.tier} down: ${t.down.join(', ')}`);
  if (s.notes.length > 0) out.push('', 'Notes:', ...s.notes.map((n) => `  - ${n}`));
  return out.join('\n');
}

/** One line per scenario: the verdict of each tier, and the quorums it breaks. */
export function summaryText(r: SimulationReport): string {
  const rows = r.scenarios.map((s) => {
    const broken = s.quorums.filter((q) => !q.holds).map((q) => q.group);
    const quorums = s.quorums.length === 0 ? '-' : broken.length === 0 ? 'all hold' : `lost: ${broken.join(', ')}`;
    return [s.name, ...s.tiers.map((t) => t.verdict), quorums];
  });
  return ['Summary:', table(['scenario', ...(r.scenarios[0]?.tiers ?? []).map((t) => `tier ${t.tier}`), 'quorums'], rows)].join('\n');
}

export function simulationText(r: SimulationReport): string {
  const source = r.source === 'rendered' ? 'pods of the charts rendered by Helm' : 'pods from the budgets the components declare (charts not rendered)';
  const head = `Scheduling simulation: ${r.scenarios.length} scenario${r.scenarios.length === 1 ? '' : 's'}, ${source}${r.includeJobs ? ', Jobs included' : ''}.`;
  const summary = r.scenarios.length > 1 ? [summaryText(r)] : [];
  return `${[head, ...r.scenarios.map(scenarioText), ...summary].join('\n\n')}\n`;
}
