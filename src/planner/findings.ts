/**
 * The `plan` check of `plinth check`: what the scenarios must prove (seed
 * 001). Errors: a pod pending with all nodes healthy; the red scenario (all
 * workers lost) losing a tier-1 workload of the GitOps engine or of
 * Prometheus. Warnings: losing one worker leaves a pod of tier 0, 1 or 2 pending.
 * Info: red keeps the GitOps engine or Prometheus only by moving a StatefulSet
 * pod, which needs the lost Node objects deleted or tainted out-of-service.
 */
import type { Finding, FindingObject } from '../checks/finding.js';
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

/** Workloads of `unit` and `tier` with no pod running in the scenario, with a pending pod's reason. */
function downWorkloads(s: ScenarioReport, unit: string, tier: number): { pod: PodReport; reason: string }[] {
  const running = new Set(s.nodes.flatMap((n) => n.pods).map(workloadKey));
  const out = new Map<string, { pod: PodReport; reason: string }>();
  for (const p of s.pending) if (p.unit === unit && p.tier === tier && !running.has(workloadKey(p)) && !out.has(workloadKey(p))) out.set(workloadKey(p), { pod: p, reason: p.reason });
  for (const p of s.gone) if (p.unit === unit && p.tier === tier && !running.has(workloadKey(p)) && !out.has(workloadKey(p))) out.set(workloadKey(p), { pod: p, reason: 'its pods went with the lost nodes' });
  return [...out.values()];
}

export function planFindings(report: SimulationReport, opts: PlanCheckOptions = {}): Finding[] {
  const findings: Finding[] = [];
  const push = (severity: Finding['severity'], p: PodReport, message: string, hint: string) =>
    findings.push({ check: PLAN_CHECK, severity, message, object: objectOf(p), source: { component: p.unit }, hint });

  for (const s of report.scenarios.filter((x) => x.kind === 'green')) {
    for (const g of pendingByWorkload(s, () => true)) {
      push('error', g.first, `with all nodes healthy, ${pods(g.count)} of ${g.first.workload.kind} ${g.first.namespace}/${g.first.workload.name} (tier ${g.first.tier}) ${stay(g.count)} pending: ${g.first.reason}`, 'lower its requests, give the pools it may use more capacity, or fix its placement (pool affinity, tolerations)');
    }
  }
  const red = report.scenarios.find((x) => x.kind === 'red');
  if (red) {
    const critical: [string, string][] = [
      [opts.gitopsUnit ?? 'argocd', 'the GitOps engine'],
      [opts.prometheusUnit ?? PROMETHEUS_UNIT, 'Prometheus'],
    ];
    for (const [unit, what] of critical) {
      for (const d of downWorkloads(red, unit, 1)) {
        push('error', d.pod, `${red.name} (${red.title}): ${what} loses ${d.pod.workload.kind} ${d.pod.namespace}/${d.pod.workload.name}: ${d.reason}`, 'tier 1 must fit on the control plane when the workers are lost: lower its requests, or give the control-plane node more capacity');
      }
      for (const m of red.statefulMoves.filter((x) => x.pod.unit === unit && x.pod.tier === 1)) {
        push(
          'info',
          m.pod,
          `${red.name} (${red.title}): ${what} keeps ${m.pod.workload.kind} ${m.pod.namespace}/${m.pod.workload.name} by starting ${m.pod.name} on ${m.to}, which Kubernetes does only once the Node object ${m.from} is deleted or tainted ${OUT_OF_SERVICE_TAINT}`,
          `a StatefulSet pod of an unreachable node stays Terminating: when ${m.from} is gone for good, run \`kubectl taint node ${m.from} ${OUT_OF_SERVICE_TAINT}\` (\`plinth doctor\` says so on a live cluster)`,
        );
      }
    }
  }
  for (const s of report.scenarios.filter((x) => x.kind === 'yellow' && x.failed.length === 1)) {
    for (const g of pendingByWorkload(s, (p) => p.tier <= 2)) {
      const hint = g.first.reason.includes(ERR_VOLUME_NODE_CONFLICT)
        ? `its volume lives on the lost node's disk (storage class ${DEFAULT_STORAGE_CLASS}) and comes back with that node only: for failover, give it storage that is not node-local or a replica of its own on another node`
        : 'the remaining worker must absorb tier 2: lower requests in its pools, or add capacity';
      push('warning', g.first, `${s.name} (${s.title}): ${pods(g.count)} of ${g.first.workload.kind} ${g.first.namespace}/${g.first.workload.name} (tier ${g.first.tier}) ${stay(g.count)} pending: ${g.first.reason}`, hint);
    }
  }
  return findings;
}

/** Simulates the standard scenarios (rendered pods when given) and returns the `plan` findings. */
export function checkPlan(state: DesiredState, opts: InputOptions & { rendered?: readonly RenderedUnit[] } = {}): Finding[] {
  const input = opts.rendered ? renderedInput(state, opts.rendered, opts) : declaredInput(state, opts);
  const report = simulate(input, standardScenarios(input.nodes));
  return planFindings(report, { gitopsUnit: state.platform.choices.engine });
}
