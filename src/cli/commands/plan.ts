/** `plinth plan [--config FILE] [--out DIR]`: write the GitOps repository and print the summary. */
import { resolve } from 'node:path';
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
  usage: 'plinth plan [--config FILE] [--out DIR]',
  options: {
    config: { type: 'string', description: 'plinth.yaml to use (default: ./plinth.yaml, else the built-in edge example)' },
    out: { type: 'string', description: `output folder (default: ./${DEFAULT_OUT}); .git and apps/ in it are kept` },
  },
  async run(io: CliIO, args) {
    const loaded = await loadConfigFor(io, args.values.config as string | undefined);
    const state = desiredState(loaded);
    const files = synthesize(state);
    // Everything that can fail is done before the repository is written.
    const summary = planSummary(state);
    const outArg = (args.values.out as string | undefined) ?? DEFAULT_OUT;
    const result = await writeRepo(resolve(io.cwd, outArg), files);
    io.stdout.write(`${summary}\n\n`);
    io.stdout.write(`Wrote ${result.written} files to ${outArg} (${result.changed.length === 0 ? 'no change' : `${result.changed.length} changed`}).\n`);
    return 0;
  },
};
