/**
 * A verdict per tier for one scenario: `ok` when every pod of the tier runs,
 * `degraded` when some are pending but every workload keeps a pod running,
 * `down` when a workload has no pod running at all, `none` when the tier has
 * no workload. A member of a quorum that holds (a Ceph MON of its own
 * Deployment) is not down while the quorum serves: degraded.
 */
import { TIERS, TIER_VALUES } from '../model/tiers.js';
import type { Cluster } from './cluster.js';
import { podsOf } from './pods.js';
import type { PodReport, QuorumReport, TierVerdict, Verdict } from './report.js';
import type { PlanInput, SimWorkload } from './types.js';

export function workloadText(w: { workload: { kind: string; name: string }; namespace: string } | SimWorkload): string {
  const kind = 'workload' in w ? w.workload.kind : w.kind;
  const name = 'workload' in w ? w.workload.name : w.name;
  return `${kind} ${w.namespace}/${name}`;
}

const keyOf = (unit: string, text: string) => `${unit}\u0000${text}`;

/** `stuck`: bound pods that cannot work (counted as pending, not running); `quorums`: whose members are not down while they hold. */
export function tierVerdicts(input: PlanInput, cluster: Cluster, lost: { pending: readonly PodReport[]; stuck?: readonly PodReport[]; quorums?: readonly QuorumReport[] }): TierVerdict[] {
  const { pending, stuck = [], quorums = [] } = lost;
  const serving = new Set(quorums.filter((q) => q.holds).flatMap((q) => q.workloads.map((w) => keyOf(q.unit, w))));
  const wanted = input.workloads.filter((w) => podsOf(w, input.nodes, { includeJobs: input.includeJobs }).length > 0);
  const running = new Map<string, number>();
  const stuckKeys = new Set(stuck.map((p) => `${p.namespace}/${p.name}`));
  const working = cluster.bindings().filter((b) => !stuckKeys.has(`${b.pod.namespace}/${b.pod.name}`));
  for (const b of working) {
    const k = keyOf(b.pod.unit, workloadText(b.pod));
    running.set(k, (running.get(k) ?? 0) + 1);
  }
  return TIER_VALUES.map((tier) => {
    const ws = wanted.filter((w) => w.tier === tier);
    const down = ws.filter((w) => !running.get(keyOf(w.unit, workloadText(w))) && !serving.has(keyOf(w.unit, workloadText(w)))).map((w) => workloadText(w));
    const run = working.filter((b) => b.pod.tier === tier).length;
    const pend = pending.filter((p) => p.tier === tier).length + stuck.filter((p) => p.tier === tier).length;
    const verdict: Verdict = ws.length === 0 ? 'none' : down.length > 0 ? 'down' : pend > 0 ? 'degraded' : 'ok';
    return { tier, title: TIERS[tier].title, workloads: ws.length, pods: run + pend, running: run, pending: pend, down: [...new Set(down)].sort(), verdict };
  });
}
