/** `plinth up`: the whole platform onto the cluster of a kubeconfig context, in order; `--dry-run` prints the plan. */
import { cachedRenderer } from '../../ops/render.js';
import { DEFAULT_DEPS, type OpsDeps } from '../../ops/session.js';
import { configuredCredentialsFile, readRepoCredentials } from '../../ops/up/credentials.js';
import { runUp } from '../../ops/up/index.js';
import { resolveKeysFile } from '../../ops/vault/keys-file.js';
import type { CommandSpec } from '../command.js';
import { CLUSTER_FLAGS, clusterSession, durationFlag, redacting, str } from './cluster-session.js';
import { defaultSealingCertFile } from '../../ops/sealed-secrets.js';

export function upCommandWith(deps: OpsDeps = DEFAULT_DEPS): CommandSpec {
  return {
    name: 'up',
    summary: 'install the platform on a cluster (preflight, pools, CNI, CRDs, the GitOps engine (Argo CD or Flux), its root) and follow it until healthy',
    usage: 'plinth up [--config FILE] [--context NAME] [--kubeconfig FILE] [--dry-run] [--timeout 30m] [--step-timeout 10m] [--repo-credentials FILE] [--vault-keys FILE]',
    options: {
      ...CLUSTER_FLAGS,
      'dry-run': { type: 'boolean', description: 'print the ordered plan and what would change; change nothing' },
      timeout: { type: 'string', description: 'how long to follow the Applications until healthy (default 30m)' },
      'step-timeout': { type: 'string', description: 'how long each bootstrap step may wait: nodes Ready, CRDs Established, Argo CD Available (default 10m)' },
      'repo-credentials': { type: 'string', description: 'YAML file with the GitOps repository credentials (default: bootstrap.repoCredentialsFile; else PLINTH_GIT_TOKEN / PLINTH_GIT_SSH_KEY_FILE)' },
      'vault-keys': { type: 'string', description: "file for Vault's unseal keys and root token (default: bootstrap.vaultKeysFile, else ~/.config/plinth/<cluster>/vault-keys.json)" },
    },
    async run(io, args) {
      // Two limits: following the Applications can take long; each bootstrap wait has its own.
      const followMs = durationFlag(str(args, 'timeout'), 30 * 60_000, 'timeout');
      const waitMs = durationFlag(str(args, 'step-timeout'), 10 * 60_000, 'step-timeout');
      const { loaded, session } = await clusterSession(io, args, deps);
      return redacting(session.redactor, async () => {
        const state = deps.desired(loaded);
        const repoCredentials = await readRepoCredentials({
          file: str(args, 'repo-credentials') ?? configuredCredentialsFile(loaded.config),
          env: io.env,
          cwd: io.cwd,
          repoUrl: state.platform.config.gitops.repo.url,
          warn: session.ops.report.warn,
        });
        await runUp(session.ops, state, {
          dryRun: Boolean(args.values['dry-run']),
          renderer: cachedRenderer(deps.renderer(io.env)),
          repoCredentials,
          vaultKeysFile: resolveKeysFile({ flag: str(args, 'vault-keys'), config: loaded.config, cluster: state.platform.name, env: io.env, cwd: io.cwd }),
          sealingCertFile: defaultSealingCertFile(state.platform.name, io.env),
          waitMs,
          followMs,
        });
        return 0;
      });
    },
  };
}

export const upCommand = upCommandWith();
