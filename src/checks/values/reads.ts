/**
 * Whether a chart reads a values path: the values checker's rule.
 *
 * A key is read when its chart has it in its defaults, its values.schema.json
 * or its templates (keys under a subchart's key are asked of that subchart,
 * recursively, and `global` of every chart in the tree); below the known keys,
 * a map is free-form only when its default is empty, or when the templates
 * emit it whole (toYaml, tpl, range) and the new key is not a near-miss of one
 * of the map's default keys (`resourcez` next to `resources` is a typo).
 */
import { type ChartModel, pathKey } from '../../helm/chart-model.js';
import { isPlainObject, type Values } from '../../lib/values.js';

export function isReadByChart(model: ChartModel, path: readonly string[]): boolean {
  if (path.length === 0) return true;
  if (path[0] === 'global') return readsGlobal(model, path);
  const sub = model.subcharts?.get(path[0]!);
  if (sub) return path.length === 1 || namedByParent(model, path) || isReadByChart(sub, path.slice(1));
  return readsOwn(model, path);
}

/** Globals reach every chart of the tree: one of them reading the key is enough. */
function readsGlobal(model: ChartModel, path: readonly string[]): boolean {
  if (readsOwn(model, path)) return true;
  for (const sub of model.subcharts?.values() ?? []) if (readsGlobal(sub, path)) return true;
  return false;
}

/** A parent may set or read keys of its subchart's values itself (`redis-ha.enabled` as a condition). */
function namedByParent(model: ChartModel, path: readonly string[]): boolean {
  return descend(model.defaults, path).depth === path.length || model.templatePaths.has(pathKey(path)) || schemaNames(model.schema, path);
}

/** How far a path goes into the defaults, and the value where it stops. */
function descend(defaults: Values, path: readonly string[]): { depth: number; node: unknown } {
  let node: unknown = defaults;
  let depth = 0;
  while (depth < path.length && isPlainObject(node) && path[depth]! in node) node = (node as Values)[path[depth++]!];
  return { depth, node };
}

function readsOwn(model: ChartModel, path: readonly string[]): boolean {
  const { depth, node } = descend(model.defaults, path);
  if (depth === path.length) return true;
  if (model.schema && schemaAllows(model.schema, path)) return true;
  // Below the defaults: a path the templates name, or a map they take whole that has no defaults to mistype.
  for (let n = path.length; n > depth; n--) {
    const p = pathKey(path.slice(0, n));
    if (model.templatePaths.has(p) && (n === path.length || !hasDeeperRead(model, p))) return true;
    if (n < path.length && model.wholeMaps.has(p)) return true;
  }
  if (depth > 0 && (node === null || (isPlainObject(node) && Object.keys(node).length === 0))) return true;
  // A map with defaults, emitted whole by a template (itself or a map above it): new keys, but no typos.
  const key = path[depth]!;
  const siblings = isPlainObject(node) ? Object.keys(node) : [];
  for (let n = depth; n >= 1; n--) {
    const p = pathKey(path.slice(0, n));
    if (n === depth && model.keyPrefixes.get(p)?.some((prefix) => key.startsWith(prefix))) return true;
    if (model.wholeMaps.has(p) || (model.templatePaths.has(p) && !hasDeeperRead(model, p))) return !siblings.some((s) => isNearMiss(key, s));
  }
  // The whole values tree emitted (Kiali writes its values as its configuration): new keys anywhere, but no typos.
  if (model.wholeMaps.has(pathKey([]))) return !siblings.some((s) => isNearMiss(key, s));
  return false;
}

/** A path the templates read exactly and nothing below it: the template takes it whole (`toYaml (default .Values.a .Values.b)`). */
function hasDeeperRead(model: ChartModel, prefix: string): boolean {
  const below = `${prefix}\u0001`;
  for (const p of model.templatePaths) if (p.startsWith(below)) return true;
  return false;
}

function schemaAllows(schema: Record<string, unknown>, path: readonly string[]): boolean {
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

/** Every key of the path is listed in the schema's `properties` (an open map does not count). */
function schemaNames(schema: Record<string, unknown> | undefined, path: readonly string[]): boolean {
  let cur = schema;
  for (const key of path) {
    const props = cur?.properties as Record<string, Record<string, unknown>> | undefined;
    if (!props || !(key in props)) return false;
    cur = props[key];
  }
  return cur !== undefined;
}

/**
 * `key` looks like a typo of `known`: the same key in another case, or one
 * letter added, dropped, changed or swapped with its neighbour (`resourcez`,
 * `enabeld`). Keys of two letters or fewer are never near-misses.
 */
export function isNearMiss(key: string, known: string): boolean {
  if (key === known) return false;
  const a = key.toLowerCase();
  const b = known.toLowerCase();
  return a === b || (Math.min(a.length, b.length) > 2 && typoDistance(a, b) <= 1);
}

/** Edit distance counting a swap of two neighbouring letters as one edit (optimal string alignment). */
function typoDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/** The chart of the tree whose values hold `path`, and the path inside it. */
export function scopeOf(model: ChartModel, path: readonly string[]): { model: ChartModel; path: readonly string[]; prefix: string[] } {
  let cur = model;
  let rest = path;
  const prefix: string[] = [];
  while (rest.length > 1 && cur.subcharts?.has(rest[0]!)) {
    prefix.push(rest[0]!);
    cur = cur.subcharts.get(rest[0]!)!;
    rest = rest.slice(1);
  }
  return { model: cur, path: rest, prefix };
}

/** The keys a chart knows directly under `path`: in its defaults, its schema and its templates. */
export function keysUnder(model: ChartModel, path: readonly string[]): string[] {
  const keys = new Set<string>();
  const { depth, node } = descend(model.defaults, path);
  if (depth === path.length && isPlainObject(node)) for (const k of Object.keys(node)) keys.add(k);
  let schema: Record<string, unknown> | undefined = model.schema;
  for (const k of path) schema = (schema?.properties as Record<string, Record<string, unknown>> | undefined)?.[k];
  for (const k of Object.keys((schema?.properties as object | undefined) ?? {})) keys.add(k);
  const prefix = path.length === 0 ? '' : `${pathKey(path)}\u0001`;
  for (const p of model.templatePaths) if (p.startsWith(prefix)) keys.add(p.slice(prefix.length).split('\u0001')[0]!);
  for (const k of path.length === 0 ? (model.subcharts?.keys() ?? []) : []) keys.add(k);
  return [...keys].sort();
}
