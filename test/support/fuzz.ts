/**
 * The plinth.yaml fuzzer shared by test/fuzz.test.ts (a fixed seed, a few
 * runs) and scripts/fuzz.ts (`npm run fuzz`, many runs). A case is a
 * profile's starter with structural mutations on the parsed YAML (keys
 * deleted, values replaced by hostile ones) and then mutations of the text
 * (aliases and cycles, documents, nesting, truncation, random bytes); it runs
 * the `plinth plan` path in process: parseConfigBytes → desiredState →
 * synthesize. Every case must end in success or a PlinthError that names the
 * file, within a time bound.
 */
import fc from 'fast-check';
import YAML from 'yaml';
import { parseConfigBytes } from '../../src/config/load.js';
import { starterConfig } from '../../src/config/starter.js';
import { desiredState } from '../../src/desired/index.js';
import { PlinthError } from '../../src/lib/errors.js';
import { synthesize } from '../../src/synth/index.js';

export const FUZZ_FILE = 'plinth.yaml';
export const PROFILES = ['edge', 'compact', 'standard', 'lab'] as const;
/** A case slower than this is a hang. */
export const CASE_DEADLINE_MS = 5000;

type Data = unknown;
type Step = string | number;

const protoKey = (key: string, value: unknown): Record<string, unknown> => JSON.parse(`{${JSON.stringify(key)}: ${JSON.stringify(value ?? null)}}`) as Record<string, unknown>;

function deep(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { k: v };
  return v;
}

/** Values a user, a tool or an attacker could put anywhere. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(NaN, Infinity, -Infinity, -1, -0.5, 0, 1.5, 2 ** 31, 2 ** 53, 1e308, -1e308, null, true, false, '', '-1', '1e309', '1e309Gi', '-100m', '.inf', '../../etc', '__proto__', 'constructor', 'prototype', 'a b', '\u0000', '\uFEFF', '\uFFFD'),
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.constantFrom(deep(10), deep(63), deep(70), deep(200)),
  fc.constantFrom('x'.repeat(10_000), 'y'.repeat(300 * 1024)),
  fc.constantFrom(protoKey('__proto__', { polluted: true }), protoKey('constructor', 1), { prototype: {} }),
  fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 10 })), { maxLength: 5 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.integer(), fc.string({ maxLength: 8 }), fc.constant(NaN)), { maxKeys: 4 }),
);

/** Values paths the components' workloads read: where overrides matter most. */
const componentName = fc.constantFrom('argocd', 'vault', 'jenkins', 'loki', 'kyverno', 'cilium', 'kube-prometheus-stack', 'ingress-nginx', 'kong', 'flux', '__proto__', 'constructor', 'nope');
const valuesPath = fc.array(fc.constantFrom('server', 'controller', 'replicas', 'replicaCount', 'resources', 'requests', 'limits', 'cpu', 'memory', 'affinity', 'tolerations', 'global', '__proto__', 'singleBinary', 'admissionController'), { minLength: 1, maxLength: 5 });

export type Structural =
  | { op: 'delete'; at: number }
  | { op: 'replace'; at: number; value: unknown }
  | { op: 'values'; component: string; path: string[]; value: unknown }
  | { op: 'many'; what: 'teams' | 'nodes' | 'components'; count: number };

export const structural: fc.Arbitrary<Structural> = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('replace' as const), at: fc.nat(), value: hostileValue }),
  fc.record({ op: fc.constant('values' as const), component: componentName, path: valuesPath, value: hostileValue }),
  fc.record({ op: fc.constant('many' as const), what: fc.constantFrom('teams' as const, 'nodes' as const, 'components' as const), count: fc.constantFrom(50, 2000, 20_000) }),
);

export type Textual =
  | { op: 'cycle'; at: number }
  | { op: 'alias'; at: number; name: string }
  | { op: 'bomb' }
  | { op: 'document'; where: 'before' | 'after' }
  | { op: 'nest'; at: number; depth: number }
  | { op: 'truncate'; at: number }
  | { op: 'bytes'; at: number; bytes: Uint8Array };

export const textual: fc.Arbitrary<Textual> = fc.oneof(
  fc.record({ op: fc.constant('cycle' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('alias' as const), at: fc.nat(), name: fc.constantFrom('nope', 'a') }),
  fc.record({ op: fc.constant('bomb' as const) }),
  fc.record({ op: fc.constant('document' as const), where: fc.constantFrom('before' as const, 'after' as const) }),
  fc.record({ op: fc.constant('nest' as const), at: fc.nat(), depth: fc.constantFrom(30, 65, 100, 10_000) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('bytes' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
);

export interface FuzzCase {
  profile: (typeof PROFILES)[number];
  structural: Structural[];
  textual: Textual[];
}

export const fuzzCase: fc.Arbitrary<FuzzCase> = fc.record({
  profile: fc.constantFrom(...PROFILES),
  structural: fc.array(structural, { maxLength: 3 }),
  textual: fc.array(textual, { maxLength: 2 }),
});

/** Every path to a value in `data`, parents before children. */
function paths(data: Data, prefix: Step[] = [], out: Step[][] = []): Step[][] {
  if (Array.isArray(data)) data.forEach((v, i) => (out.push([...prefix, i]), paths(v, [...prefix, i], out)));
  else if (data !== null && typeof data === 'object') {
    for (const [k, v] of Object.entries(data)) {
      out.push([...prefix, k]);
      paths(v, [...prefix, k], out);
    }
  }
  return out;
}

function parentOf(data: Data, path: Step[]): Record<Step, unknown> {
  let cur = data as Record<Step, unknown>;
  for (const step of path.slice(0, -1)) cur = cur[step] as Record<Step, unknown>;
  return cur;
}

/**
 * A copy of a hostile value: the arbitraries hand out shared constants (deep
 * nesting, prototype keys), and a later mutation must not change them for
 * the next case, nor make one contain itself.
 */
export const fresh = <T>(value: T): T => (value !== null && typeof value === 'object' ? structuredClone(value) : value);

export function applyStructural(data: Record<string, unknown>, m: Structural): void {
  if (m.op === 'many') return applyMany(data, m);
  if (m.op === 'values') return applyValues(data, m);
  const all = paths(data);
  if (all.length === 0) return;
  const path = all[m.at % all.length]!;
  const parent = parentOf(data, path);
  const key = path[path.length - 1]!;
  if (m.op === 'delete') {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key];
  } else Object.defineProperty(parent, key, { value: fresh(m.value), enumerable: true, writable: true, configurable: true });
}

/** Many teams, nodes or components at once (the quadratic-work hangs). */
function applyMany(data: Record<string, unknown>, m: Extract<Structural, { op: 'many' }>): void {
  const cluster = data.cluster as { nodes?: unknown[] } | undefined;
  if (m.what === 'teams') data.teams = Array.from({ length: m.count }, (_, i) => ({ name: `team-${i}`, costCenter: 'cc' }));
  if (m.what === 'nodes' && cluster && typeof cluster === 'object') cluster.nodes = [...(Array.isArray(cluster.nodes) ? cluster.nodes : []), ...Array.from({ length: m.count }, (_, i) => ({ name: `w-${i}`, role: 'worker', pool: 'apps', cpu: 2, memory: '4Gi' }))];
  if (m.what === 'components') data.components = Object.fromEntries(Array.from({ length: m.count }, (_, i) => [`c-${i}`, { enabled: true }]));
}

/** A value deep under a component's Helm values, defined as an own property (a `__proto__` key stays a key). */
function applyValues(data: Record<string, unknown>, m: Extract<Structural, { op: 'values' }>): void {
  const components = (data.components && typeof data.components === 'object' ? data.components : (data.components = {})) as Record<string, unknown>;
  let cur = (Object.hasOwn(components, m.component) ? components[m.component] : (components[m.component] = {})) as Record<string, unknown>;
  if (cur === null || typeof cur !== 'object') return;
  for (const key of ['values', ...m.path.slice(0, -1)]) {
    const next = Object.hasOwn(cur, key) ? cur[key] : undefined;
    cur = (next !== null && typeof next === 'object' ? next : (Object.defineProperty(cur, key, { value: {}, enumerable: true, writable: true, configurable: true }), cur[key])) as Record<string, unknown>;
  }
  Object.defineProperty(cur, m.path[m.path.length - 1]!, { value: fresh(m.value), enumerable: true, writable: true, configurable: true });
}

/** A line `  key:` that opens a block map (the next line is indented deeper), for anchors. */
function blockLines(lines: string[]): number[] {
  const indent = (s: string) => s.length - s.trimStart().length;
  return lines.flatMap((l, i) => (/^\s*[\w-]+:\s*$/.test(l) && i + 1 < lines.length && indent(lines[i + 1]!) > indent(l) && !lines[i + 1]!.trimStart().startsWith('-') ? [i] : []));
}

export function applyTextual(bytes: Uint8Array, m: Textual): Uint8Array {
  if (m.op === 'truncate') return bytes.slice(0, m.at % (bytes.length + 1));
  if (m.op === 'bytes') {
    const at = m.at % (bytes.length + 1);
    return Buffer.concat([bytes.slice(0, at), m.bytes, bytes.slice(at)]);
  }
  const text = Buffer.from(bytes).toString('utf8');
  const lines = text.split('\n');
  const blocks = blockLines(lines);
  let out = text;
  if (m.op === 'document') out = m.where === 'before' ? `a: 1\n---\n${text}` : `${text}\n---\nkind: Platform\n`;
  else if (m.op === 'bomb') out = `${text}\nbomb:\n${Array.from({ length: 9 }, (_, i) => `  b${i}: &b${i} [${i === 0 ? 'x, x, x, x, x, x, x, x, x, x' : Array(10).fill(`*b${i - 1}`).join(', ')}]`).join('\n')}\n`;
  else if (m.op === 'nest') {
    const at = m.at % lines.length;
    const line = lines[at]!;
    const colon = line.indexOf(': ');
    if (colon > 0) lines[at] = `${line.slice(0, colon)}: ${'['.repeat(m.depth)}${']'.repeat(m.depth)}`;
    out = lines.join('\n');
  } else if (blocks.length > 0) {
    const at = blocks[m.at % blocks.length]!;
    const childIndent = ' '.repeat(lines[at + 1]!.length - lines[at + 1]!.trimStart().length);
    if (m.op === 'cycle') {
      lines[at] = `${lines[at]!.trimEnd()} &cyc`;
      lines.splice(at + 1, 0, `${childIndent}self: *cyc`);
    } else lines.splice(at + 1, 0, `${childIndent}aliased: *${m.name}`);
    out = lines.join('\n');
  }
  return Buffer.from(out, 'utf8');
}

/** The bytes of a case's plinth.yaml. */
export function caseBytes(c: FuzzCase): Uint8Array {
  const data = YAML.parse(starterConfig(c.profile)) as Record<string, unknown>;
  for (const m of c.structural) applyStructural(data, m);
  let bytes: Uint8Array = Buffer.from(YAML.stringify(data, { aliasDuplicateObjects: false }), 'utf8');
  for (const m of c.textual) bytes = applyTextual(bytes, m);
  return bytes;
}

export type Outcome = { kind: 'accepted' | 'refused'; ms: number } | { kind: 'crashed' | 'untyped' | 'hung'; ms: number; detail: string };

/** What an error thrown on the `plan` path says about the case: refused with a path, typed without one, or a crash. */
function outcomeOf(e: unknown): Outcome {
  if (e instanceof PlinthError) {
    // A typed error must say where: the file (config errors) or, for the dependency graph, the components.
    return e.message.includes(FUZZ_FILE) || e.name === 'CycleError' ? { kind: 'refused', ms: 0 } : { kind: 'untyped', ms: 0, detail: `${e.name}: ${e.message.slice(0, 500)}` };
  } else {
    return { kind: 'crashed', ms: 0, detail: e instanceof Error ? (e.stack ?? String(e)).split('\n').slice(0, 6).join('\n') : String(e) };
  }
}

/** Runs one case through the `plan` path; `hung` when it took longer than the deadline. */
export function runCase(bytes: Uint8Array, deadlineMs = CASE_DEADLINE_MS): Outcome {
  const start = performance.now();
  let outcome: Outcome;
  try {
    synthesize(desiredState(parseConfigBytes(bytes, FUZZ_FILE)));
    outcome = { kind: 'accepted', ms: 0 };
  } catch (e) {
    outcome = outcomeOf(e);
  }
  const ms = performance.now() - start;
  if (ms > deadlineMs && outcome.kind !== 'crashed' && outcome.kind !== 'untyped') return { kind: 'hung', ms, detail: `took ${Math.round(ms)} ms (bound ${deadlineMs} ms)` };
  return { ...outcome, ms };
}

/** A short description of a case for a report: its mutations, values cut short. */
export function describeCase(c: FuzzCase): string {
  return JSON.stringify(c, (_k, v: unknown) => (typeof v === 'string' && v.length > 40 ? `${v.slice(0, 20)}...(${v.length} chars)` : typeof v === 'number' && !Number.isFinite(v) ? String(v) : v instanceof Uint8Array ? [...v] : v));
}
