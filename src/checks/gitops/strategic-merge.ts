/**
 * Strategic merge patch, as the ApplicationSet controller applies a rendered
 * `templatePatch` onto the templated Application (Kubernetes'
 * strategicpatch with the Application's Go type): maps merge key by key,
 * `null` deletes a key, lists replace, except lists whose field declares the
 * merge strategy, which merge. For an Application those are the ObjectMeta
 * lists: `finalizers` (a set of strings: a patch adds, never removes, unless
 * it uses a `$deleteFromPrimitiveList/finalizers` directive) and
 * `ownerReferences` (merged by `uid`).
 */
import { isPlainObject } from '../../lib/values.js';

type Json = unknown;

/** List fields of an Application with the merge strategy, by dotted path, with their merge key ('' for primitives). */
const MERGE_LISTS: Readonly<Record<string, string>> = {
  'metadata.finalizers': '',
  'metadata.ownerReferences': 'uid',
};

function mergeList(original: Json[], patch: Json[], key: string): Json[] {
  if (key === '') return [...original, ...patch.filter((p) => !original.includes(p))];
  const out = [...original];
  for (const p of patch) {
    const id = isPlainObject(p) ? p[key] : undefined;
    const at = out.findIndex((o) => isPlainObject(o) && o[key] === id);
    if (at === -1) out.push(p);
    else out[at] = strategicMerge(out[at], p, '');
  }
  return out;
}

export function strategicMerge(original: Json, patch: Json, path = ''): Json {
  if (!isPlainObject(patch) || !isPlainObject(original)) return patch;
  const out: Record<string, Json> = { ...original };
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      const field = k.slice('$deleteFromPrimitiveList/'.length);
      const list = Array.isArray(out[field]) ? (out[field] as Json[]) : [];
      out[field] = list.filter((x) => !(Array.isArray(v) && v.includes(x)));
      continue;
    }
    if (k.startsWith('$')) continue;
    const at = path ? `${path}.${k}` : k;
    if (v === null) {
      delete out[k];
      continue;
    }
    const key = MERGE_LISTS[at];
    if (key !== undefined && Array.isArray(v) && Array.isArray(out[k])) out[k] = mergeList(out[k] as Json[], v, key);
    else if (isPlainObject(v) && isPlainObject(out[k])) out[k] = strategicMerge(out[k], v, at);
    else out[k] = v;
  }
  return out;
}

/** What a reader expecting a plain (JSON) merge would get: lists always replace. */
export function jsonMerge(original: Json, patch: Json): Json {
  if (!isPlainObject(patch) || !isPlainObject(original)) return patch;
  const out: Record<string, Json> = { ...original };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = isPlainObject(v) && isPlainObject(out[k]) ? jsonMerge(out[k], v) : v;
  }
  return out;
}
