/**
 * What the simulation runs on, from the desired state: the platform's nodes,
 * and its workloads either as the components declare them (offline) or as
 * the charts render them (Helm and the chart cache).
 */
import type { DesiredState } from '../desired/state.js';
import type { RenderedUnit } from '../helm/render.js';
import type { K8sObject } from '../model/k8s.js';
import type { Unit } from '../model/unit.js';
import { workloadsFromRendered } from './from-rendered.js';
import { workloadsFromUnits } from './from-units.js';
import { simNodes } from './nodes.js';
import { defaultStorageClass } from './volumes.js';
import type { Labels, PlanInput } from './types.js';

const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** Labels of every namespace the objects create (and the system ones), with the label the API server adds. */
export function namespaceLabelsOf(objects: Iterable<K8sObject>): Map<string, Labels> {
  const out = new Map<string, Labels>(SYSTEM_NAMESPACES.map((ns) => [ns, { 'kubernetes.io/metadata.name': ns }]));
  for (const o of objects) {
    if (o.kind !== 'Namespace' || o.apiVersion !== 'v1') continue;
    out.set(o.metadata.name, { ...(o.metadata.labels ?? {}), 'kubernetes.io/metadata.name': o.metadata.name });
  }
  return out;
}

/** The networked storage classes the units provide (none: the field is left out). */
function storageOf(units: readonly Pick<Unit, 'storage'>[]): Pick<PlanInput, 'storage'> {
  const storage = units.flatMap((u) => u.storage ?? []);
  return storage.length > 0 ? { storage } : {};
}

export interface InputOptions {
  /** Schedule Jobs and CronJobs too (they are transient and left out by default). */
  includeJobs?: boolean;
}

export function declaredInput(state: Pick<DesiredState, 'platform' | 'units'>, opts: InputOptions = {}): PlanInput {
  return {
    nodes: simNodes(state.platform.nodes),
    workloads: workloadsFromUnits(state.platform, state.units),
    namespaceLabels: namespaceLabelsOf(state.units.flatMap((u) => u.manifests)),
    includeJobs: opts.includeJobs ?? false,
    source: 'declared',
    ...storageOf(state.units),
  };
}

export function renderedInput(state: Pick<DesiredState, 'platform'>, rendered: readonly RenderedUnit[], opts: InputOptions = {}): PlanInput {
  return {
    nodes: simNodes(state.platform.nodes),
    workloads: workloadsFromRendered(rendered, undefined, defaultStorageClass(state.platform)),
    namespaceLabels: namespaceLabelsOf(rendered.flatMap((r) => [...r.glue, ...r.chartObjects])),
    includeJobs: opts.includeJobs ?? false,
    source: 'rendered',
    ...storageOf(rendered.map((r) => r.unit)),
  };
}
