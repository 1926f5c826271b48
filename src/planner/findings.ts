/**
 * The `plan` check of `plinth check`: what the scenarios must prove (seeds
 * 001 and 003). Errors: a pod pending (or bound but unable to work) with all
 * nodes healthy; the red scenario (all workers lost) losing a tier-1 workload
 * of what the profile's lifeboat keeps (the GitOps engine, and Prometheus but
 * on the standard profile). Warnings: losing one worker node (or one zone)
 * takes a workload of tier 0, 1 or 2 down, or breaks a quorum. Info: such a
 * loss leaves some replicas pending while the workload runs and its quorum
 * holds; red keeps a workload only by moving a StatefulSet pod, which needs
 * the lost Node objects deleted or tainted out-of-service; red loses
 * Prometheus where the profile does not promise it; what a whole pool's loss
 * costs.
 */
import type { Finding, FindingObject } from '../model/finding.js';
import type { DesiredState } from '../desired/state.js';
import type { RenderedUnit } from '../helm/render.js';
import { declaredInput, type InputOptions, renderedInput } from './input.js';
import type { PodReport, ScenarioReport, SimulationReport } from './report.js';
import { standardScenarios } from './scenarios.js';
import { OUT_OF_SERVICE_TAINT, simulate } from './simulate.js';
import { ERR_VOLUME_NODE_CONFLICT } from './filters/index.js';
import { DEFAULT_STORAGE_CLASS } from './volumes.js';

export const PLAN_CHECK = 'plan';
export const PROMETHEUS_UNIT = 'kube-prometheus-stack';

export interface PlanCheckOptions {
  /** The unit of the GitOps engine (default `argocd`). */
  gitopsUnit?: string;
  /** The unit running Prometheus (default `kube-prometheus-stack`). */
  prometheusUnit?: string;
  /** What red must keep (default both, seed 001's lifeboat). */
  redKeeps?: readonly ('engine' | 'prometheus')[];
}

const API_VERSIONS: Record<string, string> = { Deployment: 'apps/v1', StatefulSet: 'apps/v1', DaemonSet: 'apps/v1', ReplicaSet: 'apps/v1', Job: 'batch/v1', CronJob: 'batch/v1' };

function objectOf(p: PodReport): FindingObject {
  return { apiVersion: API_VERSIONS[p.workload.kind] ?? 'v1', kind: p.workload.kind, namespace: p.namespace, name: p.workload.name };
}

const workloadKey = (p: PodReport) => `${p.unit}\u0000${p.workload.kind}\u0000${p.namespace}\u0000${p.workload.name}`;
const pods = (n: number) => (n === 1 ? '1 pod' : `${n} pods`);
const stay = (n: number) => (n === 1 ? 'stays' : 'stay');

/** Pending pods grouped by workload, in the report's order. */
function pendingByWorkload(s: ScenarioReport, keep: (p: PodReport) => boolean): { first: ScenarioReport['pending'][number]; count: number }[] {
  const groups = new Map<string, { first: ScenarioReport['pending'][number]; count: number }>();
  for (const p of s.pending.filter(keep)) {
    const g = groups.get(workloadKey(p));
    if (g) g.count++;
    else groups.set(workloadKey(p), { first: p, count: 1 });
  }
  return [...groups.values()];
}

const workloadText = (p: PodReport) => `${p.workload.kind} ${p.namespace}/${p.workload.name}`;

/** Pods of a workload that work in the scenario: bound, and not stuck. */
function workingPods(s: ScenarioReport, key: string): number {
  const stuck = new Set(s.stuck.map((p) => `${p.namespace}/${p.name}`));
  return s.nodes.flatMap((n) => n.pods).filter((p) => workloadKey(p) === key && !stuck.has(`${p.namespace}/${p.name}`)).length;
}

/** Workloads of `unit` and `tier` with no pod working in the scenario, with a pending or stuck pod's reason. */
function downWorkloads(s: ScenarioReport, unit: string, tier: number): { pod: PodReport; reason: string }[] {
  const out = new Map<string, { pod: PodReport; reason: string }>();
  const candidates: { pod: PodReport; reason: string }[] = [
    ...s.pending.map((p) => ({ pod: p, reason: p.reason })),
    ...s.stuck.map((p) => ({ pod: p, reason: `${p.name} is on ${p.node}, but ${p.reason}` })),
    ...s.gone.map((p) => ({ pod: p, reason: 'its pods went with the lost nodes' })),
  ];
  for (const c of candidates) {
    const key = workloadKey(c.pod);
    if (c.pod.unit === unit && c.pod.tier === tier && workingPods(s, key) === 0 && !out.has(key)) out.set(key, c);
  }
  return [...out.values()];
}

/** The quorum states of the workload's quorum, as words. */
function quorumOf(s: ScenarioReport, p: PodReport) {
  return s.quorums.find((q) => q.unit === p.unit && q.workloads.includes(workloadText(p)));
}

const quorumText = (q: NonNullable<ReturnType<typeof quorumOf>>) => `${q.group} ${q.holds ? 'holds' : 'is LOST'} (${q.working} of ${q.members} working, ${q.need} needed)`;

type PushFinding = (severity: Finding['severity'], p: PodReport, message: string, hint: string) => void;

/** A node or zone lost: tier 0-2 workloads down or quorums broken are warnings, replicas left pending while the rest serve are info. */
// eslint-disable-next-line complexity -- groups the lost pods per workload, then words one info or warning finding each; the count is the wording's cases (quorum or not, pods still working or not, the volume on the lost node)
function lossFindings(s: ScenarioReport, push: PushFinding): void {
  const problems = [...s.pending.map((p) => ({ pod: p as PodReport, reason: p.reason })), ...s.stuck.map((p) => ({ pod: p as PodReport, reason: `on ${p.node}, ${p.reason}` }))].filter((x) => x.pod.tier <= 2);
  const groups = new Map<string, { first: { pod: PodReport; reason: string }; count: number }>();
  for (const x of problems) {
    const g = groups.get(workloadKey(x.pod));
    if (g) g.count++;
    else groups.set(workloadKey(x.pod), { first: x, count: 1 });
  }
  for (const { first, count } of groups.values()) {
    const p = first.pod;
    const working = workingPods(s, workloadKey(p));
    const quorum = quorumOf(s, p);
    const what = `${p.workload.kind} ${p.namespace}/${p.workload.name} (tier ${p.tier})`;
    if (quorum?.holds || (working > 0 && !quorum)) {
      const serving = working > 0 ? `keeps ${working} of ${working + count} pods working` : `has ${pods(count)} pending, a member of the ${quorum!.group}`;
      push(
        'info',
        p,
        `${s.name} (${s.title}): ${what} ${serving}${quorum ? `; the ${quorumText(quorum)}` : ''}; ${working > 0 ? `${pods(count)} ${stay(count)} pending: ` : ''}${first.reason}`,
        'by design when replicas need distinct nodes or a member keeps its data on the lost node: the workload serves meanwhile and is whole again when the node is back or replaced',
      );
      continue;
    }
    const hint = quorum && !quorum.holds
      ? `the ${quorum.group} needs ${quorum.need} members working: spread its members over more nodes (one per node, odd count) or add a node where they may run`
      : first.reason.includes(ERR_VOLUME_NODE_CONFLICT)
        ? `its volume lives on the lost node's disk (storage class ${DEFAULT_STORAGE_CLASS}) and comes back with that node only: for failover, give it storage that is not node-local or a replica of its own on another node`
        : 'the remaining worker must absorb tier 2: lower requests in its pools, or add capacity';
    push('warning', p, `${s.name} (${s.title}): ${pods(count)} of ${what} ${stay(count)} pending${quorum ? `, and the ${quorumText(quorum)}` : ''}: ${first.reason}`, hint);
  }
}

/** What losing a whole pool costs: the tier 0-2 workloads it takes down and the quorums it breaks, as one finding. */
function poolCost(s: ScenarioReport, findings: Finding[]): void {
  const down = s.tiers.filter((t) => t.tier <= 2).flatMap((t) => t.down.map((d) => `${d} (tier ${t.tier})`));
  const lost = s.quorums.filter((q) => !q.holds).map((q) => `${q.group} (${q.working} of ${q.members})`);
  const cost = [...(down.length ? [`down: ${down.join(', ')}`] : []), ...(lost.length ? [`quorums lost: ${lost.join(', ')}`] : [])];
  findings.push({
    check: PLAN_CHECK,
    severity: 'info',
    message: `${s.name} (${s.title}) costs ${cost.length ? cost.join('; ') : 'no workload of tier 0, 1 or 2 and no quorum'}`,
    source: { component: `pool ${s.name.slice('pool:'.length)}` },
    hint: `a whole pool is beyond what one node loss proves: \`plinth simulate --scenario ${s.name}\` shows where every pod goes`,
  });
}

export function planFindings(report: SimulationReport, opts: PlanCheckOptions = {}): Finding[] {
  const findings: Finding[] = [];
  const push = (severity: Finding['severity'], p: PodReport, message: string, hint: string) =>
    findings.push({ check: PLAN_CHECK, severity, message, object: objectOf(p), source: { component: p.unit }, hint });

  for (const s of report.scenarios.filter((x) => x.kind === 'green')) {
    for (const g of pendingByWorkload(s, () => true)) {
      push('error', g.first, `with all nodes healthy, ${pods(g.count)} of ${g.first.workload.kind} ${g.first.namespace}/${g.first.workload.name} (tier ${g.first.tier}) ${stay(g.count)} pending: ${g.first.reason}`, 'lower its requests, give the pools it may use more capacity, or fix its placement (pool affinity, tolerations)');
    }
    for (const p of s.stuck) {
      push('error', p, `with all nodes healthy, ${p.name} of ${p.workload.kind} ${p.namespace}/${p.workload.name} (tier ${p.tier}) is bound to ${p.node} but cannot work: ${p.reason}`, 'keep pods with such volumes off that node (pool affinity), or let the storage driver run there');
    }
  }
  const red = report.scenarios.find((x) => x.kind === 'red');
  if (red) redFindings(red, opts, push);
  for (const s of report.scenarios.filter((x) => (x.kind === 'yellow' && x.failed.length === 1) || x.kind === 'zone')) lossFindings(s, push);
  for (const s of report.scenarios.filter((x) => x.kind === 'pool')) poolCost(s, findings);
  return findings;
}

/** The red scenario (workers lost): what the GitOps engine and Prometheus lose on the control plane, and the StatefulSet pods that wait for the lost node to be deleted. */
function redFindings(red: ScenarioReport, opts: PlanCheckOptions, push: PushFinding): void {
  const keeps = opts.redKeeps ?? ['engine', 'prometheus'];
  const critical: [string, string, boolean][] = [
    [opts.gitopsUnit ?? 'argocd', 'the GitOps engine', keeps.includes('engine')],
    [opts.prometheusUnit ?? PROMETHEUS_UNIT, 'Prometheus', keeps.includes('prometheus')],
  ];
  for (const [unit, what, promised] of critical) {
    for (const d of downWorkloads(red, unit, 1)) {
      if (promised) push('error', d.pod, `${red.name} (${red.title}): ${what} loses ${d.pod.workload.kind} ${d.pod.namespace}/${d.pod.workload.name}: ${d.reason}`, 'tier 1 must fit on the control plane when the workers are lost: lower its requests, or give the control-plane node more capacity');
      else push('info', d.pod, `${red.name} (${red.title}): ${what} loses ${d.pod.workload.kind} ${d.pod.namespace}/${d.pod.workload.name}, which this profile does not keep in red: ${d.reason}`, 'the profile keeps its history on networked storage rather than in the lifeboat; the GitOps engine still runs on the control plane');
    }
    for (const m of red.statefulMoves.filter((x) => x.pod.unit === unit && x.pod.tier === 1)) {
      if (downWorkloads(red, unit, 1).some((d) => workloadKey(d.pod) === workloadKey(m.pod))) continue;
      push(
        'info',
        m.pod,
        `${red.name} (${red.title}): ${what} keeps ${m.pod.workload.kind} ${m.pod.namespace}/${m.pod.workload.name} by starting ${m.pod.name} on ${m.to}, which Kubernetes does only once the Node object ${m.from} is deleted or tainted ${OUT_OF_SERVICE_TAINT}`,
        `a StatefulSet pod of an unreachable node stays Terminating: when ${m.from} is gone for good, run \`kubectl taint node ${m.from} ${OUT_OF_SERVICE_TAINT}\` (\`plinth doctor\` says so on a live cluster)`,
      );
    }
  }
}

/** Simulates the standard scenarios (rendered pods when given) and returns the `plan` findings. */
export function checkPlan(state: DesiredState, opts: InputOptions & { rendered?: readonly RenderedUnit[] } = {}): Finding[] {
  const input = opts.rendered ? renderedInput(state, opts.rendered, opts) : declaredInput(state, opts);
  const report = simulate(input, standardScenarios(input.nodes));
  return planFindings(report, { gitopsUnit: state.platform.choices.engine, ...(state.platform.profile.redKeeps ? { redKeeps: state.platform.profile.redKeeps } : {}) });
}
