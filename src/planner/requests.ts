/**
 * What a pod asks of a node: the app containers and sidecars together, or
 * the largest init container (with the sidecars started before it) when that
 * is more, plus the RuntimeClass overhead. Computed per resource.
 */
import type { Amount } from '../model/resources.js';
import type { SimContainer, SimPodSpec } from './types.js';

/** Requests the scheduler assumes for scoring when a container sets none: 100m CPU, 200 MiB. */
export const DEFAULT_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

type ValueOf = (c: SimContainer, r: 'cpu' | 'memory') => number;

type PodParts = Pick<SimPodSpec, 'containers' | 'initContainers' | 'overhead'>;

const asSet: ValueOf = (c, r) => c.requests[r] ?? 0;
const orDefault: ValueOf = (c, r) => c.requests[r] ?? (r === 'cpu' ? DEFAULT_CPU_REQUEST : DEFAULT_MEMORY_REQUEST);

function resource(pod: PodParts, r: 'cpu' | 'memory', value: ValueOf): number {
  let app = pod.containers.reduce((sum, c) => sum + value(c, r), 0);
  let sidecars = 0;
  let init = 0;
  for (const c of pod.initContainers) {
    const v = value(c, r);
    if (c.sidecar) {
      app += v;
      sidecars += v;
      init = Math.max(init, sidecars);
    } else {
      init = Math.max(init, v + sidecars);
    }
  }
  return Math.max(app, init) + (pod.overhead?.[r] ?? 0);
}

const cache = new WeakMap<object, Amount>();
const nonZeroCache = new WeakMap<object, Amount>();

/** The pod's requests as NodeResourcesFit counts them. */
export function podRequests(pod: PodParts): Amount {
  let a = cache.get(pod);
  if (!a) {
    a = { cpu: resource(pod, 'cpu', asSet), memory: resource(pod, 'memory', asSet) };
    cache.set(pod, a);
  }
  return a;
}

/** The same with unset container requests taken as the scheduler's defaults: what scoring counts. */
export function podNonZeroRequests(pod: PodParts): Amount {
  let a = nonZeroCache.get(pod);
  if (!a) {
    a = { cpu: resource(pod, 'cpu', orDefault), memory: resource(pod, 'memory', orDefault) };
    nonZeroCache.set(pod, a);
  }
  return a;
}
