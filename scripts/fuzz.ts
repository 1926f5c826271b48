/**
 * `npm run fuzz -- --runs N --seed S [--target config,repo] [--out DIR]`:
 * N mutated plinth.yaml files through the `plinth plan` path, and N mutated
 * repositories through what `check --repo` reads (test/support/fuzz-repo.ts),
 * each case in a child process with a timer (test/support/fuzz-pool.ts): a
 * case that does not end is killed and counted as a hang. Prints, per target,
 * how many were accepted, refused with a typed error, crashed (another
 * exception, or a PlinthError that names no file) and hung (over the bound).
 * Failing inputs are written to the out folder with their seed and index.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { caseBytes, CASE_DEADLINE_MS, describeCase, fuzzCase } from '../test/support/fuzz.js';
import { repoCaseFiles, repoFuzzCase } from '../test/support/fuzz-repo.js';
import { FuzzPool, type Job } from '../test/support/fuzz-pool.js';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '2000' }, seed: { type: 'string', default: '42' }, target: { type: 'string', default: 'config,repo' }, out: { type: 'string', default: 'test-artifacts/fuzz' } },
});
const runs = Number(values.runs);
const seed = Number(values.seed);
const targets = values.target!.split(',');
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(seed) || !targets.every((t) => t === 'config' || t === 'repo')) {
  console.error('usage: npm run fuzz -- [--runs N] [--seed S] [--target config,repo] [--out DIR]');
  process.exit(2);
}

/** A failing case's input, beside its description: the plinth.yaml, or the repository file the case mutated. */
async function writeCaseInput(out: string, name: string, job: Job): Promise<void> {
  if (job.target === 'config') return writeFile(join(out, `${name}.yaml`), job.bytes);
  if (job.target !== 'repo') return;
  // Rebuilding the case here must not end the run: the case's description is written either way.
  let built: ReturnType<typeof repoCaseFiles> | undefined;
  try {
    built = repoCaseFiles(job.case);
  } catch {
    return;
  }
  await writeFile(join(out, `${name}.${built.path.slice(built.path.lastIndexOf('/') + 1)}`), built.files.get(built.path)!);
}

const pool = new FuzzPool(CASE_DEADLINE_MS);
let failed = 0;
for (const target of targets) {
  const counts = { accepted: 0, refused: 0, crashed: 0, hung: 0 };
  const failures: string[] = [];
  let slowest = 0;
  const started = performance.now();
  const cases = target === 'config' ? fc.sample(fuzzCase, { seed, numRuns: runs }) : fc.sample(repoFuzzCase, { seed, numRuns: runs });
  for (const [i, c] of cases.entries()) {
    const job = target === 'config' ? { target: 'config' as const, bytes: caseBytes(c as never) } : { target: 'repo' as const, case: c as never };
    const outcome = await pool.run(job);
    slowest = Math.max(slowest, outcome.ms);
    const kind = outcome.kind === 'untyped' ? 'crashed' : outcome.kind;
    counts[kind]++;
    if ('detail' in outcome) {
      const name = `${target}-seed-${seed}-case-${i}-${kind}`;
      await mkdir(values.out!, { recursive: true });
      await writeCaseInput(values.out!, name, job);
      await writeFile(join(values.out!, `${name}.case.json`), describeCase(c as never));
      failures.push(`${name}: ${describeCase(c as never).slice(0, 400)}\n    ${outcome.detail.replace(/\n/g, '\n    ')}`);
    }
    if ((i + 1) % 100 === 0) process.stderr.write(`${target} ${i + 1}/${runs} ${JSON.stringify(counts)}\n`);
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`fuzz ${target}: ${runs} cases, seed ${seed}, ${seconds} s (slowest case ${Math.round(slowest)} ms, bound ${CASE_DEADLINE_MS} ms)`);
  console.log(`accepted ${counts.accepted}, refused with a typed error ${counts.refused}, crashed ${counts.crashed}, hung ${counts.hung}`);
  for (const f of failures.slice(0, 20)) console.log(`  - ${f}`);
  if (failures.length > 20) console.log(`  ... and ${failures.length - 20} more in ${values.out}`);
  failed += counts.crashed + counts.hung;
}
pool.close();
process.exit(failed > 0 ? 1 : 0);
