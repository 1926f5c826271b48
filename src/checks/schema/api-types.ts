/**
 * The Kubernetes API's own type metadata, as the generated models of
 * @kubernetes/client-node carry it (field names and their types), read from
 * a table generated from that package (`generated/api-types.json`, written
 * by scripts/gen-api-types.ts): `plinth check` uses it to find fields the API
 * server would not know (strict validation, like kubeconform -strict) without
 * loading the Kubernetes client, which stays in the cluster module.
 */
import table from './generated/api-types.json' with { type: 'json' };

export interface ApiField {
  /** JSON name of the field. */
  name: string;
  /** Model type: a model name (`V1PodSpec`), `Array<X>`, `{ [key: string]: X; }`, or a scalar. */
  type: string;
}

/** The generated table: each model's fields as `[name, type]` pairs. */
export interface ApiTypeTable {
  generatedBy: string;
  models: Record<string, [name: string, type: string][]>;
}

const models = new Map(Object.entries((table as unknown as ApiTypeTable).models));

/** Fields of a model type, or undefined when the name is not a model (a scalar, `any`). */
export function apiFields(typeName: string): ApiField[] | undefined {
  return models.get(typeName)?.map(([name, type]) => ({ name, type }));
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
