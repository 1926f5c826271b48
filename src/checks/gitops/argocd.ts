/**
 * What Argo CD will do with the repository `plan` writes, checked on its files:
 * every dependency edge is enforced by the root Application's sync waves
 * (which wait only where Applications have a health check), nothing that
 * must outlive its component is deleted when its Application cascades, and an
 * ApplicationSet's templatePatch means what it says under the strategic merge
 * the controller applies.
 */
import { parseYamlStream } from '../../lib/yaml.js';
import { isPlainObject } from '../../lib/values.js';
import type { K8sObject } from '../../model/k8s.js';
import { ARGOCD_COMPARE_OPTIONS_ANNOTATION, ARGOCD_IGNORE_EXTRANEOUS, ARGOCD_SYNC_OPTIONS_ANNOTATION, keptOnDelete } from '../../model/labels.js';
import { TENANT_STACK, type Unit } from '../../model/unit.js';
import { SYNC_WAVE_ANNOTATION } from '../../desired/units.js';
import { criticality, effectiveTiers, transitiveDependencies } from '../../desired/graph.js';
import { APPLICATION_HEALTH_KEY, APPLICATION_HEALTH_LUA } from '../../catalog/components/argocd.js';
import { applicationFile } from '../../synth/argocd/applications.js';
import { tenantDependencies } from '../../synth/argocd/applicationsets.js';
import { ENGINE_VALUES_FILE, RESOURCES_FINALIZER, ROOT_APP_FILE, ROOT_DIR, TENANTS_APPLICATIONSET_FILE } from '../../synth/argocd/constants.js';
import { type Finding, objectOf } from '../finding.js';
import { renderGoTemplate, TemplateUnsupported } from './gotemplate.js';
import { jsonMerge, strategicMerge } from './strategic-merge.js';

export interface GitopsCheckInput {
  units: readonly Unit[];
  /** The repository's files (what `plan` writes, plus apps/ when a written repository is read). */
  files: ReadonlyMap<string, string>;
  rendered: ReadonlyMap<string, readonly K8sObject[]>;
}

const one = (files: ReadonlyMap<string, string>, path: string): K8sObject | undefined => {
  const text = files.get(path);
  return text === undefined ? undefined : (parseYamlStream(text)[0] as K8sObject | undefined);
};
const waveOf = (o: K8sObject | undefined): number | undefined => {
  const w = o?.metadata.annotations?.[SYNC_WAVE_ANNOTATION];
  return w === undefined || !/^-?\d+$/.test(w) ? undefined : Number(w);
};
const WAVE_PATH = `metadata.annotations["${SYNC_WAVE_ANNOTATION}"]`;

function finding(component: string, file: string, object: K8sObject | undefined, path: string | undefined, message: string, hint: string, severity: Finding['severity'] = 'error'): Finding {
  return { check: 'gitops', severity, ...(object ? { object: objectOf(object) } : {}), source: { component, file }, ...(path ? { path } : {}), message, hint };
}

/** Every dependency edge, enforced by the root Application's waves. */
export function checkOrder(input: GitopsCheckInput): Finding[] {
  const { units, files } = input;
  const out: Finding[] = [];
  const root = one(files, ROOT_APP_FILE);
  const source = (root?.spec as { source?: { path?: string; directory?: { recurse?: boolean } } } | undefined)?.source;
  if (!root || source?.path !== ROOT_DIR || source.directory?.recurse !== true) {
    out.push(finding('(bootstrap)', ROOT_APP_FILE, root, 'spec.source', `the root Application does not sync ${ROOT_DIR}/ recursively: the Applications there, and the order of their waves, are not applied`, `plinth plan writes it so; run \`plinth plan\``));
    return out;
  }
  const values = parseYamlStream(files.get(ENGINE_VALUES_FILE) ?? '')[0];
  const cm = isPlainObject(values) && isPlainObject(values.configs) && isPlainObject(values.configs.cm) ? values.configs.cm : {};
  const platformUnits = units.filter((u) => u.stack !== TENANT_STACK);
  const edges = platformUnits.reduce((n, u) => n + u.dependsOn.length, 0);
  const lua = cm[APPLICATION_HEALTH_KEY];
  if (typeof lua === 'string' && lua.trim() !== '' && lua !== APPLICATION_HEALTH_LUA) {
    out.push(
      finding(
        'argocd',
        ENGINE_VALUES_FILE,
        root,
        `configs.cm["${APPLICATION_HEALTH_KEY}"]`,
        "the Argo CD values replace Plinth's health check of Applications: the root Application's waves then wait for what that script calls Healthy, which check cannot prove enforces the dependency order",
        `remove the override of configs.cm["${APPLICATION_HEALTH_KEY}"] from components.argocd.values`,
        'warning',
      ),
    );
  }
  if (typeof lua !== 'string' || lua.trim() === '') {
    out.push(
      finding(
        'argocd',
        ENGINE_VALUES_FILE,
        root,
        `configs.cm["${APPLICATION_HEALTH_KEY}"]`,
        `Argo CD assesses no health of Applications (it stopped in 1.8), so the root Application's sync waves do not wait for the Applications of a wave to be Healthy: none of the ${edges} dependency edges is enforced`,
        `keep configs.cm["${APPLICATION_HEALTH_KEY}"] in the Argo CD values (Plinth writes it; do not override it with null)`,
      ),
    );
  }
  const apps = new Map(platformUnits.map((u) => [u.name, one(files, applicationFile(u))]));
  for (const u of platformUnits) {
    const app = apps.get(u.name);
    if (!app) {
      out.push(finding(u.name, applicationFile(u), undefined, undefined, `no Application for ${u.name}: the root Application never syncs it`, 'run `plinth plan`'));
      continue;
    }
    const wave = waveOf(app);
    for (const dep of u.dependsOn) {
      const depWave = waveOf(apps.get(dep));
      if (wave === undefined || depWave === undefined || wave > depWave) continue;
      out.push(
        finding(
          u.name,
          applicationFile(u),
          app,
          WAVE_PATH,
          `Application ${u.name} syncs in wave ${wave}, not after ${dep} (wave ${depWave}), which it depends on: Argo CD starts both at once, and ${u.name} fails or degrades until ${dep} is there`,
          `its wave must be greater than ${dep}'s; waves come from the dependency graph: run \`plinth plan\` rather than editing them`,
        ),
      );
    }
  }
  out.push(...checkHoldBacks(platformUnits, apps));
  const set = one(files, TENANTS_APPLICATIONSET_FILE);
  const setWave = waveOf(set);
  for (const dep of tenantDependencies(platformUnits)) {
    const depWave = waveOf(apps.get(dep.name));
    if (setWave === undefined || depWave === undefined || setWave > depWave) continue;
    out.push(
      finding(
        '(bootstrap)',
        TENANTS_APPLICATIONSET_FILE,
        set,
        WAVE_PATH,
        `the tenants' ApplicationSet syncs in wave ${setWave}, not after ${dep.name} (wave ${depWave}), which tenant services use: their Applications can start before it is there`,
        'run `plinth plan`: the ApplicationSet follows every unit tenants use',
      ),
    );
  }
  return out;
}

/**
 * With one wave at a time, a unit waits for every earlier wave: it must not
 * wait behind a less critical unit it does not need (the tier it is needed
 * at, then its own).
 */
function checkHoldBacks(units: readonly Unit[], apps: ReadonlyMap<string, K8sObject | undefined>): Finding[] {
  const graph = new Map(units.map((u) => [u.name, u.dependsOn]));
  const tiers = new Map(units.map((u) => [u.name, u.tier as number]));
  const effective = effectiveTiers(graph, tiers);
  const wave = new Map(units.flatMap((u) => (waveOf(apps.get(u.name)) === undefined ? [] : [[u.name, waveOf(apps.get(u.name))!] as const])));
  const out: Finding[] = [];
  for (const x of units) {
    const wx = wave.get(x.name);
    if (wx === undefined) continue;
    const needed = transitiveDependencies(graph, x.name);
    const [ex, tx] = criticality(effective, tiers, x.name);
    const holders = units.filter((y) => {
      const wy = wave.get(y.name);
      if (wy === undefined || wy >= wx || needed.has(y.name)) return false;
      const [ey, ty] = criticality(effective, tiers, y.name);
      return ey > ex || (ey === ex && ty > tx);
    });
    if (holders.length === 0) continue;
    const y = holders.sort((a, b) => wave.get(b.name)! - wave.get(a.name)!)[0]!;
    out.push(
      finding(
        x.name,
        applicationFile(x),
        apps.get(x.name),
        WAVE_PATH,
        `Application ${x.name} (tier ${x.tier}, needed at tier ${ex}) syncs in wave ${wx}, behind ${y.name} (tier ${y.tier}, needed at tier ${effective.get(y.name)}, wave ${wave.get(y.name)}), which it does not need: while ${y.name} is not Healthy (pods pending when nodes are lost), ${x.name} is never created or updated`,
        'waves come from the dependency graph and the tiers: run `plinth plan` rather than editing them',
      ),
    );
  }
  return out;
}

/**
 * Objects whose loss a cascade must never cause: namespaces (their volumes
 * and Secrets go with them) and volumes. CRDs are not among them for Argo CD:
 * its controller never deletes a CRD when it deletes an Application with its
 * resources (they go only when pruned, a chart that stops rendering them).
 */
function mustOutlive(o: K8sObject): string | undefined {
  if (o.kind === 'Namespace') return 'a namespace (its volumes and Secrets go with it)';
  if (o.kind === 'PersistentVolumeClaim' || o.kind === 'PersistentVolume') return 'a volume';
  return undefined;
}

const syncOptions = (o: { metadata?: { annotations?: Record<string, string> } }): string[] => (o.metadata?.annotations?.[ARGOCD_SYNC_OPTIONS_ANNOTATION] ?? '').split(',').map((x) => x.trim());

/** Nothing that must outlive its component goes when its Application is deleted with its resources. */
export function checkCascade(input: GitopsCheckInput): Finding[] {
  const out: Finding[] = [];
  for (const u of input.units.filter((x) => x.stack !== TENANT_STACK)) {
    const app = one(input.files, applicationFile(u));
    if (!app || !(app.metadata.finalizers as string[] | undefined)?.includes(RESOURCES_FINALIZER)) continue;
    // Delete=false for the whole Application keeps everything it synced.
    if (((app.spec as { syncPolicy?: { syncOptions?: string[] } }).syncPolicy?.syncOptions ?? []).includes('Delete=false')) continue;
    for (const o of [...u.manifests, ...(input.rendered.get(u.name) ?? [])]) {
      const what = mustOutlive(o);
      if (!what || keptOnDelete(o.metadata.annotations)) continue;
      out.push({
        check: 'gitops',
        severity: 'error',
        object: objectOf(o),
        source: { component: u.name, file: applicationFile(u) },
        path: 'metadata.annotations',
        message: `${o.kind} ${o.metadata.name} is ${what}, and Argo CD deletes it with Application ${u.name} (resources finalizer): disabling ${u.name}, or deleting its Application, deletes it`,
        hint: `annotate it argocd.argoproj.io/sync-options: Delete=false, or helm.sh/resource-policy: keep (through the chart's values), so a cascade leaves it; Prune=false does not stop a cascade`,
      });
    }
  }
  return out;
}

/**
 * An object kept when it leaves Git (Prune=false) stays in the cluster as an
 * extraneous resource: unless it is compared with IgnoreExtraneous, its
 * Application is OutOfSync for ever, never Healthy by the root's health
 * check, and the root's waves stop there.
 */
export function checkKeptObjects(input: GitopsCheckInput): Finding[] {
  const out: Finding[] = [];
  for (const u of input.units.filter((x) => x.stack !== TENANT_STACK)) {
    for (const o of [...u.manifests, ...(input.rendered.get(u.name) ?? [])]) {
      if (!syncOptions(o).includes('Prune=false')) continue;
      const compare = (o.metadata.annotations?.[ARGOCD_COMPARE_OPTIONS_ANNOTATION] ?? '').split(',').map((x) => x.trim());
      if (compare.includes(ARGOCD_IGNORE_EXTRANEOUS)) continue;
      out.push({
        check: 'gitops',
        severity: 'error',
        object: objectOf(o),
        source: { component: u.name, file: applicationFile(u) },
        path: `metadata.annotations["${ARGOCD_COMPARE_OPTIONS_ANNOTATION}"]`,
        message: `${o.kind} ${o.metadata.name} is kept when it leaves Git (Prune=false) but compared as usual: once removed from plinth.yaml it holds Application ${u.name} OutOfSync for ever, and the root Application's waves stop at ${u.name}`,
        hint: `annotate it ${ARGOCD_COMPARE_OPTIONS_ANNOTATION}: ${ARGOCD_IGNORE_EXTRANEOUS}`,
      });
    }
  }
  return out;
}

/** Generator elements of a git files generator: the JSON files its globs match, with the path parameters Argo CD adds. */
function gitFileElements(set: K8sObject, files: ReadonlyMap<string, string>): { file: string; params: Record<string, unknown> }[] {
  const generators = ((set.spec as { generators?: { git?: { files?: { path: string }[] } }[] } | undefined)?.generators ?? []);
  const globs = generators.flatMap((g) => g.git?.files?.map((f) => f.path) ?? []);
  const re = (glob: string) => new RegExp(`^${glob.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')}$`);
  const out: { file: string; params: Record<string, unknown> }[] = [];
  for (const glob of globs) {
    for (const [file, text] of files) {
      if (!re(glob).test(file)) continue;
      let data: unknown;
      try {
        data = JSON.parse(text);
      } catch {
        continue;
      }
      if (!isPlainObject(data)) continue;
      const dir = file.slice(0, file.lastIndexOf('/'));
      out.push({ file, params: { ...data, path: { path: dir, basename: dir.slice(dir.lastIndexOf('/') + 1), filename: file.slice(file.lastIndexOf('/') + 1) } } });
    }
  }
  return out.sort((a, b) => (a.file < b.file ? -1 : 1));
}

/**
 * A templatePatch, evaluated for every element as the ApplicationSet controller
 * does (Go template, then a strategic merge patch onto the templated
 * Application): a list the patch sets that the merge does not give (an empty
 * `finalizers` keeps the template's) is what it does not do.
 */
export function checkTemplatePatches(input: GitopsCheckInput): Finding[] {
  const out: Finding[] = [];
  for (const [file, text] of input.files) {
    if (!file.startsWith(`${ROOT_DIR}/`) || !file.endsWith('.yaml')) continue;
    for (const set of parseYamlStream(text) as K8sObject[]) {
      if (set?.kind !== 'ApplicationSet') continue;
      const spec = set.spec as { template?: Record<string, unknown>; templatePatch?: string; goTemplateOptions?: string[] };
      if (!spec.templatePatch) continue;
      for (const el of gitFileElements(set, input.files)) {
        let patch: unknown;
        try {
          patch = parseYamlStream(renderGoTemplate(spec.templatePatch, el.params, { missingKeyError: spec.goTemplateOptions?.includes('missingkey=error') ?? false }))[0];
        } catch (e) {
          const why = e instanceof TemplateUnsupported ? e.message : `its output is not YAML (${(e as Error).message})`;
          out.push(finding('(bootstrap)', file, set, 'spec.templatePatch', `the templatePatch of ApplicationSet ${set.metadata.name} cannot be evaluated for ${el.file}: ${why}`, 'keep templatePatch to field paths, toJson, quote and if/else', e instanceof TemplateUnsupported ? 'warning' : 'error'));
          continue;
        }
        const template = spec.template ?? {};
        const merged = strategicMerge(template, patch) as { metadata?: { finalizers?: unknown } };
        const naive = jsonMerge(template, patch) as { metadata?: { finalizers?: unknown } };
        const asked = JSON.stringify(naive.metadata?.finalizers ?? []);
        const got = JSON.stringify(merged.metadata?.finalizers ?? []);
        if (asked === got) continue;
        out.push(
          finding(
            '(bootstrap)',
            file,
            set,
            'spec.templatePatch',
            `the templatePatch of ApplicationSet ${set.metadata.name} sets metadata.finalizers to ${asked} for ${el.file}, but the controller applies it as a strategic merge patch, where finalizers merge: the Application gets ${got}${got.includes(RESOURCES_FINALIZER) ? ', and deleting it deletes what it synced' : ''}`,
            'leave the finalizer out of the template and add it in the patch where it is wanted (or use a $deleteFromPrimitiveList/finalizers directive)',
          ),
        );
      }
    }
  }
  return out;
}

export function checkArgoCdRepository(input: GitopsCheckInput): Finding[] {
  return [...checkOrder(input), ...checkCascade(input), ...checkKeptObjects(input), ...checkTemplatePatches(input)];
}
