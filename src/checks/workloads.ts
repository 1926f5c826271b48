/**
 * Declared budgets against rendered charts: every workload a chart renders is
 * declared by its component and every declared one is rendered, with the
 * resources, replicas, pod labels, priority and placement the component meant.
 * A mismatch means a values key the chart does not read, so the budget lies.
 */
import { cpuMillis, memoryBytes } from '../lib/quantity.js';
import type { K8sObject } from '../model/k8s.js';
import type { Resources } from '../model/resources.js';
import type { Unit } from '../model/unit.js';
import { priorityClassFor } from '../desired/scheduling.js';
import { type Finding, objectOf } from './finding.js';
import { operatedWorkloads } from '../planner/operated.js';
import { canonical } from '../lib/canonical.js';
import { withoutNulls } from '../desired/units.js';
import { type ContainerLike, isHook, isWorkload, podTemplateOf } from './pods.js';
import { claimsOf } from '../model/claims.js';

const CHECK = 'budget';

function sameQuantity(kind: 'cpu' | 'memory', a: unknown, b: unknown): boolean {
  if (a === undefined || b === undefined) return a === b;
  try {
    return kind === 'cpu' ? cpuMillis(a as string) === cpuMillis(b as string) : memoryBytes(a as string) === memoryBytes(b as string);
  } catch {
    return false;
  }
}

function resourcesDiffer(rendered: ContainerLike['resources'], declared: Resources): string | undefined {
  for (const which of ['requests', 'limits'] as const) {
    for (const r of ['cpu', 'memory'] as const) {
      const got = rendered?.[which]?.[r];
      const want = declared[which]?.[r] ?? undefined;
      if (!sameQuantity(r, got, want)) return `${which}.${r} is ${got === undefined ? 'unset' : JSON.stringify(got)}, declared ${JSON.stringify(want)}`;
    }
  }
  return undefined;
}

export function auditWorkloads(unit: Unit, chartObjects: readonly K8sObject[]): Finding[] {
  const findings: Finding[] = [];
  const source = { component: unit.name };
  // With the StatefulSets an operator creates from the chart's custom resources (Prometheus, Alertmanager).
  // Glue workloads are checked against the unit's own manifests.
  const rendered = [...chartObjects.filter(isWorkload), ...operatedWorkloads(chartObjects), ...unit.manifests.filter(isWorkload)];
  const push = (severity: Finding['severity'], obj: K8sObject | undefined, path: string | undefined, message: string, hint?: string) =>
    findings.push({ check: CHECK, severity, message, source, ...(obj ? { object: objectOf(obj) } : {}), ...(path ? { path } : {}), ...(hint ? { hint } : {}) });

  for (const w of unit.workloads) {
    const obj = rendered.find((o) => o.kind === w.kind && o.metadata.name === w.name);
    if (!obj) {
      push('error', undefined, undefined, `declared ${w.kind} ${w.name} is not rendered by the chart`, `rendered workloads: ${rendered.map((o) => `${o.kind}/${o.metadata.name}`).join(', ') || 'none'}`);
      continue;
    }
    const tpl = podTemplateOf(obj)!;
    const replicas = (obj.spec as { replicas?: number }).replicas ?? 1;
    if (w.kind !== 'DaemonSet' && w.kind !== 'Job' && w.kind !== 'CronJob' && replicas !== w.replicas) {
      push('error', obj, 'spec.replicas', `renders ${replicas} replicas, declared ${w.replicas}`);
    }
    for (const [k, v] of Object.entries(w.podLabels)) {
      if (tpl.metadata.labels?.[k] !== v) push('error', obj, `${tpl.path}.metadata.labels`, `pod label ${k}=${v} is not rendered (got ${JSON.stringify(tpl.metadata.labels?.[k])}); anti-affinity would select nothing`);
    }
    const expectedPriority = priorityClassFor(w.tier, w.kind);
    if (w.noPriorityValue && isHook(obj) && tpl.spec.priorityClassName === undefined) {
      // A Helm hook the chart offers no priority for: it runs once per sync, with the cluster's default priority.
      push('warning', obj, `${tpl.path}.spec.priorityClassName`, `Helm hook ${w.kind} ${w.name} runs without a PriorityClass (tier ${w.tier} would be ${expectedPriority}): the chart reads none for it`, 'nothing to do in values; it runs once per sync and may be preempted under pressure');
    } else if (tpl.spec.priorityClassName !== expectedPriority) {
      push('error', obj, `${tpl.path}.spec.priorityClassName`, `priorityClassName is ${JSON.stringify(tpl.spec.priorityClassName)}, tier ${w.tier} needs ${expectedPriority}`);
    }
    if (w.affinity && JSON.stringify(canonical(withoutNulls(tpl.spec.affinity ?? {}))) !== JSON.stringify(canonical(w.affinity))) {
      push('error', obj, `${tpl.path}.spec.affinity`, 'rendered affinity is not the placement Plinth wrote (the chart merges or ignores it)', 'null the chart\'s default affinity keys, or use the values path the chart reads');
    }
    if (w.placement === 'pool' && !tpl.spec.affinity && !tpl.spec.nodeSelector?.['plinth.dev/pool']) {
      push('error', obj, `${tpl.path}.spec.affinity`, 'no pool placement rendered (neither affinity nor a plinth.dev/pool nodeSelector)');
    }
    for (const [list, declared] of [
      ['containers', w.containers],
      ['initContainers', w.initContainers],
    ] as const) {
      for (const c of declared) {
        const i = (tpl.spec[list] ?? []).findIndex((rc) => rc.name === c.name);
        if (i === -1) {
          push('error', obj, `${tpl.path}.spec.${list}`, `declared ${list === 'containers' ? 'container' : 'init container'} ${c.name} is not rendered`);
          continue;
        }
        const diff = resourcesDiffer(tpl.spec[list]![i]!.resources, c.resources);
        if (diff) push('error', obj, `${tpl.path}.spec.${list}[${i}].resources`, `container ${c.name}: ${diff}`, 'the values path of this container is not the one the chart reads');
      }
    }
    // The planner keeps pods with node-local volumes on their node: the declared claims must be the rendered ones.
    const claims = claimsOf(obj, chartObjects);
    const renderedClaims = claims.map((c) => `${c.name}${c.storageClass === undefined ? '' : ` (storage class ${c.storageClass})`}`);
    const declaredClaims = w.volumeClaims.map((c) => `${c}${w.storageClass === undefined ? '' : ` (storage class ${w.storageClass})`}`);
    if (JSON.stringify(renderedClaims) !== JSON.stringify(declaredClaims)) {
      push('error', obj, obj.kind === 'StatefulSet' ? 'spec.volumeClaimTemplates' : `${tpl.path}.spec.volumes`, `mounts the claims [${renderedClaims.join(', ')}], declared [${declaredClaims.join(', ')}]${w.storageClass === undefined ? ' (of the default storage class)' : ''}`, 'declare volumeClaims (and storageClass) as the chart renders them: the failure scenarios keep pods with node-local volumes on their node');
    }
    for (const list of ['containers', 'initContainers'] as const) {
      (tpl.spec[list] ?? []).forEach((rc, i) => {
        const declared = (list === 'containers' ? w.containers : w.initContainers).some((c) => c.name === rc.name);
        if (!declared) push('error', obj, `${tpl.path}.spec.${list}[${i}]`, `${list === 'containers' ? 'container' : 'init container'} ${rc.name} is rendered but has no declared budget`);
      });
    }
  }
  for (const o of rendered) {
    if (!unit.workloads.some((w) => w.kind === o.kind && w.name === o.metadata.name)) {
      push('error', o, undefined, `${o.kind} ${o.metadata.name} is rendered but not declared by the component`, 'declare it with its containers, budget and values paths, or switch it off in the values');
    }
  }
  return findings;
}
