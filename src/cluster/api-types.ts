/**
 * The Kubernetes API's own type metadata, as the generated models of
 * @kubernetes/client-node carry it (field names and their types). Read-only
 * metadata: no cluster is contacted. `plinth check` uses it to find fields
 * the API server would not know (strict validation, like kubeconform -strict).
 */
import * as k8s from '@kubernetes/client-node';

export interface ApiField {
  /** JSON name of the field. */
  name: string;
  /** Model type: a model name (`V1PodSpec`), `Array<X>`, `{ [key: string]: X; }`, or a scalar. */
  type: string;
}

type ModelClass = { getAttributeTypeMap(): { baseName: string; type: string }[] };

const models = k8s as unknown as Record<string, unknown>;

function modelClass(name: string): ModelClass | undefined {
  const c: unknown = models[name];
  if (typeof c !== 'function') return undefined;
  const model = c as unknown as { getAttributeTypeMap?: unknown };
  return typeof model.getAttributeTypeMap === 'function' ? (model as ModelClass) : undefined;
}

/** Fields of a model type, or undefined when the name is not a model (a scalar, `any`). */
export function apiFields(typeName: string): ApiField[] | undefined {
  return modelClass(typeName)?.getAttributeTypeMap().map((a) => ({ name: a.baseName, type: a.type }));
}

const pascal = (s: string) => s.replace(/(^|[.-])([a-z])/g, (_, __, c: string) => c.toUpperCase()).replace(/[.-]/g, '');

/** The model type of a top-level object (`apps/v1` `Deployment` → `V1Deployment`), if the API has one. */
export function apiTypeOf(apiVersion: string, kind: string): string | undefined {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const ver = pascal(version!);
  const groupName = group ? pascal(group.replace(/\.k8s\.io$|\.authorization\.k8s\.io$|\.apiserver\.k8s\.io$/, '')) : '';
  const candidates = [groupName ? `${groupName}${ver}${kind}` : '', `${ver}${kind}`].filter(Boolean);
  for (const name of candidates) {
    const fields = apiFields(name);
    if (fields?.some((f) => f.name === 'apiVersion') && fields.some((f) => f.name === 'kind')) return name;
  }
  return undefined;
}
