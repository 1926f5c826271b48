/**
 * Node-local volumes: a claim on a storage class whose volumes live on one
 * node's disk (k3s's `local-path`) is provisioned where its pod first runs
 * (WaitForFirstConsumer), and from then on the volume's node affinity binds
 * the pod to that node. When the node is lost, the pod cannot start anywhere
 * else: kube-scheduler's VolumeBinding filter rejects every other node.
 */
import type { SimPod } from './types.js';

/** The default storage class of k3s, used by claims that name no class. */
export const DEFAULT_STORAGE_CLASS = 'local-path';

/** Storage classes whose volumes live on one node (k3s's local-path provisioner). */
export const NODE_LOCAL_STORAGE_CLASSES: ReadonlySet<string> = new Set(['local-path']);

/**
 * Whether a claim of this class (`storageClassName`; unset or null: the
 * default class) gets a node-local volume. The empty string asks for a
 * pre-made volume of no class, which Plinth cannot see: not counted.
 */
export function isNodeLocalClass(storageClassName: string | null | undefined): boolean {
  const cls = storageClassName === undefined || storageClassName === null ? DEFAULT_STORAGE_CLASS : storageClassName;
  return NODE_LOCAL_STORAGE_CLASSES.has(cls);
}

/** The pod once bound to `node`: its node-local volumes now live there. */
export function withVolumesOn(pod: SimPod, node: string): SimPod {
  if (!pod.localClaims?.length || pod.volumeNode) return pod;
  return { ...pod, volumeNode: node };
}
