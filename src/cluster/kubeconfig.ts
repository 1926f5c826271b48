/**
 * Kubeconfig loading and context selection: `--kubeconfig FILE`, else
 * `KUBECONFIG` (a list of files), else `~/.kube/config`; `--context NAME`,
 * else the current context. An unknown context is an error that lists the
 * ones there are.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { ClusterError } from './errors.js';

export interface KubeconfigOptions {
  /** A kubeconfig file (the --kubeconfig flag). */
  file?: string;
  /** Context name (the --context flag). */
  context?: string;
  env: NodeJS.ProcessEnv;
  cwd?: string;
}

export interface SelectedConfig {
  config: KubeConfig;
  context: string;
  server: string;
  /** Files read, for messages. */
  files: string[];
}

function kubeconfigFiles(options: KubeconfigOptions): string[] {
  const cwd = options.cwd ?? process.cwd();
  if (options.file) return [resolve(cwd, options.file)];
  const fromEnv = (options.env.KUBECONFIG ?? '').split(delimiter).filter(Boolean).map((f) => resolve(cwd, f));
  if (fromEnv.length > 0) return fromEnv;
  const home = options.env.HOME ?? homedir();
  return [join(home, '.kube', 'config')];
}

export function selectKubeconfig(options: KubeconfigOptions): SelectedConfig {
  const files = kubeconfigFiles(options);
  const present = files.filter((f) => existsSync(f));
  if (present.length === 0) {
    throw new ClusterError(
      `no kubeconfig found (looked for ${files.join(', ')}); pass --kubeconfig FILE, set KUBECONFIG, or create a cluster with \`plinth cluster create\``,
    );
  }
  const config = new KubeConfig();
  for (const [i, file] of present.entries()) {
    const one = new KubeConfig();
    try {
      one.loadFromFile(file);
    } catch (cause) {
      throw new ClusterError(`cannot read the kubeconfig ${file}: ${(cause as Error).message}`, { cause });
    }
    if (i === 0) config.loadFromOptions({ clusters: one.clusters, users: one.users, contexts: one.contexts, currentContext: one.currentContext });
    else config.mergeConfig(one, true);
  }
  const names = config.getContexts().map((c) => c.name);
  const wanted = options.context ?? config.getCurrentContext();
  if (!wanted) {
    throw new ClusterError(`the kubeconfig (${present.join(', ')}) has no current context; pass --context NAME (one of: ${names.join(', ') || 'none'})`);
  }
  const context = config.getContextObject(wanted);
  if (!context) {
    throw new ClusterError(`no context ${JSON.stringify(wanted)} in the kubeconfig (${present.join(', ')}); the contexts are: ${names.join(', ') || 'none'}`);
  }
  config.setCurrentContext(wanted);
  const cluster = config.getCurrentCluster();
  if (!cluster) throw new ClusterError(`context ${wanted} names cluster ${context.cluster}, which is not in the kubeconfig`);
  return { config, context: wanted, server: cluster.server, files: present };
}
