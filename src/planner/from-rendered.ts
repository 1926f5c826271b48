/**
 * Workloads as the charts really render them (Helm and the chart cache), and
 * the workloads of the units' glue manifests: the
 * pod templates' requests, affinity, tolerations, node selector and
 * priorityClassName, resolved against the PriorityClasses of the platform.
 * Helm hooks are not part of the steady state and are left out. A workload
 * a HorizontalPodAutoscaler scales counts at its `maxReplicas`. The
 * StatefulSets the Prometheus Operator creates from the Prometheus and
 * Alertmanager resources a chart renders count too (`src/planner/operated.ts`).
 */
import { withOperated } from './operated.js';
import { isHook, podTemplateOf } from '../model/pod-template.js';
import { autoscaledMaximum } from '../model/autoscaling.js';
import { claimsOf, hostDataOf } from '../model/claims.js';
import type { RenderedUnit } from '../helm/render.js';
import type { K8sObject } from '../model/k8s.js';
import { TIERS, TIER_VALUES, type Tier } from '../model/tiers.js';
import { parsePodSpec } from './pod-spec.js';
import { type PriorityClasses, priorityClassesFrom, resolvePriority, tierPriorityClasses } from './priority.js';
import type { SimPodSpec, SimWorkload, SimWorkloadKind } from './types.js';
import { DEFAULT_STORAGE_CLASS, isNodeLocalClass } from './volumes.js';

const KINDS: readonly SimWorkloadKind[] = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob'];

/** Every PriorityClass the rendered platform creates (charts and glue), with the built-in ones. */
export function priorityClassesOfRendered(rendered: readonly Pick<RenderedUnit, 'chartObjects' | 'glue'>[]): PriorityClasses {
  return new Map([...tierPriorityClasses(), ...priorityClassesFrom(rendered.flatMap((r) => [...r.chartObjects, ...r.glue]))]);
}

function tierOfClass(className: string | undefined): Tier | undefined {
  if (className === 'system-node-critical' || className === 'system-cluster-critical') return 0;
  return TIER_VALUES.find((t) => TIERS[t].priorityClassName === className);
}

function replicasOf(o: K8sObject): number {
  const spec = (o.spec ?? {}) as Record<string, unknown>;
  const n = (v: unknown, d: number) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : d);
  if (o.kind === 'Job') return n(spec.parallelism, 1);
  if (o.kind === 'CronJob') return n(((spec.jobTemplate as { spec?: { parallelism?: unknown } } | undefined)?.spec ?? {}).parallelism, 1);
  return n(spec.replicas, 1);
}

// eslint-disable-next-line complexity -- the SimWorkload of one rendered object: the count is the priority resolution (explicit, class, or invalid) and the optional fields set only when present
function workloadOf(r: RenderedUnit, o: K8sObject, classes: PriorityClasses, defaultClass: string | undefined): SimWorkload | undefined {
  const tpl = podTemplateOf(o);
  if (!tpl) return undefined;
  const kind = o.kind as SimWorkloadKind;
  const className = tpl.spec.priorityClassName;
  const resolved = resolvePriority(className, classes);
  const explicit = typeof tpl.spec.priority === 'number' ? tpl.spec.priority : undefined;
  const template: SimPodSpec = {
    ...parsePodSpec(tpl.spec, tpl.metadata.labels),
    priority: 'error' in resolved ? 0 : (explicit ?? resolved.value),
    preemptionPolicy: tpl.spec.preemptionPolicy === 'Never' ? 'Never' : 'error' in resolved ? 'PreemptLowerPriority' : resolved.preemptionPolicy,
  };
  if (className) template.priorityClassName = className;
  const claims = claimsOf(o, [...r.chartObjects, ...r.glue]);
  const localClaims = [...claims.filter((c) => isNodeLocalClass(c.storageClass, defaultClass)).map((c) => c.name), ...hostDataOf(o)];
  if (localClaims.length > 0) template.localClaims = localClaims;
  const networked = [...new Set(claims.filter((c) => !isNodeLocalClass(c.storageClass, defaultClass)).map((c) => c.storageClass ?? defaultClass ?? DEFAULT_STORAGE_CLASS))].sort();
  if (networked.length > 0) template.volumeClasses = networked;
  const declared = r.unit.workloads.find((w) => w.kind === kind && w.name === o.metadata.name);
  const out: SimWorkload = {
    unit: r.unit.name,
    kind,
    name: o.metadata.name,
    namespace: o.metadata.namespace ?? r.unit.namespace,
    tier: declared?.tier ?? tierOfClass(className) ?? r.unit.tier,
    // An autoscaled workload at its most: the worst case for capacity.
    replicas: autoscaledMaximum(o, [...r.chartObjects, ...r.glue], r.unit.namespace) ?? replicasOf(o),
    template,
    ...(declared?.quorum ? { quorum: { ...declared.quorum } } : {}),
  };
  if ('error' in resolved) out.invalid = resolved.error;
  return out;
}

/** `defaultClass`: the class of claims that name none (default: k3s's local-path). */
export function workloadsFromRendered(rendered: readonly RenderedUnit[], classes: PriorityClasses = priorityClassesOfRendered(rendered), defaultClass?: string): SimWorkload[] {
  // The unit's glue counts as much as its chart: a component may run a workload of its own
  // beside the chart (the sonarqube unit's PostgreSQL StatefulSet), and the cluster runs it.
  return withOperated(rendered).flatMap((r) =>
    [...r.chartObjects, ...r.glue].filter((o) => (KINDS as readonly string[]).includes(o.kind) && !isHook(o)).flatMap((o) => workloadOf(r, o, classes, defaultClass) ?? []),
  );
}
