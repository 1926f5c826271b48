/** The filters in kube-scheduler's default order; a node's status is the first failure. */
import type { Cluster } from '../cluster.js';
import type { FilterFailure } from '../status.js';
import type { SimNode, SimPod } from '../types.js';
import { interPodAffinity } from './inter-pod-affinity.js';
import { nodeAffinity } from './node-affinity.js';
import { nodeName } from './node-name.js';
import { nodeUnschedulable } from './node-unschedulable.js';
import { resourcesFit } from './resources-fit.js';
import { taintToleration } from './taint-toleration.js';
import { topologySpread } from './topology-spread.js';
import { volumeBinding } from './volume-binding.js';

export type Filter = (pod: SimPod, node: SimNode, cluster: Cluster) => FilterFailure | undefined;

export const FILTERS: readonly Filter[] = [nodeUnschedulable, nodeName, taintToleration, nodeAffinity, resourcesFit, volumeBinding, topologySpread, interPodAffinity];

export function runFilters(pod: SimPod, node: SimNode, cluster: Cluster): FilterFailure | undefined {
  for (const f of FILTERS) {
    const failure = f(pod, node, cluster);
    if (failure) return failure;
  }
  return undefined;
}

export { nodeAffinityPreFilter, matchesRequiredNodeAffinity, ERR_NODE_AFFINITY } from './node-affinity.js';
export { ERR_NODE_NAME } from './node-name.js';
export { ERR_NODE_UNSCHEDULABLE } from './node-unschedulable.js';
export { ERR_AFFINITY, ERR_ANTI_AFFINITY, ERR_EXISTING_ANTI_AFFINITY } from './inter-pod-affinity.js';
export { ERR_SPREAD, ERR_SPREAD_LABEL } from './topology-spread.js';
export { ERR_VOLUME_NODE_CONFLICT } from './volume-binding.js';
