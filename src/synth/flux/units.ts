/**
 * One unit under Flux (ADR 008): the unit's Kustomization in
 * `clusters/<cluster>/units/<stack>/<unit>.yaml`, and in the unit's folder
 * a kustomize file naming exactly what it applies: the chart's source and
 * HelmRelease (`release.yaml`), the values ConfigMap generated from the same
 * `values.yaml` the Argo CD layout has, and the glue manifests. Custom
 * resources of CRDs the unit's own chart installs go to a second
 * Kustomization that depends on the first: a dry run of a custom resource
 * whose CRD does not exist yet fails the whole apply, the HelmRelease that
 * would install it included.
 */
import { toJson, toYaml, toYamlStream } from '../../lib/yaml.js';
import { apiGroup, type K8sObject } from '../../model/k8s.js';
import { STACK_LABEL, TIER_LABEL, UNIT_LABEL } from '../../model/labels.js';
import { coversKind, type Unit } from '../../model/unit.js';
import { componentDescriptor, preservedOnDelete, type GitopsRepo } from '../argocd/units.js';
import { manifestFileName, type RepoFiles } from '../files.js';
import { unitDir } from '../layout.js';
import {
  CUSTOM_RESOURCES_DIR,
  CUSTOM_RESOURCES_SUFFIX,
  FLUX_NAMESPACE,
  HELM_API,
  INTERVALS,
  KUSTOMIZE_API,
  KUSTOMIZE_CONFIG_API,
  KUSTOMIZE_FILE,
  PRUNE_ANNOTATION,
  PRUNE_DISABLED,
  RELEASE_FILE,
  REPO_SOURCE,
  SOURCE_API,
  VALUES_KEY,
  valuesConfigMap,
} from './constants.js';

/** Kinds that outlive every unit: never garbage-collected by Flux, whichever unit applied them. */
const NEVER_PRUNED = new Set(['Namespace']);

/** Glue custom resources of the CRDs the unit's own chart (or upstream manifests) install. */
export function ownCustomResources(unit: Unit): K8sObject[] {
  return unit.manifests.filter((m) => coversKind(unit.crdGroups, apiGroup(m.apiVersion), m.kind));
}

/** The Kustomization the unit's dependants wait for: the last one of the unit. */
export function readyKustomization(unit: Unit): string {
  return ownCustomResources(unit).length > 0 ? `${unit.name}${CUSTOM_RESOURCES_SUFFIX}` : unit.name;
}

/** The source of a unit's chart: an OCIRepository for an OCI artifact, else a HelmRepository. */
function chartSource(unit: Unit): K8sObject {
  const c = unit.chart!;
  const metadata = { name: unit.name, namespace: FLUX_NAMESPACE, labels: { [UNIT_LABEL]: unit.name } };
  if (c.repoUrl.startsWith('oci://')) {
    return {
      apiVersion: SOURCE_API,
      kind: 'OCIRepository',
      metadata,
      spec: {
        interval: INTERVALS.chartSource,
        url: `${c.repoUrl}/${c.chart}`,
        ref: { tag: c.version },
        layerSelector: { mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip', operation: 'copy' },
      },
    };
  }
  return { apiVersion: SOURCE_API, kind: 'HelmRepository', metadata, spec: { interval: INTERVALS.chartSource, url: c.repoUrl } };
}

/**
 * The HelmRelease of a unit's chart: the exact version, the release name the
 * offline renders use, values from the ConfigMap of `values.yaml`, CRDs
 * created and upgraded with the chart, failed installs and upgrades retried
 * without a limit (like Argo CD's `retry.limit: -1`) and drift corrected.
 */
export function helmRelease(unit: Unit): K8sObject {
  const c = unit.chart!;
  const source = chartSource(unit);
  const remediation = { retries: -1 };
  return {
    apiVersion: HELM_API,
    kind: 'HelmRelease',
    metadata: { name: unit.name, namespace: FLUX_NAMESPACE, labels: { [UNIT_LABEL]: unit.name } },
    spec: {
      interval: INTERVALS.release,
      timeout: INTERVALS.releaseTimeout,
      releaseName: unit.name,
      targetNamespace: unit.namespace,
      storageNamespace: unit.namespace,
      ...(source.kind === 'OCIRepository'
        ? { chartRef: { kind: 'OCIRepository', name: unit.name } }
        : { chart: { spec: { chart: c.chart, version: c.version, sourceRef: { kind: 'HelmRepository', name: unit.name }, interval: INTERVALS.chartSource } } }),
      valuesFrom: [{ kind: 'ConfigMap', name: valuesConfigMap(unit.name), valuesKey: VALUES_KEY }],
      install: { crds: 'CreateReplace', createNamespace: false, remediation },
      upgrade: { crds: 'CreateReplace', remediation: { ...remediation, remediateLastFailure: true } },
      driftDetection: { mode: 'enabled' },
    },
  };
}

/** An upstream Git source (plain manifests at a tag or commit), fetching only the folder the unit applies. */
function gitSource(unit: Unit): K8sObject {
  const g = unit.git!;
  return {
    apiVersion: SOURCE_API,
    kind: 'GitRepository',
    metadata: { name: unit.name, namespace: FLUX_NAMESPACE, labels: { [UNIT_LABEL]: unit.name } },
    spec: {
      interval: INTERVALS.chartSource,
      url: g.repoUrl,
      ref: /^[0-9a-f]{40}$/.test(g.ref) ? { commit: g.ref } : { tag: g.ref },
      ignore: `/*\n!/${g.path.replace(/^\.?\//, '')}/\n`,
    },
  };
}

/** A glue manifest as Flux applies it: what must outlive every unit carries the prune opt-out. */
function fluxManifest(m: K8sObject): K8sObject {
  if (!NEVER_PRUNED.has(m.kind)) return m;
  return { ...m, metadata: { ...m.metadata, annotations: { ...m.metadata.annotations, [PRUNE_ANNOTATION]: PRUNE_DISABLED } } };
}

function kustomization(name: string, unit: Unit, spec: Record<string, unknown>): K8sObject {
  return {
    apiVersion: KUSTOMIZE_API,
    kind: 'Kustomization',
    metadata: { name, namespace: FLUX_NAMESPACE, labels: { [UNIT_LABEL]: unit.name, [STACK_LABEL]: unit.stack, [TIER_LABEL]: String(unit.tier) } },
    spec: {
      interval: INTERVALS.kustomization,
      retryInterval: INTERVALS.retry,
      timeout: INTERVALS.kustomizationTimeout,
      // Units whose resources must outlive them (the engine, tier 0, CRD-only units): removing
      // the Kustomization leaves what it applied in place.
      prune: !preservedOnDelete(unit),
      // Ready only when everything it applied is Ready (HelmReleases installed, workloads
      // available): what makes a dependant wait for it.
      wait: true,
      ...spec,
    },
  };
}

/**
 * The Kustomizations of a unit: `dependsOn` names the Kustomization each
 * dependency's dependants wait for (`readyKustomization`), from the
 * dependency graph, never by hand.
 */
export function unitKustomizations(unit: Unit, byName: ReadonlyMap<string, Unit>): K8sObject[] {
  const deps = unit.dependsOn.map((d) => {
    const dep = byName.get(d);
    // Invariant, not input: dependencies come from the desired state's own graph (exit 70 on a miss).
    if (!dep) throw new Error(`unit ${unit.name} depends on ${d}, which is not part of the platform`);
    return { name: readyKustomization(dep) };
  });
  const dir = unitDir(unit);
  const git = unit.git;
  const main = kustomization(unit.name, unit, {
    ...(deps.length > 0 ? { dependsOn: [...new Map(deps.map((d) => [d.name, d])).values()].sort((a, b) => (a.name < b.name ? -1 : 1)) } : {}),
    // Upstream manifests (a CRD bundle, never with a chart or glue: unitFluxFiles refuses that): from their own Git source.
    ...(git
      ? { sourceRef: { kind: 'GitRepository', name: unit.name }, path: `./${git.path.replace(/^\.?\//, '')}` }
      : { sourceRef: { kind: 'GitRepository', name: REPO_SOURCE }, path: `./${dir}` }),
  });
  const own = ownCustomResources(unit);
  if (own.length === 0) return [main];
  return [main, kustomization(`${unit.name}${CUSTOM_RESOURCES_SUFFIX}`, unit, { dependsOn: [{ name: unit.name }], sourceRef: { kind: 'GitRepository', name: REPO_SOURCE }, path: `./${dir}/${CUSTOM_RESOURCES_DIR}` })];
}

/** The Flux layout applies upstream manifests from their own source only: such a unit has no chart and no glue. */
function refuseGitWithOthers(unit: Unit): void {
  // Invariant, not input: units are the catalog's; glue, charts and files of one unit never clash unless it has a bug (exit 70).
  if (unit.git && (unit.chart || unit.manifests.length > 0)) {
    throw new Error(`unit ${unit.name} has upstream manifests and a chart or glue: the Flux layout applies upstream manifests from their own source only`);
  }
}

/** The unit's glue manifests under manifests/; their paths, the unit's own custom resources apart (they wait for its CRDs). */
function writeManifests(unit: Unit, dir: string, files: RepoFiles): { resources: string[]; customResources: string[] } {
  const own = new Set(ownCustomResources(unit));
  const resources: string[] = [];
  const customResources: string[] = [];
  for (const m of unit.manifests) {
    const name = manifestFileName(m.kind, m.metadata.name, m.metadata.namespace, unit.namespace);
    const path = `${dir}/manifests/${name}`;
    if (files.has(path)) throw new Error(`two glue manifests of ${unit.name} would be written to ${path}`);
    files.set(path, toYaml(fluxManifest(m)));
    (own.has(m) ? customResources : resources).push(`manifests/${name}`);
  }
  return { resources, customResources };
}

/** The unit's own extra files, in name order; one that would clash with the files the layout writes is refused. */
function writeUnitFiles(unit: Unit, dir: string, files: RepoFiles): void {
  for (const [rel, text] of Object.entries(unit.files ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (rel.startsWith('manifests/') || [VALUES_KEY, 'component.json', KUSTOMIZE_FILE, RELEASE_FILE].includes(rel) || rel.startsWith(`${CUSTOM_RESOURCES_DIR}/`) || rel.includes('..')) {
      throw new Error(`unit ${unit.name}: file ${rel} would clash with the unit's own files`);
    }
    files.set(`${dir}/${rel}`, text);
  }
}

export function unitFluxFiles(unit: Unit, repo: GitopsRepo, files: RepoFiles): K8sObject[] {
  const dir = unitDir(unit);
  refuseGitWithOthers(unit);
  const descriptor = componentDescriptor(unit, repo);
  files.set(`${dir}/component.json`, toJson({ ...descriptor, sources: fluxSources(unit) }));
  if (unit.chart) files.set(`${dir}/values.yaml`, toYaml(unit.values));
  const { resources, customResources } = writeManifests(unit, dir, files);
  writeUnitFiles(unit, dir, files);
  if (unit.git) return [gitSource(unit)];
  const release = unit.chart ? [chartSource(unit), helmRelease(unit)] : [];
  if (release.length > 0) files.set(`${dir}/${RELEASE_FILE}`, toYamlStream(release));
  files.set(
    `${dir}/${KUSTOMIZE_FILE}`,
    toYaml({
      apiVersion: KUSTOMIZE_CONFIG_API,
      kind: 'Kustomization',
      resources: [...(release.length > 0 ? [RELEASE_FILE] : []), ...resources.sort()],
      ...(unit.chart
        ? {
            configMapGenerator: [{ name: valuesConfigMap(unit.name), namespace: FLUX_NAMESPACE, files: [`${VALUES_KEY}=${VALUES_KEY}`], options: { disableNameSuffixHash: true, labels: { [UNIT_LABEL]: unit.name } } }],
          }
        : {}),
    }),
  );
  if (customResources.length > 0) {
    files.set(`${dir}/${CUSTOM_RESOURCES_DIR}/${KUSTOMIZE_FILE}`, toYaml({ apiVersion: KUSTOMIZE_CONFIG_API, kind: 'Kustomization', resources: customResources.sort().map((r) => `../${r}`) }));
  }
  return [];
}

/** What component.json says the unit's objects come from, under Flux. */
function fluxSources(unit: Unit): Record<string, unknown>[] {
  return [
    ...(unit.chart ? [{ kind: unit.chart.repoUrl.startsWith('oci://') ? 'OCIRepository' : 'HelmRepository', url: unit.chart.repoUrl, chart: unit.chart.chart, version: unit.chart.version, valuesFile: `${unitDir(unit)}/${VALUES_KEY}` }] : []),
    ...(unit.git ? [{ kind: 'GitRepository', url: unit.git.repoUrl, ref: unit.git.ref, path: unit.git.path }] : []),
    ...(unit.manifests.length > 0 ? [{ kind: 'GitRepository', name: REPO_SOURCE, path: `${unitDir(unit)}/manifests` }] : []),
  ];
}

/** The names of a unit's Kustomizations, in order: its own, then its custom resources' when it has them. */
export function unitKustomizationNames(unit: Unit): string[] {
  return ownCustomResources(unit).length > 0 ? [unit.name, `${unit.name}${CUSTOM_RESOURCES_SUFFIX}`] : [unit.name];
}
