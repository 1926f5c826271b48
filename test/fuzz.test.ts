/**
 * Property: every mutated plinth.yaml ends, within the bound, in a platform
 * or a PlinthError that names the file; never another exception. A fixed
 * seed and a few runs here; `npm run fuzz -- --runs N --seed S` runs many.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { caseBytes, describeCase, fuzzCase, runCase } from './support/fuzz.js';

describe('fuzzed plinth.yaml through the plan path', () => {
  it('ends in success or a located config error, each case within 5 s', () => {
    fc.assert(
      fc.property(fuzzCase, (c) => {
        const outcome = runCase(caseBytes(c));
        expect(outcome.kind, `${describeCase(c)}\n${'detail' in outcome ? outcome.detail : ''}`).toMatch(/^(accepted|refused)$/);
      }),
      { seed: 20240518, numRuns: 60, endOnFailure: true },
    );
  }, 120_000);
});
