/** One component, built against the platform, becomes one unit (before dependencies are derived). */
import type { Component, ComponentContext } from '../catalog/component.js';
import { tunedForProfile } from '../catalog/profiles/index.js';
import { getIn, isPlainObject, mergeValues, pathText, type Values } from '../lib/values.js';
import type { Platform } from '../model/platform.js';
import type { Resources } from '../model/resources.js';
import { ConfigError, type ErrorDetail } from '../lib/errors.js';
import { isQuantity, parseQuantity } from '../lib/quantity.js';
import { renderValue } from '../config/source.js';
import { apiGroup, type K8sObject } from '../model/k8s.js';
import { coversKind, type Endpoint, type Unit, type Workload, type WorkloadSpec } from '../model/unit.js';
import { homePool } from '../model/profiles.js';
import { SHARED_REFS } from './refs.js';
import { routeFor } from './routes.js';
import { applyWorkloads, replicasIn } from './scheduling.js';

export const GATEWAY_UNIT = 'platform-gateway';

export function componentContext(platform: Platform, catalog: readonly Component[]): ComponentContext {
  const byName = new Map(catalog.map((c) => [c.name, c]));
  return {
    platform,
    refs: SHARED_REFS,
    enabled: (name) => platform.enabled.includes(name),
    enabledComponents: catalog.filter((c) => platform.enabled.includes(c.name)),
    host: (sub) => `${sub}.${platform.domain}`,
    namespaceOf: (name) => {
      const c = byName.get(name);
      // Invariant, not input: the config schema refuses component names the catalog lacks (exit 2) before this.
      if (!c) throw new Error(`no component named ${name} in the catalog`);
      return c.namespace;
    },
  };
}

/** A unit without its derived dependencies and wave (filled in by the desired state). */
export type UnitDraft = Omit<Unit, 'wave'>;

// eslint-disable-next-line complexity -- most of the count is the conditional spreads of the Unit's optional fields, each left out when unset or empty; the logic is the dozen lines before the return
export function buildUnit(component: Component, ctx: ComponentContext): UnitDraft {
  const built = tunedForProfile(component.name, ctx, component.build(ctx));
  const specs = built.workloads ?? [];
  const chartSpecs = specs.filter((s) => !s.glue);
  const placedAs = { name: component.name, tier: component.tier, pool: homePool(ctx.platform.profile, component.pool) };
  const generated = applyWorkloads(ctx.platform, placedAs, chartSpecs, built.values ?? {});
  const overrides = ctx.platform.config.components[component.name]?.values ?? {};
  const values = mergeValues(generated, overrides);
  const problems = budgetProblems(component, chartSpecs, values, ctx.platform.file);
  if (problems.length > 0) throw new ConfigError(problems);

  const endpoints: Endpoint[] = (built.endpoints ?? []).map((e) => ({
    name: e.name,
    title: e.title,
    host: ctx.host(e.subdomain ?? e.name),
    service: e.service,
    port: e.port,
  }));
  const routes = endpoints.flatMap((e) => routeFor(ctx.platform, ctx.refs, component.namespace, e) ?? []);

  // Glue workloads get their resources, priority and placement written into the manifest itself.
  const glueSpec = (m: K8sObject) => specs.find((s) => s.glue && s.kind === m.kind && s.name === m.metadata.name);
  const placed = (built.manifests ?? []).map((m) => {
    const spec = glueSpec(m);
    return spec ? (applyWorkloads(ctx.platform, placedAs, [spec], m as unknown as Values) as unknown as K8sObject) : m;
  });
  const missing = specs.filter((s) => s.glue && !placed.some((m) => glueSpec(m) === s));
  // Invariant, not input: glue workloads and manifests are both the catalog's; a mismatch is a bug (exit 70).
  if (missing.length > 0) throw new Error(`component ${component.name}: glue workloads ${missing.map((s) => `${s.kind}/${s.name}`).join(', ')} are not among its manifests`);
  const manifests = [...placed, ...routes].map((m) => withGlueWave(component.crdGroups ?? [], m));
  return {
    name: component.name,
    description: component.description,
    stack: component.stack,
    tier: component.tier,
    pool: placedAs.pool,
    namespace: component.namespace,
    ...(component.extraNamespaces?.length ? { extraNamespaces: [...component.extraNamespaces] } : {}),
    ...(component.chart ? { chart: component.chart } : {}),
    ...(component.git ? { git: component.git } : {}),
    values,
    manifests,
    workloads: specs.map((s) => resolveWorkload(s, s.glue ? (placed.find((m) => glueSpec(m) === s) as unknown as Values) : values, component)),
    endpoints,
    secrets: built.secrets ?? [],
    dependsOn: [...new Set([...component.dependsOn, ...(built.dependsOn ?? [])])],
    crdGroups: [...(component.crdGroups ?? [])],
    usesGroups: [...(built.usesGroups ?? [])],
    provides: [...(component.provides ?? [])],
    ...(built.storage?.length ? { storage: built.storage.map((b) => ({ ...b, nodePluginTolerations: [...b.nodePluginTolerations] })) } : {}),
    ...(component.reloadsCertificates?.length ? { reloadsCertificates: component.reloadsCertificates.map((r) => ({ ...r })) } : {}),
    ...(component.discoversCrdsAtStartup?.length ? { startupCrdGroups: [...component.discoversCrdsAtStartup] } : {}),
    ...(component.keepOnDelete ? { keepOnDelete: component.keepOnDelete } : {}),
    ...(built.network ? { network: built.network } : {}),
    ...(built.files && Object.keys(built.files).length > 0 ? { files: { ...built.files } } : {}),
    ...(built.tenantNamespaceLabels && Object.keys(built.tenantNamespaceLabels).length > 0 ? { tenantNamespaceLabels: { ...built.tenantNamespaceLabels } } : {}),
  };
}

/**
 * Quantities of the budget that are not Kubernetes quantities (a values
 * override such as `memory: lots`): the chart would render them and the API
 * server refuse them, so they are config errors. Unset ones are left to the
 * hygiene check (every container needs requests and limits).
 */
function budgetProblems(component: Component, specs: readonly WorkloadSpec[], values: Values, file: string): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  for (const c of specs.flatMap((s) => [...s.containers, ...(s.initContainers ?? [])])) {
    const v = getIn(values, c.valuesPath);
    if (v === undefined || v === null) continue;
    const at = `components.${component.name}.values.${c.valuesPath}`;
    if (!isPlainObject(v)) {
      problems.push({ file, path: at, message: `got ${renderValue(v)}; expected a map of requests and limits`, hint: 'e.g. {requests: {cpu: 100m, memory: 128Mi}, limits: {cpu: 500m, memory: 256Mi}}' });
      continue;
    }
    for (const which of ['requests', 'limits'] as const) {
      const m = v[which];
      if (m === undefined || m === null) continue;
      if (!isPlainObject(m)) {
        problems.push({ file, path: `${at}.${which}`, message: `got ${renderValue(m)}; expected a map with cpu and memory`, hint: `e.g. ${which}: {cpu: 100m, memory: 128Mi}` });
        continue;
      }
      problems.push(...quantityProblems(file, `${at}.${which}`, m));
    }
  }
  for (const s of specs) problems.push(...replicasProblems(component, s, values, file));
  return problems;
}

/** The cpu and memory of one requests or limits map (at `at`): each unset, or a Kubernetes quantity of at least 0. */
function quantityProblems(file: string, at: string, m: Record<string, unknown>): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  for (const [r, example] of [['cpu', '250m or 1'], ['memory', '256Mi or 1Gi']] as const) {
    const q = m[r];
    if (q === undefined || q === null) continue;
    const what = r === 'cpu' ? 'CPU' : 'memory';
    if (!isQuantity(q)) problems.push({ file, path: `${at}.${r}`, message: `got ${renderValue(q)}; expected a ${what} quantity`, hint: `e.g. ${example}` });
    else if (parseQuantity(q as string | number)! < 0) problems.push({ file, path: `${at}.${r}`, message: `got ${renderValue(q)}; expected a ${what} quantity of at least 0`, hint: `e.g. ${example}` });
  }
  return problems;
}

/** The API's limits on `spec.replicas`: a whole number from 0 to 2^31-1 (an int32). */
const MAX_REPLICAS = 2 ** 31 - 1;

function replicasProblems(component: Component, spec: WorkloadSpec, values: Values, file: string): ErrorDetail[] {
  if (spec.kind === 'DaemonSet' || !spec.values.replicas) return [];
  const v = getIn(values, spec.values.replicas);
  if (v === undefined || v === null) return [];
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_REPLICAS) return [];
  return [
    {
      file,
      path: `components.${component.name}.values.${pathText(spec.values.replicas)}`,
      message: `got ${renderValue(v)}; expected a whole number of replicas from 0 to ${MAX_REPLICAS}`,
      hint: `e.g. ${spec.replicas ?? 1}`,
    },
  ];
}

/** The budget as the chart will see it: resources and replicas read back from the final values. */
// eslint-disable-next-line complexity -- a record of the Workload's fields; the count is the defaults (??) and the optional fields left out when unset
function resolveWorkload(spec: WorkloadSpec, values: Values, component: Component): Workload {
  const resources = (path: WorkloadSpec['containers'][number]) => {
    const v = getIn(values, path.valuesPath);
    return (isPlainObject(v) ? v : path.resources) as unknown as Resources;
  };
  return {
    kind: spec.kind,
    name: spec.name,
    namespace: component.namespace,
    tier: spec.tier ?? component.tier,
    replicas: replicasIn(values, spec),
    placement: spec.placement ?? 'pool',
    podLabels: spec.podLabels,
    containers: spec.containers.map((c) => ({ name: c.name, resources: resources(c), ...(c.needs ? { needs: c.needs, valuesPath: c.valuesPath } : {}) })),
    initContainers: (spec.initContainers ?? []).map((c) => ({ name: c.name, resources: resources(c) })),
    volumeClaims: [...(spec.volumeClaims ?? [])].sort(),
    ...(spec.storageClass !== undefined ? { storageClass: spec.storageClass } : {}),
    ...(spec.hostData?.length ? { hostData: [...spec.hostData].sort() } : {}),
    ...(spec.spread ? { spread: spec.spread } : {}),
    ...(spec.quorum ? { quorum: { ...spec.quorum } } : {}),
    ...(spec.values.affinity && isPlainObject(getIn(values, spec.values.affinity)) ? { affinity: withoutNulls(getIn(values, spec.values.affinity) as Values) } : {}),
    ...(spec.values.priorityClassName === undefined && !spec.glue ? { noPriorityValue: true as const } : {}),
  };
}

/** A values map as Helm renders it: keys set to null are deleted. */
export function withoutNulls(v: Values): Values {
  const out: Values = {};
  for (const [k, x] of Object.entries(v)) {
    if (x === null) continue;
    out[k] = isPlainObject(x) ? withoutNulls(x) : x;
  }
  return out;
}

/** Annotation ordering objects inside one Application sync (Argo CD sync waves). */
export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

/**
 * Custom resources of the unit's own CRDs sync one wave after the chart,
 * once its CRDs and webhooks are healthy (otherwise the first sync fails).
 */
export function withGlueWave(crdGroups: readonly string[], obj: K8sObject): K8sObject {
  if (!coversKind(crdGroups, apiGroup(obj.apiVersion), obj.kind)) return obj;
  return { ...obj, metadata: { ...obj.metadata, annotations: { ...(obj.metadata.annotations ?? {}), [SYNC_WAVE_ANNOTATION]: '1' } } };
}
