/**
 * Kubernetes CEL IP and CIDR libraries: `ip(s)`, `isIP(s)`, `ip.isCanonical(s)`,
 * the `net.IP` methods (family, isUnspecified, isLoopback, isLinkLocalMulticast,
 * isLinkLocalUnicast, isGlobalUnicast), `cidr(s)`, `isCIDR(s)`, the `net.CIDR`
 * methods (containsIP, containsCIDR, ip, masked, prefixLength), `string(…)` of
 * both and equality. Parsing follows Go's net/netip, which the API server uses,
 * with its extra refusals: no zone (`fe80::1%eth0`), no IPv4-mapped IPv6
 * (`::ffff:1.2.3.4`); netip itself refuses leading zeros in IPv4 octets.
 */
import type { Environment } from '../vendor.js';
import { celError } from './common.js';

/** An address: its value as an unsigned integer of `bits` (32 or 128) bits. */
export class IP {
  constructor(
    readonly value: bigint,
    readonly bits: 32 | 128,
  ) {}

  get family(): 4 | 6 {
    return this.bits === 32 ? 4 : 6;
  }

  equals(other: IP): boolean {
    return this.bits === other.bits && this.value === other.value;
  }

  /** True when the address lies in `prefix/len` given as a value of the same family. */
  within(prefix: bigint, len: number): boolean {
    const shift = BigInt(this.bits - len);
    return this.value >> shift === prefix >> shift;
  }

  toString(): string {
    return this.bits === 32 ? v4Text(this.value) : v6Text(this.value);
  }
}

export class CIDR {
  constructor(
    readonly ip: IP,
    readonly length: number,
  ) {}

  masked(): CIDR {
    const shift = BigInt(this.ip.bits - this.length);
    return new CIDR(new IP((this.ip.value >> shift) << shift, this.ip.bits), this.length);
  }

  containsIP(ip: IP): boolean {
    return ip.bits === this.ip.bits && ip.within(this.ip.value, this.length);
  }

  containsCIDR(other: CIDR): boolean {
    return other.ip.bits === this.ip.bits && other.length >= this.length && other.ip.within(this.ip.value, this.length);
  }

  equals(other: CIDR): boolean {
    return this.length === other.length && this.ip.equals(other.ip);
  }

  toString(): string {
    return `${this.ip.toString()}/${this.length}`;
  }
}

function v4Text(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 255n)).join('.');
}

/** RFC 5952: lower-case, no leading zeros, the longest run (first on a tie) of two or more zero groups as `::`. */
function v6Text(value: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - 16 * i)) & 0xffffn));
  let best = { at: -1, len: 0 };
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.len && j - i >= 2) best = { at: i, len: j - i };
    i = j;
  }
  const hex = (gs: number[]) => gs.map((g) => g.toString(16)).join(':');
  if (best.at < 0) return hex(groups);
  return `${hex(groups.slice(0, best.at))}::${hex(groups.slice(best.at + best.len))}`;
}

function parseV4(s: string): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const p of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(p) || Number(p) > 255) return undefined;
    value = (value << 8n) | BigInt(p);
  }
  return value;
}

function parseV6(s: string): bigint | undefined {
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (part: string, last: boolean): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    const items = part.split(':');
    for (const [i, item] of items.entries()) {
      if (last && i === items.length - 1 && item.includes('.')) {
        const v4 = parseV4(item);
        if (v4 === undefined) return undefined;
        out.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
      } else if (/^[0-9a-fA-F]{1,4}$/.test(item)) out.push(parseInt(item, 16));
      else return undefined;
    }
    return out;
  };
  const head = groupsOf(halves[0]!, halves.length === 1);
  const tail = halves.length === 2 ? groupsOf(halves[1]!, true) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  return [...head, ...Array<number>(Math.max(missing, 0)).fill(0), ...tail].reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
}

const MAPPED_PREFIX = 0xffffn << 32n;

/** An address as the Kubernetes library reads it, or why it is refused. */
export function parseIP(s: string): IP | string {
  if (s.includes('%')) return `IP address with zone value is not allowed: ${s}`;
  if (s.includes(':')) {
    const v = parseV6(s);
    if (v === undefined) return `IP Address ${JSON.stringify(s)} parse error`;
    if (v >> 32n === MAPPED_PREFIX >> 32n) return `IPv4-mapped IPv6 address ${JSON.stringify(s)} is not allowed`;
    return new IP(v, 128);
  }
  const v = parseV4(s);
  return v === undefined ? `IP Address ${JSON.stringify(s)} parse error` : new IP(v, 32);
}

export function parseCIDR(s: string): CIDR | string {
  const slash = s.lastIndexOf('/');
  if (slash < 0) return `network address parse error: no '/' in ${JSON.stringify(s)}`;
  const ip = parseIP(s.slice(0, slash));
  if (typeof ip === 'string') return `network address parse error: ${ip}`;
  const bits = s.slice(slash + 1);
  if (!/^(0|[1-9]\d*)$/.test(bits) || Number(bits) > ip.bits) return `network address parse error: bad bits after slash in ${JSON.stringify(s)}`;
  return new CIDR(ip, Number(bits));
}

function ip(s: string): IP {
  const parsed = parseIP(s);
  if (typeof parsed === 'string') throw celError(parsed);
  return parsed;
}

function cidr(s: string): CIDR {
  const parsed = parseCIDR(s);
  if (typeof parsed === 'string') throw celError(parsed);
  return parsed;
}

/** Go netip's classifications, per family: [IPv4 prefix, length] and [IPv6 prefix, length]. */
const RANGES = {
  loopback: [[0x7f000000n, 8], [1n, 128]],
  multicast: [[0xe0000000n, 4], [0xffn << 120n, 8]],
  linkLocalUnicast: [[0xa9fe0000n, 16], [0xfe80n << 112n, 10]],
} as const;

function inRange(a: IP, range: keyof typeof RANGES): boolean {
  const [prefix, len] = RANGES[range][a.bits === 32 ? 0 : 1];
  return a.within(prefix, len);
}

function isLinkLocalMulticast(a: IP): boolean {
  // IPv4 224.0.0.0/24; IPv6 ff02::/16 with any flags nibble (ffX2::/16), as netip reads it
  if (a.bits === 32) return a.within(0xe0000000n, 24);
  return ((a.value >> 112n) & 0xff0fn) === 0xff02n;
}

function isGlobalUnicast(a: IP): boolean {
  if (a.value === 0n) return false;
  if (a.bits === 32 && a.value === 0xffffffffn) return false;
  return !inRange(a, 'loopback') && !inRange(a, 'multicast') && !inRange(a, 'linkLocalUnicast');
}

/** The `ip` namespace value: cel-js resolves `ip.isCanonical(…)` as a method on this constant. */
export class IPNamespace {}

const T = 'net.IP';
const C = 'net.CIDR';

export function registerIP(env: Environment): void {
  env
    .registerType(T, IP)
    .registerType(C, CIDR)
    .registerType('IPNamespace', IPNamespace)
    .registerConstant('ip', 'IPNamespace', new IPNamespace())
    .registerFunction(`ip(string): ${T}`, ip)
    .registerFunction('isIP(string): bool', (s: string) => typeof parseIP(s) !== 'string')
    .registerFunction('IPNamespace.isCanonical(string): bool', (_: unknown, s: string) => ip(s).toString() === s)
    .registerFunction(`string(${T}): string`, (a: IP) => a.toString())
    .registerOperator(`${T} == ${T}`, (a: IP, b: IP) => a.equals(b))
    .registerFunction(`${T}.family(): int`, (a: IP) => BigInt(a.family))
    .registerFunction(`${T}.isUnspecified(): bool`, (a: IP) => a.value === 0n)
    .registerFunction(`${T}.isLoopback(): bool`, (a: IP) => inRange(a, 'loopback'))
    .registerFunction(`${T}.isLinkLocalMulticast(): bool`, isLinkLocalMulticast)
    .registerFunction(`${T}.isLinkLocalUnicast(): bool`, (a: IP) => inRange(a, 'linkLocalUnicast'))
    .registerFunction(`${T}.isGlobalUnicast(): bool`, isGlobalUnicast)
    .registerFunction(`cidr(string): ${C}`, cidr)
    .registerFunction('isCIDR(string): bool', (s: string) => typeof parseCIDR(s) !== 'string')
    .registerFunction(`string(${C}): string`, (c: CIDR) => c.toString())
    .registerOperator(`${C} == ${C}`, (a: CIDR, b: CIDR) => a.equals(b))
    .registerFunction(`${C}.containsIP(${T}): bool`, (c: CIDR, a: IP) => c.containsIP(a))
    .registerFunction(`${C}.containsIP(string): bool`, (c: CIDR, s: string) => c.containsIP(ip(s)))
    .registerFunction(`${C}.containsCIDR(${C}): bool`, (c: CIDR, o: CIDR) => c.containsCIDR(o))
    .registerFunction(`${C}.containsCIDR(string): bool`, (c: CIDR, s: string) => c.containsCIDR(cidr(s)))
    .registerFunction(`${C}.ip(): ${T}`, (c: CIDR) => c.ip)
    .registerFunction(`${C}.masked(): ${C}`, (c: CIDR) => c.masked())
    .registerFunction(`${C}.prefixLength(): int`, (c: CIDR) => BigInt(c.length));
}
