/** TaintToleration score: PreferNoSchedule taints the pod does not tolerate (fewer is better). */
import { isTolerated } from '../tolerations.js';
import type { SimNode, SimPod } from '../types.js';

export function intolerablePreferNoSchedule(pod: SimPod, node: SimNode): number {
  const tolerations = pod.tolerations.filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
  return node.taints.filter((t) => t.effect === 'PreferNoSchedule' && !isTolerated(t, tolerations)).length;
}
