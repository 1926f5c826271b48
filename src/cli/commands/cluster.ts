/**
 * `plinth cluster create [--config FILE] [--dry-run]`: a local k3d cluster
 * shaped like plinth.yaml. Also the flags and wiring every cluster command
 * shares (kubeconfig, context, redacted output).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ClusterClient, connectCluster } from '../../cluster/index.js';
import type { LoadedConfig } from '../../config/load.js';
import { resolvePlatform } from '../../desired/index.js';
import { CATALOG } from '../../catalog/index.js';
import { onPath } from '../../helm/index.js';
import { spawn } from 'node:child_process';
import { PlinthError, ToolError } from '../../lib/errors.js';
import { k3dConfigText, k3dContext, missingTools, type ToolProbe } from '../../ops/k3d.js';
import type { Redactor } from '../../ops/redact.js';
import { openSession, type OpsDeps, type Session } from '../../ops/session.js';
import type { CommandSpec, OptionSpec, ParsedArgs } from '../command.js';
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

export interface CreateDeps {
  probe(env: NodeJS.ProcessEnv): ToolProbe;
}

/** Runs a program without stdin (a quick `docker info` must not fail on a closed pipe). */
function runProgram(command: string, argv: readonly string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString('utf8')));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code: code ?? 1, stdout, stderr }));
  });
}

const DEFAULT_CREATE: CreateDeps = {
  probe: (env) => ({ which: (name) => onPath(name, env), run: (command, argv) => runProgram(command, argv, env) }),
};

export function clusterCommandWith(deps: CreateDeps = DEFAULT_CREATE): CommandSpec {
  const create: CommandSpec = {
    name: 'create',
    summary: 'create a local k3d cluster shaped like plinth.yaml (needs docker and k3d)',
    usage: 'plinth cluster create [--config FILE] [--dry-run]',
    options: {
      config: CLUSTER_FLAGS.config!,
      'dry-run': { type: 'boolean', description: 'print the k3d configuration and command instead of running them' },
    },
    async run(io, args) {
      const loaded = await loadConfigFor(io, str(args, 'config'));
      const platform = resolvePlatform(loaded, CATALOG);
      const config = k3dConfigText(platform);
      if (args.values['dry-run']) {
        io.stdout.write(`${config}\n# then: k3d cluster create --config <this file>\n`);
        return 0;
      }
      const probe = deps.probe(io.env);
      const missing = await missingTools(probe);
      if (missing.length > 0) throw new ToolError(`cannot create a k3d cluster:\n${missing.map((m) => `  - ${m}`).join('\n')}\n  (plinth cluster create --dry-run prints the k3d configuration it would use)`);
      const dir = await mkdtemp(join(tmpdir(), 'plinth-k3d-'));
      try {
        const file = join(dir, 'k3d.yaml');
        await writeFile(file, config);
        io.stdout.write(`Creating k3d cluster ${platform.name}: ${platform.nodes.length} nodes (${platform.nodes.map((n) => n.name).join(', ')})\n`);
        const result = await probe.run(probe.which('k3d')!, ['cluster', 'create', '--config', file]);
        if (result.code !== 0) throw new ToolError(`k3d cluster create failed (exit code ${result.code}): ${result.stderr.trim() || result.stdout.trim()}`);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
      io.stdout.write(`Cluster ${platform.name} is up (context ${k3dContext(platform)}). Next: plinth up --context ${k3dContext(platform)}\n`);
      return 0;
    },
  };
  return {
    name: 'cluster',
    summary: 'local clusters for trying the platform: create',
    usage: 'plinth cluster create [--config FILE] [--dry-run]',
    options: {},
    subcommands: [create],
    async run() {
      return 2;
    },
  };
}

export const clusterCommand = clusterCommandWith();

