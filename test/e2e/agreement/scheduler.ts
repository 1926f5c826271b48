/**
 * Scheduler agreement: where each pod of a workload is (a node, pending with the
 * scheduler's message, or gone with its lost node) according to the planner's
 * scenario report, against where the real kube-scheduler put the real pods.
 * Pods of one workload are interchangeable (their names differ: the controllers
 * add hashes), so outcomes are compared per workload as multisets. A pod the
 * planner sees a score tie for (several feasible nodes with the top score)
 * agrees when the real node is among the planner's feasible nodes.
 */
import type { K8sObject } from '../../../src/model/k8s.js';
import type { ScenarioReport } from '../../../src/planner/index.js';

/** `node:<name>`, `pending`, `gone` (a DaemonSet pod of a lost node), `stays:<node>` (kept bound to a lost node). */
export type Outcome = string;

export interface PodOutcome {
  workload: string;
  outcome: Outcome;
  /** The scheduler's message when pending. */
  message?: string;
}

export const workloadKey = (kind: string, namespace: string, name: string): string => `${kind}/${namespace}/${name}`;

/** What the planner says of every pod in a scenario (pods the planner notes as kept on a lost node: `stays`). */
export function plannedOutcomes(report: ScenarioReport): PodOutcome[] {
  const out: PodOutcome[] = [];
  const staying = new Map<string, string>();
  for (const note of report.notes) {
    const m = /^(\S+) tolerates node\.kubernetes\.io\/unreachable:NoExecute without tolerationSeconds: a live cluster keeps it bound to (\S+) until/.exec(note);
    if (m) staying.set(m[1]!, m[2]!);
  }
  for (const n of report.nodes) {
    for (const p of n.pods) {
      const key = `${p.namespace}/${p.name}`;
      const w = workloadKey(p.workload.kind, p.namespace, p.workload.name);
      out.push({ workload: w, outcome: staying.has(key) ? `stays:${staying.get(key)}` : `node:${n.name}` });
    }
  }
  for (const p of report.pending) out.push({ workload: workloadKey(p.workload.kind, p.namespace, p.workload.name), outcome: 'pending', message: p.reason });
  for (const p of report.gone) out.push({ workload: workloadKey(p.workload.kind, p.namespace, p.workload.name), outcome: 'gone' });
  return out;
}

interface PodStatus {
  phase?: string;
  conditions?: { type: string; status: string; reason?: string; message?: string }[];
}

/** The workload that owns a pod: the ReplicaSet's Deployment for Deployment pods. */
export function ownerWorkload(pod: K8sObject, replicaSets: ReadonlyMap<string, string>): string | undefined {
  const owner = (pod.metadata.ownerReferences as { kind: string; name: string; controller?: boolean }[] | undefined)?.find((o) => o.controller);
  if (!owner) return undefined;
  const ns = pod.metadata.namespace ?? '';
  if (owner.kind === 'ReplicaSet') {
    const deployment = replicaSets.get(`${ns}/${owner.name}`);
    return deployment ? workloadKey('Deployment', ns, deployment) : workloadKey('ReplicaSet', ns, owner.name);
  }
  return workloadKey(owner.kind, ns, owner.name);
}

/** Where the real pods are; a pod bound to a lost node is `gone` (DaemonSet) or `stays`. */
export function realOutcomes(pods: readonly K8sObject[], replicaSets: ReadonlyMap<string, string>, lost: ReadonlySet<string>): PodOutcome[] {
  const out: PodOutcome[] = [];
  for (const p of pods) {
    const workload = ownerWorkload(p, replicaSets);
    if (!workload) continue;
    const node = (p.spec as { nodeName?: string }).nodeName;
    if (node) {
      out.push({ workload, outcome: lost.has(node) ? (workload.startsWith('DaemonSet/') ? 'gone' : `stays:${node}`) : `node:${node}` });
      continue;
    }
    const scheduled = ((p.status ?? {}) as PodStatus).conditions?.find((c) => c.type === 'PodScheduled');
    out.push({ workload, outcome: 'pending', ...(scheduled?.message ? { message: scheduled.message } : {}) });
  }
  return out;
}

export interface WorkloadComparison {
  workload: string;
  planned: Outcome[];
  real: Outcome[];
  agree: number;
  /** Pods counted: the larger of the two sides. */
  total: number;
  /** Pending on both sides: the planner's reason and the scheduler's message. */
  messages: { planned: string; real: string }[];
}

const count = (xs: readonly string[]) => xs.reduce((m, x) => m.set(x, (m.get(x) ?? 0) + 1), new Map<string, number>());

/**
 * Per workload: the multiset intersection of outcomes. A DaemonSet pod the real
 * cluster no longer has (its node lost) is `gone` on the real side too. `ties`:
 * planned pods (by workload) the planner could have put on other nodes, with the
 * nodes it found feasible; a real pod there agrees with a planned one on any of them.
 */
export function compareOutcomes(planned: readonly PodOutcome[], real: readonly PodOutcome[], ties: ReadonlyMap<string, ReadonlySet<string>> = new Map()): WorkloadComparison[] {
  const workloads = [...new Set([...planned, ...real].map((p) => p.workload))].sort();
  // eslint-disable-next-line complexity -- one workload's planned and real outcomes compared: DaemonSet pods the real cluster never made, exact matches, then the planner's score ties
  return workloads.map((workload) => {
    const plan = planned.filter((p) => p.workload === workload);
    const live = real.filter((p) => p.workload === workload);
    const liveOutcomes = live.map((p) => p.outcome);
    if (workload.startsWith('DaemonSet/')) for (let i = live.length; i < plan.length; i++) if (plan.filter((p) => p.outcome === 'gone').length > liveOutcomes.filter((o) => o === 'gone').length) liveOutcomes.push('gone');
    const want = count(plan.map((p) => p.outcome));
    const have = count(liveOutcomes);
    let agree = 0;
    for (const [o, n] of want) {
      const m = Math.min(n, have.get(o) ?? 0);
      agree += m;
      want.set(o, n - m);
      have.set(o, (have.get(o) ?? 0) - m);
    }
    // Score ties: a planned node the planner chose among equals matches a real pod on another feasible node.
    const feasible = ties.get(workload);
    if (feasible) {
      for (const [o, n] of want) {
        if (!o.startsWith('node:') || n === 0) continue;
        for (const [r, m] of have) {
          // eslint-disable-next-line max-depth -- the tie matching pairs each planned node outcome with each real feasible one, both count maps and the agreement changing together
          if (m === 0 || !r.startsWith('node:') || !feasible.has(r.slice(5))) continue;
          const k = Math.min(want.get(o)!, m);
          agree += k;
          want.set(o, want.get(o)! - k);
          have.set(r, m - k);
        }
      }
    }
    const plannedPending = plan.filter((p) => p.outcome === 'pending');
    const realPending = live.filter((p) => p.outcome === 'pending');
    const messages = plannedPending.slice(0, realPending.length).map((p, i) => ({ planned: p.message ?? '', real: realPending[i]!.message ?? '' }));
    return { workload, planned: plan.map((p) => p.outcome).sort(), real: liveOutcomes.sort(), agree, total: Math.max(plan.length, liveOutcomes.length), messages };
  });
}
