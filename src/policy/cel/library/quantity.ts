/**
 * Kubernetes CEL quantity library: quantity("250m"), isQuantity, and the
 * Quantity methods (compareTo, isLessThan, isGreaterThan, add, sub, sign,
 * isInteger, asInteger, asApproximateFloat). Values are exact rationals
 * (bigint numerator over a power of ten), so "1Gi" and "1073741824" are equal.
 */
import type { Environment } from '../vendor.js';
import { celError } from './common.js';

const BINARY: Record<string, bigint> = { Ki: 1n << 10n, Mi: 1n << 20n, Gi: 1n << 30n, Ti: 1n << 40n, Pi: 1n << 50n, Ei: 1n << 60n };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const SYNTAX = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?\d+|[numkMGTPE])?$/;
const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

export class Quantity {
  /** value = num / den, den a positive power of ten. */
  constructor(
    readonly num: bigint,
    readonly den: bigint,
  ) {}

  compare(other: Quantity): number {
    const a = this.num * other.den;
    const b = other.num * this.den;
    return a < b ? -1 : a > b ? 1 : 0;
  }

  plus(other: Quantity, sign: 1n | -1n): Quantity {
    const den = this.den > other.den ? this.den : other.den;
    return new Quantity(this.num * (den / this.den) + sign * other.num * (den / other.den), den);
  }

  isInteger(): boolean {
    return this.num % this.den === 0n && this.num / this.den <= INT64_MAX && this.num / this.den >= INT64_MIN;
  }
}

function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

export function parseKubernetesQuantity(input: string): Quantity | undefined {
  const m = SYNTAX.exec(input);
  if (!m) return undefined;
  const [, sign, number, suffix = ''] = m as unknown as [string, string, string, string | undefined];
  const [whole, frac = ''] = number.split('.');
  let num = BigInt(`${whole || '0'}${frac}`) * (sign === '-' ? -1n : 1n);
  let exp = -frac.length;
  if (suffix in BINARY) num *= BINARY[suffix]!;
  else if (/^[eE]/.test(suffix)) exp += Number(suffix.slice(1));
  else exp += DECIMAL[suffix]!;
  return exp >= 0 ? new Quantity(num * pow10(exp), 1n) : new Quantity(num, pow10(-exp));
}

function quantity(s: string): Quantity {
  const q = parseKubernetesQuantity(s);
  if (!q) throw celError(`quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': ${JSON.stringify(s)}`);
  return q;
}

function asInteger(q: Quantity): bigint {
  if (!q.isInteger()) throw celError('cannot convert value to integer: not an integer or out of int64 range');
  return q.num / q.den;
}

const T = 'kubernetes.Quantity';

export function registerQuantity(env: Environment): void {
  env
    .registerType(T, Quantity)
    .registerFunction(`quantity(string): ${T}`, quantity)
    .registerFunction('isQuantity(string): bool', (s: string) => parseKubernetesQuantity(s) !== undefined)
    .registerOperator(`${T} == ${T}`, (a: Quantity, b: Quantity) => a.compare(b) === 0)
    .registerFunction(`${T}.compareTo(${T}): int`, (a: Quantity, b: Quantity) => BigInt(a.compare(b)))
    .registerFunction(`${T}.isLessThan(${T}): bool`, (a: Quantity, b: Quantity) => a.compare(b) < 0)
    .registerFunction(`${T}.isGreaterThan(${T}): bool`, (a: Quantity, b: Quantity) => a.compare(b) > 0)
    .registerFunction(`${T}.add(${T}): ${T}`, (a: Quantity, b: Quantity) => a.plus(b, 1n))
    .registerFunction(`${T}.add(int): ${T}`, (a: Quantity, b: bigint) => a.plus(new Quantity(b, 1n), 1n))
    .registerFunction(`${T}.sub(${T}): ${T}`, (a: Quantity, b: Quantity) => a.plus(b, -1n))
    .registerFunction(`${T}.sub(int): ${T}`, (a: Quantity, b: bigint) => a.plus(new Quantity(b, 1n), -1n))
    .registerFunction(`${T}.sign(): int`, (a: Quantity) => BigInt(a.compare(new Quantity(0n, 1n))))
    .registerFunction(`${T}.isInteger(): bool`, (a: Quantity) => a.isInteger())
    .registerFunction(`${T}.asInteger(): int`, asInteger)
    .registerFunction(`${T}.asApproximateFloat(): double`, (a: Quantity) => Number(a.num) / Number(a.den));
}
