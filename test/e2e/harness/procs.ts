/**
 * Child processes of the e2e environment: each in its own process group (so a
 * component's own children die with it), its output written to a log file,
 * stopped with SIGTERM then SIGKILL after a bounded wait. Every group started
 * is recorded in a registry file; a later run kills the groups of a run whose
 * owner died without tearing down (a crashed test runner).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const REGISTRY = join(tmpdir(), 'plinth-e2e-runs');

export interface Proc {
  name: string;
  command: string;
  args: string[];
  child: ChildProcess;
  log: string;
  /** Set once the process has exited. */
  exited?: { code: number | null; signal: NodeJS.Signals | null };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** Kills what a previous run left behind when its owner process is gone. */
export function reapStaleRuns(): string[] {
  if (!existsSync(REGISTRY)) return [];
  const reaped: string[] = [];
  for (const f of readdirSync(REGISTRY)) {
    const owner = Number(f.replace(/\.json$/, ''));
    if (!Number.isInteger(owner) || alive(owner)) continue;
    try {
      const groups = JSON.parse(readFileSync(join(REGISTRY, f), 'utf8')) as { name: string; pid: number }[];
      for (const g of groups) {
        // eslint-disable-next-line max-depth -- a stale run's registry: each file, its JSON read under try, each process group still alive killed; the order keeps each check next to its kill
        if (alive(g.pid)) {
          killGroup(g.pid, 'SIGKILL');
          reaped.push(`${g.name} (${g.pid})`);
        }
      }
    } catch {
      // unreadable: drop it
    }
    rmSync(join(REGISTRY, f), { force: true });
  }
  return reaped;
}

export class ProcessGroup {
  readonly procs: Proc[] = [];
  private readonly registryFile = join(REGISTRY, `${process.pid}.json`);
  private readonly onExit = () => this.killAllNow();

  constructor(readonly logDir: string) {
    mkdirSync(logDir, { recursive: true });
    mkdirSync(REGISTRY, { recursive: true });
    process.on('exit', this.onExit);
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.once(sig, () => {
        this.killAllNow();
        process.exit(128 + (sig === 'SIGINT' ? 2 : sig === 'SIGTERM' ? 15 : 1));
      });
    }
  }

  start(name: string, command: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Proc {
    const log = join(this.logDir, `${name}.log`);
    const fd = openSync(log, 'a');
    writeFileSync(fd, `$ ${command} ${args.join(' ')}\n`);
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', fd, fd],
      detached: true,
    });
    closeSync(fd);
    const proc: Proc = { name, command, args, child, log };
    child.on('exit', (code, signal) => (proc.exited = { code, signal }));
    child.on('error', (err) => {
      proc.exited = { code: -1, signal: null };
      writeFileSync(log, `\nfailed to start: ${err.message}\n`, { flag: 'a' });
    });
    this.procs.push(proc);
    this.record();
    return proc;
  }

  private record(): void {
    const groups = this.procs.filter((p) => p.child.pid && !p.exited).map((p) => ({ name: p.name, pid: p.child.pid! }));
    writeFileSync(this.registryFile, JSON.stringify(groups));
  }

  /** Throws with the component's log tail if it has exited. */
  assertRunning(proc: Proc): void {
    if (proc.exited) {
      throw new Error(`${proc.name} exited (code ${proc.exited.code}, signal ${proc.exited.signal}):\n${tail(proc.log)}`);
    }
  }

  async stop(proc: Proc, graceMs = 10_000): Promise<void> {
    if (proc.exited || !proc.child.pid) return;
    const done = new Promise<void>((r) => proc.child.once('exit', () => r()));
    killGroup(proc.child.pid, 'SIGTERM');
    const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), graceMs).unref());
    if ((await Promise.race([done, timer])) === 'timeout') {
      killGroup(proc.child.pid, 'SIGKILL');
      await Promise.race([done, new Promise((r) => setTimeout(r, 5_000).unref())]);
    }
    this.record();
  }

  /** Stops the process and starts it again with the same command line (same log); the new Proc replaces it. */
  async restart(proc: Proc): Promise<Proc> {
    await this.stop(proc);
    const i = this.procs.indexOf(proc);
    if (i >= 0) this.procs.splice(i, 1);
    return this.start(proc.name, proc.command, proc.args);
  }

  /** Stops in reverse start order. */
  async stopAll(): Promise<void> {
    for (const p of [...this.procs].reverse()) await this.stop(p);
    rmSync(this.registryFile, { force: true });
    process.off('exit', this.onExit);
  }

  private killAllNow(): void {
    for (const p of this.procs) if (!p.exited && p.child.pid) killGroup(p.child.pid, 'SIGKILL');
    rmSync(this.registryFile, { force: true });
  }

  /** The last lines of every component's log, for a failure message. */
  logTails(lines = 40): string {
    return this.procs.map((p) => `--- ${p.name} (${p.log}) ---\n${tail(p.log, lines)}`).join('\n');
  }
}

export function tail(file: string, lines = 40): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Polls `check` until it returns a value, at most `timeoutMs`; `what` names the wait in the error. */
export async function until<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${Math.round(timeoutMs / 1000)}s waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
