/** `plinth doctor`: explains what keeps the platform from being healthy, with the object and the fix. */
import { diagnose } from '../../ops/doctor/diagnose.js';
import { gatherDoctor } from '../../ops/doctor/gather.js';
import { formatDoctor } from '../../ops/doctor/render.js';
import { DEFAULT_DEPS, type OpsDeps } from '../../ops/session.js';
import type { CommandSpec } from '../command.js';
import { CLUSTER_FLAGS, clusterSession, redacting } from './cluster-session.js';

export function doctorCommandWith(deps: OpsDeps = DEFAULT_DEPS): CommandSpec {
  return {
    name: 'doctor',
    summary: 'explain pending pods, missing CRDs, webhooks without endpoints, failed syncs, ExternalSecrets and Certificates not ready',
    usage: 'plinth doctor [--config FILE] [--context NAME] [--kubeconfig FILE]',
    options: { ...CLUSTER_FLAGS },
    async run(io, args) {
      const { loaded, session } = await clusterSession(io, args, deps);
      return redacting(session.redactor, async () => {
        const state = deps.desired(loaded);
        const findings = diagnose(state, await gatherDoctor(session.ops.client, state));
        session.stdout.write(`Context ${session.ops.client.context}\n\n${formatDoctor(findings)}`);
        return findings.some((f) => f.severity === 'error') ? 1 : 0;
      });
    },
  };
}

export const doctorCommand = doctorCommandWith();
