/**
 * Kubernetes CEL list library (k8s.io/apiserver/pkg/cel/library, lists):
 * isSorted, sum, min, max, indexOf, lastIndexOf; and the cel-go `sets`
 * extension (sets.contains, sets.equivalent, sets.intersects), which the
 * API server and Kyverno both enable. Written for cel-js, which lacks them.
 */
import { Duration, type Environment } from '../vendor.js';
import { asList, celCompare, celEquals, celError, typeName } from './common.js';

function isSorted(list: unknown[]): boolean {
  for (let i = 1; i < list.length; i++) if (celCompare(list[i - 1], list[i]) > 0) return false;
  return true;
}

function sum(list: unknown[]): unknown {
  if (list.length === 0) return 0n;
  const first = list[0];
  if (typeof first === 'bigint') return list.reduce<bigint>((acc, v) => acc + (v as bigint), 0n);
  if (typeof first === 'number') return list.reduce<number>((acc, v) => acc + Number(v), 0);
  if (first instanceof Duration) return list.slice(1).reduce<Duration>((acc, v) => acc.addDuration(v as Duration), first);
  throw celError(`sum: cannot add values of type ${typeName(first)}`);
}

function extreme(list: unknown[], fn: 'min' | 'max'): unknown {
  if (list.length === 0) throw celError(`${fn} called on an empty list`);
  return list.reduce((best, v) => (fn === 'min' ? (celCompare(v, best) < 0 ? v : best) : celCompare(v, best) > 0 ? v : best));
}

function indexOf(list: unknown[], item: unknown, last: boolean): bigint {
  const order = [...list.keys()];
  for (const i of last ? order.reverse() : order) if (celEquals(list[i], item)) return BigInt(i);
  return -1n;
}

/** The `sets` namespace value: cel-js resolves `sets.contains(...)` as a method on this constant. */
export class SetsNamespace {}

export function registerLists(env: Environment): void {
  env
    .registerFunction('list.isSorted(): bool', (l: unknown) => isSorted(asList(l, 'isSorted')))
    .registerFunction('list.sum(): dyn', (l: unknown) => sum(asList(l, 'sum')))
    .registerFunction('list.min(): dyn', (l: unknown) => extreme(asList(l, 'min'), 'min'))
    .registerFunction('list.max(): dyn', (l: unknown) => extreme(asList(l, 'max'), 'max'))
    .registerFunction('list.indexOf(dyn): int', (l: unknown, x: unknown) => indexOf(asList(l, 'indexOf'), x, false))
    .registerFunction('list.lastIndexOf(dyn): int', (l: unknown, x: unknown) => indexOf(asList(l, 'lastIndexOf'), x, true))
    .registerType('SetsNamespace', SetsNamespace)
    .registerConstant('sets', 'SetsNamespace', new SetsNamespace())
    .registerFunction('SetsNamespace.contains(list, list): bool', (_: unknown, a: unknown[], b: unknown[]) => b.every((x) => a.some((y) => celEquals(x, y))))
    .registerFunction('SetsNamespace.intersects(list, list): bool', (_: unknown, a: unknown[], b: unknown[]) => b.some((x) => a.some((y) => celEquals(x, y))))
    .registerFunction(
      'SetsNamespace.equivalent(list, list): bool',
      (_: unknown, a: unknown[], b: unknown[]) => b.every((x) => a.some((y) => celEquals(x, y))) && a.every((x) => b.some((y) => celEquals(x, y))),
    );
}
