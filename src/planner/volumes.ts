/**
 * Node-local volumes: a claim on a storage class whose volumes live on one
 * node's disk (k3s's `local-path`) is provisioned where its pod first runs
 * (WaitForFirstConsumer), and from then on the volume's node affinity binds
 * the pod to that node. When the node is lost, the pod cannot start anywhere
 * else: kube-scheduler's VolumeBinding filter rejects every other node.
 */
import { STORAGE_CLASS_NAMES } from '../model/choices.js';
import type { Platform } from '../model/platform.js';
import type { SimPod } from './types.js';

/** The default storage class of k3s, used by claims that name no class. */
export const DEFAULT_STORAGE_CLASS = 'local-path';

/**
 * The class a claim naming none gets: the platform's storage choice
 * (`local-path` on k3s; `rook-ceph-block`, which the Ceph cluster marks as the
 * default, when k3s's local-path provisioner is switched off as the standard
 * starter says).
 */
export function defaultStorageClass(platform: Pick<Platform, 'choices'>): string {
  return STORAGE_CLASS_NAMES[platform.choices.storage];
}

/** Storage classes whose volumes live on one node (k3s's local-path provisioner). */
export const NODE_LOCAL_STORAGE_CLASSES: ReadonlySet<string> = new Set(['local-path']);

/**
 * Whether a claim of this class (`storageClassName`; unset or null: the
 * default class) gets a node-local volume. The empty string asks for a
 * pre-made volume of no class, which Plinth cannot see: not counted.
 */
export function isNodeLocalClass(storageClassName: string | null | undefined, defaultClass: string = DEFAULT_STORAGE_CLASS): boolean {
  const cls = storageClassName === undefined || storageClassName === null ? defaultClass : storageClassName;
  return NODE_LOCAL_STORAGE_CLASSES.has(cls);
}

/** The pod once bound to `node`: its node-local volumes now live there. */
export function withVolumesOn(pod: SimPod, node: string): SimPod {
  if (!pod.localClaims?.length || pod.volumeNode) return pod;
  return { ...pod, volumeNode: node };
}
