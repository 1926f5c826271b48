/**
 * Pod priority from PriorityClasses: the classes of the desired state (the
 * tier classes Plinth creates, and any a chart ships) plus the two built-in
 * system classes, as the Priority admission plugin resolves them.
 */
import type { K8sObject } from '../model/k8s.js';
import { TIERS, TIER_VALUES } from '../model/tiers.js';

export interface PriorityClassInfo {
  name: string;
  value: number;
  preemptionPolicy: 'PreemptLowerPriority' | 'Never';
  globalDefault: boolean;
}

export const SYSTEM_PRIORITY_CLASSES: readonly PriorityClassInfo[] = [
  { name: 'system-node-critical', value: 2_000_001_000, preemptionPolicy: 'PreemptLowerPriority', globalDefault: false },
  { name: 'system-cluster-critical', value: 2_000_000_000, preemptionPolicy: 'PreemptLowerPriority', globalDefault: false },
];

export type PriorityClasses = ReadonlyMap<string, PriorityClassInfo>;

/** The classes in `objects` (kind PriorityClass) with the built-in ones. */
export function priorityClassesFrom(objects: Iterable<K8sObject>): PriorityClasses {
  const out = new Map<string, PriorityClassInfo>(SYSTEM_PRIORITY_CLASSES.map((c) => [c.name, c]));
  for (const o of objects) {
    if (o.kind !== 'PriorityClass' || typeof o.value !== 'number') continue;
    out.set(o.metadata.name, {
      name: o.metadata.name,
      value: o.value,
      preemptionPolicy: o.preemptionPolicy === 'Never' ? 'Never' : 'PreemptLowerPriority',
      globalDefault: o.globalDefault === true,
    });
  }
  return out;
}

/** The tier classes as Plinth defines them, for when the desired state's objects are not at hand. */
export function tierPriorityClasses(): PriorityClasses {
  return priorityClassesFrom(
    TIER_VALUES.flatMap((t) => {
      const spec = TIERS[t];
      return spec.priority === undefined ? [] : [{ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: spec.priorityClassName }, value: spec.priority, preemptionPolicy: 'PreemptLowerPriority' }];
    }),
  );
}

export type ResolvedPriority = { value: number; className?: string; preemptionPolicy: PriorityClassInfo['preemptionPolicy'] } | { error: string };

/** A pod's priority: its class, else the global default class, else 0. An unknown class is refused. */
export function resolvePriority(className: string | undefined, classes: PriorityClasses): ResolvedPriority {
  if (className) {
    const c = classes.get(className);
    if (!c) return { error: `no PriorityClass with name ${className} was found` };
    return { value: c.value, className, preemptionPolicy: c.preemptionPolicy };
  }
  const defaults = [...classes.values()].filter((c) => c.globalDefault).sort((a, b) => b.value - a.value);
  const d = defaults[0];
  return d ? { value: d.value, className: d.name, preemptionPolicy: d.preemptionPolicy } : { value: 0, preemptionPolicy: 'PreemptLowerPriority' };
}
