/**
 * Placement rules turned into chart values, per workload:
 * - priority: the tier's PriorityClass;
 * - pools: required node affinity on the pools the tier may use, preferring
 *   the home pool. Tier 1 may use every pool (and tolerates the control-plane
 *   taint: the lifeboat), tier 2 every worker pool (consolidation when a worker
 *   is lost), tier 3 only its home pool;
 * - spread: preferred anti-affinity between replicas of the same workload
 *   (required for members of a quorum, `spread: 'required'`), and across
 *   zones when the nodes carry them;
 * - dedicated pools (seed 003's gateway and storage nodes): a workload whose
 *   home is one tolerates its taints and runs there only; no other pool's
 *   workload is let in;
 * - node agents (`every-node`) tolerate every taint and have no pool rule.
 * Charts that read no `affinity` get a plain home-pool nodeSelector instead.
 */
import { setIn, getIn, isPlainObject, pathText, type Values, type ValuesPath } from '../lib/values.js';

/** Deep merge where the base's explicit nulls survive (they are meant for Helm). */
function mergeKeepingNulls(base: Values, over: Values): Values {
  const out: Values = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = isPlainObject(v) && isPlainObject(out[k]) ? mergeKeepingNulls(out[k] as Values, v) : v;
  return out;
}
import type { Taint, Toleration } from '../model/k8s.js';
import type { Platform } from '../model/platform.js';
import { CONTROL_PLANE_TAINT, POOL_LABEL, ZONE_LABEL } from '../model/profiles.js';
import { TIERS, type Tier } from '../model/tiers.js';
import type { WorkloadSpec } from '../model/unit.js';

export const HOSTNAME_TOPOLOGY = 'kubernetes.io/hostname';

export function priorityClassFor(tier: Tier, kind: WorkloadSpec['kind']): string {
  if (tier === 0) return kind === 'DaemonSet' ? 'system-node-critical' : 'system-cluster-critical';
  return TIERS[tier].priorityClassName;
}

/** Pools a workload of `tier` whose home is `home` may run in, home first. */
export function eligiblePools(platform: Platform, tier: Tier, home: string): string[] {
  if (platform.pools.find((p) => p.name === home)?.dedicated) return [home];
  const others = platform.pools
    .filter((p) => p.name !== home && !p.dedicated)
    .filter((p) => (TIERS[tier].lifeboat ? true : tier === 2 ? p.taints.length === 0 : false))
    .map((p) => p.name);
  return [home, ...others];
}

/** The taints of `home` when it is a dedicated pool: its own workloads tolerate them. */
export function homeTaints(platform: Pick<Platform, 'pools'>, home: string): Taint[] {
  const pool = platform.pools.find((p) => p.name === home);
  return pool?.dedicated ? pool.taints : [];
}

export function tolerationsFor(tier: Tier, placement: 'pool' | 'every-node', home: readonly Taint[] = []): Toleration[] | undefined {
  if (placement === 'every-node') return [{ operator: 'Exists' }];
  // A dedicated pool's workloads run there only: its taints, and no lifeboat.
  if (home.length > 0) return home.map((t) => ({ key: t.key, operator: 'Exists', effect: t.effect }));
  if (TIERS[tier].lifeboat) return [{ key: CONTROL_PLANE_TAINT.key, operator: 'Exists', effect: CONTROL_PLANE_TAINT.effect }];
  return undefined;
}

/** Anti-affinity between a workload's replicas: across nodes (required for a quorum), and across zones when the nodes have them. */
function spreadFor(platform: Platform, spec: Pick<WorkloadSpec, 'podLabels' | 'spread'>): Values {
  const term = (topologyKey: string) => ({ topologyKey, labelSelector: { matchLabels: spec.podLabels } });
  const zoned = platform.nodes.some((n) => n.zone !== undefined);
  const preferred = [
    ...(spec.spread === 'required' ? [] : [{ weight: 100, podAffinityTerm: term(HOSTNAME_TOPOLOGY) }]),
    ...(zoned ? [{ weight: 50, podAffinityTerm: term(ZONE_LABEL) }] : []),
  ];
  return {
    ...(spec.spread === 'required' ? { requiredDuringSchedulingIgnoredDuringExecution: [term(HOSTNAME_TOPOLOGY)] } : {}),
    ...(preferred.length > 0 ? { preferredDuringSchedulingIgnoredDuringExecution: preferred } : {}),
  };
}

export function affinityFor(platform: Platform, spec: Pick<WorkloadSpec, 'podLabels' | 'spread'>, tier: Tier, home: string): Values {
  const pools = eligiblePools(platform, tier, home);
  return {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchExpressions: [{ key: POOL_LABEL, operator: 'In', values: pools }] }],
      },
      preferredDuringSchedulingIgnoredDuringExecution: [
        { weight: 100, preference: { matchExpressions: [{ key: POOL_LABEL, operator: 'In', values: [home] }] } },
      ],
    },
    podAntiAffinity: spreadFor(platform, spec),
  };
}

/**
 * Writes resources, priority and placement of every workload into the values.
 * Two workloads sharing one values path (a chart's `global.*`) must agree on
 * what goes there; otherwise the component is wrong and this throws.
 */
export function applyWorkloads(platform: Platform, component: { name: string; tier: Tier; pool: string }, workloads: readonly WorkloadSpec[], base: Values): Values {
  // A JSON copy, not structuredClone: a component may reuse one object under several keys,
  // and each key must get its own copy before resources are written into it.
  const values = JSON.parse(JSON.stringify(base)) as Values;
  const written = new Map<string, { value: unknown; by: string }>();
  const put = (path: ValuesPath | undefined, value: unknown, by: string, merge = false): void => {
    if (path === undefined || value === undefined) return;
    // Affinity merges over what the component wrote there: a component nulls the default rules
    // of a chart (Helm merges values maps with the chart's defaults; null deletes a key).
    const before0 = getIn(values, path);
    if (merge && isPlainObject(before0) && isPlainObject(value)) value = mergeKeepingNulls(before0, value);
    const key = pathText(path);
    const before = written.get(key);
    if (before && JSON.stringify(before.value) !== JSON.stringify(value)) {
      // Invariant, not input: the values paths of a component's workloads are the catalog's (exit 70 when two disagree).
      throw new Error(`component ${component.name}: workloads ${before.by} and ${by} both set values path ${key} to different values`);
    }
    written.set(key, { value, by });
    setIn(values, path, value);
  };

  // Placement in the pool: the affinity the chart takes, in the shape it takes it.
  const place = (w: WorkloadSpec, tier: Tier, by: string): void => {
    if (w.values.affinity) put(w.values.affinity, affinityFor(platform, w, tier, component.pool), by, true);
    else if (w.values.nodeAffinity) {
      const { nodeAffinity, podAntiAffinity } = affinityFor(platform, w, tier, component.pool);
      put(w.values.nodeAffinity, nodeAffinity, by);
      put(w.values.podAntiAffinity, podAntiAffinity, by);
    } else if (w.values.nodeSelector) put(w.values.nodeSelector, { [POOL_LABEL]: component.pool }, by);
  };

  for (const w of workloads) {
    const tier = w.tier ?? component.tier;
    const placement = w.placement ?? 'pool';
    const by = `${w.kind}/${w.name}`;
    for (const c of [...w.containers, ...(w.initContainers ?? [])]) put(c.valuesPath, structuredClone(c.resources), by);
    if (w.kind !== 'DaemonSet') put(w.values.replicas, w.replicas ?? 1, by);
    put(w.values.priorityClassName, priorityClassFor(tier, w.kind), by);
    put(w.values.tolerations, tolerationsFor(tier, placement, homeTaints(platform, component.pool)), by);
    if (placement === 'pool') place(w, tier, by);
  }
  return values;
}

/** Reads a workload's effective replicas back from the final values (the user may have overridden them). */
export function replicasIn(values: Values, spec: WorkloadSpec): number {
  if (spec.kind === 'DaemonSet') return 0;
  const v = spec.values.replicas ? getIn(values, spec.values.replicas) : undefined;
  return typeof v === 'number' ? v : (spec.replicas ?? 1);
}
