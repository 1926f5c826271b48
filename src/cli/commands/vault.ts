/** `plinth vault unseal [--vault-keys FILE]`: unseal Vault after a restart, with the keys `plinth up` wrote. */
import { DEFAULT_DEPS, type OpsDeps } from '../../ops/session.js';
import { unsealVault } from '../../ops/vault/bootstrap.js';
import { resolveKeysFile } from '../../ops/vault/keys-file.js';
import type { CommandSpec } from '../command.js';
import { CLUSTER_FLAGS, clusterSession, durationFlag, redacting, str } from './cluster-session.js';

export function vaultCommandWith(deps: OpsDeps = DEFAULT_DEPS): CommandSpec {
  const unseal: CommandSpec = {
    name: 'unseal',
    summary: 'unseal every Vault server pod with the keys file written by plinth up',
    usage: 'plinth vault unseal [--config FILE] [--context NAME] [--kubeconfig FILE] [--vault-keys FILE] [--timeout 2m]',
    options: {
      ...CLUSTER_FLAGS,
      'vault-keys': { type: 'string', description: 'the keys file (default: bootstrap.vaultKeysFile, else ~/.config/plinth/<cluster>/vault-keys.json)' },
      timeout: { type: 'string', description: 'how long to wait for a Vault pod to run (default 2m)' },
    },
    async run(io, args) {
      const waitMs = durationFlag(str(args, 'timeout'), 2 * 60_000, 'timeout');
      const { loaded, session } = await clusterSession(io, args, deps);
      return redacting(session.redactor, async () => {
        const state = deps.desired(loaded);
        const keysFile = resolveKeysFile({ flag: str(args, 'vault-keys'), config: loaded.config, cluster: state.platform.name, env: io.env, cwd: io.cwd });
        const { unsealed, total } = await unsealVault(session.ops, state, { keysFile, waitMs });
        session.stdout.write(unsealed === 0 ? `Vault: ${total} server pod${total === 1 ? '' : 's'}, none sealed.\n` : `Vault: unsealed ${unsealed} of ${total} server pod${total === 1 ? '' : 's'}.\n`);
        return 0;
      });
    },
  };
  return {
    name: 'vault',
    summary: 'Vault operations: unseal',
    usage: 'plinth vault unseal [--vault-keys FILE]',
    options: {},
    subcommands: [unseal],
  };
}

export const vaultCommand = vaultCommandWith();
