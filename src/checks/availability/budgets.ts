/**
 * PodDisruptionBudgets that allow a drain: with the workload in full, the
 * budget must leave at least one pod to evict (the disruption controller's
 * arithmetic: a percentage of the expected pods, rounded up, for both
 * minAvailable and maxUnavailable). Otherwise `kubectl drain` of every node
 * running one of its pods waits for ever, and node upgrades stop.
 */
import type { RenderedUnit } from '../../helm/render.js';
import type { K8sObject } from '../../model/k8s.js';
import { matchesLabelSelector } from '../../planner/labels.js';
import { parseLabelSelector } from '../../planner/pod-spec.js';
import { objectOf, type Finding } from '../finding.js';
import { renderedWorkloads } from './objects.js';

const CHECK = 'availability';

/** An int-or-string of a budget against `expected` pods, as the disruption controller scales it. */
function scaled(v: unknown, expected: number): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string') {
    const m = /^(\d+)%$/.exec(v.trim());
    if (m) return Math.ceil((Number(m[1]) * expected) / 100);
    if (/^\d+$/.test(v.trim())) return Number(v);
  }
  return undefined;
}

export function checkBudgets(rendered: readonly RenderedUnit[]): Finding[] {
  const workloads = renderedWorkloads(rendered);
  const findings: Finding[] = [];
  for (const r of rendered) {
    const budgets = [...r.chartObjects, ...r.glue].filter((o): o is K8sObject => o.kind === 'PodDisruptionBudget' && o.apiVersion === 'policy/v1');
    for (const pdb of budgets) {
      const spec = (pdb.spec ?? {}) as { minAvailable?: unknown; maxUnavailable?: unknown; selector?: unknown };
      const selector = parseLabelSelector(spec.selector);
      const namespace = pdb.metadata.namespace ?? r.unit.namespace;
      const covered = workloads.filter((w) => (w.object.metadata.namespace ?? w.unit.namespace) === namespace && w.object.kind !== 'DaemonSet' && matchesLabelSelector(selector, w.template.metadata.labels ?? {}));
      if (covered.length === 0) continue;
      const expected = covered.reduce((n, w) => n + w.replicas, 0);
      const field = spec.maxUnavailable !== undefined ? 'maxUnavailable' : 'minAvailable';
      const value = field === 'maxUnavailable' ? spec.maxUnavailable : spec.minAvailable;
      const n = scaled(value, expected);
      if (n === undefined) continue;
      const allowed = field === 'maxUnavailable' ? n : expected - n;
      if (allowed > 0) continue;
      const names = covered.map((w) => `${w.object.kind} ${w.object.metadata.name}`).join(', ');
      findings.push({
        check: CHECK,
        severity: 'error',
        object: objectOf(pdb),
        source: { component: r.unit.name },
        path: `spec.${field}`,
        message: `PodDisruptionBudget ${pdb.metadata.name} allows no disruption of ${names} (${field} ${JSON.stringify(value)} of ${expected} pod${expected === 1 ? '' : 's'}): draining any node that runs one of them blocks for ever`,
        hint: expected > 1 ? 'let one pod go at a time: maxUnavailable: 1' : 'a single replica cannot be both protected and drained: run two replicas, or drop the budget',
      });
    }
  }
  return findings;
}
