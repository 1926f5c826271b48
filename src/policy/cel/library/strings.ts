/**
 * The cel-go string extension functions Kubernetes enables (ext.Strings, version 2)
 * that cel-js does not have: charAt and replace. (indexOf, lastIndexOf, split,
 * join, substring, trim, lowerAscii and upperAscii are built into cel-js.)
 */
import type { Environment } from '../vendor.js';
import { celError } from './common.js';

function charAt(s: string, index: bigint): string {
  const chars = [...s];
  const i = Number(index);
  if (i < 0 || i > chars.length) throw celError(`charAt: index ${i} out of range for a string of ${chars.length} characters`);
  return chars[i] ?? '';
}

function replace(s: string, from: string, to: string, limit: bigint): string {
  if (limit < 0n) return s.split(from).join(to);
  let out = s;
  let start = 0;
  for (let n = 0n; n < limit; n++) {
    const at = out.indexOf(from, start);
    if (at === -1) break;
    out = out.slice(0, at) + to + out.slice(at + from.length);
    start = at + to.length + (from === '' ? 1 : 0);
  }
  return out;
}

export function registerStrings(env: Environment): void {
  env
    .registerFunction('string.charAt(int): string', (s: string, i: bigint) => charAt(s, i))
    .registerFunction('string.replace(string, string): string', (s: string, a: string, b: string) => replace(s, a, b, -1n))
    .registerFunction('string.replace(string, string, int): string', (s: string, a: string, b: string, n: bigint) => replace(s, a, b, n));
}
