/** Helm values as plain data: paths, get, set and the deep merge Helm applies to values files. */

export type Values = Record<string, unknown>;
/** A path into values; `'a.b.c'` is split on dots, an array is taken as given (for keys that contain dots). */
export type ValuesPath = string | readonly string[];

export function pathKeys(path: ValuesPath): string[] {
  return typeof path === 'string' ? path.split('.') : [...path];
}

export function pathText(path: ValuesPath): string {
  return pathKeys(path)
    .map((k, i) => (/^[A-Za-z_][\w-]*$/.test(k) ? `${i === 0 ? '' : '.'}${k}` : `[${JSON.stringify(k)}]`))
    .join('');
}

export function isPlainObject(v: unknown): v is Values {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function getIn(values: unknown, path: ValuesPath): unknown {
  let cur: unknown = values;
  for (const key of pathKeys(path)) {
    if (!isPlainObject(cur)) return undefined;
    cur = cur[key];
  }
  return cur;
}

/** Sets a value, creating intermediate objects; returns the same (mutated) object. */
export function setIn<T extends Values>(values: T, path: ValuesPath, value: unknown): T {
  const keys = pathKeys(path);
  let cur: Values = values;
  for (const key of keys.slice(0, -1)) {
    const next = cur[key];
    if (!isPlainObject(next)) cur[key] = {};
    cur = cur[key] as Values;
  }
  cur[keys[keys.length - 1]!] = value;
  return values;
}

/**
 * Helm's merge of values files: maps merge key by key, everything else
 * (scalars, lists) is replaced by the later value; `null` deletes a key.
 */
export function mergeValues(base: Values, override: Values): Values {
  const out: Values = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (value === null) {
      delete out[key];
    } else if (isPlainObject(value) && isPlainObject(out[key])) {
      out[key] = mergeValues(out[key] as Values, value);
    } else {
      out[key] = structuredClone(value);
    }
  }
  return out;
}
