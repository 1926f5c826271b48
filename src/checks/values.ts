/**
 * Values checker: every key Plinth (or the user) sets must be one the chart
 * reads: present in its default values, described by its values.schema.json,
 * under a map the chart takes whole (an empty default map, or a path its
 * templates pass on as a block), or named by its templates. A key the chart
 * never reads is silently ignored by Helm: here it is an error, with the
 * nearest real keys as a hint.
 */
import { type ChartModel, pathKey } from '../helm/chart-model.js';
import { isPlainObject, type Values } from '../lib/values.js';
import { closest } from '../lib/suggest.js';
import type { Unit } from '../model/unit.js';
import type { Finding } from './finding.js';

const CHECK = 'values';

/** Leaf paths of a values tree: scalars, lists and empty maps. */
export function leafPaths(values: Values, prefix: string[] = []): string[][] {
  const out: string[][] = [];
  for (const [k, v] of Object.entries(values)) {
    const path = [...prefix, k];
    if (isPlainObject(v) && Object.keys(v).length > 0) out.push(...leafPaths(v, path));
    else out.push(path);
  }
  return out;
}

function lookup(defaults: Values, path: string[]): { found: boolean; freeForm: boolean } {
  let cur: unknown = defaults;
  for (let i = 0; i < path.length; i++) {
    if (!isPlainObject(cur)) return { found: false, freeForm: false };
    if (!(path[i]! in cur)) {
      // A map the chart ships empty is a free-form map (nodeSelector, podLabels, extra config).
      return { found: false, freeForm: i > 0 && Object.keys(cur).length === 0 };
    }
    cur = cur[path[i]!];
  }
  return { found: true, freeForm: false };
}

function schemaAllows(schema: Record<string, unknown> | undefined, path: string[]): boolean {
  let cur: Record<string, unknown> | undefined = schema;
  for (const key of path) {
    if (!cur) return false;
    const props = cur.properties as Record<string, Record<string, unknown>> | undefined;
    if (props && key in props) cur = props[key];
    else if (isPlainObject(cur.additionalProperties)) cur = cur.additionalProperties as Record<string, unknown>;
    else if (cur.additionalProperties === true || (cur.type === 'object' && !props && cur.additionalProperties === undefined)) return true;
    else return false;
  }
  return true;
}

export function isReadByChart(model: ChartModel, path: string[]): boolean {
  const { found, freeForm } = lookup(model.defaults, path);
  if (found || freeForm) return true;
  if (model.schema && schemaAllows(model.schema, path)) return true;
  if (model.templatePaths.has(pathKey(path))) return true;
  for (let n = path.length; n >= 1; n--) {
    const prefix = pathKey(path.slice(0, n));
    if (model.wholeMaps.has(prefix)) return true;
    // A path the templates read exactly, and nothing below it: the template takes it whole
    // (e.g. `toYaml (default .Values.a.resources .Values.b.resources)`).
    if (n < path.length && model.templatePaths.has(prefix) && !hasDeeperRead(model, prefix)) return true;
  }
  return false;
}

/** Real keys ending in the same key name (shortest prefix ending there), else the closest path. */
function hasDeeperRead(model: ChartModel, prefix: string): boolean {
  const below = `${prefix}\u0001`;
  for (const p of model.templatePaths) if (p.startsWith(below)) return true;
  return false;
}

function suggestions(model: ChartModel, path: string[]): string[] {
  const last = path[path.length - 1]!;
  const known = [...leafPaths(model.defaults), ...[...model.templatePaths].map((p) => p.split('\u0001'))];
  const sameKey = new Set<string>();
  for (const k of known) {
    const i = k.indexOf(last);
    if (i !== -1) sameKey.add(pathString(k.slice(0, i + 1)));
  }
  sameKey.delete(pathString(path));
  if (sameKey.size > 0) return [...sameKey].sort().slice(0, 3);
  const near = closest(pathString(path), known.map(pathString));
  return near ? [near] : [];
}

/** `a.b["c.d"]`: keys with dots are quoted so the path reads unambiguously. */
export function pathString(path: readonly string[]): string {
  return path.map((k, i) => (/^[A-Za-z_][\w-]*$/.test(k) ? `${i === 0 ? '' : '.'}${k}` : `[${JSON.stringify(k)}]`)).join('');
}

export function checkValues(unit: Unit, model: ChartModel, file?: string): Finding[] {
  if (!unit.chart) return [];
  const findings: Finding[] = [];
  for (const path of leafPaths(unit.values)) {
    if (isReadByChart(model, path)) continue;
    // Report the highest unknown key only once (`foo.bar` and `foo.baz` under an unknown `foo`).
    let top = path.length;
    while (top > 1 && !isReadByChart(model, path.slice(0, top - 1)) && !lookup(model.defaults, path.slice(0, top - 1)).found) top--;
    const unknown = pathString(path.slice(0, top));
    if (findings.some((f) => f.path === `values.${unknown}`)) continue;
    const hint = suggestions(model, path.slice(0, top));
    findings.push({
      check: CHECK,
      severity: 'error',
      source: { component: unit.name, ...(file ? { file } : {}) },
      path: `values.${unknown}`,
      message: `chart ${unit.chart.chart} ${unit.chart.version} never reads ${unknown}: Helm ignores it`,
      hint: hint.length > 0 ? `did you mean ${hint.join(', ')}?` : 'remove it; see `helm show values` for the keys this chart reads',
    });
  }
  return findings;
}
