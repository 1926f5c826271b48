/** HorizontalPodAutoscalers: the most pods a workload may run, the worst case the planner schedules. */
import type { K8sObject } from './k8s.js';

/** The `maxReplicas` of the HorizontalPodAutoscaler among `objects` that scales `o`, if any. */
// eslint-disable-next-line complexity -- the HPA's match in the API's terms (kind and group, namespace, scaleTargetRef kind and name), then a maxReplicas the API allows
export function autoscaledMaximum(o: K8sObject, objects: readonly K8sObject[], namespace?: string): number | undefined {
  const ns = o.metadata.namespace ?? namespace;
  for (const h of objects) {
    if (h.kind !== 'HorizontalPodAutoscaler' || !h.apiVersion.startsWith('autoscaling/')) continue;
    if ((h.metadata.namespace ?? namespace) !== ns) continue;
    const spec = (h.spec ?? {}) as { scaleTargetRef?: { kind?: unknown; name?: unknown }; maxReplicas?: unknown };
    if (spec.scaleTargetRef?.kind !== o.kind || spec.scaleTargetRef?.name !== o.metadata.name) continue;
    if (typeof spec.maxReplicas === 'number' && Number.isInteger(spec.maxReplicas) && spec.maxReplicas > 0) return spec.maxReplicas;
  }
  return undefined;
}
