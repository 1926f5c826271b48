/** Equality, ordering and errors shared by the Kubernetes CEL library functions. */
import { EvaluationError } from '../vendor.js';
import { isRecord } from '../values.js';

export function celError(message: string): EvaluationError {
  return new EvaluationError(message);
}

function isNumeric(v: unknown): v is number | bigint {
  return typeof v === 'number' || typeof v === 'bigint';
}

/** CEL equality: numbers compare across int/double, lists and maps deeply. */
// eslint-disable-next-line complexity -- one branch per CEL value type with its own equality (int/double across, list, map, bytes, timestamp), as the CEL spec lists them
export function celEquals(a: unknown, b: unknown): boolean {
  if (isNumeric(a) && isNumeric(b)) return typeof a === typeof b ? a === b : Number(a) === Number(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => celEquals(x, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && celEquals(a[k], b[k]));
  }
  if (a instanceof Uint8Array && b instanceof Uint8Array) return a.length === b.length && a.every((x, i) => x === b[i]);
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return a === b;
}

/** CEL ordering of comparable values (numbers, strings, bools, timestamps); throws for the rest. */
// eslint-disable-next-line complexity -- one branch per CEL type with an ordering (int, double, string, bool, timestamp, wrapped numbers), as the CEL spec lists them
export function celCompare(a: unknown, b: unknown): number {
  if (isNumeric(a) && isNumeric(b)) {
    if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
    return Number(a) < Number(b) ? -1 : Number(a) > Number(b) ? 1 : 0;
  }
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (a instanceof Date && b instanceof Date) return Math.sign(a.getTime() - b.getTime());
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && a.constructor === b.constructor && 'valueOf' in a) {
    const [x, y] = [(a as { valueOf(): unknown }).valueOf(), (b as { valueOf(): unknown }).valueOf()];
    if (isNumeric(x) && isNumeric(y)) return celCompare(x, y);
  }
  throw celError(`no ordering between ${typeName(a)} and ${typeName(b)}`);
}

export function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'number') return 'double';
  if (Array.isArray(v)) return 'list';
  if (isRecord(v) || v instanceof Map) return 'map';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'object';
  return typeof v;
}

export function asList(v: unknown, fn: string): unknown[] {
  if (Array.isArray(v)) return v;
  if (v instanceof Set) return [...v];
  throw celError(`${fn}: expected a list, got ${typeName(v)}`);
}
