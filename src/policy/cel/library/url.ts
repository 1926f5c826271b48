/**
 * Kubernetes CEL URL library: `url(s)`, `isURL(s)` and the `net.URL` methods
 * getScheme, getHost, getHostname, getPort, getEscapedPath, getQuery. Parsing
 * follows Go's `url.ParseRequestURI`, which the API server uses: an absolute
 * URI (`https://host/path`) or an absolute path (`/path`); no relative
 * references; the text is not split at `#`.
 */
import type { Environment } from '../vendor.js';
import { celError } from './common.js';

export class ParsedURL {
  // eslint-disable-next-line max-params -- a value class of the six url.URL fields the Kubernetes URL library exposes; the parameter properties are its field list, built in two places of parseURL
  constructor(
    readonly scheme: string,
    /** Host with its port, as written (`[::1]:80`). */
    readonly host: string,
    /** The decoded path. */
    readonly path: string,
    /** The path as written, when decoding and re-encoding would not give it back. */
    readonly rawPath: string,
    readonly rawQuery: string,
    readonly opaque: string,
  ) {}
}

const HEX = /^[0-9a-fA-F]{2}$/;

/** Percent-decoding; undefined on a malformed escape. `plus` reads `+` as a space (query components). */
function unescape(s: string, plus = false): string | undefined {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '%') {
      const hex = s.slice(i + 1, i + 3);
      if (!HEX.test(hex)) return undefined;
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (plus && ch === '+') bytes.push(0x20);
    else bytes.push(...new TextEncoder().encode(ch));
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

const UNRESERVED = /[A-Za-z0-9\-_.~]/;
/** Characters a path may hold unescaped (Go's `shouldEscape` in path mode). */
const PATH_SAFE = /[$&+,/:;=@]/;

function escapePath(path: string): string {
  let out = '';
  for (const byte of new TextEncoder().encode(path)) {
    const ch = String.fromCharCode(byte);
    out += byte < 0x80 && (UNRESERVED.test(ch) || PATH_SAFE.test(ch)) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Whether a raw path is a valid encoding as written (Go's `validEncoded` in path mode). */
function validEncoded(raw: string): boolean {
  for (const ch of raw) {
    if ("!$&'()*+,;=:@[]%".includes(ch)) continue;
    if (ch.charCodeAt(0) >= 0x80 || !(UNRESERVED.test(ch) || PATH_SAFE.test(ch))) return false;
  }
  return true;
}

/** Characters a host may not hold (Go's `shouldEscape` in host mode, for ASCII). */
const HOST_FORBIDDEN = /[\s/?#@%\\^{|}`\x00-\x1f\x7f]/;

function validHost(host: string): boolean {
  let name = host;
  if (host.startsWith('[')) {
    const close = host.indexOf(']');
    if (close < 0) return false;
    const port = host.slice(close + 1);
    if (port !== '' && !/^:\d*$/.test(port)) return false;
    name = host.slice(1, close);
    const zone = name.indexOf('%25');
    if (zone >= 0) name = name.slice(0, zone);
    return /^[0-9a-fA-F:.]*$/.test(name);
  }
  const colon = host.lastIndexOf(':');
  if (colon >= 0) {
    if (!/^:\d*$/.test(host.slice(colon))) return false;
    name = host.slice(0, colon);
  }
  return !HOST_FORBIDDEN.test(name);
}

/** Go's `url.ParseRequestURI`: the URL, or why it is refused. */
// eslint-disable-next-line complexity -- Go's url.ParseRequestURI step by step (control characters, empty, scheme, opaque, authority, path), each refusal with Go's own message
export function parseURL(raw: string): ParsedURL | string {
  const fail = (why: string) => `parse ${JSON.stringify(raw)}: ${why}`;
  if (/[\x00-\x1f\x7f]/.test(raw)) return fail('net/url: invalid control character in URL');
  if (raw === '') return fail('empty url');
  let scheme = '';
  let rest = raw;
  const m = /^([A-Za-z][A-Za-z0-9+\-.]*):/.exec(raw);
  if (m) {
    scheme = m[1]!.toLowerCase();
    rest = raw.slice(m[0].length);
  } else if (raw.startsWith(':')) {
    return fail('missing protocol scheme');
  }
  let rawQuery = '';
  if (rest.endsWith('?') && rest.split('?').length === 2) rest = rest.slice(0, -1);
  else {
    const q = rest.indexOf('?');
    if (q >= 0) {
      rawQuery = rest.slice(q + 1);
      rest = rest.slice(0, q);
    }
  }
  if (!rest.startsWith('/')) {
    if (scheme !== '') return new ParsedURL(scheme, '', '', '', rawQuery, rest);
    return fail('invalid URI for request');
  }
  let host = '';
  if (scheme !== '' && rest.startsWith('//')) {
    const authority = rest.slice(2).split('/', 1)[0]!;
    rest = rest.slice(2 + authority.length);
    const at = authority.lastIndexOf('@');
    host = at >= 0 ? authority.slice(at + 1) : authority;
    if (!validHost(host)) return fail(`invalid host ${JSON.stringify(host)}`);
    const decoded = unescape(host);
    if (decoded === undefined) return fail(`invalid URL escape in host ${JSON.stringify(host)}`);
    host = decoded;
  }
  const path = unescape(rest);
  if (path === undefined) return fail('invalid URL escape in path');
  return new ParsedURL(scheme, host, path, escapePath(path) === rest ? '' : rest, rawQuery, '');
}

function url(s: string): ParsedURL {
  const parsed = parseURL(s);
  if (typeof parsed === 'string') throw celError(`URL parse error during conversion from string: ${parsed}`);
  return parsed;
}

function hostname(u: ParsedURL): string {
  const host = u.host;
  if (host.startsWith('[')) {
    const close = host.indexOf(']');
    return host.slice(1, close);
  }
  const colon = host.lastIndexOf(':');
  return colon >= 0 ? host.slice(0, colon) : host;
}

function port(u: ParsedURL): string {
  const host = u.host;
  const colon = host.lastIndexOf(':');
  if (colon < 0 || (host.startsWith('[') && colon < host.indexOf(']'))) return '';
  return host.slice(colon + 1);
}

function escapedPath(u: ParsedURL): string {
  if (u.rawPath !== '' && validEncoded(u.rawPath) && unescape(u.rawPath) === u.path) return u.rawPath;
  if (u.path === '*') return '*';
  return escapePath(u.path);
}

/** Go's `url.ParseQuery`: `&`-separated pairs; a pair with `;` or a bad escape is dropped. */
function query(u: ParsedURL): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const pair of u.rawQuery.split('&')) {
    if (pair === '' || pair.includes(';')) continue;
    const eq = pair.indexOf('=');
    const key = unescape(eq >= 0 ? pair.slice(0, eq) : pair, true);
    const value = unescape(eq >= 0 ? pair.slice(eq + 1) : '', true);
    if (key === undefined || value === undefined) continue;
    out.set(key, [...(out.get(key) ?? []), value]);
  }
  return out;
}

const T = 'net.URL';

export function registerURL(env: Environment): void {
  env
    .registerType(T, ParsedURL)
    .registerFunction(`url(string): ${T}`, url)
    .registerFunction('isURL(string): bool', (s: string) => typeof parseURL(s) !== 'string')
    .registerFunction(`${T}.getScheme(): string`, (u: ParsedURL) => u.scheme)
    .registerFunction(`${T}.getHost(): string`, (u: ParsedURL) => u.host)
    .registerFunction(`${T}.getHostname(): string`, hostname)
    .registerFunction(`${T}.getPort(): string`, port)
    .registerFunction(`${T}.getEscapedPath(): string`, escapedPath)
    .registerFunction(`${T}.getQuery(): map<string, list<string>>`, query);
}
