/**
 * What the platform asks of each pool: requests and limits of its pods
 * (replicas × pod; node agents once per node they run on) against the pool's
 * allocatable capacity. Jobs are transient and not counted.
 */
import type { Platform } from '../model/platform.js';
import { add, type Amount, amountOf, max, scale, ZERO } from '../model/resources.js';
import type { Unit, Workload } from '../model/unit.js';

export interface PoolFootprint {
  pool: string;
  nodes: number;
  allocatable: Amount;
  requests: Amount;
  limits: Amount;
  pods: number;
}

/** A pod's requests or limits: the sum of its containers, or its largest init container if that is more. */
export function podAmount(w: Pick<Workload, 'containers' | 'initContainers'>, which: 'requests' | 'limits'): Amount {
  const app = w.containers.reduce((sum, c) => add(sum, amountOf(c.resources?.[which])), ZERO);
  const init = w.initContainers.reduce((m, c) => max(m, amountOf(c.resources?.[which])), ZERO);
  return max(app, init);
}

/** How many pods of a workload land in each pool when all is well. */
export function podsPerPool(platform: Platform, unit: Pick<Unit, 'pool'>, w: Workload): Map<string, number> {
  const out = new Map<string, number>();
  if (w.kind === 'Job' || w.kind === 'CronJob') return out;
  if (w.kind === 'DaemonSet') {
    const nodes = w.placement === 'every-node' ? platform.nodes : platform.nodes.filter((n) => n.pool === unit.pool);
    for (const n of nodes) out.set(n.pool, (out.get(n.pool) ?? 0) + 1);
    return out;
  }
  out.set(unit.pool, w.replicas);
  return out;
}

/** Adds a workload's pods, per pool, to the pool's row (a pool with no row is left out). */
function addPods(rows: Map<string, PoolFootprint>, perPool: ReadonlyMap<string, number>, w: Workload): void {
  for (const [pool, pods] of perPool) {
    const row = rows.get(pool);
    if (!row) continue;
    row.requests = add(row.requests, scale(podAmount(w, 'requests'), pods));
    row.limits = add(row.limits, scale(podAmount(w, 'limits'), pods));
    row.pods += pods;
  }
}

export function footprint(platform: Platform, units: readonly Unit[]): PoolFootprint[] {
  const rows = new Map<string, PoolFootprint>(
    platform.pools.map((p) => [p.name, { pool: p.name, nodes: p.nodes.length, allocatable: p.allocatable, requests: ZERO, limits: ZERO, pods: 0 }]),
  );
  for (const u of units) {
    for (const w of u.workloads) addPods(rows, podsPerPool(platform, u, w), w);
  }
  return [...rows.values()];
}
