/** Which plinth.yaml a command uses: --config FILE, else ./plinth.yaml, else the built-in edge example. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfigFile, type LoadedConfig, parseConfig } from '../config/load.js';
import { BUILTIN_EXAMPLE_NAME, starterConfig } from '../config/starter.js';
import type { CliIO } from './io.js';

export const DEFAULT_CONFIG_FILE = 'plinth.yaml';

export async function loadConfigFor(io: CliIO, configFlag: string | undefined): Promise<LoadedConfig> {
  if (configFlag !== undefined) return loadConfigFile(resolve(io.cwd, configFlag), configFlag);
  const local = resolve(io.cwd, DEFAULT_CONFIG_FILE);
  if (existsSync(local)) return loadConfigFile(local, DEFAULT_CONFIG_FILE);
  io.stderr.write(`No ${DEFAULT_CONFIG_FILE} here: using the built-in edge example (write your own with \`plinth init\`).\n`);
  return parseConfig(starterConfig(), BUILTIN_EXAMPLE_NAME);
}
