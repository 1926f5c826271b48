/** `plinth plan [--config FILE] [--out DIR] [--force]`: write the GitOps repository and print the summary. */
import { resolve } from 'node:path';
import { UsageError } from '../../lib/errors.js';
import { desiredState } from '../../desired/index.js';
import { writeRepo } from '../../gitops/writer.js';
import { planSummary } from '../../report/summary.js';
import { synthesize } from '../../synth/index.js';
import { loadConfigFor } from '../config-arg.js';
import type { CliIO } from '../io.js';
import type { CommandSpec } from '../command.js';

export const DEFAULT_OUT = 'gitops';

export const planCommand: CommandSpec = {
  name: 'plan',
  summary: 'write the GitOps repository for plinth.yaml (offline) and print a summary',
  usage: 'plinth plan [--config FILE] [--out DIR] [--force]',
  options: {
    config: { type: 'string', description: 'plinth.yaml to use (default: ./plinth.yaml, else the built-in edge example)' },
    out: {
      type: 'string',
      description: `output folder (default: ./${DEFAULT_OUT}): empty, or written by plan before (it holds .plinth/owned.json); plan replaces only the files it owns and keeps every other one (.git, apps/<team>/, your own files)`,
    },
    force: { type: 'boolean', description: 'write into a folder plan did not write (or an older Plinth wrote): replace only the files plan writes, keep and list the others; never /, your home folder or your checkout' },
  },
  async run(io: CliIO, args) {
    const outArg = (args.values.out as string | undefined) ?? DEFAULT_OUT;
    if (outArg.trim() === '') throw new UsageError(`--out is empty; name the folder for the GitOps repository (default: ${DEFAULT_OUT})\nusage: ${planCommand.usage}`);
    const loaded = await loadConfigFor(io, args.values.config as string | undefined);
    const state = desiredState(loaded);
    const files = synthesize(state);
    // Everything that can fail is done before the repository is written.
    const summary = planSummary(state);
    const result = await writeRepo(resolve(io.cwd, outArg), files, { force: args.values.force === true, cwd: io.cwd, home: io.env.HOME || undefined, outArg });
    io.stdout.write(`${summary}\n\n`);
    io.stdout.write(`Wrote ${result.written} files to ${outArg} (${result.changed.length === 0 ? 'no change' : `${result.changed.length} changed`}).\n`);
    if (result.kept.length > 0) io.stdout.write(`Kept ${keptList(result.kept)}.\n`);
    return 0;
  },
};

const KEPT_SHOWN = 20;

function keptList(kept: readonly string[]): string {
  const n = kept.length;
  const shown = kept.slice(0, KEPT_SHOWN).join(', ');
  return `${n} file${n === 1 ? '' : 's'} Plinth did not write: ${shown}${n > KEPT_SHOWN ? `, and ${n - KEPT_SHOWN} more` : ''}`;
}
