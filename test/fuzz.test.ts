/**
 * Properties, with a fixed seed and a few runs (`npm run fuzz -- --runs N
 * --seed S` runs many): every mutated plinth.yaml ends, within the bound, in
 * a platform or a PlinthError that names the file; every mutated planned
 * repository ends in findings or a ConfigError whose every problem names a
 * file of the repository. Each case runs in a child process with a timer, so
 * a hang is killed and reported, never a hung test run.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { caseBytes, CASE_DEADLINE_MS, describeCase, fuzzCase } from './support/fuzz.js';
import { repoFuzzCase } from './support/fuzz-repo.js';
import { FuzzPool } from './support/fuzz-pool.js';

const pool = new FuzzPool(CASE_DEADLINE_MS);
afterAll(() => pool.close());

describe('the fuzz pool', () => {
  it('kills a case that does not end, reports it as a hang, and runs the next case in a new process', async () => {
    const short = new FuzzPool(300);
    try {
      const started = performance.now();
      const hung = await short.run({ target: 'spin', ms: 120_000 });
      expect(hung.kind).toBe('hung');
      expect(performance.now() - started).toBeLessThan(30_000);
      expect(short.killed).toBe(1);
      expect((await short.run({ target: 'spin', ms: 1 })).kind).toBe('accepted');
    } finally {
      short.close();
    }
  }, 60_000);
});

describe('fuzzed plinth.yaml through the plan path', () => {
  it('ends in success or a located config error, each case within 5 s', async () => {
    await fc.assert(
      fc.asyncProperty(fuzzCase, async (c) => {
        const outcome = await pool.run({ target: 'config', bytes: caseBytes(c) });
        expect(outcome.kind, `${describeCase(c)}\n${'detail' in outcome ? outcome.detail : ''}`).toMatch(/^(accepted|refused)$/);
      }),
      { seed: 20240518, numRuns: 60, endOnFailure: true },
    );
  }, 300_000);
});

describe('fuzzed repository files through check --repo', () => {
  it('end in findings or a ConfigError naming the file, each case within 5 s', async () => {
    await fc.assert(
      fc.asyncProperty(repoFuzzCase, async (c) => {
        const outcome = await pool.run({ target: 'repo', case: c });
        expect(outcome.kind, `${describeCase(c as never)}\n${'detail' in outcome ? outcome.detail : ''}`).toMatch(/^(accepted|refused)$/);
      }),
      { seed: 20240518, numRuns: 60, endOnFailure: true },
    );
  }, 300_000);
});
