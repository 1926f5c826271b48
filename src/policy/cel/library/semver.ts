/**
 * Kubernetes CEL semver library: `semver(s)`, `isSemver(s)`, their `normalize`
 * forms (`semver(s, true)`: a leading `v`, a missing minor or patch and leading
 * zeros accepted), and the `Semver` methods major, minor, patch, compareTo,
 * isLessThan, isGreaterThan, and equality. Versions are Semantic Versioning
 * 2.0.0, strictly (`1.2.3`, `1.2.3-rc.1+build.5`); build metadata does not
 * take part in ordering or equality.
 */
import type { Environment } from '../vendor.js';
import { celError } from './common.js';

export class Semver {
  constructor(
    readonly major: bigint,
    readonly minor: bigint,
    readonly patch: bigint,
    readonly pre: readonly string[],
  ) {}

  // eslint-disable-next-line complexity -- the Semantic Versioning 2.0 precedence rules in order: major, minor, patch, release over pre-release, then per identifier numeric against alphanumeric
  compare(other: Semver): number {
    for (const k of ['major', 'minor', 'patch'] as const) if (this[k] !== other[k]) return this[k] < other[k] ? -1 : 1;
    // a release outranks its pre-releases
    if (this.pre.length === 0 || other.pre.length === 0) return this.pre.length === other.pre.length ? 0 : this.pre.length === 0 ? 1 : -1;
    for (let i = 0; i < Math.min(this.pre.length, other.pre.length); i++) {
      const [a, b] = [this.pre[i]!, other.pre[i]!];
      if (a === b) continue;
      const [na, nb] = [/^\d+$/.test(a), /^\d+$/.test(b)];
      if (na && nb) return BigInt(a) < BigInt(b) ? -1 : 1;
      if (na !== nb) return na ? -1 : 1;
      return a < b ? -1 : 1;
    }
    return Math.sign(this.pre.length - other.pre.length);
  }
}

const NUMBER = '(0|[1-9]\\d*)';
const IDENTIFIER = '[0-9A-Za-z-]+';
const STRICT = new RegExp(`^${NUMBER}\\.${NUMBER}\\.${NUMBER}(?:-(${IDENTIFIER}(?:\\.${IDENTIFIER})*))?(?:\\+(${IDENTIFIER}(?:\\.${IDENTIFIER})*))?$`);

/** `v1.2` → `1.2.0`, `01.02.03` → `1.2.3`: what `normalize` accepts before strict parsing. */
function normalized(s: string): string {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(.*)$/.exec(s);
  if (!m) return s;
  const [, major, minor = '0', patch = '0', rest] = m as unknown as [string, string, string | undefined, string | undefined, string];
  const trim = (n: string) => n.replace(/^0+(?=\d)/, '');
  return `${trim(major)}.${trim(minor)}.${trim(patch)}${rest}`;
}

export function parseSemver(s: string, normalize = false): Semver | string {
  const m = STRICT.exec(normalize ? normalized(s) : s);
  if (!m) return `invalid semver ${JSON.stringify(s)}`;
  const pre = m[4] ? m[4].split('.') : [];
  if (pre.some((p) => /^0\d+$/.test(p))) return `invalid semver ${JSON.stringify(s)}: numeric prerelease identifier with a leading zero`;
  return new Semver(BigInt(m[1]!), BigInt(m[2]!), BigInt(m[3]!), pre);
}

function semver(s: string, normalize = false): Semver {
  const parsed = parseSemver(s, normalize);
  if (typeof parsed === 'string') throw celError(`string ${JSON.stringify(s)} cannot be converted to a semver: ${parsed}`);
  return parsed;
}

const T = 'kubernetes.Semver';

export function registerSemver(env: Environment): void {
  env
    .registerType(T, Semver)
    .registerFunction(`semver(string): ${T}`, (s: string) => semver(s))
    .registerFunction(`semver(string, bool): ${T}`, (s: string, n: boolean) => semver(s, n))
    .registerFunction('isSemver(string): bool', (s: string) => typeof parseSemver(s) !== 'string')
    .registerFunction('isSemver(string, bool): bool', (s: string, n: boolean) => typeof parseSemver(s, n) !== 'string')
    .registerOperator(`${T} == ${T}`, (a: Semver, b: Semver) => a.compare(b) === 0)
    .registerFunction(`${T}.major(): int`, (a: Semver) => a.major)
    .registerFunction(`${T}.minor(): int`, (a: Semver) => a.minor)
    .registerFunction(`${T}.patch(): int`, (a: Semver) => a.patch)
    .registerFunction(`${T}.compareTo(${T}): int`, (a: Semver, b: Semver) => BigInt(a.compare(b)))
    .registerFunction(`${T}.isLessThan(${T}): bool`, (a: Semver, b: Semver) => a.compare(b) < 0)
    .registerFunction(`${T}.isGreaterThan(${T}): bool`, (a: Semver, b: Semver) => a.compare(b) > 0);
}
