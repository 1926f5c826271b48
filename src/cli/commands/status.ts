/** `plinth status [--format text|json]`: each component's sync and health, and the platform's signals. */
import { UsageError } from '../../lib/errors.js';
import { DEFAULT_DEPS, type OpsDeps } from '../../ops/session.js';
import { gatherStatus } from '../../ops/status/gather.js';
import { formatStatus, statusReport } from '../../ops/status/report.js';
import { toJson } from '../../lib/yaml.js';
import type { CommandSpec } from '../command.js';
import { CLUSTER_FLAGS, clusterSession, redacting, str } from './cluster-session.js';

export function statusCommandWith(deps: OpsDeps = DEFAULT_DEPS): CommandSpec {
  return {
    name: 'status',
    summary: 'per component: tier, sync, health, message; policies, vulnerabilities, certificates, ExternalSecrets (exit 1 unless all healthy)',
    usage: 'plinth status [--config FILE] [--context NAME] [--kubeconfig FILE] [--format text|json]',
    options: { ...CLUSTER_FLAGS, format: { type: 'string', description: 'text (default) or json' } },
    async run(io, args) {
      const format = str(args, 'format') ?? 'text';
      if (format !== 'text' && format !== 'json') throw new UsageError(`--format: got ${JSON.stringify(format)}; expected text or json`);
      const { loaded, session } = await clusterSession(io, args, deps);
      return redacting(session.redactor, async () => {
        const state = deps.desired(loaded);
        const report = statusReport(state, await gatherStatus(session.ops.client, state.platform.choices.engine), deps.now());
        session.stdout.write(format === 'json' ? toJson({ context: session.ops.client.context, ...report }) : `Context ${session.ops.client.context}\n\n${formatStatus(report)}`);
        return report.ready ? 0 : 1;
      });
    },
  };
}

export const statusCommand = statusCommandWith();
