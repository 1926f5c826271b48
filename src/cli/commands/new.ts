/**
 * `plinth new service|worker|cronjob --team T --name N --image I ...`: a
 * tenant service through its golden path: validated, rendered, proven by
 * `plinth check`, committed on a new branch of the GitOps repository's local
 * clone (or shown as a diff with --dry-run). A failing check writes nothing.
 */
import { TEMPLATES, type GoldenTemplate } from '../../golden/index.js';
import type { RawValues } from '../../golden/validate.js';
import { commitProposal, proposeNew } from '../../golden/workflow.js';
import type { CommandSpec, OptionSpec } from '../command.js';
import { authorOf, diffStat, goldenContext, renderOutcome, REPO_FLAGS } from './golden-session.js';

const FLAG_OF: Record<string, string> = { metricsPath: 'metrics-path', secrets: 'secret' };
const flagOf = (param: string) => FLAG_OF[param] ?? param;

function templateCommand(t: GoldenTemplate): CommandSpec {
  const params: Record<string, OptionSpec> = Object.fromEntries(
    t.params.map((p) => [flagOf(p.name), { type: p.type === 'boolean' ? 'boolean' : 'string', ...(p.type === 'secrets' ? { multiple: true } : {}), description: `${p.help}${p.default !== undefined && p.type !== 'boolean' ? ` (default ${p.default})` : ''}` } satisfies OptionSpec]),
  );
  const usage = t.params.map((p) => (p.type === 'boolean' ? `[--${flagOf(p.name)}]` : p.required && p.default === undefined ? `--${flagOf(p.name)} ${p.name.toUpperCase()}` : `[--${flagOf(p.name)} ${p.name.toUpperCase()}${p.type === 'secrets' ? ' ...' : ''}]`));
  return {
    name: t.name,
    summary: `${t.description} (golden path ${t.name}@${t.versions[t.versions.length - 1]!.version})`,
    usage: `plinth new ${t.name} ${usage.join(' ')} [--dry-run] [--repo DIR] [--base BRANCH] [--author "Name <email>"]`,
    options: {
      ...params,
      ...REPO_FLAGS,
      'dry-run': { type: 'boolean', description: 'check and print the diff; commit nothing' },
      author: { type: 'string', description: 'commit author "Name <email>" (default: the clone\'s git user)' },
    },
    async run(io, args) {
      const raw: RawValues = {};
      for (const p of t.params) {
        const v = args.values[flagOf(p.name)];
        if (v !== undefined) raw[p.name] = v as string | boolean | string[];
      }
      const { ctx } = await goldenContext(io, args, (step) => io.stderr.write(`... ${step}\n`));
      const dryRun = args.values['dry-run'] === true;
      const author = dryRun ? undefined : await authorOf(ctx.repo, args.values.author as string | undefined);
      const outcome = await proposeNew(ctx, t.name, raw);
      const code = renderOutcome(io, outcome);
      if (outcome.status !== 'ready') return code;
      const p = outcome.proposal;
      if (dryRun) {
        io.stdout.write(`\nWould commit on branch ${p.branch} (dry run: nothing written):\n\n${p.diff}`);
        return 0;
      }
      const done = await commitProposal(ctx, p, author!);
      io.stdout.write(`\n${diffStat(p.diff)}Committed ${done.commit.slice(0, 12)} on branch ${done.branch} (author ${author!.name} <${author!.email}>).\nReview and merge it into ${ctx.base}; Argo CD deploys it from there.\n`);
      return 0;
    },
  };
}

export const newCommand: CommandSpec = {
  name: 'new',
  summary: 'onboard a tenant service through a golden path (service, worker, cronjob): checked, then committed on a branch',
  usage: 'plinth new service|worker|cronjob --team T --name N --image I ...',
  options: {},
  subcommands: TEMPLATES.map(templateCommand),
};
