/**
 * Runs fuzz cases in a child process with a timer, so a case that hangs (an
 * endless loop, quadratic work on a huge input) is killed and reported as a
 * hang with its input instead of hanging the run. The child is started again
 * after a kill; cases run one at a time (the machine has two cores, shared).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FuzzJob } from './fuzz-child.js';
import type { Outcome } from './fuzz.js';
import type { RepoFuzzCase } from './fuzz-repo.js';

const CHILD = fileURLToPath(new URL('./fuzz-child.ts', import.meta.url));
/** Time to start the child (tsx compiles the sources) and build a profile's repository, beyond the case's own bound. */
const START_GRACE_MS = 60_000;

export type Job = { target: 'config'; bytes: Uint8Array } | { target: 'repo'; case: RepoFuzzCase } | { target: 'spin'; ms: number };

export class FuzzPool {
  private child: ChildProcess | undefined;
  private ready: Promise<void> | undefined;
  private next = 0;
  /** Cases that were killed: the child is new for the next one. */
  killed = 0;
  /** What the child has built already (a profile's planned repository): the first case of each gets the start grace. */
  private warm = new Set<string>();

  constructor(private readonly deadlineMs: number) {}

  private start(): Promise<void> {
    const child = fork(CHILD, [], { execArgv: ['--import', 'tsx'], serialization: 'advanced', stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    this.child = child;
    this.warm.clear();
    this.ready = new Promise((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`the fuzz child exited (${code}) before it was ready`)));
    });
    return this.ready;
  }

  /** Runs one case: its outcome, or `hung` when it did not end within the bound (the child is killed). */
  async run(job: Job): Promise<Outcome> {
    if (!this.child || this.child.exitCode !== null || this.child.signalCode !== null) await this.start();
    await this.ready;
    const child = this.child!;
    const id = this.next++;
    // The first case of a profile in a fresh child builds its repository: allow for that once.
    const key = job.target === 'repo' ? `repo:${job.case.profile}` : job.target;
    const bound = this.deadlineMs + (this.warm.has(key) || job.target === 'spin' ? 0 : START_GRACE_MS);
    const started = performance.now();
    return new Promise<Outcome>((resolve) => {
      const done = (outcome: Outcome) => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(outcome);
      };
      const onMessage = (m: { id?: number; outcome?: Outcome }) => {
        if (m.id !== id || !m.outcome) return;
        this.warm.add(key);
        done(m.outcome);
      };
      const onExit = (code: number | null, signal: string | null) => {
        this.child = undefined;
        done({ kind: 'crashed', ms: performance.now() - started, detail: `the case ended the process (exit ${code ?? signal}): out of memory or stack` });
      };
      const timer = setTimeout(() => {
        this.killed++;
        child.off('exit', onExit);
        child.kill('SIGKILL');
        this.child = undefined;
        done({ kind: 'hung', ms: performance.now() - started, detail: `did not end within ${bound} ms: killed` });
      }, bound);
      child.on('message', onMessage);
      child.on('exit', onExit);
      child.send({ ...job, id, deadlineMs: this.deadlineMs } as FuzzJob);
    });
  }

  close(): void {
    this.child?.kill('SIGKILL');
    this.child = undefined;
  }
}
