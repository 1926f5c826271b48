/** The persistent volume claims of workloads, as rendered: what binds their pods to a volume. */
import type { K8sObject } from './k8s.js';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);

/** The pod template inside a workload (a CronJob's inside its job template). */
function podTemplateOf(o: K8sObject): Obj | undefined {
  const spec = obj(o.spec);
  return o.kind === 'CronJob' ? obj(obj(obj(spec?.jobTemplate)?.spec)?.template) : obj(spec?.template);
}

/** The pod spec inside a workload. */
function podSpecOf(o: K8sObject): Obj | undefined {
  return obj(podTemplateOf(o)?.spec);
}

/** A persistent volume claim a workload's pods mount. */
export interface PodClaim {
  /** The claim template's name (StatefulSets) or the claim's name. */
  name: string;
  /** `storageClassName`; undefined: unset (the cluster's default class). */
  storageClass?: string;
}

/**
 * The claims a workload's pods mount: its StatefulSet claim templates, and
 * the claims its pod volumes name (their class read from the claim objects
 * in `objects`; a claim not among them counts as of the default class).
 */
export function claimsOf(o: K8sObject, objects: readonly K8sObject[]): PodClaim[] {
  const out = [...templateClaims(o), ...volumeClaims(o, objects)];
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** A StatefulSet's volumeClaimTemplates. */
function templateClaims(o: K8sObject): PodClaim[] {
  const out: PodClaim[] = [];
  const spec = (o.spec ?? {}) as { volumeClaimTemplates?: unknown };
  if (o.kind === 'StatefulSet' && Array.isArray(spec.volumeClaimTemplates)) {
    for (const t of spec.volumeClaimTemplates as { metadata?: { name?: unknown }; spec?: { storageClassName?: unknown } }[]) {
      if (typeof t?.metadata?.name !== 'string') continue;
      out.push({ name: t.metadata.name, ...storageClassOf(t.spec?.storageClassName) });
    }
  }
  return out;
}

/** The claims the pod's volumes name, their class read from the claim among `objects`. */
function volumeClaims(o: K8sObject, objects: readonly K8sObject[]): PodClaim[] {
  const out: PodClaim[] = [];
  const volumes = podSpecOf(o)?.volumes;
  for (const v of Array.isArray(volumes) ? (volumes as { persistentVolumeClaim?: { claimName?: unknown } }[]) : []) {
    const claimName = v?.persistentVolumeClaim?.claimName;
    if (typeof claimName !== 'string') continue;
    const claim = objects.find((c) => c.kind === 'PersistentVolumeClaim' && c.metadata.name === claimName && (c.metadata.namespace ?? o.metadata.namespace) === o.metadata.namespace);
    out.push({ name: claimName, ...storageClassOf((claim?.spec as { storageClassName?: unknown } | undefined)?.storageClassName) });
  }
  return out;
}

function storageClassOf(v: unknown): { storageClass?: string } {
  return typeof v === 'string' ? { storageClass: v } : {};
}

/**
 * On the pod template of a workload an operator creates (rebuilt by `check`,
 * never written to Git): data the pods keep on their node's disk outside any
 * claim (a Ceph MON's store, an OSD's device), comma-separated.
 */
export const HOST_DATA_ANNOTATION = 'plinth.dev/host-data';

/** The host data a workload's pods keep on their node (HOST_DATA_ANNOTATION). */
export function hostDataOf(o: K8sObject): string[] {
  const v = (podTemplateOf(o)?.metadata as { annotations?: Record<string, unknown> } | undefined)?.annotations?.[HOST_DATA_ANNOTATION];
  return typeof v === 'string' && v !== '' ? v.split(',').sort() : [];
}
