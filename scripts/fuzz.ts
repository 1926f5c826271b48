/**
 * `npm run fuzz -- --runs N --seed S`: mutates the starters' plinth.yaml N
 * times and runs each through the `plinth plan` path in process; prints how
 * many were accepted, refused with a typed error, crashed (another
 * exception, or a PlinthError that names no file) and hung (over the bound).
 * Failing inputs are written to test-artifacts/fuzz/ with their seed.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { caseBytes, CASE_DEADLINE_MS, describeCase, fuzzCase, runCase } from '../test/support/fuzz.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '2000' }, seed: { type: 'string', default: '42' }, out: { type: 'string', default: 'test-artifacts/fuzz' } } });
const runs = Number(values.runs);
const seed = Number(values.seed);
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(seed)) {
  console.error('usage: npm run fuzz -- [--runs N] [--seed S] [--out DIR]');
  process.exit(2);
}

const counts = { accepted: 0, refused: 0, crashed: 0, hung: 0 };
const failures: string[] = [];
let slowest = 0;
const started = performance.now();
const cases = fc.sample(fuzzCase, { seed, numRuns: runs });
for (const [i, c] of cases.entries()) {
  const bytes = caseBytes(c);
  const outcome = runCase(bytes);
  slowest = Math.max(slowest, outcome.ms);
  const kind = outcome.kind === 'untyped' ? 'crashed' : outcome.kind;
  counts[kind]++;
  if ('detail' in outcome) {
    const name = `seed-${seed}-case-${i}-${kind}`;
    await mkdir(values.out!, { recursive: true });
    await writeFile(join(values.out!, `${name}.yaml`), bytes);
    failures.push(`${name}: ${describeCase(c)}\n    ${outcome.detail.replace(/\n/g, '\n    ')}`);
  }
  if ((i + 1) % 100 === 0) process.stderr.write(`${i + 1}/${runs} ${JSON.stringify(counts)}\n`);
}
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`fuzz: ${runs} cases, seed ${seed}, ${seconds} s (slowest case ${Math.round(slowest)} ms, bound ${CASE_DEADLINE_MS} ms)`);
console.log(`accepted ${counts.accepted}, refused with a typed error ${counts.refused}, crashed ${counts.crashed}, hung ${counts.hung}`);
for (const f of failures.slice(0, 20)) console.log(`  - ${f}`);
if (failures.length > 20) console.log(`  ... and ${failures.length - 20} more in ${values.out}`);
process.exit(counts.crashed + counts.hung > 0 ? 1 : 0);
