/** What `new`, `upgrade` and `portal` share: plinth.yaml, the clone of the GitOps repository, Helm for the check. */
import { resolve } from 'node:path';
import { checkPlatform } from '../../checks/platform.js';
import { desiredState, SHARED_REFS } from '../../desired/index.js';
import type { Finding } from '../../checks/finding.js';
import { GitRepo, type Identity } from '../../gitops/git.js';
import type { GoldenContext, Outcome } from '../../golden/workflow.js';
import { findHelm, locateChartCache, RenderCache } from '../../helm/index.js';
import { UsageError } from '../../lib/errors.js';
import type { LoadedConfig } from '../../config/load.js';
import type { OptionSpec, ParsedArgs } from '../command.js';
import { loadConfigFor } from '../config-arg.js';
import type { CliIO } from '../io.js';
import { DEFAULT_OUT } from './plan.js';

export const REPO_FLAGS: Record<string, OptionSpec> = {
  config: { type: 'string', description: 'plinth.yaml to use (default: ./plinth.yaml, else the built-in edge example)' },
  repo: { type: 'string', description: `local clone of the GitOps repository (default: ./${DEFAULT_OUT})` },
  base: { type: 'string', description: 'branch to start from (default: gitops.repo.branch of plinth.yaml)' },
  charts: { type: 'string', description: 'chart cache folder for the check (default: PLINTH_CHARTS, else ../shared/charts, else the user cache)' },
};

export async function goldenContext(io: CliIO, args: ParsedArgs, progress?: (s: string) => void): Promise<{ ctx: GoldenContext; loaded: LoadedConfig }> {
  const loaded = await loadConfigFor(io, args.values.config as string | undefined);
  const state = desiredState(loaded);
  const repo = await GitRepo.open(resolve(io.cwd, (args.values.repo as string | undefined) ?? DEFAULT_OUT), io.env);
  const env = args.values.charts ? { ...io.env, PLINTH_CHARTS: args.values.charts as string } : io.env;
  const cache = locateChartCache(env);
  const renderCache = new RenderCache();
  let helm: string | undefined;
  const ctx: GoldenContext = {
    platform: state.platform,
    refs: SHARED_REFS,
    repoLocation: { url: loaded.config.gitops.repo.url, branch: loaded.config.gitops.repo.branch },
    repo,
    base: (args.values.base as string | undefined) ?? loaded.config.gitops.repo.branch,
    async check(files) {
      helm ??= (await findHelm(env)).path;
      return checkPlatform(loaded, { helm, cache, renderCache, repoFiles: files });
    },
    ...(progress ? { progress } : {}),
  };
  return { ctx, loaded };
}

/** `Name <email>` from --author, else the clone's git identity. */
export async function authorOf(repo: GitRepo, flag: string | undefined): Promise<Identity> {
  if (flag !== undefined) {
    const m = /^\s*([^<>]+?)\s*<([^<>\s]+@[^<>\s]+)>\s*$/.exec(flag);
    if (!m) throw new UsageError(`--author: got ${JSON.stringify(flag)}; expected "Name <email>"`);
    return { name: m[1]!, email: m[2]! };
  }
  const id = await repo.identity();
  if (!id) throw new UsageError(`git knows no user in ${repo.dir}: set it with \`git config user.name "Your Name"\` and \`git config user.email you@example.com\`, or pass --author "Name <email>"`);
  return id;
}

function findingLine(f: Finding): string {
  const o = f.object ? ` ${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name}` : '';
  return `  ${f.severity.padEnd(7)} ${f.check.padEnd(9)}${o}: ${f.message}${f.hint ? `\n            hint: ${f.hint}` : ''}`;
}

/** Prints an outcome; returns the exit code (0 done or nothing to do, 1 failed check, 2 invalid input). */
export function renderOutcome(io: CliIO, outcome: Outcome): number {
  switch (outcome.status) {
    case 'invalid':
      io.stderr.write(`error: ${outcome.problems.length} problem${outcome.problems.length === 1 ? '' : 's'} found:\n${outcome.problems.map((p) => `  - ${p.field}: ${p.message}${p.hint ? `\n    hint: ${p.hint}` : ''}`).join('\n')}\nNothing written.\n`);
      return 2;
    case 'unchanged':
      io.stdout.write(`${outcome.message}.\n`);
      return 0;
    case 'failed-check':
    case 'ready': {
      const p = outcome.proposal;
      const names = p.services.map((s) => `${s.team}/${s.name}`).join(', ');
      io.stdout.write(`plinth check: ${p.errors} error${p.errors === 1 ? '' : 's'}, ${p.warnings} warning${p.warnings === 1 ? '' : 's'} in the platform with ${names}\n`);
      const shown = outcome.status === 'failed-check' ? [...p.own, ...p.findings.filter((f) => f.severity === 'error' && !p.own.includes(f))] : p.own;
      if (shown.length > 0) io.stdout.write(`${shown.map(findingLine).join('\n')}\n`);
      else io.stdout.write(`  no finding about ${names}\n`);
      if (outcome.status === 'failed-check') {
        io.stderr.write('error: plinth check found errors; nothing written.\n');
        return 1;
      }
      return 0;
    }
  }
}

export function diffStat(diff: string): string {
  const end = diff.indexOf('\ndiff --git');
  return end === -1 ? diff : diff.slice(0, end + 1);
}
