/** A real temporary GitOps repository: `plinth plan` output committed on main by the platform team, the clone's user a developer. */
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli, tempDir } from '../support/cli.js';

export const DEVELOPER = { name: 'Dana Developer', email: 'dana@example.com' };

export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' } }).trim();
}

/** plinth.yaml with a second team, the repository planned from it and committed. */
export async function plannedRepo(config?: string): Promise<{ dir: string; repo: string }> {
  const dir = await tempDir('plinth-golden-');
  if (config !== undefined) await writeFile(join(dir, 'plinth.yaml'), config);
  const plan = await runCli(['plan'], dir);
  if (plan.code !== 0) throw new Error(`plan failed: ${plan.stderr}`);
  const repo = join(dir, 'gitops');
  await mkdir(repo, { recursive: true });
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'add', '-A');
  git(repo, '-c', 'user.name=Platform Team', '-c', 'user.email=platform@example.com', 'commit', '-q', '-m', 'plinth plan');
  git(repo, 'config', 'user.name', DEVELOPER.name);
  git(repo, 'config', 'user.email', DEVELOPER.email);
  return { dir, repo };
}

export const refs = (repo: string): string => git(repo, 'for-each-ref', '--format=%(refname) %(objectname)');
