/**
 * `string.format(list)` of the cel-go strings extension, which Kubernetes and
 * Kyverno enable: `%s` (any value), `%d` (integers), `%f` and `%e` (numbers,
 * precision as in `%.2f`, default 6), `%x`/`%X` (integers, strings and bytes in
 * hexadecimal), `%o` (octal), `%b` (binary), `%%`. A verb applied to a value it
 * does not take, or a missing argument, is an evaluation error.
 */
import { Duration, type Environment } from '../vendor.js';
import { isRecord } from '../values.js';
import { celError, typeName } from './common.js';

function isInteger(v: unknown): boolean {
  return typeof v === 'bigint' || (v !== null && typeof v === 'object' && v.constructor?.name === 'UnsignedInt');
}

function integerOf(v: unknown): bigint {
  return typeof v === 'bigint' ? v : (v as { valueOf(): bigint }).valueOf();
}

function doubleText(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
  return String(v);
}

/** `%s`: strings as they are; inside lists and maps, strings quoted. */
// eslint-disable-next-line complexity -- one branch per CEL value type for `%s`, as the Kubernetes format library prints each
function text(v: unknown, nested = false): string {
  if (typeof v === 'string') return nested ? JSON.stringify(v) : v;
  if (typeof v === 'number') return doubleText(v);
  if (typeof v === 'boolean' || isInteger(v)) return String(integerOrSelf(v));
  if (v === null) return 'null';
  if (v instanceof Uint8Array) return new TextDecoder().decode(v);
  if (v instanceof Date) return v.toISOString().replace('.000Z', 'Z');
  if (v instanceof Duration) return v.toString();
  if (Array.isArray(v) || v instanceof Set) return `[${[...v].map((x) => text(x, true)).join(', ')}]`;
  const entries = v instanceof Map ? [...v.entries()] : isRecord(v) ? Object.entries(v) : undefined;
  if (entries) {
    const sorted = entries.map(([k, x]) => [text(k, true), text(x, true)] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${sorted.map(([k, x]) => `${k}: ${x}`).join(', ')}}`;
  }
  if (v !== null && typeof v === 'object' && typeof (v as object).toString === 'function' && (v as object).toString !== Object.prototype.toString) return String(v);
  throw celError(`format: no string clause for a value of type ${typeName(v)}`);
}

function integerOrSelf(v: unknown): unknown {
  return isInteger(v) ? integerOf(v) : v;
}

function fixed(v: unknown, precision: number, verb: string): string {
  const n = isInteger(v) ? Number(integerOf(v)) : v;
  if (typeof n !== 'number') throw celError(`format: %${verb} takes a number, not ${typeName(v)}`);
  if (!Number.isFinite(n)) return doubleText(n);
  if (verb === 'f') return toFixedHalfEven(n, precision);
  // Go's %e: at least two exponent digits
  return n.toExponential(precision).replace(/e([+-])(\d)$/, 'e$10$2');
}

/**
 * Go rounds an exact tie to even (`%.0f` of 2.5 is `2`); JavaScript's toFixed
 * rounds it up. Doubles are binary, so a tie is exact when the expansion ends in 5.
 */
function toFixedHalfEven(n: number, precision: number): string {
  const wide = Math.abs(n).toFixed(Math.min(100, precision + 30));
  const point = wide.indexOf('.');
  const rest = wide.slice(point + 1 + precision);
  if (!/^50*$/.test(rest)) return n.toFixed(precision);
  const kept = wide.slice(0, point + 1 + precision).replace(/\.$/, '');
  const lastDigit = Number(kept[kept.length - 1]);
  const sign = n < 0 ? '-' : '';
  if (lastDigit % 2 === 0) return sign + kept;
  return sign + (Math.abs(n) + 0.5 * 10 ** -precision).toFixed(precision);
}

function radix(v: unknown, base: number, verb: string): string {
  if (isInteger(v)) return integerOf(v).toString(base);
  if (base === 16 && typeof v === 'string') return [...new TextEncoder().encode(v)].map((b) => b.toString(16).padStart(2, '0')).join('');
  if (base === 16 && v instanceof Uint8Array) return [...v].map((b) => b.toString(16).padStart(2, '0')).join('');
  throw celError(`format: %${verb} takes an integer${base === 16 ? ', a string or bytes' : ''}, not ${typeName(v)}`);
}

// eslint-disable-next-line complexity -- a scanner over the template: one case per verb of the Kubernetes format library (%s %d %f %e %x %X %o %b %%)
export function format(template: string, args: unknown[]): string {
  let out = '';
  let next = 0;
  const arg = (verb: string) => {
    if (next >= args.length) throw celError(`format: index ${next} out of range: %${verb} has no argument`);
    return args[next++];
  };
  for (let i = 0; i < template.length; i++) {
    const ch = template[i]!;
    if (ch !== '%') {
      out += ch;
      continue;
    }
    const m = /^%(?:\.(\d+))?([a-zA-Z%])/.exec(template.slice(i));
    if (!m) throw celError(`format: unterminated clause at position ${i}`);
    const [whole, precision, verb] = m as unknown as [string, string | undefined, string];
    i += whole.length - 1;
    if (precision !== undefined && verb !== 'f' && verb !== 'e') throw celError(`format: precision is only allowed with %f and %e, not %${verb}`);
    switch (verb) {
      case '%':
        out += '%';
        break;
      case 's':
        out += text(arg(verb));
        break;
      case 'd': {
        const v = arg(verb);
        if (!isInteger(v)) throw celError(`format: %d takes an integer, not ${typeName(v)}`);
        out += integerOf(v).toString();
        break;
      }
      case 'f':
      case 'e':
        out += fixed(arg(verb), precision === undefined ? 6 : Number(precision), verb);
        break;
      case 'x':
        out += radix(arg(verb), 16, verb);
        break;
      case 'X':
        out += radix(arg(verb), 16, verb).toUpperCase();
        break;
      case 'o':
        out += radix(arg(verb), 8, verb);
        break;
      case 'b':
        out += radix(arg(verb), 2, verb);
        break;
      default:
        throw celError(`format: unrecognized formatting clause %${verb}`);
    }
  }
  return out;
}

export function registerFormat(env: Environment): void {
  env.registerFunction('string.format(list): string', (s: string, args: unknown[]) => format(s, [...args]));
}
