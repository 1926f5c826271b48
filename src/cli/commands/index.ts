/** Every command of the CLI, in the order `plinth --help` lists them. */
import type { CommandSpec } from '../command.js';
import { initCommand } from './init.js';
import { planCommand } from './plan.js';
import { schemaCommand } from './schema.js';

export const COMMANDS: readonly CommandSpec[] = [initCommand, planCommand, schemaCommand];
