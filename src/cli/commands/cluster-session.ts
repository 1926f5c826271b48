/**
 * What every command that talks to a cluster shares: the flags (plinth.yaml,
 * kubeconfig, context), the connection, and a session whose every output (and
 * error) is redacted. Used by up, status, doctor, down and vault.
 */
import { type ClusterClient, connectCluster } from '../../cluster/index.js';
import type { LoadedConfig } from '../../config/load.js';
import { PlinthError, UsageError } from '../../lib/errors.js';
import { parseDuration } from '../../ops/context.js';
import type { Redactor } from '../../ops/redact.js';
import { openSession, type OpsDeps, type Session } from '../../ops/session.js';
import type { OptionSpec, ParsedArgs } from '../command.js';
import { loadConfigFor } from '../config-arg.js';
import type { CliIO } from '../io.js';

/** Flags of every command that talks to a cluster. */
export const CLUSTER_FLAGS: Record<string, OptionSpec> = {
  config: { type: 'string', description: 'plinth.yaml to use (default: ./plinth.yaml, else the built-in edge example)' },
  context: { type: 'string', description: 'kubeconfig context (default: the current context)' },
  kubeconfig: { type: 'string', description: 'kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)' },
};

export const str = (args: ParsedArgs, name: string): string | undefined => args.values[name] as string | undefined;

export function connectFor(io: CliIO, args: ParsedArgs): ClusterClient {
  return connectCluster({ file: str(args, 'kubeconfig'), context: str(args, 'context'), env: io.env, cwd: io.cwd });
}

/** Loads plinth.yaml, connects, and opens a redacting session. */
export async function clusterSession(io: CliIO, args: ParsedArgs, deps: OpsDeps): Promise<{ loaded: LoadedConfig; session: Session }> {
  const loaded = await loadConfigFor(io, str(args, 'config'));
  const client = connectFor(io, args);
  return { loaded, session: openSession(io, client, deps) };
}

/** Errors leave through main's printer: redact them on the way, like every other output. */
export async function redacting<T>(redactor: Redactor, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof PlinthError) {
      const clean = redactor.redact(error.message);
      if (clean !== error.message) error.message = clean;
      throw error;
    }
    throw new PlinthError(redactor.redact(error instanceof Error ? error.message : String(error)), { cause: error });
  }
}

/** A duration flag (`90s`, `30m`, `1h`) in milliseconds, or the default. */
export function durationFlag(text: string | undefined, fallbackMs: number, flag: string): number {
  if (text === undefined) return fallbackMs;
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0) throw new UsageError(`--${flag}: got ${JSON.stringify(text)}; expected a duration such as 90s, 30m or 1h`);
  return ms;
}
