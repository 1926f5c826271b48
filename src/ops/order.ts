/**
 * The order objects are applied in: what others need first (namespaces,
 * accounts, configuration, RBAC, CRDs) before what uses them (workloads),
 * admission webhooks after the services they call, custom resources last.
 * Deletion runs in the reverse order.
 */
import { isBuiltinType } from '../desired/bootstrap.js';
import type { K8sObject } from '../model/k8s.js';

const KIND_ORDER = [
  'Namespace',
  'PriorityClass',
  'CustomResourceDefinition',
  'StorageClass',
  'NetworkPolicy',
  'ResourceQuota',
  'LimitRange',
  'PodDisruptionBudget',
  'ServiceAccount',
  'Secret',
  'ConfigMap',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'ClusterRole',
  'ClusterRoleBinding',
  'Role',
  'RoleBinding',
  'Service',
  'DaemonSet',
  'Pod',
  'ReplicaSet',
  'Deployment',
  'HorizontalPodAutoscaler',
  'StatefulSet',
  'Job',
  'CronJob',
  'IngressClass',
  'Ingress',
  'APIService',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
];

function rank(o: K8sObject): number {
  const i = KIND_ORDER.indexOf(o.kind);
  if (i !== -1) return i;
  return isBuiltinType(o.apiVersion) ? KIND_ORDER.length : KIND_ORDER.length + 1;
}

/** Stable: objects of the same rank keep the order they were rendered in. */
export function sortForApply(objects: readonly K8sObject[]): K8sObject[] {
  return objects.map((o, i) => ({ o, i })).sort((a, b) => rank(a.o) - rank(b.o) || a.i - b.i).map((x) => x.o);
}

export function sortForDelete(objects: readonly K8sObject[]): K8sObject[] {
  return sortForApply(objects).reverse();
}

export { helmHook, isBuiltinType, isCrd } from '../desired/bootstrap.js';
