/** The terminal report of `plinth check`: findings grouped by component, counts per checker, footprint, one-line summary. */
import type { CheckReport } from '../checks/run.js';
import type { Finding } from '../checks/finding.js';
import type { PoolFootprint } from '../desired/footprint.js';
import type { PolicySummaryRow } from '../checks/policy.js';
import { formatCpu, formatMemory } from '../lib/quantity.js';
import { table } from '../lib/table.js';

export function objectText(f: Finding): string {
  if (!f.object) return '';
  const o = f.object;
  return o.namespace ? `${o.kind}/${o.namespace}/${o.name}` : `${o.kind}/${o.name}`;
}

export function summaryLine(report: Pick<CheckReport, 'findings' | 'checkers'>): string {
  const n = (s: Finding['severity']) => report.findings.filter((f) => f.severity === s).length;
  const components = new Set(report.findings.map((f) => f.source?.component ?? '(platform)')).size;
  const e = n('error');
  const w = n('warning');
  return `${e} error${e === 1 ? '' : 's'}, ${w} warning${w === 1 ? '' : 's'}, ${n('info')} info${report.findings.length ? ` in ${components} component${components === 1 ? '' : 's'}` : ''} (${report.checkers.length} checkers: ${report.checkers.join(', ')})`;
}

export function footprintTable(rows: readonly PoolFootprint[]): string {
  const pct = (a: number, b: number) => (b === 0 ? 'n/a' : `${Math.round((a / b) * 100)}%`);
  return table(
    ['pool', 'nodes', 'pods', 'cpu requests', 'memory requests', 'cpu limits', 'memory limits', 'allocatable'],
    rows.map((r) => [
      r.pool,
      String(r.nodes),
      String(r.pods),
      `${formatCpu(r.requests.cpu)} (${pct(r.requests.cpu, r.allocatable.cpu)})`,
      `${formatMemory(r.requests.memory)} (${pct(r.requests.memory, r.allocatable.memory)})`,
      `${formatCpu(r.limits.cpu)} (${pct(r.limits.cpu, r.allocatable.cpu)})`,
      `${formatMemory(r.limits.memory)} (${pct(r.limits.memory, r.allocatable.memory)})`,
      `${formatCpu(r.allocatable.cpu)} cpu, ${formatMemory(r.allocatable.memory)}`,
    ]),
  );
}

export function policyTable(rows: readonly PolicySummaryRow[]): string {
  return table(
    ['component', 'pass', 'fail', 'excepted', 'error'],
    rows.map((r) => [r.component, String(r.pass), String(r.fail), String(r.excepted), String(r.error)]),
  );
}

/** The findings grouped by component (in the order they come), one line each and one more for a hint. */
function findingLines(all: readonly Finding[]): string[] {
  const lines: string[] = [];
  const byComponent = new Map<string, Finding[]>();
  for (const f of all) {
    const key = f.source?.component ?? '(platform)';
    byComponent.set(key, [...(byComponent.get(key) ?? []), f]);
  }
  for (const [component, findings] of byComponent) {
    lines.push(`${component}`);
    for (const f of findings) {
      const where = [objectText(f), f.path].filter(Boolean).join(' ');
      lines.push(`  ${f.severity.padEnd(7)} ${f.check.padEnd(9)} ${where ? `${where}: ` : ''}${f.message}`);
      if (f.hint) lines.push(`  ${' '.repeat(17)} hint: ${f.hint}`);
    }
    lines.push('');
  }
  return lines;
}

export function checkText(report: CheckReport, footprint?: readonly PoolFootprint[], policy?: readonly PolicySummaryRow[]): string {
  const lines = findingLines(report.findings);
  lines.push(
    table(
      ['checker', 'errors', 'warnings', 'infos'],
      report.checkers.map((c) => [c, String(report.counts[c]!.error), String(report.counts[c]!.warning), String(report.counts[c]!.info)]),
    ),
  );
  if (footprint) lines.push('', 'Footprint per pool (rendered pods; node agents once per eligible node):', footprintTable(footprint));
  if (policy && policy.length > 0) lines.push('', 'Policy results per component (platform policies, offline; excepted = a documented PolicyException):', policyTable(policy));
  lines.push('', summaryLine(report));
  return `${lines.join('\n')}\n`;
}
