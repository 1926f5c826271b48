/**
 * Every container image the rendered platform runs, from the real renders of
 * its units (chart objects and glue manifests alike):
 *
 * - `container` / `initContainer` / `ephemeralContainer`: the images of every
 *   pod spec (Pod, PodTemplate, Deployment, StatefulSet, DaemonSet,
 *   ReplicaSet, ReplicationController, Job, CronJob);
 * - `reference`: images an operator starts from what it is given: a custom
 *   resource's `spec.image` (Prometheus, Alertmanager), a container argument
 *   or environment value that is an image reference written out in full
 *   (`--prometheus-config-reloader=quay.io/...:v0.93.1`), a ConfigMap's
 *   `<x>repository` + `<x>tag` pair (Trivy's scanner image).
 *
 * Helm test hooks are left out: they run only on `helm test`, which neither
 * Argo CD nor Flux (by default) runs. CRDs are not read (their descriptions
 * hold example references).
 */
import type { RenderedUnit } from '../helm/render.js';
import type { K8sObject } from '../model/k8s.js';
import { isImageReference, looksLikeFullReference, parseImage, type ImageReference } from './reference.js';

export type ImageUseKind = 'container' | 'initContainer' | 'ephemeralContainer' | 'reference';

export interface ImageUse {
  unit: string;
  kind: string;
  namespace?: string;
  name: string;
  /** Where in the object: `spec.template.spec.containers[0].image`. */
  path: string;
  how: ImageUseKind;
}

export interface ImageEntry extends ImageReference {
  /** As written in the manifest(s), when it differs from the full form. */
  written: string[];
  units: string[];
  uses: ImageUse[];
}

export interface InvalidImage {
  written: string;
  error: string;
  use: ImageUse;
}

export interface ImageList {
  images: ImageEntry[];
  invalid: InvalidImage[];
  /** Helm test hook objects left out, as `unit Kind/name`. */
  skippedTests: string[];
}

const TEST_HOOKS = new Set(['test', 'test-success', 'test-failure']);

export function isHelmTest(o: K8sObject): boolean {
  const hook = o.metadata.annotations?.['helm.sh/hook'];
  return hook !== undefined && hook.split(',').every((h) => TEST_HOOKS.has(h.trim()));
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined);

/** The pod specs of an object, with their paths. */
// eslint-disable-next-line complexity -- one case per Kubernetes kind that holds a pod spec, each at its own path (Pod, PodTemplate, CronJob, the workload controllers)
export function podSpecsOf(o: K8sObject): { path: string; spec: Json }[] {
  const spec = obj(o.spec);
  switch (o.kind) {
    case 'Pod':
      return spec ? [{ path: 'spec', spec }] : [];
    case 'PodTemplate': {
      const t = obj(obj((o as Json).template)?.spec);
      return t ? [{ path: 'template.spec', spec: t }] : [];
    }
    case 'CronJob': {
      const t = obj(obj(obj(obj(spec?.jobTemplate)?.spec)?.template)?.spec);
      return t ? [{ path: 'spec.jobTemplate.spec.template.spec', spec: t }] : [];
    }
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'ReplicationController':
    case 'Job': {
      const t = obj(obj(spec?.template)?.spec);
      return t ? [{ path: 'spec.template.spec', spec: t }] : [];
    }
    default:
      return [];
  }
}

const CONTAINER_LISTS: [string, ImageUseKind][] = [
  ['containers', 'container'],
  ['initContainers', 'initContainer'],
  ['ephemeralContainers', 'ephemeralContainer'],
];

interface Found {
  written: string;
  path: string;
  how: ImageUseKind;
}

/** Image references in a container's args, command and env values (the flags operators take). */
function inContainer(c: Json, base: string, out: Found[]): void {
  for (const field of ['args', 'command']) {
    const list = c[field];
    if (!Array.isArray(list)) continue;
    list.forEach((a, i) => {
      if (typeof a !== 'string') return;
      const value = a.startsWith('-') && a.includes('=') ? a.slice(a.indexOf('=') + 1) : a;
      if (looksLikeFullReference(value)) out.push({ written: value, path: `${base}.${field}[${i}]`, how: 'reference' });
    });
  }
  const env = c.env;
  if (Array.isArray(env)) {
    env.forEach((e, i) => {
      const value = obj(e)?.value;
      if (typeof value === 'string' && looksLikeFullReference(value)) out.push({ written: value, path: `${base}.env[${i}].value`, how: 'reference' });
    });
  }
}

function inPodSpec(spec: Json, base: string, out: Found[]): void {
  for (const [list, how] of CONTAINER_LISTS) {
    const containers = spec[list];
    if (!Array.isArray(containers)) continue;
    containers.forEach((raw, i) => {
      const c = obj(raw);
      if (!c) return;
      const path = `${base}.${list}[${i}]`;
      if (typeof c.image === 'string') out.push({ written: c.image, path: `${path}.image`, how });
      inContainer(c, path, out);
    });
  }
}

/** `<x>repository` with a `<x>tag` beside it, in a ConfigMap's data. */
function inConfigMap(o: K8sObject, out: Found[]): void {
  const data = obj((o as Json).data);
  if (!data) return;
  for (const [key, value] of Object.entries(data)) {
    if (typeof value !== 'string') continue;
    const pair = /^(.*)repository$/i.exec(key);
    const tag = pair ? data[`${pair[1]}tag`] : undefined;
    if (pair && typeof tag === 'string' && tag && value) out.push({ written: `${value}:${tag}`, path: `data.${key}`, how: 'reference' });
    else if (looksLikeFullReference(value)) out.push({ written: value, path: `data.${key}`, how: 'reference' });
  }
}

/** Every image an object runs or names, with its path. */
export function imagesOfObject(o: K8sObject): Found[] {
  const out: Found[] = [];
  if (o.kind === 'CustomResourceDefinition') return out;
  const pods = podSpecsOf(o);
  for (const { path, spec } of pods) inPodSpec(spec, path, out);
  if (o.kind === 'ConfigMap') inConfigMap(o, out);
  if (pods.length === 0) out.push(...ownImage(o));
  return out;
}

/** A custom resource's own image (`spec.image`): what its operator runs. */
function ownImage(o: K8sObject): Found[] {
  const group = o.apiVersion.includes('/') ? o.apiVersion.slice(0, o.apiVersion.indexOf('/')) : '';
  if (!group.includes('.') || group.endsWith('.k8s.io')) return [];
  const image = obj(o.spec)?.image;
  return typeof image === 'string' && image ? [{ written: image, path: 'spec.image', how: 'reference' }] : [];
}

/** Adds one image found to the entry of its full reference, or to the invalid ones. */
function addFound(into: { byRef: Map<string, ImageEntry>; invalid: InvalidImage[] }, f: Found, use: ImageUse): void {
  const ref = parseImage(f.written);
  if (!isImageReference(ref)) {
    into.invalid.push({ written: f.written, error: ref.error, use });
    return;
  }
  let entry = into.byRef.get(ref.full);
  if (!entry) into.byRef.set(ref.full, (entry = { ...ref, written: [], units: [], uses: [] }));
  if (f.written !== ref.full && !entry.written.includes(f.written)) entry.written.push(f.written);
  if (!entry.units.includes(use.unit)) entry.units.push(use.unit);
  entry.uses.push(use);
}

/** The images of rendered units, deduplicated by full reference and sorted. */
export function collectImages(rendered: readonly RenderedUnit[]): ImageList {
  const byRef = new Map<string, ImageEntry>();
  const invalid: InvalidImage[] = [];
  const skippedTests: string[] = [];
  for (const r of rendered) {
    for (const o of [...r.chartObjects, ...r.glue]) {
      if (isHelmTest(o)) {
        skippedTests.push(`${r.unit.name} ${o.kind}/${o.metadata.name}`);
        continue;
      }
      const where = { unit: r.unit.name, kind: o.kind, ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}), name: o.metadata.name };
      for (const f of imagesOfObject(o)) addFound({ byRef, invalid }, f, { ...where, path: f.path, how: f.how });
    }
  }
  const images = [...byRef.values()]
    .map((e) => ({ ...e, written: [...e.written].sort(), units: [...e.units].sort() }))
    .sort((a, b) => (a.full < b.full ? -1 : a.full > b.full ? 1 : 0));
  return { images, invalid, skippedTests: skippedTests.sort() };
}

/** Registries the images come from, sorted. */
export function registriesOf(list: ImageList): string[] {
  return [...new Set(list.images.map((i) => i.registry))].sort();
}
