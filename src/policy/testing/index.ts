/** Kyverno CLI tests (`kyverno-test.yaml`): find, load, run, summarize. */
import type { TestCheck } from './run.js';

export { DocumentReader, findTestFiles, loadTest } from './files.js';
export { type KyvernoTest, parseKyvernoTest, TEST_API_VERSION, TEST_FILE_NAME, type TestExpectation } from './manifest.js';
export { type LoadedTest, runKyvernoTest, type RunOptions, type TestCheck } from './run.js';

export function checkLine(c: TestCheck): string {
  const what = [c.policy, c.rule].filter(Boolean).join('/');
  if (c.passed) return `  PASS  ${what}  ${c.resource}  ${c.expected}`;
  return `  FAIL  ${what}  ${c.resource}  expected ${c.expected}, got ${c.actual}${c.message ? `: ${c.message}` : ''}`;
}
