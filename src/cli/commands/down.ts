/** `plinth down [--purge]`: the platform off the cluster; volumes are kept unless --purge. */
import { runDown } from '../../ops/down.js';
import { cachedRenderer } from '../../ops/render.js';
import { DEFAULT_DEPS, type OpsDeps } from '../../ops/session.js';
import type { CommandSpec } from '../command.js';
import { CLUSTER_FLAGS, clusterSession, durationFlag, redacting, str } from './cluster-session.js';

export function downCommandWith(deps: OpsDeps = DEFAULT_DEPS): CommandSpec {
  return {
    name: 'down',
    summary: 'remove the platform: the root, then the Applications or Kustomizations (pruned), then the GitOps engine; volumes kept unless --purge',
    usage: 'plinth down [--config FILE] [--context NAME] [--kubeconfig FILE] [--purge] [--timeout 10m]',
    options: {
      ...CLUSTER_FLAGS,
      purge: { type: 'boolean', description: 'also delete the platform namespaces, their volume claims and volumes' },
      timeout: { type: 'string', description: 'how long to wait for Argo CD to prune (default 10m)' },
    },
    async run(io, args) {
      const waitMs = durationFlag(str(args, 'timeout'), 10 * 60_000, 'timeout');
      const { loaded, session } = await clusterSession(io, args, deps);
      return redacting(session.redactor, async () => {
        await runDown(session.ops, deps.desired(loaded), { purge: Boolean(args.values.purge), renderer: cachedRenderer(deps.renderer(io.env)), waitMs });
        session.stdout.write('The platform is down.\n');
        return 0;
      });
    },
  };
}

export const downCommand = downCommandWith();
