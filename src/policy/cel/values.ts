/**
 * Data crossing the CEL boundary. Objects parsed from YAML hold JavaScript
 * numbers; the API server hands CEL int64 for integers and float64 for the
 * rest, so integers become `bigint` (CEL int) on the way in. On the way out,
 * CEL values become plain data again for messages and reports.
 */
import { Optional } from './vendor.js';

export function toCel(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(toCel);
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toCel(v);
    return out;
  }
  return value;
}

/** Fields the API server serializes as null when unset (no `omitempty` in their Go type). */
const NULL_WHEN_UNSET = new Set(['rules']);

/**
 * An object as the API server hands it to admission: a field set to null is
 * dropped (Go's `omitempty`, structural schema pruning), except the few that
 * serialize as null; `metadata: null` is an empty metadata (an embedded struct).
 * So a chart's `annotations: null` reads as absent, as it would in the cluster.
 */
export function storedObject(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(storedObject);
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue;
      if (v !== null) out[k] = storedObject(v);
      else if (k === 'metadata') out[k] = {};
      else if (NULL_WHEN_UNSET.has(k)) out[k] = null;
    }
    return out;
  }
  return value;
}

// eslint-disable-next-line complexity -- one branch per CEL runtime type (int, optional, list, set, map, record, wrapped int) back to its JSON value
export function fromCel(value: unknown): unknown {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Optional) return value.hasValue() ? fromCel(value.value()) : undefined;
  if (Array.isArray(value) || value instanceof Set) return [...value].map(fromCel);
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), fromCel(v)]));
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromCel(v)]));
  if (value !== null && typeof value === 'object' && 'valueOf' in value && typeof value.valueOf() === 'bigint') return fromCel(value.valueOf());
  return value;
}

/** A CEL value as message text: strings as they are, everything else as JSON-ish text. */
export function celText(value: unknown): string {
  const plain = fromCel(value);
  return typeof plain === 'string' ? plain : JSON.stringify(plain) ?? String(plain);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
