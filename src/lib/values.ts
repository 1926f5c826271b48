/** Helm values as plain data: paths, get, set and the deep merge Helm applies to values files. */

export type Values = Record<string, unknown>;
/**
 * A path into values; `'a.b.c'` is split on dots, an array is taken as given
 * (for keys that contain dots). A numeric key steps into a list that is there
 * (`server.extraContainers.0.resources`).
 */
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

const isIndex = (key: string) => /^\d+$/.test(key);

export function getIn(values: unknown, path: ValuesPath): unknown {
  let cur: unknown = values;
  for (const key of pathKeys(path)) {
    if (Array.isArray(cur) && isIndex(key)) cur = cur[Number(key)];
    else if (isPlainObject(cur)) cur = cur[key];
    else return undefined;
  }
  return cur;
}

/** Sets a value, creating intermediate objects (lists are stepped into, never created); returns the same (mutated) object. */
export function setIn<T extends Values>(values: T, path: ValuesPath, value: unknown): T {
  type Slots = Record<string | number, unknown>;
  const keys = pathKeys(path);
  const slotOf = (holder: unknown, key: string) => (Array.isArray(holder) && isIndex(key) ? Number(key) : key);
  let cur: Slots = values;
  for (let i = 0; i < keys.length - 1; i++) {
    const slot = slotOf(cur, keys[i]!);
    const next = cur[slot];
    const steppable = isPlainObject(next) || (Array.isArray(next) && isIndex(keys[i + 1]!));
    if (!steppable) cur[slot] = {};
    cur = cur[slot] as Slots;
  }
  cur[slotOf(cur, keys[keys.length - 1]!)] = value;
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
