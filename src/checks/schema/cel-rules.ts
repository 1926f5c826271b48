/**
 * The `x-kubernetes-validations` rules of a CRD's structural schema, evaluated
 * offline as the API server evaluates them on create: each rule at its schema
 * node with `self` bound to the value there, after the schema's defaults are
 * applied (the server defaults before it validates). Transition rules (those
 * reading `oldSelf`) do not run on create and are skipped. Only a rule that
 * evaluates to false is an issue: a rule Plinth's engine cannot parse, type or
 * evaluate (a library it lacks, a field the value does not have) is left to the
 * API server, never reported.
 */
import { registerKubernetesLibrary } from '../../policy/cel/library/index.js';
import { parseCel } from '../../policy/cel/environment.js';
import { toCel } from '../../policy/cel/values.js';
import { Environment } from '../../policy/cel/vendor.js';
import { isPlainObject } from '../../lib/values.js';
import type { SchemaIssue } from './issues.js';

type Schema = Record<string, unknown>;
interface Rule {
  rule: string;
  message?: string;
  fieldPath?: string;
}
type Program = (bindings: Record<string, unknown>) => unknown;

let environment: Environment | undefined;
const programs = new Map<string, Program | null>();

function program(rule: string): Program | null {
  if (programs.has(rule)) return programs.get(rule)!;
  let out: Program | null = null;
  try {
    environment ??= registerKubernetesLibrary(new Environment({ enableOptionalTypes: true }).registerVariable('self', 'dyn'));
    const parsed = parseCel('kubernetes', rule, environment);
    if (parsed.check().valid) out = (bindings) => parsed(bindings) as unknown;
  } catch {
    out = null;
  }
  programs.set(rule, out);
  return out;
}

/** The value with the schema's defaults filled in where a field is absent (as the API server defaults a create). */
export function withDefaults(value: unknown, schema: unknown): unknown {
  if (!isPlainObject(schema)) return value;
  if (Array.isArray(value)) return isPlainObject(schema.items) ? value.map((v) => withDefaults(v, schema.items)) : value;
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = { ...value };
  const props = isPlainObject(schema.properties) ? (schema.properties as Record<string, Schema>) : {};
  for (const [k, s] of Object.entries(props)) {
    if (out[k] === undefined && isPlainObject(s) && s.default !== undefined) out[k] = structuredClone(s.default);
    if (out[k] !== undefined) out[k] = withDefaults(out[k], s);
  }
  if (isPlainObject(schema.additionalProperties)) for (const k of Object.keys(out)) if (!(k in props)) out[k] = withDefaults(out[k], schema.additionalProperties);
  return out;
}

function evaluate(rules: readonly Rule[], value: unknown, path: string, out: SchemaIssue[]): void {
  for (const r of rules) {
    if (typeof r.rule !== 'string' || /\boldSelf\b/.test(r.rule)) continue;
    const run = program(r.rule);
    if (!run) continue;
    let result: unknown;
    try {
      result = run({ self: toCel(value) });
    } catch {
      continue;
    }
    if (result === false) {
      const at = r.fieldPath ? `${path}${r.fieldPath}`.replace(/^\./, '') : path;
      out.push({ path: at, message: r.message ? r.message : `failed rule: ${r.rule}` });
    }
  }
}

function walk(value: unknown, schema: unknown, path: string, out: SchemaIssue[]): void {
  if (!isPlainObject(schema) || value === undefined || value === null) return;
  const rules = schema['x-kubernetes-validations'];
  if (Array.isArray(rules) && rules.length > 0) evaluate(rules as Rule[], value, path, out);
  if (Array.isArray(value)) {
    if (isPlainObject(schema.items)) value.forEach((v, i) => walk(v, schema.items, `${path}[${i}]`, out));
    return;
  }
  if (!isPlainObject(value)) return;
  const props = isPlainObject(schema.properties) ? (schema.properties as Record<string, Schema>) : {};
  for (const [k, v] of Object.entries(value)) {
    const s = props[k] ?? (isPlainObject(schema.additionalProperties) ? schema.additionalProperties : undefined);
    walk(v, s, path ? `${path}.${k}` : k, out);
  }
}

/** Issues of the CEL rules of a CRD version's `openAPIV3Schema` for a custom resource (metadata is not walked: the server validates it as ObjectMeta). */
export function celRuleIssues(obj: Record<string, unknown>, schema: Schema): SchemaIssue[] {
  const out: SchemaIssue[] = [];
  const value = withDefaults(obj, schema) as Record<string, unknown>;
  const rootRules = schema['x-kubernetes-validations'];
  if (Array.isArray(rootRules) && rootRules.length > 0) evaluate(rootRules as Rule[], value, '', out);
  const props = isPlainObject(schema.properties) ? (schema.properties as Record<string, Schema>) : {};
  for (const [k, v] of Object.entries(value)) if (k !== 'metadata' && k !== 'apiVersion' && k !== 'kind') walk(v, props[k], k, out);
  return out;
}
