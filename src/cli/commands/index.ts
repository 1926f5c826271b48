/**
 * Every command of the CLI, in the order `plinth --help` lists them, each
 * loaded only when it runs: a command's module brings in what it needs
 * (Helm and the checks, the cluster client, the portal), and loading all of
 * them cost every command, `plan` included, most of its start-up. `--help`
 * loads them all for their summaries.
 */
import type { CommandSpec } from '../command.js';

export interface CommandEntry {
  name: string;
  load(): Promise<CommandSpec>;
}

export const COMMANDS: readonly CommandEntry[] = [
  { name: 'init', load: async () => (await import('./init.js')).initCommand },
  { name: 'plan', load: async () => (await import('./plan.js')).planCommand },
  { name: 'check', load: async () => (await import('./check.js')).checkCommand },
  { name: 'policy', load: async () => (await import('./policy.js')).policyCommand },
  { name: 'schema', load: async () => (await import('./schema.js')).schemaCommand },
  { name: 'charts', load: async () => (await import('./charts.js')).chartsCommand },
  { name: 'images', load: async () => (await import('./images.js')).imagesCommand },
  { name: 'simulate', load: async () => (await import('./simulate.js')).simulateCommand },
  { name: 'up', load: async () => (await import('./up.js')).upCommand },
  { name: 'status', load: async () => (await import('./status.js')).statusCommand },
  { name: 'doctor', load: async () => (await import('./doctor.js')).doctorCommand },
  { name: 'down', load: async () => (await import('./down.js')).downCommand },
  { name: 'vault', load: async () => (await import('./vault.js')).vaultCommand },
  { name: 'seal', load: async () => (await import('./seal.js')).sealCommand },
  { name: 'backup', load: async () => (await import('./backup.js')).backupCommand },
  { name: 'restore', load: async () => (await import('./backup.js')).restoreCommand },
  { name: 'cluster', load: async () => (await import('./cluster.js')).clusterCommand },
  { name: 'new', load: async () => (await import('./new.js')).newCommand },
  { name: 'upgrade', load: async () => (await import('./upgrade.js')).upgradeCommand },
  { name: 'portal', load: async () => (await import('./portal.js')).portalCommand },
];

/** Every command's spec, for `--help` (and the test that each entry loads the command it names). */
export function loadAll(): Promise<CommandSpec[]> {
  return Promise.all(COMMANDS.map((c) => c.load()));
}
