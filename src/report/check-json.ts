/** `plinth check --format json`: the findings and counts as one JSON document. */
import type { CheckReport } from '../checks/run.js';
import type { PoolFootprint } from '../desired/footprint.js';

export function checkJson(report: CheckReport, footprint?: readonly PoolFootprint[]): string {
  const total = { error: 0, warning: 0, info: 0 };
  for (const f of report.findings) total[f.severity]++;
  return `${JSON.stringify(
    {
      summary: { ...total, checkers: report.counts },
      findings: report.findings,
      ...(footprint ? { footprint } : {}),
    },
    null,
    2,
  )}\n`;
}
