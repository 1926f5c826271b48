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
  const s = schema;
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? s.type : [s.type];
    if (!types.every((t) => typeof t === 'string' && JSON_TYPES.has(t))) return false;
  }
  if (s.nullable !== undefined && (typeof s.nullable !== 'boolean' || s.type === undefined)) return false;
  for (const k of LIMITS) if (s[k] !== undefined && typeof s[k] !== 'number') return false;
  if (s.pattern !== undefined && typeof s.pattern !== 'string') return false;
  if (s.format !== undefined && typeof s.format !== 'string') return false;
  if (s.enum !== undefined && (!Array.isArray(s.enum) || s.enum.length === 0)) return false;
  if (s.required !== undefined && (!Array.isArray(s.required) || !s.required.every((r) => typeof r === 'string'))) return false;
  if (s.properties !== undefined && (!isObj(s.properties) || !Object.values(s.properties).every(interpretable))) return false;
  for (const k of ['additionalProperties', 'items', 'not']) if (s[k] !== undefined && !(isSchema(s[k]) && interpretable(s[k]))) return false;
  for (const k of ['anyOf', 'oneOf', 'allOf']) {
    const list = s[k];
    if (list !== undefined && (!Array.isArray(list) || list.length === 0 || !list.every(interpretable))) return false;
  }
  return true;
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
    node(schema, data, '', errors, { regExp, formats });
    validate.errors = errors.length ? errors : null;
    return errors.length === 0;
  };
  return validate;
}

interface Env {
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
function node(s: unknown, d: unknown, path: string, out: SchemaError[], env: Env): void {
  if (s === true) return;
  if (s === false || !isObj(s)) {
    out.push({ instancePath: path, keyword: 'false schema', params: {}, message: 'boolean schema is false' });
    return;
  }
  const types = schemaTypes(s);
  // Ajv checks the type up front unless it is one type whose keywords the schema has
  // (then the check sits in that type's group, after the keywords of any type).
  const single = types.length === 1 && GROUPS[types[0]!] !== undefined && has(s, GROUPS[types[0]!]!) ? types[0] : undefined;
  if (types.length > 0 && !single && !types.some((t) => dataType(t, d))) typeError(s, path, out);
  anyType(s, d, path, out, env);
  for (const group of ['number', 'string', 'array', 'object'] as const) {
    if (!has(s, GROUPS[group]!)) continue;
    if (dataType(group, d)) GROUP_CODE[group](s, d as never, path, out, env);
    else if (single === group) typeError(s, path, out);
  }
}

function anyType(s: Node, d: unknown, path: string, out: SchemaError[], env: Env): void {
  if (s.const !== undefined && !equal(d, s.const)) out.push({ instancePath: path, keyword: 'const', params: { allowedValue: s.const }, message: 'must be equal to constant' });
  if (s.enum !== undefined && !(s.enum as unknown[]).some((v) => equal(d, v))) {
    out.push({ instancePath: path, keyword: 'enum', params: { allowedValues: s.enum }, message: 'must be equal to one of the allowed values' });
  }
  if (s.not !== undefined) {
    const passes = alwaysValid(s.not) || (() => { const sub: SchemaError[] = []; node(s.not, d, path, sub, env); return sub.length === 0; })();
    if (passes) out.push({ instancePath: path, keyword: 'not', params: {}, message: 'must NOT be valid' });
  }
  if (s.anyOf !== undefined) anyOf(s.anyOf as unknown[], d, path, out, env);
  if (s.oneOf !== undefined) oneOf(s.oneOf as unknown[], d, path, out, env);
  if (s.allOf !== undefined) for (const sub of s.allOf as unknown[]) if (!alwaysValid(sub)) node(sub, d, path, out, env);
}

function anyOf(list: unknown[], d: unknown, path: string, out: SchemaError[], env: Env): void {
  if (list.some(alwaysValid)) return;
  const start = out.length;
  for (const sub of list) {
    const before = out.length;
    node(sub, d, path, out, env);
    if (out.length === before) {
      out.length = start;
      return;
    }
  }
  out.push({ instancePath: path, keyword: 'anyOf', params: {}, message: 'must match a schema in anyOf' });
}

/** Ajv's oneOf: the branches in order until a second one passes (the branches after it are not evaluated). */
function oneOf(list: unknown[], d: unknown, path: string, out: SchemaError[], env: Env): void {
  const start = out.length;
  let valid = false;
  let passing: unknown = null;
  for (let i = 0; i < list.length; i++) {
    const sub = list[i];
    let ok = true;
    if (!alwaysValid(sub)) {
      const before = out.length;
      node(sub, d, path, out, env);
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

type GroupCode = (s: Node, d: never, path: string, out: SchemaError[], env: Env) => void;
const limit = (path: string, keyword: string, n: number, message: string, params: Record<string, unknown> = { limit: n }): SchemaError => ({ instancePath: path, keyword, params, message });

const COMPARISONS: Record<string, [string, (d: number, n: number) => boolean]> = {
  maximum: ['<=', (d, n) => d > n],
  minimum: ['>=', (d, n) => d < n],
  exclusiveMaximum: ['<', (d, n) => d >= n],
  exclusiveMinimum: ['>', (d, n) => d <= n],
};

const GROUP_CODE: Record<'number' | 'string' | 'array' | 'object', GroupCode> = {
  number(s, d: number, path, out, env) {
    for (const [k, [ok, fails]] of Object.entries(COMPARISONS)) {
      const n = s[k] as number | undefined;
      if (n !== undefined && (fails(d, n) || Number.isNaN(d))) out.push(limit(path, k, n, `must be ${ok} ${n}`, { comparison: ok, limit: n }));
    }
    format(s, d, 'number', path, out, env);
  },
  string(s, d: string, path, out, env) {
    const max = s.maxLength as number | undefined;
    const min = s.minLength as number | undefined;
    if (max !== undefined && ucs2length(d) > max) out.push(limit(path, 'maxLength', max, `must NOT have more than ${max} characters`));
    if (min !== undefined && ucs2length(d) < min) out.push(limit(path, 'minLength', min, `must NOT have fewer than ${min} characters`));
    if (s.pattern !== undefined && !env.regExp(s.pattern as string).test(d)) {
      out.push({ instancePath: path, keyword: 'pattern', params: { pattern: s.pattern }, message: `must match pattern "${s.pattern as string}"` });
    }
    format(s, d, 'string', path, out, env);
  },
  array(s, d: unknown[], path, out, env) {
    const max = s.maxItems as number | undefined;
    const min = s.minItems as number | undefined;
    if (max !== undefined && d.length > max) out.push(limit(path, 'maxItems', max, `must NOT have more than ${max} items`));
    if (min !== undefined && d.length < min) out.push(limit(path, 'minItems', min, `must NOT have fewer than ${min} items`));
    if (s.items !== undefined && !alwaysValid(s.items)) for (let i = 0; i < d.length; i++) node(s.items, d[i], `${path}/${i}`, out, env);
  },
  object(s, d: Node, path, out, env) {
    const max = s.maxProperties as number | undefined;
    const min = s.minProperties as number | undefined;
    if (max !== undefined && Object.keys(d).length > max) out.push(limit(path, 'maxProperties', max, `must NOT have more than ${max} properties`));
    if (min !== undefined && Object.keys(d).length < min) out.push(limit(path, 'minProperties', min, `must NOT have fewer than ${min} properties`));
    for (const p of (s.required as string[] | undefined) ?? []) {
      if (d[p] === undefined) out.push({ instancePath: path, keyword: 'required', params: { missingProperty: p }, message: `must have required property '${p}'` });
    }
    const props = isObj(s.properties) ? s.properties : undefined;
    const extra = s.additionalProperties;
    if (extra !== undefined && !alwaysValid(extra)) {
      for (const key in d) {
        if (props && Object.prototype.hasOwnProperty.call(props, key) && key !== '__proto__') continue;
        if (extra === false) out.push({ instancePath: path, keyword: 'additionalProperties', params: { additionalProperty: key }, message: 'must NOT have additional properties' });
        else node(extra, d[key], `${path}/${escape(key)}`, out, env);
      }
    }
    if (props) {
      for (const p of Object.keys(props)) {
        if (p === '__proto__' || alwaysValid(props[p])) continue;
        const v = d[p];
        if (v !== undefined) node(props[p], v, `${path}/${escape(p)}`, out, env);
      }
    }
  },
};

function format(s: Node, d: unknown, type: 'number' | 'string', path: string, out: SchemaError[], env: Env): void {
  if (s.format === undefined) return;
  const def = env.formats[s.format as string];
  if (def === undefined || def === true) return;
  const [fmtType, check] = typeof def === 'object' && !(def instanceof RegExp) ? [def.type ?? 'string', def.validate] : ['string', def];
  if (fmtType !== type) return;
  const ok = typeof check === 'function' ? (check as (v: unknown) => boolean)(d) : check.test(d as string);
  if (!ok) out.push({ instancePath: path, keyword: 'format', params: { format: s.format }, message: `must match format "${s.format as string}"` });
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
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual((a as Node)[k], (b as Node)[k]));
}
