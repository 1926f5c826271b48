/** Readiness of the objects `plinth up` waits for, read from their status as the controllers write it. */
import type { K8sObject } from '../model/k8s.js';

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export function conditions(o: K8sObject): Condition[] {
  const status = o.status as { conditions?: Condition[] } | undefined;
  return Array.isArray(status?.conditions) ? status!.conditions : [];
}

export function condition(o: K8sObject, type: string): Condition | undefined {
  return conditions(o).find((c) => c.type === type);
}

export function isTrue(o: K8sObject, type: string): boolean {
  return condition(o, type)?.status === 'True';
}

export const crdEstablished = (crd: K8sObject): boolean => isTrue(crd, 'Established');
export const nodeReady = (node: K8sObject): boolean => isTrue(node, 'Ready');

/** Available, with every desired replica updated (the rollout finished). */
export function deploymentAvailable(d: K8sObject): boolean {
  const spec = d.spec as { replicas?: number } | undefined;
  const status = (d.status ?? {}) as { availableReplicas?: number; updatedReplicas?: number };
  const want = spec?.replicas ?? 1;
  return isTrue(d, 'Available') && (status.availableReplicas ?? 0) >= want && (status.updatedReplicas ?? want) >= want;
}

export function statefulSetReady(s: K8sObject): boolean {
  const want = (s.spec as { replicas?: number } | undefined)?.replicas ?? 1;
  return ((s.status as { readyReplicas?: number } | undefined)?.readyReplicas ?? 0) >= want;
}

export function daemonSetReady(ds: K8sObject): boolean {
  const status = (ds.status ?? {}) as { desiredNumberScheduled?: number; numberReady?: number };
  return (status.desiredNumberScheduled ?? 0) > 0 && (status.numberReady ?? 0) >= (status.desiredNumberScheduled ?? 0);
}

/** A workload of any kind is ready (Deployments Available, StatefulSets and DaemonSets with every replica ready). */
export function workloadReady(o: K8sObject): boolean {
  switch (o.kind) {
    case 'Deployment':
      return deploymentAvailable(o);
    case 'StatefulSet':
      return statefulSetReady(o);
    case 'DaemonSet':
      return daemonSetReady(o);
    default:
      return true;
  }
}
