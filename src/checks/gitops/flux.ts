/**
 * What Flux will do with the repository `plan` writes, checked on its files
 * (ADR 008): the root Kustomization applies clusters/<cluster>/; every
 * dependency edge is a `dependsOn` of the dependant's Kustomization on one
 * that waits for its objects to be Ready; every Kustomization's path and
 * source exist and its kustomize file names files that are there; every
 * HelmRelease installs the unit's chart at the pinned version, from a source
 * that serves it and that the chart cache holds, with the unit's values and
 * release name; and nothing that must outlive its unit is pruned with it.
 */
import YAML from 'yaml';
import { parseYamlStream } from '../../lib/yaml.js';
import type { K8sObject } from '../../model/k8s.js';
import { TENANT_STACK, type Unit } from '../../model/unit.js';
import type { Platform } from '../../model/platform.js';
import { preservedOnDelete } from '../../synth/argocd/units.js';
import { tenantDependencies } from '../../synth/argocd/applicationsets.js';
import { unitDir } from '../../synth/layout.js';
import {
  FLUX_NAMESPACE,
  KUSTOMIZE_FILE,
  PRUNE_ANNOTATION,
  PRUNE_DISABLED,
  RELEASE_FILE,
  REPO_SOURCE,
  ROOT_KUSTOMIZATION,
  VALUES_KEY,
  clusterDir,
  rootFile,
  tenantKustomization,
  tenantKustomizationFile,
  unitKustomizationFile,
  valuesConfigMap,
} from '../../synth/flux/constants.js';
import { readyKustomization } from '../../synth/flux/units.js';
import { type Finding, objectOf } from '../finding.js';

export interface FluxCheckInput {
  platform: Platform;
  units: readonly Unit[];
  /** The repository's files (what `plan` writes, plus apps/ when a written repository is read). */
  files: ReadonlyMap<string, string>;
  /** Whether the chart cache holds a chart at a version. */
  hasChart(chart: string, version: string): boolean;
}

interface Located {
  file: string;
  object: K8sObject;
}

type Spec = Record<string, unknown>;
const specOf = (o: K8sObject): Spec => (o.spec ?? {}) as Spec;
const names = (refs: unknown): string[] => (Array.isArray(refs) ? refs.map((r) => String((r as { name?: unknown }).name ?? '')) : []);

function finding(component: string, file: string, object: K8sObject | undefined, path: string | undefined, message: string, hint: string, severity: Finding['severity'] = 'error'): Finding {
  return { check: 'gitops', severity, ...(object ? { object: objectOf(object) } : {}), source: { component, file }, ...(path ? { path } : {}), message, hint };
}

const PLAN_HINT = 'plinth plan writes it so; run `plinth plan` rather than editing the Flux objects';

/** Every Flux object under clusters/<cluster>/, by kind and name. */
function clusterObjects(files: ReadonlyMap<string, string>, cluster: string): Located[] {
  const prefix = `${clusterDir(cluster)}/`;
  return [...files]
    .filter(([p]) => p.startsWith(prefix) && (p.endsWith('.yaml') || p.endsWith('.yml')))
    .flatMap(([file, text]) => (parseYamlStream(text) as K8sObject[]).filter(Boolean).map((object) => ({ file, object })));
}

export function checkFluxRepository(input: FluxCheckInput): Finding[] {
  const { files, platform } = input;
  const cluster = platform.name;
  const out: Finding[] = [];
  const objects = clusterObjects(files, cluster);
  const kustomizations = new Map(objects.filter((o) => o.object.kind === 'Kustomization').map((o) => [o.object.metadata.name, o]));
  const gitSources = new Map(objects.filter((o) => o.object.kind === 'GitRepository').map((o) => [o.object.metadata.name, o]));

  const root = kustomizations.get(ROOT_KUSTOMIZATION);
  if (!root || specOf(root.object).path !== `./${clusterDir(cluster)}` || root.file !== rootFile(cluster)) {
    out.push(finding('(bootstrap)', rootFile(cluster), root?.object, 'spec.path', `the root Kustomization ${ROOT_KUSTOMIZATION} does not apply ./${clusterDir(cluster)}: the Kustomizations of the components there are never applied`, PLAN_HINT));
    return out;
  }
  for (const k of kustomizations.values()) out.push(...checkKustomization(k, files, gitSources));

  const platformUnits = input.units.filter((u) => u.stack !== TENANT_STACK);
  const byName = new Map(platformUnits.map((u) => [u.name, u]));
  for (const u of platformUnits) {
    const file = unitKustomizationFile(cluster, u.stack, u.name);
    const own = kustomizations.get(u.name);
    if (!own) {
      out.push(finding(u.name, file, undefined, undefined, `no Kustomization ${u.name} under ${clusterDir(cluster)}/: Flux never applies ${u.name}`, 'run `plinth plan`'));
      continue;
    }
    for (const dep of u.dependsOn) {
      const d = byName.get(dep);
      if (!d) continue;
      const wanted = readyKustomization(d);
      if (!reaches(kustomizations, u.name, wanted)) {
        out.push(
          finding(
            u.name,
            own.file,
            own.object,
            'spec.dependsOn',
            `Kustomization ${u.name} does not depend on ${wanted}, though ${u.name} depends on ${dep}: Flux applies both at once, and ${u.name} fails or degrades until ${dep} is Ready`,
            `add { name: ${wanted} } to spec.dependsOn; it comes from the dependency graph: ${PLAN_HINT}`,
          ),
        );
      }
    }
    out.push(...checkPrune(u, kustomizations, files));
    if (u.chart) out.push(...checkRelease(u, files, input.hasChart));
  }
  for (const team of platform.teams) {
    const name = tenantKustomization(team.name);
    const k = kustomizations.get(name);
    const file = tenantKustomizationFile(cluster, team.name);
    if (!k) {
      out.push(finding('(tenants)', file, undefined, undefined, `no Kustomization ${name}: Flux never applies the services of team ${team.name}`, 'run `plinth plan`'));
      continue;
    }
    if (!specOf(k.object).serviceAccountName) {
      out.push(finding('(tenants)', k.file, k.object, 'spec.serviceAccountName', `Kustomization ${name} applies team ${team.name}'s services as Flux itself, which may write anywhere: the team is not held to its namespaces`, `set spec.serviceAccountName to the team's ServiceAccount; ${PLAN_HINT}`));
    }
    for (const dep of tenantDependencies(platformUnits)) {
      const wanted = readyKustomization(dep);
      if (!reaches(kustomizations, name, wanted)) {
        out.push(finding('(tenants)', k.file, k.object, 'spec.dependsOn', `Kustomization ${name} does not wait for ${wanted}, which tenant services use: they can be applied before it is there`, `add { name: ${wanted} } to spec.dependsOn; ${PLAN_HINT}`));
      }
    }
  }
  return out;
}

/**
 * Whether Kustomization `from` waits for `to`: a chain of dependsOn edges in
 * which every Kustomization waited for is Ready only when its objects are
 * (`wait: true` or health checks); without that, dependsOn waits only for
 * the apply.
 */
function reaches(kustomizations: ReadonlyMap<string, Located>, from: string, to: string): boolean {
  const seen = new Set<string>();
  const walk = (n: string): boolean => {
    for (const d of names(specOf(kustomizations.get(n)?.object ?? ({} as K8sObject)).dependsOn)) {
      if (seen.has(d)) continue;
      seen.add(d);
      const dep = kustomizations.get(d);
      const waits = dep !== undefined && (specOf(dep.object).wait === true || (Array.isArray(specOf(dep.object).healthChecks) && (specOf(dep.object).healthChecks as unknown[]).length > 0));
      if (!waits) continue;
      if (d === to || walk(d)) return true;
    }
    return false;
  };
  return walk(from);
}

/** A Kustomization's source exists and its path holds what it applies. */
function checkKustomization(k: Located, files: ReadonlyMap<string, string>, gitSources: ReadonlyMap<string, Located>): Finding[] {
  const spec = specOf(k.object);
  const name = k.object.metadata.name;
  const ref = (spec.sourceRef ?? {}) as { kind?: string; name?: string };
  const component = String(k.object.metadata.labels?.['plinth.dev/unit'] ?? '(bootstrap)');
  if (ref.kind !== 'GitRepository' || !ref.name || !gitSources.has(ref.name)) {
    return [finding(component, k.file, k.object, 'spec.sourceRef', `Kustomization ${name} reads ${ref.kind ?? '?'} ${ref.name ?? '?'}, which no file under clusters/ defines: Flux reports it not Ready and applies nothing`, PLAN_HINT)];
  }
  if (ref.name !== REPO_SOURCE) return []; // an upstream source: its path is in that repository
  const path = String(spec.path ?? '').replace(/^\.\//, '');
  const kfile = `${path}/${KUSTOMIZE_FILE}`;
  const text = files.get(kfile);
  if (text === undefined) {
    const any = [...files.keys()].some((p) => p.startsWith(`${path}/`));
    return any ? [] : [finding(component, k.file, k.object, 'spec.path', `Kustomization ${name} applies ./${path}, which does not exist in the repository: Flux reports "kustomization path not found"`, PLAN_HINT)];
  }
  const kz = (YAML.parse(text) ?? {}) as { resources?: unknown; configMapGenerator?: { files?: unknown }[] };
  const missing: string[] = [];
  for (const r of Array.isArray(kz.resources) ? kz.resources.map(String) : []) {
    const target = normalise(`${path}/${r}`);
    if (!files.has(target) && ![...files.keys()].some((p) => p.startsWith(`${target}/`))) missing.push(r);
  }
  for (const g of kz.configMapGenerator ?? []) {
    for (const f of Array.isArray(g.files) ? g.files.map(String) : []) {
      const src = f.includes('=') ? f.slice(f.indexOf('=') + 1) : f;
      if (!files.has(normalise(`${path}/${src}`))) missing.push(src);
    }
  }
  return missing.length === 0
    ? []
    : [finding(component, kfile, undefined, 'resources', `${kfile} names ${missing.join(', ')}, which ${missing.length === 1 ? 'is' : 'are'} not in the repository: kustomize build fails and Kustomization ${name} applies nothing`, PLAN_HINT)];
}

function normalise(p: string): string {
  const parts: string[] = [];
  for (const s of p.split('/')) {
    if (s === '..') parts.pop();
    else if (s !== '.' && s !== '') parts.push(s);
  }
  return parts.join('/');
}

/** What must outlive a unit: its Kustomization does not prune, and namespaces opt out of pruning wherever they are. */
function checkPrune(u: Unit, kustomizations: ReadonlyMap<string, Located>, files: ReadonlyMap<string, string>): Finding[] {
  const out: Finding[] = [];
  if (preservedOnDelete(u)) {
    for (const k of [...kustomizations.values()].filter((k) => k.object.metadata.labels?.['plinth.dev/unit'] === u.name)) {
      if (specOf(k.object).prune !== false) {
        out.push(
          finding(u.name, k.file, k.object, 'spec.prune', `Kustomization ${k.object.metadata.name} prunes, but ${u.name}'s resources must outlive it (${u.keepOnDelete ?? 'the GitOps engine, tier 0 or CRDs only'}): removing it from Git deletes them`, `set spec.prune: false; ${PLAN_HINT}`),
        );
      }
    }
  }
  for (const [file, text] of files) {
    if (!file.startsWith(`${unitDir(u)}/manifests/`)) continue;
    for (const m of parseYamlStream(text) as K8sObject[]) {
      if (m?.kind === 'Namespace' && m.metadata.annotations?.[PRUNE_ANNOTATION] !== PRUNE_DISABLED) {
        out.push(finding(u.name, file, m, `metadata.annotations["${PRUNE_ANNOTATION}"]`, `Namespace ${m.metadata.name} can be pruned: removing ${u.name} from Git deletes the namespace and everything in it`, `annotate it ${PRUNE_ANNOTATION}: ${PRUNE_DISABLED}; ${PLAN_HINT}`));
      }
    }
  }
  return out;
}

/** The unit's HelmRelease installs its chart at the pinned version, from a source that serves it, with its values. */
function checkRelease(u: Unit, files: ReadonlyMap<string, string>, hasChart: FluxCheckInput['hasChart']): Finding[] {
  const file = `${unitDir(u)}/${RELEASE_FILE}`;
  const objects = (parseYamlStream(files.get(file) ?? '') as K8sObject[]).filter(Boolean);
  const release = objects.find((o) => o.kind === 'HelmRelease' && o.metadata.name === u.name);
  const chart = u.chart!;
  if (!release) return [finding(u.name, file, undefined, undefined, `no HelmRelease ${u.name} in ${file}: Flux never installs the chart ${chart.chart}`, PLAN_HINT)];
  const out: Finding[] = [];
  const spec = specOf(release);
  const f = (path: string, message: string, hint = PLAN_HINT) => out.push(finding(u.name, file, release, path, message, hint));
  const chartSpec = ((spec.chart as { spec?: Spec } | undefined)?.spec ?? {}) as { chart?: string; version?: string; sourceRef?: { kind?: string; name?: string } };
  const chartRef = spec.chartRef as { kind?: string; name?: string } | undefined;
  const sourceRef = chartRef ?? chartSpec.sourceRef ?? {};
  const source = objects.find((o) => o.kind === sourceRef.kind && o.metadata.name === sourceRef.name);
  let version: string | undefined;
  let name: string | undefined;
  if (chartRef) {
    const tag = (specOf(source ?? ({} as K8sObject)).ref as { tag?: string } | undefined)?.tag;
    version = tag;
    name = String(specOf(source ?? ({} as K8sObject)).url ?? '').split('/').pop();
  } else {
    version = chartSpec.version;
    name = chartSpec.chart;
  }
  if (!source) {
    f(chartRef ? 'spec.chartRef' : 'spec.chart.spec.sourceRef', `HelmRelease ${u.name} reads ${sourceRef.kind ?? '?'} ${sourceRef.name ?? '?'}, which ${file} does not define: the chart is never fetched`);
  } else if (String(specOf(source).url ?? '').replace(/\/+$/, '') !== (chartRef ? `${chart.repoUrl}/${chart.chart}` : chart.repoUrl).replace(/\/+$/, '')) {
    out.push(finding(u.name, file, source, 'spec.url', `${source.kind} ${source.metadata.name} serves ${String(specOf(source).url)}, not ${chart.repoUrl}, where ${chart.chart} ${chart.version} is pinned`, PLAN_HINT));
  }
  if (name !== chart.chart || version !== chart.version) {
    const cached = name !== undefined && version !== undefined && hasChart(name, version);
    f(
      chartRef ? 'spec.chartRef' : 'spec.chart.spec.version',
      `HelmRelease ${u.name} installs ${name ?? '?'} ${version ?? '(no exact version)'}, not the pinned ${chart.chart} ${chart.version}${cached ? '' : `; the chart cache holds no ${name ?? '?'} ${version ?? ''}, so nothing offline proves what it renders`.trimEnd()}`,
      `pin it in the component (components.${u.name}) and run \`plinth plan\`; check renders only what the chart cache holds`,
    );
  }
  if (spec.releaseName !== u.name) f('spec.releaseName', `HelmRelease ${u.name} names its release ${String(spec.releaseName ?? `${u.namespace}-${u.name}`)}, not ${u.name}: the objects it installs are not those check rendered`);
  if (spec.targetNamespace !== u.namespace) f('spec.targetNamespace', `HelmRelease ${u.name} installs into ${String(spec.targetNamespace ?? FLUX_NAMESPACE)}, not ${u.namespace}, the namespace check rendered it for`);
  const valuesFrom = Array.isArray(spec.valuesFrom) ? (spec.valuesFrom as { kind?: string; name?: string; valuesKey?: string }[]) : [];
  if (!valuesFrom.some((v) => v.kind === 'ConfigMap' && v.name === valuesConfigMap(u.name) && (v.valuesKey ?? VALUES_KEY) === VALUES_KEY) || spec.values !== undefined) {
    f('spec.valuesFrom', `HelmRelease ${u.name} does not take its values from the ConfigMap ${valuesConfigMap(u.name)} of ${unitDir(u)}/${VALUES_KEY}: what Flux installs is not what check rendered`);
  }
  const kz = (YAML.parse(files.get(`${unitDir(u)}/${KUSTOMIZE_FILE}`) ?? '{}') ?? {}) as { resources?: unknown; configMapGenerator?: { name?: string; namespace?: string; files?: unknown[] }[] };
  const gen = (kz.configMapGenerator ?? []).find((g) => g.name === valuesConfigMap(u.name));
  if (!Array.isArray(kz.resources) || !kz.resources.includes(RELEASE_FILE)) {
    out.push(finding(u.name, `${unitDir(u)}/${KUSTOMIZE_FILE}`, undefined, 'resources', `${unitDir(u)}/${KUSTOMIZE_FILE} does not list ${RELEASE_FILE}: Flux never applies the HelmRelease of ${u.name}`, PLAN_HINT));
  }
  if (!gen || gen.namespace !== FLUX_NAMESPACE || !(gen.files ?? []).map(String).some((x) => x === `${VALUES_KEY}=${VALUES_KEY}` || x === VALUES_KEY)) {
    out.push(finding(u.name, `${unitDir(u)}/${KUSTOMIZE_FILE}`, undefined, 'configMapGenerator', `${unitDir(u)}/${KUSTOMIZE_FILE} does not generate the ConfigMap ${valuesConfigMap(u.name)} in ${FLUX_NAMESPACE} from ${VALUES_KEY}: HelmRelease ${u.name} waits for values that never come`, PLAN_HINT));
  }
  return out;
}
