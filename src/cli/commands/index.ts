/** Every command of the CLI, in the order `plinth --help` lists them. */
import type { CommandSpec } from '../command.js';
import { chartsCommand } from './charts.js';
import { checkCommand } from './check.js';
import { initCommand } from './init.js';
import { planCommand } from './plan.js';
import { policyCommand } from './policy.js';
import { schemaCommand } from './schema.js';
import { simulateCommand } from './simulate.js';
import { upCommand } from './up.js';
import { statusCommand } from './status.js';
import { doctorCommand } from './doctor.js';
import { downCommand } from './down.js';
import { vaultCommand } from './vault.js';
import { clusterCommand } from './cluster.js';
import { sealCommand } from './seal.js';
import { imagesCommand } from './images.js';
import { newCommand } from './new.js';
import { upgradeCommand } from './upgrade.js';
import { portalCommand } from './portal.js';
import { backupCommand, restoreCommand } from './backup.js';

export const COMMANDS: readonly CommandSpec[] = [initCommand, planCommand, checkCommand, policyCommand, schemaCommand, chartsCommand, imagesCommand, simulateCommand, upCommand, statusCommand, doctorCommand, downCommand, vaultCommand, sealCommand, backupCommand, restoreCommand, clusterCommand, newCommand, upgradeCommand, portalCommand];
