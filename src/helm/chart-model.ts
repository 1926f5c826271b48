/**
 * What a packaged chart reads, as a tree: its own default values, its
 * values.schema.json, what its templates read, and one model per subchart
 * (folders or packaged `.tgz` under `charts/`) under the key its values sit
 * under (the dependency's alias, else its name), as Helm scopes them.
 * Library charts have no values scope: their templates read the values of
 * the chart that depends on them.
 */
import YAML from 'yaml';
import { isPlainObject, type Values } from '../lib/values.js';
import { readArchive, untgz, type ArchiveFiles } from './archive.js';
import { emptyReads, pathKey, scanTemplate, type TemplateReads } from './template-reads.js';

export { pathKey } from './template-reads.js';

export interface ChartModel extends TemplateReads {
  /** The chart's own values.yaml (with the values its dependencies export to it through `import-values`). */
  defaults: Values;
  /** values.schema.json of the chart, when it has one. */
  schema?: Record<string, unknown>;
  /** Subcharts by the key of their values in this chart's values. */
  subcharts?: Map<string, ChartModel>;
}

interface Dependency {
  name: string;
  alias?: string;
  condition?: string;
  tags?: string[];
  'import-values'?: (string | { child: string; parent: string })[];
}

interface ChartYaml {
  name?: string;
  type?: string;
  dependencies?: Dependency[];
}

const WANTED = /(^|\/)(values\.yaml|values\.schema\.json|Chart\.yaml)$|\/templates\/|\/charts\/[^/]+\.tgz$/;

export async function loadChartModel(file: string): Promise<ChartModel> {
  const files = expandNested(await readArchive(file, (p) => WANTED.test(p)));
  const top = [...files.keys()].find((p) => /^[^/]+\/Chart\.yaml$/.test(p))!.split('/')[0]!;
  return chartAt(files, top);
}

/** Packaged subcharts (`charts/x-1.0.0.tgz`) unpacked in place, as if vendored as folders. */
function expandNested(files: ArchiveFiles): ArchiveFiles {
  const out: ArchiveFiles = new Map();
  for (const [p, buf] of files) {
    if (!p.endsWith('.tgz')) {
      out.set(p, buf);
      continue;
    }
    const dir = p.slice(0, p.lastIndexOf('/') + 1);
    for (const [inner, b] of expandNested(untgz(buf, (q) => WANTED.test(q)))) out.set(`${dir}${inner}`, b);
  }
  return out;
}

function chartAt(files: ArchiveFiles, dir: string): ChartModel {
  const text = (p: string) => files.get(p)?.toString('utf8');
  const chart = (YAML.parse(text(`${dir}/Chart.yaml`) ?? '{}') ?? {}) as ChartYaml;
  let defaults = (YAML.parse(text(`${dir}/values.yaml`) ?? '{}') ?? {}) as Values;
  const reads = emptyReads();
  const scanDir = (d: string) => {
    for (const [p, buf] of files) if (p.startsWith(`${d}/templates/`)) scanTemplate(buf.toString('utf8'), reads);
  };
  scanDir(dir);
  // Values that are templates themselves (Tempo's `config`, rendered with `tpl`): what they read is read.
  for (const t of templateStrings(defaults)) scanTemplate(t, reads);
  defaults = istioDefaults(defaults, reads);
  // Helm itself reads dependency conditions and tags.
  for (const dep of chart.dependencies ?? []) {
    for (const c of dep.condition?.split(',') ?? []) if (c.trim()) reads.templatePaths.add(pathKey(c.trim().split('.')));
    for (const t of dep.tags ?? []) reads.templatePaths.add(pathKey(['tags', t]));
  }

  const subcharts = new Map<string, ChartModel>();
  for (const sub of subchartDirs(files, dir)) {
    const subChart = (YAML.parse(text(`${sub}/Chart.yaml`) ?? '{}') ?? {}) as ChartYaml;
    const name = subChart.name ?? sub.slice(sub.lastIndexOf('/') + 1);
    if (subChart.type === 'library') scanDir(sub);
    const model = chartAt(files, sub);
    const deps = chart.dependencies?.filter((d) => d.name === name) ?? [];
    for (const dep of deps.length > 0 ? deps : [{ name }]) {
      subcharts.set(dep.alias ?? name, model);
      defaults = importValues(defaults, model.defaults, dep);
    }
  }
  const schemaText = text(`${dir}/values.schema.json`);
  return {
    defaults,
    ...(schemaText ? { schema: JSON.parse(schemaText) as Record<string, unknown> } : {}),
    ...reads,
    ...(subcharts.size > 0 ? { subcharts } : {}),
  };
}

/** String values holding template actions on `.Values` (a chart passes them to `tpl`). */
function templateStrings(v: unknown): string[] {
  if (typeof v === 'string') return v.includes('{{') && v.includes('.Values') ? [v] : [];
  if (Array.isArray(v)) return v.flatMap(templateStrings);
  if (isPlainObject(v)) return Object.values(v).flatMap(templateStrings);
  return [];
}

/**
 * Istio's charts keep their defaults under `_internal_defaults_do_not_set`,
 * and their `zzz_profile.yaml` merges profile and user values over them and
 * sets the result as `.Values`: those keys are the chart's defaults at the
 * top level (and the wrapper key is not one to set).
 */
function istioDefaults(defaults: Values, reads: TemplateReads): Values {
  const KEY = '_internal_defaults_do_not_set';
  const inner = defaults[KEY];
  if (!isPlainObject(inner) || !reads.templatePaths.has(pathKey([KEY]))) return defaults;
  const { [KEY]: _wrapper, ...rest } = defaults;
  return mergeKeys(inner as Values, rest);
}

function subchartDirs(files: ArchiveFiles, dir: string): string[] {
  const prefix = `${dir}/charts/`;
  const names = new Set<string>();
  for (const p of files.keys()) if (p.startsWith(prefix) && p.endsWith('/Chart.yaml')) names.add(p.slice(prefix.length).split('/')[0]!);
  return [...names].sort().map((n) => `${prefix}${n}`);
}

/**
 * `import-values`: a subchart's values copied into the parent's, as Helm
 * does: `"data"` takes the subchart's `exports.data` into the parent's root,
 * `{child, parent}` takes `child` to `parent`. Only which keys exist matters
 * here, so the parent's own values stay on top.
 */
function importValues(defaults: Values, sub: Values, dep: Dependency): Values {
  let out = defaults;
  for (const iv of dep['import-values'] ?? []) {
    const { child, parent } = typeof iv === 'string' ? { child: `exports.${iv}`, parent: '.' } : iv;
    const value = at(sub, child.split('.'));
    if (!isPlainObject(value)) continue;
    const target = parent === '.' ? [] : parent.split('.');
    out = mergeAt(out, target, value as Values);
  }
  return out;
}

function at(values: Values, path: string[]): unknown {
  let cur: unknown = values;
  for (const k of path) cur = isPlainObject(cur) ? (cur as Values)[k] : undefined;
  return cur;
}

function mergeAt(root: Values, path: string[], v: Values): Values {
  if (path.length === 0) return mergeKeys(v, root);
  const [k, ...rest] = path;
  const child = isPlainObject(root[k!]) ? (root[k!] as Values) : {};
  return { ...root, [k!]: mergeAt(child, rest, v) };
}

/** `over` on top of `under`, maps merged key by key. */
function mergeKeys(under: Values, over: Values): Values {
  const out: Values = { ...under };
  for (const [k, v] of Object.entries(over)) out[k] = isPlainObject(v) && isPlainObject(out[k]) ? mergeKeys(out[k] as Values, v as Values) : v;
  return out;
}
