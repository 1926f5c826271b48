/** A finding of `plinth check`, found once and the same in the text, JSON and SARIF outputs. */
import { expect } from 'vitest';
import type { Finding } from '../../src/checks/finding.js';
import type { PlatformCheck } from '../../src/checks/platform.js';
import { checkJson } from '../../src/report/check-json.js';
import { checkSarif } from '../../src/report/check-sarif.js';
import { checkText } from '../../src/report/check-text.js';

export type ExpectedFinding = Omit<Partial<Finding>, 'message'> & { message: RegExp };

export function expectFindingInEveryFormat({ report, footprint, policy }: PlatformCheck, expected: ExpectedFinding): Finding {
  const { message, ...rest } = expected;
  const found = report.findings.filter((f) => f.check === rest.check && message.test(f.message));
  expect(found, report.findings.filter((f) => f.check === rest.check).map((f) => f.message).join('\n') || 'no finding of that checker').toHaveLength(1);
  expect(found[0]).toMatchObject(rest);
  const f = found[0]!;
  expect(checkText(report, footprint, policy)).toContain(f.message);
  const json = JSON.parse(checkJson(report, footprint));
  expect(json.findings).toContainEqual(expect.objectContaining({ checker: f.check, severity: f.severity, message: f.message, ...(f.path ? { path: f.path } : {}) }));
  const sarif = JSON.parse(checkSarif(report, '0.1.0'));
  expect(sarif.runs[0].results).toContainEqual(expect.objectContaining({ ruleId: f.check, level: f.severity === 'info' ? 'note' : f.severity, message: { text: expect.stringContaining(f.message) } }));
  return f;
}
