/**
 * The process the fuzz pool runs cases in (test/support/fuzz-pool.ts): one
 * case per message, its outcome sent back. A case that never ends is killed
 * with this process by the pool, which then starts another.
 */
import { type Outcome, runCase } from './fuzz.js';
import { type RepoFuzzCase, runRepoCase } from './fuzz-repo.js';

/** `spin`: a case that never yields for `ms` (the pool's own test: a hang it must kill). */
export type FuzzJob = { id: number; deadlineMs: number } & ({ target: 'config'; bytes: Uint8Array } | { target: 'repo'; case: RepoFuzzCase } | { target: 'spin'; ms: number });

function spin(ms: number): Outcome {
  const end = performance.now() + ms;
  while (performance.now() < end);
  return { kind: 'accepted', ms };
}

process.on('message', (job: FuzzJob) => {
  const outcome = job.target === 'config' ? runCase(job.bytes, job.deadlineMs) : job.target === 'repo' ? runRepoCase(job.case, job.deadlineMs) : spin(job.ms);
  process.send!({ id: job.id, outcome });
});
// The pool went away (its run ended or was stopped): so does this process.
process.on('disconnect', () => process.exit(0));
process.send!({ ready: true });
