/**
 * Built-in kinds: values checked by the OpenAPI-generated validators of
 * kubernetes-models (types, required fields, formats such as quantities), and
 * unknown fields found by walking the API's type metadata. The same checks
 * serve the metadata (ObjectMeta) of custom resources.
 */
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { apiFields, apiTypeOf } from './api-types.js';
import type { K8sObject } from '../../model/k8s.js';
import { isPlainObject } from '../../lib/values.js';
import { type SchemaIssue, ajvIssues } from './issues.js';

type ModelCtor = new (data: unknown) => { validate(): void };

const ctorCache = new Map<string, Promise<ModelCtor | undefined>>();

function modelPath(apiVersion: string, kind: string): string {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  return `kubernetes-models/${group ? `${group}/` : ''}${version}/${kind}`;
}

async function modelCtor(apiVersion: string, kind: string): Promise<ModelCtor | undefined> {
  const key = `${apiVersion}/${kind}`;
  if (!ctorCache.has(key)) {
    ctorCache.set(
      key,
      import(modelPath(apiVersion, kind)).then(
        (m: Record<string, unknown>) => m[kind] as ModelCtor | undefined,
        () => undefined,
      ),
    );
  }
  return ctorCache.get(key)!;
}

/** Whether Plinth knows a schema for this built-in kind. */
export async function hasBuiltinSchema(apiVersion: string, kind: string): Promise<boolean> {
  return (await modelCtor(apiVersion, kind)) !== undefined;
}

export async function validateBuiltin(obj: K8sObject): Promise<SchemaIssue[] | undefined> {
  const Ctor = await modelCtor(obj.apiVersion, obj.kind);
  return Ctor ? modelIssues(Ctor, obj) : undefined;
}

/**
 * Kubernetes ObjectMeta, the metadata of every object, custom resources
 * included: checked as the metadata of a ConfigMap (a built-in kind with
 * nothing else required), so exactly as the metadata of built-in kinds.
 */
export function validateObjectMeta(metadata: unknown): SchemaIssue[] {
  return modelIssues(ConfigMap as ModelCtor, { apiVersion: 'v1', kind: 'ConfigMap', metadata } as K8sObject);
}

function modelIssues(Ctor: ModelCtor, obj: K8sObject): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  try {
    new Ctor(obj).validate();
  } catch (e) {
    const errors = (e as { errors?: unknown[] }).errors;
    if (!Array.isArray(errors)) throw e;
    issues.push(...ajvIssues(errors as Parameters<typeof ajvIssues>[0]));
  }
  const type = apiTypeOf(obj.apiVersion, obj.kind);
  if (type) unknownFields(obj, type, [], issues);
  return issues;
}

function unknownFields(value: unknown, type: string, path: string[], out: SchemaIssue[]): void {
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    if (Array.isArray(value)) value.forEach((v, i) => unknownFields(v, array[1]!, [...path.slice(0, -1), `${path[path.length - 1] ?? ''}[${i}]`], out));
    return;
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) {
    if (isPlainObject(value)) for (const [k, v] of Object.entries(value)) unknownFields(v, map[1]!, [...path, k], out);
    return;
  }
  const fields = apiFields(type);
  if (!fields || !isPlainObject(value)) return;
  for (const [k, v] of Object.entries(value)) {
    const field = fields.find((f) => f.name === k);
    if (!field) out.push({ path: [...path, k].join('.'), message: `unknown field ${JSON.stringify(k)}` });
    else unknownFields(v, field.type, [...path, k], out);
  }
}
