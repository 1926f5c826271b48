/** `plinth cluster create [--config FILE] [--dry-run]`: a local k3d cluster shaped like plinth.yaml. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolvePlatform } from '../../desired/index.js';
import { CATALOG } from '../../catalog/index.js';
import { onPath } from '../../helm/index.js';
import { spawn } from 'node:child_process';
import { ToolError } from '../../lib/errors.js';
import { apiServerSetting, k3dConfigText, k3dContext, missingTools, type ToolProbe } from '../../ops/k3d.js';
import type { CommandSpec } from '../command.js';
import { loadConfigFor } from '../config-arg.js';
import { CLUSTER_FLAGS, str } from './cluster-session.js';

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
      const setting = apiServerSetting(platform);
      if (args.values['dry-run']) {
        const note = setting ? `${setting.split('\n').map((l) => `# ${l}`).join('\n')}\n` : '';
        io.stdout.write(`${config}\n# then: k3d cluster create --config <this file>\n${note}`);
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
      io.stdout.write(`Cluster ${platform.name} is up (context ${k3dContext(platform)}).\n`);
      if (setting) io.stderr.write(`warning: ${setting}\n`);
      io.stdout.write(`Next: ${setting ? 'edit plinth.yaml as above, then ' : ''}plinth up --context ${k3dContext(platform)}\n`);
      return 0;
    },
  };
  return {
    name: 'cluster',
    summary: 'local clusters for trying the platform: create',
    usage: 'plinth cluster create [--config FILE] [--dry-run]',
    options: {},
    subcommands: [create],
  };
}

export const clusterCommand = clusterCommandWith();

