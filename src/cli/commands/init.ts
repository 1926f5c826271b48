/** `plinth init [--profile edge] [--config FILE] [--force]`: write a commented starter plinth.yaml. */
import { writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { PROFILES } from '../../config/schema.js';
import { starterConfig } from '../../config/starter.js';
import { UsageError } from '../../lib/errors.js';
import { DEFAULT_CONFIG_FILE } from '../config-arg.js';
import type { CommandSpec } from '../command.js';

export const initCommand: CommandSpec = {
  name: 'init',
  summary: 'write a commented starter plinth.yaml',
  usage: 'plinth init [--profile edge|compact|standard|lab] [--config FILE] [--force]',
  options: {
    profile: { type: 'string', description: `profile of the starter: ${PROFILES.join(', ')}` },
    config: { type: 'string', description: `file to write (default: ./${DEFAULT_CONFIG_FILE})` },
    force: { type: 'boolean', description: 'overwrite an existing file' },
  },
  async run(io, args) {
    const profile = (args.values.profile as string | undefined) ?? 'edge';
    if (!(PROFILES as readonly string[]).includes(profile)) {
      throw new UsageError(`--profile: got ${JSON.stringify(profile)}; expected one of: ${PROFILES.join(', ')}`);
    }
    const file = (args.values.config as string | undefined) ?? DEFAULT_CONFIG_FILE;
    const path = resolve(io.cwd, file);
    if (existsSync(path) && !args.values.force) throw new UsageError(`${file} already exists; pass --force to overwrite it`);
    await writeFile(path, starterConfig(profile));
    io.stdout.write(`Wrote ${file} (profile ${profile}). Next: edit it, then run \`plinth plan\`.\n`);
    return 0;
  },
};
