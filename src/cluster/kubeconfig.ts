/**
 * Kubeconfig loading and context selection: `--kubeconfig FILE`, else
 * `KUBECONFIG` (a list of files), else `~/.kube/config`; `--context NAME`,
 * else the current context. An unknown context is an error that lists the
 * ones there are.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { k8s } from './client-module.js';
import { KubeconfigError } from './errors.js';

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

/** Library messages about a kubeconfig's structure that name a field, never a value. */
const STRUCTURE_MESSAGE = /^(clusters|users|contexts)\[\d+\](\.[A-Za-z-]+)+ is missing$/;

/**
 * Why a kubeconfig could not be read, in words that cannot carry its content:
 * a kubeconfig holds tokens and keys, and the YAML parser's message quotes the
 * lines around the error. Only the position of a syntax error is kept.
 */
export function whyUnreadable(error: unknown): string {
  const e = (error ?? {}) as { code?: unknown; mark?: { line?: unknown; column?: unknown }; message?: unknown };
  if (typeof e.code === 'string') return e.code;
  if (e.mark && typeof e.mark.line === 'number' && typeof e.mark.column === 'number') {
    return `not valid YAML (line ${e.mark.line + 1}, column ${e.mark.column + 1})`;
  }
  if (typeof e.message === 'string' && STRUCTURE_MESSAGE.test(e.message)) return e.message;
  return 'not a kubeconfig (expected clusters, users and contexts)';
}

export function selectKubeconfig(options: KubeconfigOptions): SelectedConfig {
  const files = kubeconfigFiles(options);
  const present = files.filter((f) => existsSync(f));
  if (present.length === 0) {
    throw new KubeconfigError(
      `no kubeconfig found (looked for ${files.join(', ')}); pass --kubeconfig FILE, set KUBECONFIG, or create a cluster with \`plinth cluster create\``,
    );
  }
  const config = new (k8s().KubeConfig)();
  for (const [i, file] of present.entries()) {
    const one = new (k8s().KubeConfig)();
    try {
      one.loadFromFile(file);
    } catch (error) {
      // No `cause`: the parser's error quotes the file (message, snippet, the whole buffer), tokens included.
      throw new KubeconfigError(`cannot read the kubeconfig ${file}: ${whyUnreadable(error)}`);
    }
    if (i === 0) config.loadFromOptions({ clusters: one.clusters, users: one.users, contexts: one.contexts, currentContext: one.currentContext });
    else config.mergeConfig(one, true);
  }
  const names = config.getContexts().map((c) => c.name);
  const wanted = options.context ?? config.getCurrentContext();
  if (!wanted) {
    throw new KubeconfigError(`the kubeconfig (${present.join(', ')}) has no current context; pass --context NAME (one of: ${names.join(', ') || 'none'})`);
  }
  const context = config.getContextObject(wanted);
  if (!context) {
    throw new KubeconfigError(`no context ${JSON.stringify(wanted)} in the kubeconfig (${present.join(', ')}); the contexts are: ${names.join(', ') || 'none'}`);
  }
  config.setCurrentContext(wanted);
  const cluster = config.getCurrentCluster();
  if (!cluster) throw new KubeconfigError(`context ${wanted} names cluster ${context.cluster}, which is not in the kubeconfig`);
  return { config, context: wanted, server: cluster.server, files: present };
}
