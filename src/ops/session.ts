/**
 * Wiring for the cluster commands: an OpsContext over the command's output
 * streams, with every write redacted, and the seams tests use (the desired
 * state, the renderer, the clock, the poll interval).
 */
import type { ClusterClient } from '../cluster/index.js';
import type { LoadedConfig } from '../config/load.js';
import { type DesiredState, desiredState } from '../desired/index.js';
import type { OpsContext } from './context.js';
import { Redactor } from './redact.js';
import { helmRenderer, type UnitRenderer } from './render.js';

/** What a command may touch (structurally the CLI's CliIO). */
export interface OpsIO {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

export interface OpsDeps {
  /** The desired state of a loaded plinth.yaml; default: the catalog's. */
  desired(loaded: LoadedConfig): DesiredState;
  renderer(env: NodeJS.ProcessEnv): UnitRenderer;
  now(): number;
  pollMs: number;
}

export const DEFAULT_DEPS: OpsDeps = {
  desired: (loaded) => desiredState(loaded),
  renderer: (env) => helmRenderer(env),
  now: () => Date.now(),
  pollMs: 2000,
};

export interface Session {
  ops: OpsContext;
  redactor: Redactor;
  /** Redacting writers for the command's own output. */
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

export function openSession(io: OpsIO, client: ClusterClient, deps: Pick<OpsDeps, 'now' | 'pollMs'>): Session {
  const redactor = new Redactor();
  const stdout = redactor.wrap(io.stdout);
  const stderr = redactor.wrap(io.stderr);
  return {
    redactor,
    stdout,
    stderr,
    ops: {
      client,
      now: deps.now,
      pollMs: deps.pollMs,
      secret: (v) => redactor.add(v),
      report: {
        line: (text) => stdout.write(`${text}\n`),
        warn: (text) => stderr.write(`warning: ${text}\n`),
      },
    },
  };
}
