/** Every command of the CLI, in the order `plinth --help` lists them. */
import type { CommandSpec } from '../command.js';
import { chartsCommand } from './charts.js';
import { checkCommand } from './check.js';
import { initCommand } from './init.js';
import { planCommand } from './plan.js';
import { schemaCommand } from './schema.js';
import { simulateCommand } from './simulate.js';

export const COMMANDS: readonly CommandSpec[] = [initCommand, planCommand, checkCommand, schemaCommand, chartsCommand, simulateCommand];
