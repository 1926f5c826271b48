/**
 * `plinth backup [--namespace N]...` and `plinth restore --namespace N [--from BACKUP]`:
 * a Velero Backup or Restore, created and followed until Velero finishes it
 * (src/ops/backup.ts). Exit 0 when it completed, 1 when it failed or partly failed.
 */
import { EXIT, UsageError } from '../../lib/errors.js';
import { runBackup, runRestore } from '../../ops/backup.js';
import { DEFAULT_DEPS, type OpsDeps } from '../../ops/session.js';
import type { CommandSpec, ParsedArgs } from '../command.js';
import { CLUSTER_FLAGS, clusterSession, durationFlag, redacting, str } from './cluster-session.js';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

function namespaceList(args: ParsedArgs): string[] {
  const v = args.values.namespace;
  const list = (Array.isArray(v) ? v : typeof v === 'string' ? [v] : []).flatMap((s) => String(s).split(',')).map((s) => s.trim()).filter(Boolean);
  for (const n of list) if (!DNS_LABEL.test(n)) throw new UsageError(`--namespace: got ${JSON.stringify(n)}; expected a namespace name`);
  return [...new Set(list)];
}

export function backupCommandWith(deps: OpsDeps = DEFAULT_DEPS): CommandSpec {
  return {
    name: 'backup',
    summary: 'back up namespaces and their volumes now (a Velero Backup), and follow it',
    usage: 'plinth backup [--namespace N]... [--config FILE] [--context NAME] [--kubeconfig FILE] [--timeout 30m]',
    options: {
      ...CLUSTER_FLAGS,
      namespace: { type: 'string', multiple: true, description: "namespaces to back up (default: those of Velero's daily Schedule)" },
      timeout: { type: 'string', description: 'how long to follow the backup (default 30m)' },
    },
    async run(io, args) {
      const namespaces = namespaceList(args);
      const timeoutMs = durationFlag(str(args, 'timeout'), 30 * 60_000, 'timeout');
      const { loaded, session } = await clusterSession(io, args, deps);
      return redacting(session.redactor, async () => {
        const result = await runBackup(session.ops, deps.desired(loaded), { namespaces, timeoutMs });
        return result.ok ? EXIT.ok : EXIT.failure; // Velero ended the run Failed or PartiallyFailed: a cluster failure
      });
    },
  };
}

export function restoreCommandWith(deps: OpsDeps = DEFAULT_DEPS): CommandSpec {
  return {
    name: 'restore',
    summary: 'restore one namespace and its volumes from a Velero backup (the newest that holds it), and follow it',
    usage: 'plinth restore --namespace N [--from BACKUP] [--config FILE] [--context NAME] [--kubeconfig FILE] [--timeout 30m]',
    options: {
      ...CLUSTER_FLAGS,
      namespace: { type: 'string', description: 'the namespace to restore (required)' },
      from: { type: 'string', description: 'the Backup to restore from (default: the newest completed one holding the namespace)' },
      timeout: { type: 'string', description: 'how long to follow the restore (default 30m)' },
    },
    async run(io, args) {
      const [namespace, ...more] = namespaceList(args);
      if (!namespace || more.length > 0) throw new UsageError('--namespace: expected exactly one namespace to restore');
      const timeoutMs = durationFlag(str(args, 'timeout'), 30 * 60_000, 'timeout');
      const from = str(args, 'from');
      const { loaded, session } = await clusterSession(io, args, deps);
      return redacting(session.redactor, async () => {
        const result = await runRestore(session.ops, deps.desired(loaded), { namespace, timeoutMs, ...(from ? { from } : {}) });
        return result.ok ? EXIT.ok : EXIT.failure; // Velero ended the run Failed or PartiallyFailed: a cluster failure
      });
    },
  };
}

export const backupCommand = backupCommandWith();
export const restoreCommand = restoreCommandWith();
