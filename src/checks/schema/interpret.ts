/**
 * A JSON Schema validator that does not compile: it walks the schema next to
 * the value, only where the value has data. For the one-shot validation of
 * `check` (a CRD of half a megabyte validating one object) this costs
 * milliseconds where Ajv's code generation costs seconds (ADR 024).
 *
 * It gives Ajv's own errors (same keyword, instance path, params and message,
 * in the same order, with `allErrors`), so the findings read the same whichever
 * validator ran. It covers the keywords Kubernetes' structural schemas use;
 * {@link interpretable} says whether a schema stays inside them, and a schema
 * that does not is left to Ajv.
 */
import type { Ajv } from 'ajv';

export interface SchemaError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message: string;
}

type Node = Record<string, unknown>;
type FormatDef = true | RegExp | ((v: never) => boolean) | { type?: string; validate: RegExp | ((v: never) => boolean); async?: boolean };

/** Keywords of Ajv's default vocabulary this validator does not implement: a schema using any of them goes to Ajv. */
const FOREIGN = new Set([
  '$ref', '$id', '$dynamicRef', '$dynamicAnchor', '$recursiveRef', '$recursiveAnchor', '$async', 'uniqueItems', 'multipleOf', 'propertyNames', 'dependencies',
  'dependentRequired', 'dependentSchemas', 'patternProperties', 'if', 'then', 'else', 'additionalItems', 'contains', 'prefixItems', 'unevaluatedProperties',
  'unevaluatedItems', 'discriminator', 'minContains', 'maxContains',
]);
const JSON_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'null', 'object', 'array']);
const LIMITS = ['maximum', 'minimum', 'exclusiveMaximum', 'exclusiveMinimum', 'maxLength', 'minLength', 'maxItems', 'minItems', 'maxProperties', 'minProperties'];
const isObj = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);
const isSchema = (v: unknown) => typeof v === 'boolean' || isObj(v);

/** Whether every node of the schema uses only what this validator implements, with values of the right shape. */
export function interpretable(schema: unknown): boolean {
  if (typeof schema === 'boolean') return true;
  if (!isObj(schema)) return false;
  for (const k of Object.keys(schema)) if (FOREIGN.has(k)) return false;
  return typeShapeOk(schema) && scalarShapesOk(schema) && childrenInterpretable(schema);
}

function typeShapeOk(s: Node): boolean {
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? s.type : [s.type];
    if (!types.every((t) => typeof t === 'string' && JSON_TYPES.has(t))) return false;
  }
  return s.nullable === undefined || (typeof s.nullable === 'boolean' && s.type !== undefined);
}

const optional = (v: unknown, ok: (v: unknown) => boolean) => v === undefined || ok(v);
const isString = (v: unknown) => typeof v === 'string';

function scalarShapesOk(s: Node): boolean {
  return (
    LIMITS.every((k) => optional(s[k], (v) => typeof v === 'number')) &&
    optional(s.pattern, isString) &&
    optional(s.format, isString) &&
    optional(s.enum, (v) => Array.isArray(v) && v.length > 0) &&
    optional(s.required, (v) => Array.isArray(v) && v.every(isString))
  );
}

function childrenInterpretable(s: Node): boolean {
  if (!optional(s.properties, (v) => isObj(v) && Object.values(v).every(interpretable))) return false;
  if (!['additionalProperties', 'items', 'not'].every((k) => optional(s[k], (v) => isSchema(v) && interpretable(v)))) return false;
  return ['anyOf', 'oneOf', 'allOf'].every((k) => optional(s[k], (v) => Array.isArray(v) && v.length > 0 && v.every(interpretable)));
}

/** What a validator needs from the Ajv instance it stands in for: its formats and its RegExp engine. */
export interface InterpreterOptions {
  formats: Ajv['formats'];
  regExp: (pattern: string, flags: string) => RegExp;
}

/** A validate function shaped like Ajv's: true or false, the errors of the last call on `errors`. */
export interface Validator {
  (data: unknown): boolean;
  errors?: SchemaError[] | null;
}

export function interpreter(schema: unknown, opts: InterpreterOptions): Validator {
  const patterns = new Map<string, RegExp>();
  const regExp = (p: string) => {
    let r = patterns.get(p);
    if (!r) patterns.set(p, (r = opts.regExp(p, 'u')));
    return r;
  };
  const formats = opts.formats as Record<string, FormatDef | undefined>;
  const validate: Validator = (data: unknown) => {
    const errors: SchemaError[] = [];
    node(schema, data, '', { out: errors, regExp, formats });
    validate.errors = errors.length ? errors : null;
    return errors.length === 0;
  };
  return validate;
}

/** One validation: where its errors go, and the Ajv instance's patterns and formats. */
interface Env {
  out: SchemaError[];
  regExp(p: string): RegExp;
  formats: Record<string, FormatDef | undefined>;
}

/** Ajv's `alwaysValidSchema`: true, {}, or a schema with no keyword that validates anything. */
function alwaysValid(s: unknown): boolean {
  if (typeof s === 'boolean') return s;
  if (!isObj(s)) return false;
  for (const k in s) if (RULE_KEYWORDS.has(k)) return false;
  return true;
}
const RULE_KEYWORDS = new Set([...LIMITS, 'pattern', 'required', 'const', 'enum', 'not', 'anyOf', 'oneOf', 'allOf', 'additionalProperties', 'properties', 'items', 'format', 'type', 'nullable', ...FOREIGN]);

function dataType(t: string, d: unknown): boolean {
  switch (t) {
    case 'null':
      return d === null;
    case 'array':
      return Array.isArray(d);
    case 'object':
      return isObj(d);
    case 'integer':
      return typeof d === 'number' && !(d % 1) && !Number.isNaN(d);
    case 'number':
      return typeof d === 'number';
    default:
      return typeof d === t;
  }
}

function schemaTypes(s: Node): string[] {
  const types: string[] = Array.isArray(s.type) ? [...(s.type as string[])] : s.type ? [s.type as string] : [];
  if (!types.includes('null') && s.nullable === true) types.push('null');
  return types;
}

const has = (s: Node, keys: readonly string[]) => keys.some((k) => s[k] !== undefined);
const NUMBER_KEYS = ['maximum', 'minimum', 'exclusiveMaximum', 'exclusiveMinimum', 'format'];
const STRING_KEYS = ['maxLength', 'minLength', 'pattern', 'format'];
const ARRAY_KEYS = ['maxItems', 'minItems', 'items'];
const OBJECT_KEYS = ['maxProperties', 'minProperties', 'required', 'additionalProperties', 'properties'];
const GROUPS: Record<string, readonly string[]> = { number: NUMBER_KEYS, string: STRING_KEYS, array: ARRAY_KEYS, object: OBJECT_KEYS };

const escape = (k: string) => k.replace(/~/g, '~0').replace(/\//g, '~1');

function typeError(s: Node, path: string, out: SchemaError[]): void {
  const t = s.type as string | string[];
  out.push({ instancePath: path, keyword: 'type', params: { type: t }, message: `must be ${String(t)}` });
}

/** Validates `d` at `path` against schema node `s`, appending Ajv's errors in Ajv's order. */
function node(s: unknown, d: unknown, path: string, env: Env): void {
  if (s === true) return;
  if (s === false || !isObj(s)) {
    env.out.push({ instancePath: path, keyword: 'false schema', params: {}, message: 'boolean schema is false' });
    return;
  }
  const single = upFrontType(s, d, path, env.out);
  anyType(s, d, path, env);
  for (const group of ['number', 'string', 'array', 'object'] as const) {
    if (!has(s, GROUPS[group]!)) continue;
    if (dataType(group, d)) GROUP_CODE[group](s, d as never, path, env);
    else if (single === group) typeError(s, path, env.out);
  }
}

/**
 * Ajv checks the type up front unless it is one type whose keywords the schema has
 * (then the check sits in that type's group, after the keywords of any type): that
 * one type is returned.
 */
function upFrontType(s: Node, d: unknown, path: string, out: SchemaError[]): string | undefined {
  const types = schemaTypes(s);
  const single = types.length === 1 && GROUPS[types[0]!] !== undefined && has(s, GROUPS[types[0]!]!) ? types[0] : undefined;
  if (types.length > 0 && !single && !types.some((t) => dataType(t, d))) typeError(s, path, out);
  return single;
}

function anyType(s: Node, d: unknown, path: string, env: Env): void {
  valueRules(s, d, path, env.out);
  if (s.not !== undefined) {
    const passes = alwaysValid(s.not) || (() => { const sub: SchemaError[] = []; node(s.not, d, path, { ...env, out: sub }); return sub.length === 0; })();
    if (passes) env.out.push({ instancePath: path, keyword: 'not', params: {}, message: 'must NOT be valid' });
  }
  if (s.anyOf !== undefined) anyOf(s.anyOf as unknown[], d, path, env);
  if (s.oneOf !== undefined) oneOf(s.oneOf as unknown[], d, path, env);
  if (s.allOf !== undefined) for (const sub of s.allOf as unknown[]) if (!alwaysValid(sub)) node(sub, d, path, env);
}

/** `const` and `enum`. */
function valueRules(s: Node, d: unknown, path: string, out: SchemaError[]): void {
  if (s.const !== undefined && !equal(d, s.const)) out.push({ instancePath: path, keyword: 'const', params: { allowedValue: s.const }, message: 'must be equal to constant' });
  if (s.enum !== undefined && !(s.enum as unknown[]).some((v) => equal(d, v))) {
    out.push({ instancePath: path, keyword: 'enum', params: { allowedValues: s.enum }, message: 'must be equal to one of the allowed values' });
  }
}

function anyOf(list: unknown[], d: unknown, path: string, env: Env): void {
  if (list.some(alwaysValid)) return;
  const out = env.out;
  const start = out.length;
  for (const sub of list) {
    const before = out.length;
    node(sub, d, path, env);
    if (out.length === before) {
      out.length = start;
      return;
    }
  }
  out.push({ instancePath: path, keyword: 'anyOf', params: {}, message: 'must match a schema in anyOf' });
}

/** Ajv's oneOf: the branches in order until a second one passes (the branches after it are not evaluated). */
function oneOf(list: unknown[], d: unknown, path: string, env: Env): void {
  const out = env.out;
  const start = out.length;
  let valid = false;
  let passing: unknown = null;
  for (let i = 0; i < list.length; i++) {
    const sub = list[i];
    let ok = true;
    if (!alwaysValid(sub)) {
      const before = out.length;
      node(sub, d, path, env);
      ok = out.length === before;
    }
    if (i > 0 && ok && valid) {
      valid = false;
      passing = [passing, i];
      break;
    }
    if (ok) {
      valid = true;
      passing = i;
    }
  }
  if (valid) out.length = start;
  else out.push({ instancePath: path, keyword: 'oneOf', params: { passingSchemas: passing }, message: 'must match exactly one schema in oneOf' });
}

type GroupCode = (s: Node, d: never, path: string, env: Env) => void;
const limit = (path: string, keyword: string, n: number, message: string): SchemaError => ({ instancePath: path, keyword, params: { limit: n }, message });

const COMPARISONS: Record<string, [string, (d: number, n: number) => boolean]> = {
  maximum: ['<=', (d, n) => d > n],
  minimum: ['>=', (d, n) => d < n],
  exclusiveMaximum: ['<', (d, n) => d >= n],
  exclusiveMinimum: ['>', (d, n) => d <= n],
};

const GROUP_CODE: Record<'number' | 'string' | 'array' | 'object', GroupCode> = {
  number(s, d: number, path, env) {
    for (const [k, [ok, fails]] of Object.entries(COMPARISONS)) {
      const n = s[k] as number | undefined;
      if (n !== undefined && (fails(d, n) || Number.isNaN(d))) env.out.push({ instancePath: path, keyword: k, params: { comparison: ok, limit: n }, message: `must be ${ok} ${n}` });
    }
    format(s, d, path, env);
  },
  string(s, d: string, path, env) {
    const max = s.maxLength as number | undefined;
    const min = s.minLength as number | undefined;
    if (max !== undefined && ucs2length(d) > max) env.out.push(limit(path, 'maxLength', max, `must NOT have more than ${max} characters`));
    if (min !== undefined && ucs2length(d) < min) env.out.push(limit(path, 'minLength', min, `must NOT have fewer than ${min} characters`));
    if (s.pattern !== undefined && !env.regExp(s.pattern as string).test(d)) {
      env.out.push({ instancePath: path, keyword: 'pattern', params: { pattern: s.pattern }, message: `must match pattern "${s.pattern as string}"` });
    }
    format(s, d, path, env);
  },
  array(s, d: unknown[], path, env) {
    const max = s.maxItems as number | undefined;
    const min = s.minItems as number | undefined;
    if (max !== undefined && d.length > max) env.out.push(limit(path, 'maxItems', max, `must NOT have more than ${max} items`));
    if (min !== undefined && d.length < min) env.out.push(limit(path, 'minItems', min, `must NOT have fewer than ${min} items`));
    if (s.items !== undefined && !alwaysValid(s.items)) for (let i = 0; i < d.length; i++) node(s.items, d[i], `${path}/${i}`, env);
  },
  object(s, d: Node, path, env) {
    objectCounts(s, d, path, env.out);
    const props = isObj(s.properties) ? s.properties : undefined;
    if (s.additionalProperties !== undefined && !alwaysValid(s.additionalProperties)) additional(s, d, path, env);
    if (props) {
      for (const p of Object.keys(props)) {
        if (p === '__proto__' || alwaysValid(props[p])) continue;
        const v = d[p];
        if (v !== undefined) node(props[p], v, `${path}/${escape(p)}`, env);
      }
    }
  },
};

/** `maxProperties`, `minProperties` and `required`. */
function objectCounts(s: Node, d: Node, path: string, out: SchemaError[]): void {
  const max = s.maxProperties as number | undefined;
  const min = s.minProperties as number | undefined;
  if (max !== undefined && Object.keys(d).length > max) out.push(limit(path, 'maxProperties', max, `must NOT have more than ${max} properties`));
  if (min !== undefined && Object.keys(d).length < min) out.push(limit(path, 'minProperties', min, `must NOT have fewer than ${min} properties`));
  for (const p of (s.required as string[] | undefined) ?? []) {
    if (d[p] === undefined) out.push({ instancePath: path, keyword: 'required', params: { missingProperty: p }, message: `must have required property '${p}'` });
  }
}

/** `additionalProperties`: each key `properties` does not name, refused (false) or validated against the schema. */
function additional(s: Node, d: Node, path: string, env: Env): void {
  const extra = s.additionalProperties;
  const props = isObj(s.properties) ? s.properties : undefined;
  for (const key in d) {
    if (props && Object.prototype.hasOwnProperty.call(props, key) && key !== '__proto__') continue;
    if (extra === false) env.out.push({ instancePath: path, keyword: 'additionalProperties', params: { additionalProperty: key }, message: 'must NOT have additional properties' });
    else node(extra, d[key], `${path}/${escape(key)}`, env);
  }
}

/** `format`, on a number or a string, with the Ajv instance's formats. */
function format(s: Node, d: number | string, path: string, env: Env): void {
  if (s.format === undefined) return;
  const type = typeof d === 'number' ? 'number' : 'string';
  const def = formatDef(env.formats[s.format as string]);
  if (def === undefined || def[0] !== type) return;
  const check = def[1];
  const ok = typeof check === 'function' ? (check as (v: unknown) => boolean)(d) : check.test(d as string);
  if (!ok) env.out.push({ instancePath: path, keyword: 'format', params: { format: s.format }, message: `must match format "${s.format as string}"` });
}

/** A format's data type and test, or undefined for an unknown or always-true format. */
function formatDef(def: FormatDef | undefined): [string, RegExp | ((v: never) => boolean)] | undefined {
  if (def === undefined || def === true) return undefined;
  return typeof def === 'object' && !(def instanceof RegExp) ? [def.type ?? 'string', def.validate] : ['string', def];
}

/** Length in code points, as Ajv counts `minLength`/`maxLength`. */
function ucs2length(str: string): number {
  let length = 0;
  for (let pos = 0; pos < str.length; length++) {
    const c = str.charCodeAt(pos++);
    if (c >= 0xd800 && c <= 0xdbff && pos < str.length && (str.charCodeAt(pos) & 0xfc00) === 0xdc00) pos++;
  }
  return length;
}

/** Deep equality of JSON values (Ajv's `enum` and `const`). */
function equal(a: unknown, b: unknown): boolean {
  // Ajv compares a primitive of the schema with ===, an object or array deeply.
  if (typeof b !== 'object' || b === null) return a === b;
  return deepEqual(a, b);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return a !== a && b !== b;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((v, i) => deepEqual(v, (b as unknown[])[i]));
  return objectsEqual(a as Node, b as Node);
}

function objectsEqual(a: Node, b: Node): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual((a as Node)[k], (b as Node)[k]));
}
