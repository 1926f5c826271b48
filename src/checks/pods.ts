/** Pod templates inside workload objects, as rendered by charts. */
import type { K8sObject } from '../model/k8s.js';

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

/** A persistent volume claim a workload's pods mount. */
export interface PodClaim {
  /** The claim template's name (StatefulSets) or the claim's name. */
  name: string;
  /** `storageClassName`; undefined: unset (the cluster's default class). */
  storageClass?: string | null;
}

/**
 * The claims a workload's pods mount: its StatefulSet claim templates, and
 * the claims its pod volumes name (their class read from the claim objects
 * in `objects`; a claim not among them counts as of the default class).
 */
export function claimsOf(o: K8sObject, objects: readonly K8sObject[]): PodClaim[] {
  const out: PodClaim[] = [];
  const spec = (o.spec ?? {}) as { volumeClaimTemplates?: unknown };
  if (o.kind === 'StatefulSet' && Array.isArray(spec.volumeClaimTemplates)) {
    for (const t of spec.volumeClaimTemplates as { metadata?: { name?: unknown }; spec?: { storageClassName?: unknown } }[]) {
      if (typeof t?.metadata?.name !== 'string') continue;
      out.push({ name: t.metadata.name, ...storageClassOf(t.spec?.storageClassName) });
    }
  }
  const volumes = podTemplateOf(o)?.spec.volumes;
  for (const v of Array.isArray(volumes) ? (volumes as { persistentVolumeClaim?: { claimName?: unknown } }[]) : []) {
    const claimName = v?.persistentVolumeClaim?.claimName;
    if (typeof claimName !== 'string') continue;
    const claim = objects.find((c) => c.kind === 'PersistentVolumeClaim' && c.metadata.name === claimName && (c.metadata.namespace ?? o.metadata.namespace) === o.metadata.namespace);
    out.push({ name: claimName, ...storageClassOf((claim?.spec as { storageClassName?: unknown } | undefined)?.storageClassName) });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function storageClassOf(v: unknown): { storageClass?: string | null } {
  return typeof v === 'string' ? { storageClass: v } : {};
}
