/**
 * Values checker: every key Plinth (or the user) sets must be one the chart
 * reads. Rule (`values/reads.ts`): a key is read when its chart's defaults,
 * values.schema.json or templates know it (a subchart's keys asked of that
 * subchart, recursively); below those, a map is free-form only when its
 * default is empty, or when a template emits it whole and the key is no typo
 * of one of its default keys. A key the chart never reads is silently
 * ignored by Helm: here it is an error, with the nearest real keys as a hint.
 */
import type { ChartModel } from '../helm/chart-model.js';
import { isPlainObject, type Values } from '../lib/values.js';
import { closest } from '../lib/suggest.js';
import type { Unit } from '../model/unit.js';
import type { Finding } from './finding.js';
import { isNearMiss, isReadByChart, keysUnder, scopeOf } from './values/reads.js';

export { isReadByChart } from './values/reads.js';

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

/** Every path a chart tree knows: its defaults' leaves and its templates' reads, subcharts under their keys. */
function knownPaths(model: ChartModel, prefix: string[] = []): string[][] {
  const own = [...leafPaths(model.defaults), ...[...model.templatePaths].map((p) => p.split('\u0001'))].map((p) => [...prefix, ...p]);
  const subs = [...(model.subcharts ?? [])].flatMap(([key, sub]) => knownPaths(sub, [...prefix, key]));
  return [...own, ...subs];
}

/**
 * The nearest real keys: a key beside it that it misspells, else real keys
 * ending in the same key name (shortest prefix ending there), else the closest path.
 */
function suggestions(model: ChartModel, path: string[]): string[] {
  const last = path[path.length - 1]!;
  const scope = scopeOf(model, path);
  const parent = [...scope.prefix, ...scope.path.slice(0, -1)];
  const typos = keysUnder(scope.model, scope.path.slice(0, -1)).filter((k) => isNearMiss(last, k));
  if (typos.length > 0) return typos.slice(0, 3).map((k) => pathString([...parent, k]));
  const known = knownPaths(model);
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
    while (top > 1 && !isReadByChart(model, path.slice(0, top - 1))) top--;
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
