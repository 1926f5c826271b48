/**
 * Work slower than a second (a check, a commit) runs as a job: its steps and
 * elapsed time stream to the page as server-sent events, and its result
 * stays for the page to read. A job belongs to the session that started it.
 */
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';

export interface JobEvent {
  type: 'step' | 'tick' | 'done' | 'failed';
  text?: string;
  elapsedMs: number;
}

export interface Job<T = unknown> {
  id: string;
  kind: string;
  owner: string;
  status: 'running' | 'done' | 'failed';
  started: number;
  steps: { elapsedMs: number; text: string }[];
  result?: T;
  error?: string;
  listeners: Set<(e: JobEvent) => void>;
}

const MAX_JOBS = 200;
const TICK_MS = 1000;

export class Jobs {
  private readonly jobs = new Map<string, Job>();

  start<T>(kind: string, owner: string, work: (progress: (text: string) => void) => Promise<T>): Job<T> {
    if (this.jobs.size >= MAX_JOBS) {
      for (const [id, j] of this.jobs) if (j.status !== 'running') this.jobs.delete(id);
    }
    const job: Job<T> = { id: randomBytes(12).toString('base64url'), kind, owner, status: 'running', started: Date.now(), steps: [], listeners: new Set() };
    this.jobs.set(job.id, job as Job);
    const emit = (e: Omit<JobEvent, 'elapsedMs'>) => {
      const ev = { ...e, elapsedMs: Date.now() - job.started };
      for (const l of job.listeners) l(ev);
    };
    const progress = (text: string) => {
      job.steps.push({ elapsedMs: Date.now() - job.started, text });
      emit({ type: 'step', text });
    };
    const ticker = setInterval(() => emit({ type: 'tick' }), TICK_MS);
    work(progress).then(
      (result) => {
        job.result = result;
        job.status = 'done';
        clearInterval(ticker);
        emit({ type: 'done' });
      },
      (error: unknown) => {
        job.error = error instanceof Error ? error.message : String(error);
        job.status = 'failed';
        clearInterval(ticker);
        emit({ type: 'failed', text: job.error });
      },
    );
    return job;
  }

  get(id: string, owner: string): Job | undefined {
    const j = this.jobs.get(id);
    return j && (j.owner === owner || j.owner === '*') ? j : undefined;
  }

  /** Streams a job's events to the response until it ends. */
  stream(job: Job, res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    const send = (e: JobEvent) => res.write(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
    for (const s of job.steps) send({ type: 'step', text: s.text, elapsedMs: s.elapsedMs });
    if (job.status !== 'running') {
      send({ type: job.status === 'done' ? 'done' : 'failed', ...(job.error ? { text: job.error } : {}), elapsedMs: Date.now() - job.started });
      res.end();
      return;
    }
    const listener = (e: JobEvent) => {
      send(e);
      if (e.type === 'done' || e.type === 'failed') {
        job.listeners.delete(listener);
        res.end();
      }
    };
    job.listeners.add(listener);
    res.on('close', () => job.listeners.delete(listener));
  }
}
