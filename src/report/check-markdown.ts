/** `plinth check --format markdown`: a readable report for a pull request or a wiki. */
import type { CheckReport } from '../checks/run.js';
import type { PoolFootprint } from '../desired/footprint.js';
import { formatCpu, formatMemory } from '../lib/quantity.js';
import { objectText, summaryLine } from './check-text.js';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function checkMarkdown(report: CheckReport, platformName: string, footprint?: readonly PoolFootprint[]): string {
  const out = [`# plinth check: platform ${platformName}`, '', `**${summaryLine(report)}**`, '', '## Checkers', '', '| checker | errors | warnings | infos |', '|---|---:|---:|---:|'];
  for (const c of report.checkers) out.push(`| ${c} | ${report.counts[c]!.error} | ${report.counts[c]!.warning} | ${report.counts[c]!.info} |`);
  if (footprint) {
    out.push('', '## Footprint per pool', '', '| pool | nodes | pods | cpu requests | memory requests | cpu limits | memory limits | allocatable |', '|---|---:|---:|---:|---:|---:|---:|---|');
    for (const r of footprint) {
      out.push(
        `| ${r.pool} | ${r.nodes} | ${r.pods} | ${formatCpu(r.requests.cpu)} | ${formatMemory(r.requests.memory)} | ${formatCpu(r.limits.cpu)} | ${formatMemory(r.limits.memory)} | ${formatCpu(r.allocatable.cpu)} cpu, ${formatMemory(r.allocatable.memory)} |`,
      );
    }
  }
  out.push('', '## Findings', '');
  if (report.findings.length === 0) out.push('None.');
  const components = [...new Set(report.findings.map((f) => f.source?.component ?? '(platform)'))];
  for (const c of components) {
    out.push(`### ${c}`, '', '| severity | checker | object | path | message | hint |', '|---|---|---|---|---|---|');
    for (const f of report.findings.filter((x) => (x.source?.component ?? '(platform)') === c)) {
      out.push(`| ${f.severity} | ${f.check} | ${cell(objectText(f))} | ${cell(f.path ?? '')} | ${cell(f.message)} | ${cell(f.hint ?? '')} |`);
    }
    out.push('');
  }
  return `${out.join('\n')}\n`;
}
