/**
 * Kubernetes CEL regex library: `find` and `findAll`. Patterns are RE2 in the
 * cluster; the common subset is translated to JavaScript (named groups, a
 * leading `(?i)` flag group). RE2-only syntax fails as an evaluation error.
 */
import type { Environment } from '../vendor.js';
import { celError } from './common.js';

const cache = new Map<string, RegExp>();

export function re2(pattern: string): RegExp {
  const cached = cache.get(pattern);
  if (cached) return cached;
  let source = pattern.replace(/\(\?P</g, '(?<');
  let flags = 'gu';
  const leading = /^\(\?([ims]+)\)/.exec(source);
  if (leading) {
    source = source.slice(leading[0].length);
    flags += leading[1]!.replace(/[^ims]/g, '');
  }
  try {
    const re = new RegExp(source, flags);
    cache.set(pattern, re);
    return re;
  } catch (cause) {
    throw celError(`invalid regular expression ${JSON.stringify(pattern)}: ${(cause as Error).message}`);
  }
}

function findAll(s: string, pattern: string, limit: bigint): string[] {
  if (limit === 0n) return [];
  const out: string[] = [];
  for (const m of s.matchAll(re2(pattern))) {
    out.push(m[0]);
    if (limit > 0n && BigInt(out.length) >= limit) break;
  }
  return out;
}

export function registerRegex(env: Environment): void {
  env
    .registerFunction('string.find(string): string', (s: string, p: string) => findAll(s, p, 1n)[0] ?? '')
    .registerFunction('string.findAll(string): list<string>', (s: string, p: string) => findAll(s, p, -1n))
    .registerFunction('string.findAll(string, int): list<string>', (s: string, p: string, n: bigint) => findAll(s, p, n));
}
