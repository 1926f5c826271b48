/**
 * Regular expressions as the cluster runs them: RE2 (cel-go uses Go's regexp),
 * through re2js, for `matches` (receiver and global form), `find` and
 * `findAll`. JavaScript's RegExp is never used: it rejects or misreads RE2
 * syntax (`(?i)` inside a pattern, `(?P<name>…)`, `[[:alpha:]]`, `\pL`, `\Q…\E`).
 * An invalid pattern is an evaluation error, as in cel-go.
 *
 * cel-js registers its own `string.matches(string)` (JavaScript RegExp) and
 * refuses a second overload with the same signature, so the receiver form is
 * registered as `string.matchesRe2(string)` and parsed expressions are routed
 * to it (`routeMatchesToRe2`, applied by `parseCel`).
 */
import { RE2JS } from '../vendor.js';
import type { Environment } from '../vendor.js';
import { celError } from './common.js';

export const RE2_MATCHES = 'matchesRe2';

const cache = new Map<string, RE2JS>();

export function re2(pattern: string): RE2JS {
  const cached = cache.get(pattern);
  if (cached) return cached;
  try {
    const re = RE2JS.compile(pattern);
    cache.set(pattern, re);
    return re;
  } catch (cause) {
    throw celError(`invalid regular expression ${JSON.stringify(pattern)}: ${(cause as Error).message}`);
  }
}

export function re2Matches(s: string, pattern: string): boolean {
  return re2(pattern).test(s);
}

/** Go's `FindAllString`: leftmost matches, an empty match right after a previous match is skipped. */
function findAll(s: string, pattern: string, limit: bigint): string[] {
  if (limit === 0n) return [];
  const out: string[] = [];
  const m = re2(pattern).matcher(s);
  let previousEnd = -1;
  while (m.find()) {
    if (m.start() === m.end() && m.start() === previousEnd) continue;
    previousEnd = m.end();
    out.push(m.group() ?? '');
    if (limit > 0n && BigInt(out.length) >= limit) break;
  }
  return out;
}

export function registerRegex(env: Environment): void {
  env
    .registerFunction(`string.${RE2_MATCHES}(string): bool`, re2Matches)
    .registerFunction('matches(string, string): bool', re2Matches)
    .registerFunction('string.find(string): string', (s: string, p: string) => findAll(s, p, 1n)[0] ?? '')
    .registerFunction('string.findAll(string): list<string>', (s: string, p: string) => findAll(s, p, -1n))
    .registerFunction('string.findAll(string, int): list<string>', (s: string, p: string, n: bigint) => findAll(s, p, n));
}
