/**
 * Custom resources against the `openAPIV3Schema` of the CRDs the platform
 * installs, made strict the way the API server treats them: a field no schema
 * names is unknown (unless the schema preserves unknown fields), int-or-string
 * is either, and metadata is checked as Kubernetes ObjectMeta (with the
 * validators of built-in kinds, whatever the CRD says of it). An object that
 * fits the schema is then held to the CRD's CEL rules (cel-rules.ts), as the
 * API server runs them only on values that fit.
 */
import { createHash } from 'node:crypto';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { K8sObject } from '../../model/k8s.js';
import { isPlainObject } from '../../lib/values.js';
import { validateObjectMeta } from './builtin.js';
import { celRuleIssues } from './cel-rules.js';
import { type SchemaIssue, ajvIssues } from './issues.js';
import { interpretable, interpreter, type Validator } from './interpret.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

type Schema = Record<string, unknown>;

interface CrdVersion {
  schema: Schema;
  validate?: Validator | ValidateFunction;
}

/**
 * Strict copy of a structural schema; `metadata` of the object is only required to be an object here, {@link CrdSchemas.validate} checks its fields.
 * Inside `allOf`, `anyOf`, `oneOf` and `not` the schema only validates values (Kubernetes' structural
 * schemas: which fields exist is said by the properties outside them), so objects there stay open:
 * a oneOf branch naming only `type` does not make the object's `value` unknown.
 */
export function strictSchema(node: unknown, root = true, inJunctor = false): unknown {
  if (Array.isArray(node)) return node.map((n) => strictSchema(n, false, inJunctor));
  if (!isPlainObject(node)) return node;
  if (node['x-kubernetes-int-or-string'] === true) return { anyOf: [{ type: 'integer' }, { type: 'string' }] };
  const out: Schema = {};
  for (const [k, v] of Object.entries(node)) {
    if (k.startsWith('x-kubernetes-')) continue;
    if (k === 'properties' && isPlainObject(v)) {
      out.properties = Object.fromEntries(Object.entries(v).map(([p, s]) => [p, strictSchema(s, false, inJunctor)]));
    } else if (['items', 'additionalProperties'].includes(k) && isPlainObject(v)) {
      out[k] = strictSchema(v, false, inJunctor);
    } else if (k === 'not' && isPlainObject(v)) {
      out[k] = strictSchema(v, false, true);
    } else if (['allOf', 'anyOf', 'oneOf'].includes(k) && Array.isArray(v)) {
      out[k] = v.map((s) => strictSchema(s, false, true));
    } else out[k] = v;
  }
  const props = (out.properties as Schema | undefined) ?? undefined;
  if (root || node['x-kubernetes-embedded-resource'] === true) {
    out.properties = { apiVersion: { type: 'string' }, kind: { type: 'string' }, ...(props ?? {}), metadata: { type: 'object' } };
  }
  const preserve = node['x-kubernetes-preserve-unknown-fields'] === true;
  if (out.properties && out.additionalProperties === undefined && !preserve && !inJunctor) out.additionalProperties = false;
  return out;
}

/**
 * CRD patterns are Go (RE2) regular expressions: `(?i)` turns on case
 * folding, which JavaScript spells as a flag (applied here to the whole
 * pattern, a little more lenient than RE2 when the flag sits in a group). A
 * pattern JavaScript cannot read at all is not enforced here (the API server
 * still enforces it).
 */
export function goRegExp(pattern: string, flags: string): RegExp {
  let p = pattern;
  let f = flags;
  if (p.includes('(?i)')) {
    p = p.replaceAll('(?i)', '');
    f += 'i';
  }
  try {
    return new RegExp(p, f);
  } catch {
    return new RegExp('', flags);
  }
}
goRegExp.code = 'goRegExp';

/** Validators by schema content, shared between checks when the caller keeps one. */
export type CompiledSchemas = Map<string, Validator | ValidateFunction>;

export class CrdSchemas {
  private readonly ajv: Ajv;
  private readonly versions = new Map<string, CrdVersion>();
  private readonly compiled: CompiledSchemas;

  constructor(compiled: CompiledSchemas = new Map()) {
    this.compiled = compiled;
    this.ajv = new Ajv({ strict: false, allErrors: true, logger: false, validateFormats: true, code: { regExp: goRegExp } });
    addFormats(this.ajv);
    for (const f of ['int32', 'int64', 'float', 'double', 'byte', 'binary', 'password', 'quantity', 'duration']) {
      if (!this.ajv.formats[f]) this.ajv.addFormat(f, true);
    }
  }

  /** Adds every served version of a CustomResourceDefinition. */
  add(crd: K8sObject): void {
    const spec = crd.spec as { group?: string; names?: { kind?: string }; versions?: { name: string; served?: boolean; schema?: { openAPIV3Schema?: Schema } }[] };
    if (!spec?.group || !spec.names?.kind) return;
    for (const v of spec.versions ?? []) {
      if (v.served === false || !v.schema?.openAPIV3Schema) continue;
      this.versions.set(`${spec.group}/${v.name}/${spec.names.kind}`, { schema: v.schema.openAPIV3Schema });
    }
  }

  /**
   * The validator of a strict schema: the interpreting one (no code generation, ADR 024)
   * when the schema is valid and stays within what it implements, Ajv's compiled one
   * otherwise (which also reports a schema Ajv rejects, as before).
   */
  private validator(strict: Schema): Validator | ValidateFunction {
    if (interpretable(strict) && this.ajv.validateSchema(strict) === true) return interpreter(strict, { formats: this.ajv.formats, regExp: goRegExp });
    return this.ajv.compile(strict);
  }
  has(apiVersion: string, kind: string): boolean {
    return this.versions.has(`${apiVersion}/${kind}`);
  }

  /** Problems of a custom resource, or undefined when no installed CRD serves its apiVersion and kind. */
  validate(obj: K8sObject): SchemaIssue[] | undefined {
    const entry = this.versions.get(`${obj.apiVersion}/${obj.kind}`);
    if (!entry) return undefined;
    if (!entry.validate) {
      const key = createHash('sha256').update(JSON.stringify(entry.schema)).digest('hex');
      entry.validate = this.compiled.get(key) ?? this.validator(strictSchema(entry.schema) as Schema);
      this.compiled.set(key, entry.validate);
    }
    const issues = entry.validate(obj) ? celRuleIssues(obj as unknown as Record<string, unknown>, entry.schema) : ajvIssues(entry.validate.errors ?? []);
    return isPlainObject(obj.metadata) ? [...issues, ...validateObjectMeta(obj.metadata)] : issues;
  }
}
