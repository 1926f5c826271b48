/** `plinth check --format json`: the findings and counts as one JSON document. */
import type { CheckReport } from '../checks/run.js';
import type { PoolFootprint } from '../desired/footprint.js';

export function checkJson(report: CheckReport, footprint?: readonly PoolFootprint[]): string {
  const total = { error: 0, warning: 0, info: 0 };
  for (const f of report.findings) total[f.severity]++;
  return `${JSON.stringify(
    {
      summary: { ...total, checkers: report.counts },
      // Each finding names its checker (the issue's vocabulary), then severity, object, source, path, message, hint.
      findings: report.findings.map(({ check, ...rest }) => ({ checker: check, ...rest })),
      ...(footprint ? { footprint } : {}),
    },
    null,
    2,
  )}\n`;
}
