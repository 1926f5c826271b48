/**
 * Comparing what Plinth would apply with what the cluster holds, so that an
 * unchanged object is never written: a desired object is "contained" in the
 * live one when every field it sets has that value live (the server adds
 * defaults, status and metadata of its own).
 */
import type { K8sObject } from '../model/k8s.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Drops null and undefined values (charts render `key: null`, which apply must not send). */
export function pruneNulls<T>(value: T): T {
  if (Array.isArray(value)) return value.filter((v) => v !== null && v !== undefined).map((v) => pruneNulls(v)) as T;
  if (isMap(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) out[k] = pruneNulls(v);
    return out as T;
  }
  return value;
}

/**
 * The object as Plinth applies it: no nulls, no status (the status belongs to
 * controllers), and a Secret's stringData folded into data (what the server stores).
 */
export function applyForm(o: K8sObject): K8sObject {
  const { status: _status, metadata, ...rest } = pruneNulls(o) as K8sObject & { status?: unknown };
  const { creationTimestamp: _c, ...meta } = metadata;
  const out = { ...rest, metadata: meta } as K8sObject;
  if (out.kind === 'Secret' && out.apiVersion === 'v1' && isMap(out.stringData)) {
    const data: Record<string, string> = { ...((out.data as Record<string, string> | undefined) ?? {}) };
    for (const [k, v] of Object.entries(out.stringData)) data[k] = Buffer.from(String(v), 'utf8').toString('base64');
    const { stringData: _s, ...secret } = out;
    return { ...secret, data } as K8sObject;
  }
  return out;
}

function emptyish(v: unknown): boolean {
  return (Array.isArray(v) && v.length === 0) || (isMap(v) && Object.keys(v).length === 0);
}

function leafEqual(live: unknown, desired: unknown): boolean {
  if (live === desired) return true;
  // Quantities and ports: `cpu: 1` rendered, `"1"` stored.
  if ((typeof live === 'number' || typeof live === 'string') && (typeof desired === 'number' || typeof desired === 'string')) {
    return String(live) === String(desired);
  }
  return false;
}

/** Whether every field `desired` sets has that value in `live`. */
export function contains(live: unknown, desired: unknown): boolean {
  if (desired === null || desired === undefined) return true;
  if (live === undefined || live === null) return emptyish(desired);
  if (Array.isArray(desired)) {
    if (!Array.isArray(live) || live.length !== desired.length) return false;
    return desired.every((d, i) => contains(live[i], d));
  }
  if (isMap(desired)) {
    if (!isMap(live)) return false;
    return Object.entries(desired).every(([k, v]) => contains(live[k], v));
  }
  return leafEqual(live, desired);
}

/**
 * Whether `manager`'s server-side apply owns a field `desired` no longer sets:
 * applying `desired` would then remove that field, so the object differs even
 * when `contains(live, desired)` holds. Reads the manager's FieldsV1 set down to
 * the first list entry (`k:`, `v:`, `i:` keys); below that, the list is compared
 * as a whole by `contains`.
 */
export function ownsDroppedFields(live: K8sObject, desired: K8sObject, manager: string): boolean {
  const entries = Array.isArray(live.metadata.managedFields) ? (live.metadata.managedFields as unknown[]) : [];
  return entries.some((e) => {
    if (!isMap(e) || e.manager !== manager || e.operation !== 'Apply' || e.subresource) return false;
    return isMap(e.fieldsV1) && ownedMissing(e.fieldsV1, desired);
  });
}

function ownedMissing(fields: Record<string, unknown>, desired: unknown): boolean {
  for (const [k, sub] of Object.entries(fields)) {
    if (!k.startsWith('f:')) continue;
    const name = k.slice(2);
    const value = isMap(desired) ? desired[name] : undefined;
    if (value === undefined || value === null) return true;
    if (isMap(sub) && ownedMissing(sub, value)) return true;
  }
  return false;
}

const SERVER_METADATA = ['managedFields', 'resourceVersion', 'generation', 'creationTimestamp', 'uid', 'selfLink'];

/** The object without what the server maintains by itself (metadata bookkeeping, status). */
export function withoutServerFields(o: K8sObject): Json {
  const { status: _status, metadata, ...rest } = o as K8sObject & { status?: unknown };
  const meta = Object.fromEntries(Object.entries(metadata).filter(([k]) => !SERVER_METADATA.includes(k)));
  return JSON.parse(JSON.stringify({ ...rest, metadata: meta })) as Json;
}

function deepEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => deepEqual(v, b[i]!));
  if (isMap(a)) {
    if (!isMap(b)) return false;
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && deepEqual(a[k]!, (b as Record<string, Json>)[k]!));
  }
  return false;
}

/** Same object for every purpose Plinth cares about: equal outside server bookkeeping. */
export function sameObject(a: K8sObject, b: K8sObject): boolean {
  return deepEqual(withoutServerFields(a), withoutServerFields(b));
}
