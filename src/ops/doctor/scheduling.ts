/**
 * Why a pending pod does not schedule, asked of the planner with the live
 * nodes and the pods already bound to them: the same filters kube-scheduler
 * runs, so the answer names the pool, taint or resource at fault.
 */
import { cpuMillis, memoryBytes } from '../../lib/quantity.js';
import type { K8sObject } from '../../model/k8s.js';
import { POOL_LABEL } from '../../model/profiles.js';
import { Cluster, namespaceLabelsOf, scheduleOne, type SimNode, type SimPod } from '../../planner/index.js';
import { parsePodSpec } from '../../planner/pod-spec.js';
import type { SimWorkloadKind } from '../../planner/types.js';
import { obj } from './fields.js';


function quantity(read: (q: string) => number, v: unknown, fallback: number): number {
  try {
    return typeof v === 'string' || typeof v === 'number' ? read(String(v)) : fallback;
  } catch {
    return fallback;
  }
}

export function liveSimNode(node: K8sObject): SimNode {
  const labels = node.metadata.labels ?? {};
  const spec = obj(node.spec);
  const alloc = obj(obj(node.status).allocatable);
  return {
    name: node.metadata.name,
    pool: labels[POOL_LABEL] ?? '',
    role: 'node-role.kubernetes.io/control-plane' in labels ? 'control-plane' : 'worker',
    labels: { ...labels },
    taints: Array.isArray(spec.taints) ? (spec.taints as SimNode['taints']) : [],
    allocatable: { cpu: quantity(cpuMillis, alloc.cpu, 0), memory: quantity(memoryBytes, alloc.memory, 0) },
    maxPods: quantity(Number, alloc.pods, 110),
    unschedulable: spec.unschedulable === true,
  };
}

const KINDS: readonly SimWorkloadKind[] = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob'];

export function liveSimPod(pod: K8sObject): SimPod {
  const spec = obj(pod.spec);
  const owner = (pod.metadata.ownerReferences as { kind?: string; name?: string }[] | undefined)?.[0];
  const kind = KINDS.find((k) => k === owner?.kind) ?? 'ReplicaSet';
  return {
    ...parsePodSpec(pod.spec, pod.metadata.labels),
    priority: typeof spec.priority === 'number' ? spec.priority : 0,
    ...(typeof spec.priorityClassName === 'string' ? { priorityClassName: spec.priorityClassName } : {}),
    preemptionPolicy: spec.preemptionPolicy === 'Never' ? 'Never' : 'PreemptLowerPriority',
    name: pod.metadata.name,
    namespace: pod.metadata.namespace ?? 'default',
    unit: pod.metadata.labels?.['app.kubernetes.io/instance'] ?? '',
    workload: { kind, name: owner?.name ?? pod.metadata.name },
    tier: 3,
  };
}

/** The planner's verdict on a pending pod against the live cluster, or undefined when it cannot tell. */
export function plannerReason(pending: K8sObject, nodes: readonly K8sObject[], pods: readonly K8sObject[], namespaces: readonly K8sObject[] = []): string | undefined {
  try {
    const bindings = pods
      .filter((p) => p !== pending && typeof obj(p.spec).nodeName === 'string' && !['Succeeded', 'Failed'].includes(String(obj(p.status).phase)))
      .map((p, at) => ({ pod: liveSimPod(p), node: String(obj(p.spec).nodeName), at }));
    const cluster = new Cluster(nodes.map(liveSimNode), { bindings, namespaceLabels: namespaceLabelsOf(namespaces) });
    const outcome = scheduleOne(liveSimPod(pending), cluster);
    if ('pending' in outcome) return outcome.pending;
    return outcome.victims.length > 0
      ? `it fits on ${outcome.bound} once lower-priority pods are preempted (${outcome.victims.map((v) => v.pod.name).join(', ')})`
      : `it fits on ${outcome.bound} now; the scheduler's message is older than the cluster's state, or the cause is outside scheduling (volumes, quotas)`;
  } catch {
    return undefined;
  }
}
