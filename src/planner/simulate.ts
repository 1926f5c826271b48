/**
 * The simulation: the platform's pods scheduled onto all nodes (green), then,
 * per scenario, the failed nodes removed with their pods, and the evicted
 * pods rescheduled onto the survivors with preemption. DaemonSet pods of a
 * lost node are gone with it; a pod tolerating the unreachable taint forever
 * is not kept on a node that no longer exists.
 */
import { type Binding, Cluster } from './cluster.js';
import { isDaemonSet, podsOf } from './pods.js';
import { type QueuedPod, type QueueResult, runQueue } from './scheduler.js';
import type { ScenarioSpec } from './scenarios.js';
import { isTolerated, UNREACHABLE_TAINT } from './tolerations.js';
import { type NodeReport, type PendingPod, podReport, type ScenarioReport, type SimulationReport, type StatefulMove } from './report.js';
import { type PlanInput, podKey, type SimPod } from './types.js';
import { workingState } from './storage.js';
import { tierVerdicts } from './verdict.js';
import { withVolumesOn } from './volumes.js';

interface State {
  cluster: Cluster;
  queue: QueueResult;
  /** Pods that cannot exist (refused at admission), with why. */
  refused: { pod: SimPod; order: number; reason: string }[];
  /** Creation order of every pod: the queue's tie-break. */
  orders: ReadonlyMap<string, number>;
}

function greenState(input: PlanInput): State {
  const queued: QueuedPod[] = [];
  const refused: State['refused'] = [];
  let order = 0;
  for (const w of input.workloads) {
    for (const pod of podsOf(w, input.nodes, { includeJobs: input.includeJobs })) {
      if (w.invalid) refused.push({ pod, order: order++, reason: w.invalid });
      else queued.push({ pod, order: order++ });
    }
  }
  const cluster = new Cluster(input.nodes, { namespaceLabels: input.namespaceLabels ?? new Map() });
  const orders = new Map(queued.map((q) => [podKey(q.pod), q.order]));
  return { cluster, queue: runQueue(queued, cluster), refused, orders };
}

/** A DaemonSet pod is pinned to its node; it goes with the node. */
const pinnedTo = (p: SimPod): string | undefined => (isDaemonSet(p.workload) ? p.affinity?.nodeAffinity?.required?.[0]?.matchFields?.[0]?.values?.[0] : undefined);

function failedState(green: State, failed: ReadonlySet<string>): { state: State; gone: SimPod[]; evicted: Binding[] } {
  const { cluster, lost } = green.cluster.without(failed);
  const gone = lost.filter((b) => isDaemonSet(b.pod.workload)).map((b) => b.pod);
  const evicted = lost.filter((b) => !isDaemonSet(b.pod.workload));
  const retry = [...green.queue.pending.values()].filter((p) => {
    const pin = pinnedTo(p.pod);
    if (pin && failed.has(pin)) {
      gone.push(p.pod);
      return false;
    }
    return true;
  });
  // An evicted pod's node-local volumes stay on the lost node.
  const queued: QueuedPod[] = [...evicted.map((b) => ({ pod: withVolumesOn(b.pod, b.node), order: green.orders.get(podKey(b.pod)) ?? 0 })), ...retry.map(({ pod, order }) => ({ pod, order }))];
  return { state: { ...green, cluster, queue: runQueue(queued, cluster) }, gone, evicted };
}

/** What an administrator puts on a node that is gone for good, so that its StatefulSet pods start elsewhere. */
export const OUT_OF_SERVICE_TAINT = 'node.kubernetes.io/out-of-service=nodeshutdown:NoExecute';

const byName = (a: { namespace: string; name: string }, b: { namespace: string; name: string }) => (podKey(a) < podKey(b) ? -1 : podKey(a) > podKey(b) ? 1 : 0);

/** The report of one scenario: `outcome` is the state after its nodes failed (green itself when none did), with the pods gone and evicted. */
function report(input: PlanInput, spec: ScenarioSpec, green: State, outcome: { state: State; gone: SimPod[]; evicted: Binding[] }): ScenarioReport {
  const { state } = outcome;
  const extra = outcome;
  const failed = new Set(spec.failed);
  const nodes: NodeReport[] = input.nodes.map((n) => {
    const bound = failed.has(n.name) ? [] : state.cluster.podsOn(n.name);
    const pods = bound
      .map((b) => {
        const before = green.cluster.bindingOf(b.pod)?.node;
        return { ...podReport(b.pod), ...(before && before !== n.name ? { movedFrom: before } : {}) };
      })
      .sort((a, b) => a.tier - b.tier || byName(a, b));
    return { name: n.name, pool: n.pool, role: n.role, failed: failed.has(n.name), allocatable: { ...n.allocatable }, requested: failed.has(n.name) ? { cpu: 0, memory: 0 } : state.cluster.requested(n.name), pods };
  });
  const pending: PendingPod[] = [...[...state.queue.pending.values()], ...state.refused]
    .map((p) => ({ ...podReport(p.pod), reason: p.reason }))
    .sort((a, b) => a.tier - b.tier || b.priority - a.priority || byName(a, b));
  const preemptions = state.queue.preemptions.map((e) => ({ preemptor: podReport(e.preemptor), node: e.node, victims: e.victims.map(podReport) }));
  const notes = extra.evicted
    .filter((b) => isTolerated(UNREACHABLE_TAINT, b.pod.tolerations.filter((t) => t.tolerationSeconds === undefined)))
    .map((b) => `${podKey(b.pod)} tolerates ${UNREACHABLE_TAINT.key}:NoExecute without tolerationSeconds: a live cluster keeps it bound to ${b.node} until the Node object is deleted`)
    .sort();
  const moves = statefulMoves(extra.evicted, state.cluster);
  if (moves.length > 0) notes.push(statefulNote(moves));
  const { stuck, quorums } = workingState(input, state.cluster);
  return {
    ...spec,
    nodes,
    pending,
    preemptions,
    gone: extra.gone.map(podReport).sort((a, b) => a.tier - b.tier || byName(a, b)),
    statefulMoves: moves,
    stuck,
    quorums,
    tiers: tierVerdicts(input, state.cluster, { pending, stuck, quorums }),
    notes,
  };
}

/** StatefulSet pods of lost nodes that the scenario starts again on another node. */
function statefulMoves(evicted: readonly Binding[], after: Cluster): StatefulMove[] {
  return evicted
    .filter((b) => b.pod.workload.kind === 'StatefulSet')
    .flatMap((b) => {
      const to = after.bindingOf(b.pod)?.node;
      return to ? [{ pod: podReport(b.pod), from: b.node, to }] : [];
    })
    .sort((a, b) => byName(a.pod, b.pod));
}

function statefulNote(moves: readonly StatefulMove[]): string {
  const nodes = [...new Set(moves.map((m) => m.from))].sort();
  const list = moves.map((m) => `${podKey(m.pod)} (to ${m.to})`).join(', ');
  return `StatefulSet pods of ${nodes.join(' and ')} start elsewhere only once the Node object is deleted or tainted ${OUT_OF_SERVICE_TAINT} (until then they stay Terminating on the unreachable node): ${list}`;
}

export function simulate(input: PlanInput, scenarios: readonly ScenarioSpec[]): SimulationReport {
  const green = greenState(input);
  return {
    source: input.source,
    includeJobs: input.includeJobs ?? false,
    scenarios: scenarios.map((spec) => {
      if (spec.failed.length === 0) return report(input, spec, green, { state: green, gone: [], evicted: [] });
      return report(input, spec, green, failedState(green, new Set(spec.failed)));
    }),
  };
}
