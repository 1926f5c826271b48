/**
 * The `availability` checker (seed 003 "High Availability"): the rules that
 * make one node loss harmless, read from the rendered platform.
 *
 * - quorum: a voting quorum (Vault raft, Ceph MONs) has an odd number of at
 *   least three members, and nothing lets two of them share a node: each
 *   member requires anti-affinity on the host against the others, and the
 *   nodes they may use are at least as many as the members;
 * - budgets: a PodDisruptionBudget leaves at least one pod to evict when the
 *   workload runs in full, or every drain of a node running one blocks;
 * - dedicated pools: no pod but the pool's own can schedule onto a dedicated
 *   pool (its taints keep the rest out), and the pool's own run nowhere else;
 *   node agents (DaemonSets placed on every node) are the exception;
 * - storage: with networked storage chosen, every volume names its class.
 */
import type { DesiredState } from '../../desired/state.js';
import type { RenderedUnit } from '../../helm/render.js';
import type { Finding } from '../finding.js';
import { checkBudgets } from './budgets.js';
import { checkDedicatedPools } from './pools.js';
import { checkQuorums } from './quorum.js';
import { checkStorageClasses } from './storage.js';

export const AVAILABILITY_CHECK = 'availability';

export function checkAvailability(state: Pick<DesiredState, 'platform' | 'units'>, rendered: readonly RenderedUnit[]): Finding[] {
  return [...checkQuorums(state, rendered), ...checkBudgets(rendered), ...checkDedicatedPools(state, rendered), ...checkStorageClasses(state, rendered)];
}
