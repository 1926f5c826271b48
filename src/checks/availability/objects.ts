/** What the availability rules read: each unit's workloads as rendered, with those operators create. */
import type { RenderedUnit } from '../../helm/render.js';
import type { K8sObject } from '../../model/k8s.js';
import { operatedWorkloads } from '../../planner/operated.js';
import { isHook, isWorkload, podTemplateOf, type PodTemplate } from '../pods.js';

export interface RenderedWorkload {
  unit: RenderedUnit['unit'];
  object: K8sObject;
  template: PodTemplate;
  replicas: number;
  /** Made by an operator from a custom resource (not in the chart's output as such). */
  operated: boolean;
}

export function renderedWorkloads(rendered: readonly RenderedUnit[]): RenderedWorkload[] {
  return rendered.flatMap((r) => {
    const operated = new Set(operatedWorkloads(r.chartObjects));
    const objects = [...r.chartObjects.filter((o) => isWorkload(o) && !isHook(o)), ...operated, ...r.glue.filter(isWorkload)];
    return objects.flatMap((object) => {
      const template = podTemplateOf(object);
      if (!template) return [];
      const n = (object.spec as { replicas?: unknown }).replicas;
      return [{ unit: r.unit, object, template, replicas: typeof n === 'number' ? n : 1, operated: operated.has(object) }];
    });
  });
}

/** Where a workload's object is written: its Application's values for chart objects, the manifest for glue. */
export function sourceOf(w: Pick<RenderedWorkload, 'unit'>): { component: string } {
  return { component: w.unit.name };
}
