/** Pod templates inside workload objects, as rendered by charts. */
import type { K8sObject } from './k8s.js';

export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob'] as const;

export interface PodTemplate {
  /** Path of the template inside the object. */
  path: string;
  metadata: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: PodSpec;
}

export interface ContainerLike {
  name: string;
  image?: string;
  resources?: { requests?: Record<string, string | number>; limits?: Record<string, string | number> };
  [key: string]: unknown;
}

export interface PodSpec {
  containers: ContainerLike[];
  initContainers?: ContainerLike[];
  priorityClassName?: string;
  nodeSelector?: Record<string, string>;
  affinity?: Record<string, unknown>;
  tolerations?: Record<string, unknown>[];
  [key: string]: unknown;
}

export function isWorkload(o: K8sObject): boolean {
  return (WORKLOAD_KINDS as readonly string[]).includes(o.kind);
}

export function podTemplateOf(o: K8sObject): PodTemplate | undefined {
  const spec = o.spec as Record<string, unknown> | undefined;
  if (!spec) return undefined;
  if (o.kind === 'CronJob') {
    const job = (spec.jobTemplate as { spec?: { template?: PodTemplate } } | undefined)?.spec?.template;
    return job ? { ...job, path: 'spec.jobTemplate.spec.template' } : undefined;
  }
  const t = spec.template as PodTemplate | undefined;
  return t?.spec ? { metadata: t.metadata ?? {}, spec: t.spec, path: 'spec.template' } : undefined;
}

/** Helm hooks that clean up after themselves are not part of the steady state. */
export function isHook(o: K8sObject): boolean {
  return Boolean(o.metadata.annotations?.['helm.sh/hook']);
}

