/**
 * `plinth upgrade service TEAM/NAME | --all [--dry-run] [--force]`: re-render
 * services with the newest version of their golden path, keeping the values
 * chosen when they were written; show the diff, check, commit on a branch.
 */
import { commitProposal, proposeUpgrade } from '../../golden/workflow.js';
import { UsageError } from '../../lib/errors.js';
import type { CommandSpec } from '../command.js';
import { authorOf, diffStat, goldenContext, renderOutcome, REPO_FLAGS } from './golden-session.js';

const serviceUpgrade: CommandSpec = {
  name: 'service',
  summary: 're-render a service (or --all) with the newest version of its golden path, keeping its values; commit on a branch',
  usage: 'plinth upgrade service TEAM/NAME | --all [--dry-run] [--force] [--repo DIR] [--base BRANCH] [--author "Name <email>"]',
  positionals: true,
  options: {
    all: { type: 'boolean', description: 'every service a golden path wrote' },
    ...REPO_FLAGS,
    'dry-run': { type: 'boolean', description: 'check and print the diff; commit nothing' },
    force: { type: 'boolean', description: 'overwrite files changed by hand since the golden path wrote them' },
    author: { type: 'string', description: 'commit author "Name <email>" (default: the clone\'s git user)' },
  },
  async run(io, args) {
    const all = args.values.all === true;
    if (all === (args.positionals.length === 1) || args.positionals.length > 1) throw new UsageError(`name one service as TEAM/NAME, or pass --all\nusage: ${serviceUpgrade.usage}`);
    let target: { team: string; name: string } | 'all' = 'all';
    if (!all) {
      const m = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\/([a-z0-9]([-a-z0-9]*[a-z0-9])?)$/.exec(args.positionals[0]!);
      if (!m) throw new UsageError(`got ${JSON.stringify(args.positionals[0])}; expected TEAM/NAME (two DNS-1123 labels)`);
      target = { team: m[1]!, name: m[3]! };
    }
    const { ctx } = await goldenContext(io, args, (step) => io.stderr.write(`... ${step}\n`));
    const dryRun = args.values['dry-run'] === true;
    const author = dryRun ? undefined : await authorOf(ctx.repo, args.values.author as string | undefined);
    const outcome = await proposeUpgrade(ctx, target, { force: args.values.force === true });
    const code = renderOutcome(io, outcome);
    if (outcome.status !== 'ready') return code;
    const p = outcome.proposal;
    io.stdout.write(`\n${dryRun ? p.diff : diffStat(p.diff)}`);
    if (dryRun) {
      io.stdout.write(`Would commit on branch ${p.branch} (dry run: nothing written).\n`);
      return 0;
    }
    const done = await commitProposal(ctx, p, author!);
    io.stdout.write(`Committed ${done.commit.slice(0, 12)} on branch ${done.branch} (author ${author!.name} <${author!.email}>).\n`);
    return 0;
  },
};

export const upgradeCommand: CommandSpec = {
  name: 'upgrade',
  summary: 're-render tenant services with the newest version of their golden path, keeping their values',
  usage: 'plinth upgrade service TEAM/NAME | --all',
  options: {},
  subcommands: [serviceUpgrade],
};
