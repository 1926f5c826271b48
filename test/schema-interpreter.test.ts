/**
 * The interpreting schema validator (ADR 024) gives exactly Ajv's errors:
 * every CRD the edge platform installs, rendered for real, validating the
 * platform's own custom resources, objects generated from each schema and
 * random mutations of both, compared error for error (keyword, path, params,
 * message, order) with the validator Ajv compiles from the same schema.
 */
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { CrdSchemas, goRegExp, strictSchema } from '../src/checks/schema/crd.js';
import { interpretable, interpreter } from '../src/checks/schema/interpret.js';
import { parseConfig } from '../src/config/load.js';
import { starterConfig } from '../src/config/starter.js';
import { desiredState } from '../src/desired/index.js';
import { renderUnits } from '../src/helm/index.js';
import type { K8sObject } from '../src/model/k8s.js';
import { helmSetup } from './support/charts.js';

type Schema = Record<string, unknown>;
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

function referenceAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true, logger: false, validateFormats: true, code: { regExp: goRegExp, optimize: false } });
  addFormats(ajv);
  for (const f of ['int32', 'int64', 'float', 'double', 'byte', 'binary', 'password', 'quantity', 'duration']) if (!ajv.formats[f]) ajv.addFormat(f, true);
  return ajv;
}

/** A small seeded generator, so a failure reproduces. */
function random(seed: number) {
  let s = seed;
  const next = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  return { next, pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]! };
}
const ODD = [null, 0, -1, 1.5, 'x', '', 'A_B', true, [], {}, [1, 'a'], { a: 1 }, 'a'.repeat(300), '10.0.0.1', '::1', '2020-01-01T00:00:00Z', 'yesterday', 2 ** 40, 'Always', 'aGVsbG8='];

// eslint-disable-next-line complexity -- one branch per schema shape the generator answers (enum, int-or-string, object, array, scalar); read whole, it shows which values each shape gets
function generate(schema: unknown, rnd: ReturnType<typeof random>, depth = 0): unknown {
  const s = schema as Schema | undefined;
  if (!s || typeof s !== 'object' || depth > 8) return rnd.pick(ODD);
  if (Array.isArray(s.enum)) return rnd.next() < 0.85 ? rnd.pick(s.enum) : rnd.pick(ODD);
  if (s['x-kubernetes-int-or-string']) return rnd.pick([1, 'a', 2.5]);
  if (s.type === 'object' || s.properties) {
    const o: Record<string, unknown> = {};
    const required = (s.required as string[] | undefined) ?? [];
    for (const [k, p] of Object.entries((s.properties as Schema | undefined) ?? {})) if (rnd.next() < 0.5 || required.includes(k)) o[k] = generate(p, rnd, depth + 1);
    if (typeof s.additionalProperties === 'object' && rnd.next() < 0.3) o.key = generate(s.additionalProperties, rnd, depth + 1);
    return o;
  }
  if (s.type === 'array') return Array.from({ length: Math.floor(rnd.next() * 3) }, () => generate(s.items, rnd, depth + 1));
  const plain: Record<string, () => unknown> = { string: () => (s.format === 'date-time' ? '2020-01-01T00:00:00Z' : 'abc'), integer: () => 3, number: () => 2.5, boolean: () => true };
  return rnd.next() < 0.8 && plain[s.type as string] ? plain[s.type as string]!() : rnd.pick(ODD);
}

// eslint-disable-next-line complexity -- one branch per mutation of an array, an object or a scalar, each with its odds; split up, the odds would no longer read together
function mutate(value: unknown, rnd: ReturnType<typeof random>): unknown {
  if (Array.isArray(value)) {
    const c = [...value];
    if (c.length && rnd.next() < 0.7) {
      const i = Math.floor(rnd.next() * c.length);
      c[i] = rnd.next() < 0.3 ? rnd.pick(ODD) : mutate(c[i], rnd);
    } else if (rnd.next() < 0.5) c.push(rnd.pick(ODD));
    else c.length = 0;
    return c;
  }
  if (value && typeof value === 'object') {
    const c: Record<string, unknown> = { ...(value as Schema) };
    const keys = Object.keys(c);
    const r = rnd.next();
    if (keys.length && r < 0.6) {
      const k = rnd.pick(keys);
      c[k] = rnd.next() < 0.3 ? rnd.pick(ODD) : mutate(c[k], rnd);
    } else if (keys.length && r < 0.8) delete c[rnd.pick(keys)];
    else c[rnd.pick(['foo', 'spec', 'extra', 'name', 'a/b~c'])] = rnd.pick(ODD);
    return c;
  }
  return rnd.pick(ODD);
}

/** The rendered objects of a kind, 12 generated from its schema, and 4 mutations of each. */
function samplesOf(key: string, schema: Schema, rnd: ReturnType<typeof random>): unknown[] {
  const [group, version, kind] = key.split('/');
  const samples: unknown[] = objects.filter((o) => `${o.apiVersion}/${o.kind}` === key);
  for (let i = 0; i < 12; i++) samples.push({ apiVersion: `${group}/${version}`, kind, metadata: { name: 'x' }, ...(generate(schema, rnd) as Schema) });
  for (const o of [...samples]) for (let i = 0; i < 4; i++) samples.push(mutate(o, rnd));
  return samples;
}

let objects: K8sObject[] = [];
let schemas: Map<string, Schema>;

beforeAll(async () => {
  const { helm, cache } = await helmSetup();
  const state = desiredState(parseConfig(starterConfig(), 'plinth.yaml'));
  const rendered = await renderUnits(state.units, { helm, cache, concurrency: 2 });
  objects = rendered.flatMap((r) => [...r.chartObjects, ...r.glue]);
  schemas = new Map();
  for (const crd of objects.filter((o) => o.kind === 'CustomResourceDefinition')) {
    const spec = crd.spec as { group: string; names: { kind: string }; versions: { name: string; served?: boolean; schema?: { openAPIV3Schema?: Schema } }[] };
    for (const v of spec.versions) if (v.served !== false && v.schema?.openAPIV3Schema) schemas.set(`${spec.group}/${v.name}/${spec.names.kind}`, v.schema.openAPIV3Schema);
  }
}, 120_000);

describe('the interpreting validator against Ajv', () => {
  it('reports the same errors as Ajv for every CRD of the edge platform', () => {
    const ajv = referenceAjv();
    const rnd = random(17);
    let cases = 0;
    let failing = 0;
    const keywords = new Set<string>();
    expect(schemas.size).toBeGreaterThan(50);
    for (const [key, schema] of schemas) {
      const strict = strictSchema(schema) as Schema;
      expect(interpretable(strict), key).toBe(true);
      const compiled = ajv.compile(strict);
      const interpreted = interpreter(strict, { formats: ajv.formats, regExp: goRegExp });
      for (const o of samplesOf(key, schema, rnd)) {
        cases++;
        const valid = compiled(o);
        const expected = (compiled.errors ?? []).map(({ instancePath, keyword, params, message }) => ({ instancePath, keyword, params, message }));
        if (!valid) failing++;
        for (const e of expected) keywords.add(e.keyword);
        expect(interpreted(o), key).toBe(valid);
        expect(interpreted.errors ?? [], key).toEqual(expected);
      }
    }
    // The comparison is only worth something if it saw both outcomes and the keywords CRDs use.
    expect(cases).toBeGreaterThan(5000);
    expect(failing).toBeGreaterThan(cases / 4);
    expect(failing).toBeLessThan(cases);
    for (const k of ['type', 'required', 'additionalProperties', 'enum', 'pattern', 'format', 'oneOf', 'not', 'anyOf', 'minLength', 'maxItems']) expect([...keywords]).toContain(k);
  }, 120_000);
});

describe('schemas the interpreter does not cover', () => {
  const crd = (schema: Schema): K8sObject =>
    ({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.io' },
      spec: { group: 'example.io', names: { kind: 'Widget' }, versions: [{ name: 'v1', served: true, schema: { openAPIV3Schema: schema } }] },
    }) as K8sObject;
  const widget = (spec: unknown) => ({ apiVersion: 'example.io/v1', kind: 'Widget', metadata: { name: 'w' }, spec }) as K8sObject;

  it('leaves a keyword it does not implement to Ajv, with the same findings', () => {
    const schema = { type: 'object', properties: { spec: { type: 'object', properties: { ports: { type: 'array', uniqueItems: true, items: { type: 'integer', multipleOf: 2 } } } } } };
    expect(interpretable(strictSchema(schema))).toBe(false);
    const crds = new CrdSchemas();
    crds.add(crd(schema));
    expect(crds.validate(widget({ ports: [2, 3, 2] }))).toEqual([
      { path: 'spec.ports[1]', message: 'must be multiple of 2' },
      { path: 'spec.ports', message: 'must NOT have duplicate items (items ## 2 and 0 are identical)' },
    ]);
  });

  it('still rejects a schema Ajv rejects', () => {
    const crds = new CrdSchemas();
    crds.add(crd({ type: 'object', properties: { spec: { type: 'object', description: 5 } } }));
    expect(() => crds.validate(widget({}))).toThrow(/schema is invalid/);
  });
});
