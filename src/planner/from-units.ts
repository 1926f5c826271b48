/**
 * Workloads as the components declare them (offline, no Helm): budgets,
 * replicas and tier from the units, placed by the same rules that write the
 * chart values (`src/desired/scheduling.ts`): the tier's PriorityClass, the
 * lifeboat tolerations and the pool affinity. Assumes each chart reads the
 * affinity Plinth writes; the rendered charts tell for sure.
 */
import { affinityFor, homeTaints, priorityClassFor, tolerationsFor } from '../desired/scheduling.js';
import type { Platform } from '../model/platform.js';
import type { Unit, Workload } from '../model/unit.js';
import { parseAffinity, parseContainer, parseTolerations } from './pod-spec.js';
import { type PriorityClasses, priorityClassesFrom, resolvePriority, tierPriorityClasses } from './priority.js';
import type { SimPodSpec, SimWorkload } from './types.js';
import { defaultStorageClass, isNodeLocalClass } from './volumes.js';

/** PriorityClasses of the desired state (platform-base creates the tier classes), with the built-in ones. */
export function priorityClassesOfUnits(units: readonly Pick<Unit, 'manifests'>[]): PriorityClasses {
  return new Map([...tierPriorityClasses(), ...priorityClassesFrom(units.flatMap((u) => u.manifests))]);
}

// eslint-disable-next-line complexity -- the pod spec of a declared workload field by field; the count is the priority resolution and the optional fields (affinity, local claims, volume classes) set only when present
function template(platform: Platform, unit: Unit, w: Workload, classes: PriorityClasses): { spec: SimPodSpec; invalid?: string } {
  const className = priorityClassFor(w.tier, w.kind);
  const priority = resolvePriority(className, classes);
  const affinity =
    w.placement === 'pool' ? parseAffinity(affinityFor(platform, { podLabels: w.podLabels, ...(w.spread ? { spread: w.spread } : {}) }, w.tier, unit.pool)) : undefined;
  const spec: SimPodSpec = {
    labels: { ...w.podLabels },
    priority: 'error' in priority ? 0 : priority.value,
    priorityClassName: className,
    preemptionPolicy: 'error' in priority ? 'PreemptLowerPriority' : priority.preemptionPolicy,
    containers: w.containers.map((c) => parseContainer(c)),
    initContainers: w.initContainers.map((c) => parseContainer(c)),
    tolerations: parseTolerations(tolerationsFor(w.tier, w.placement, homeTaints(platform, unit.pool)) ?? []),
    topologySpreadConstraints: [],
  };
  if (affinity) spec.affinity = affinity;
  const nodeLocal = isNodeLocalClass(w.storageClass, defaultStorageClass(platform));
  const local = [...(nodeLocal ? w.volumeClaims : []), ...(w.hostData ?? [])];
  if (local.length > 0) spec.localClaims = local;
  if (!nodeLocal && w.volumeClaims.length > 0) spec.volumeClasses = [w.storageClass ?? defaultStorageClass(platform)];
  return 'error' in priority ? { spec, invalid: priority.error } : { spec };
}

export function workloadsFromUnits(platform: Platform, units: readonly Unit[], classes: PriorityClasses = priorityClassesOfUnits(units)): SimWorkload[] {
  return units.flatMap((u) =>
    u.workloads.map((w) => {
      const t = template(platform, u, w, classes);
      const out: SimWorkload = { unit: u.name, kind: w.kind, name: w.name, namespace: w.namespace, tier: w.tier, replicas: w.replicas, template: t.spec, ...(w.quorum ? { quorum: { ...w.quorum } } : {}) };
      if (t.invalid) out.invalid = t.invalid;
      return out;
    }),
  );
}
