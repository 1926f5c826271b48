/**
 * The resource verbs of the API test double over HTTP: get, list, create,
 * replace, patch (server-side apply, merge, JSON patch), delete; with the
 * status subresource, dry runs, and the checks a real server makes first
 * (the namespace exists and is not terminating, names match, conflicts).
 */
import type { IncomingMessage } from 'node:http';
import { clone, isMap, jsonPatch, mergePatch, type Obj, recordUpdate, serverSideApply } from './apply-merge.js';
import { HttpError, parseBody, readBody, statusBody } from './http-util.js';
import { groupVersion, type ResourceType } from './resources.js';
import { fieldMatcher, labelMatcher } from './selectors.js';
import { metaOf, type ObjectStore } from './store.js';

export interface Target {
  type: ResourceType;
  version: string;
  namespace?: string;
  name?: string;
  subresource?: string;
}

export interface Outcome {
  code: number;
  body: unknown;
  /** For the write log: what the request did. */
  write?: { verb: 'create' | 'update' | 'patch' | 'apply' | 'delete'; changed: boolean };
}

const qualified = (t: ResourceType) => (t.group ? `${t.plural}.${t.group}` : t.plural);
const notFound = (t: ResourceType, name: string) => new HttpError(404, 'NotFound', `${qualified(t)} "${name}" not found`);

function withTypeMeta(t: ResourceType, version: string, o: Obj): Obj {
  return { ...o, apiVersion: groupVersion(t.group, version), kind: t.kind };
}

export function listBody(store: ObjectStore, target: Target, query: URLSearchParams): Obj {
  const labels = labelMatcher(query.get('labelSelector'));
  const fields = fieldMatcher(query.get('fieldSelector'));
  const items = store
    .list(target.type, target.namespace)
    .filter((o) => labels((metaOf(o).labels as Record<string, string>) ?? {}) && fields(o as { metadata: { name: string; namespace?: string } }))
    .map((o) => {
      const item = withTypeMeta(target.type, target.version, o);
      // Typed lists of built-in kinds carry no apiVersion/kind per item; custom resources do.
      if (!target.type.crd) {
        delete item.apiVersion;
        delete item.kind;
      }
      return item;
    });
  return { kind: `${target.type.kind}List`, apiVersion: groupVersion(target.type.group, target.version), metadata: { resourceVersion: String(store.resourceVersion) }, items };
}

// eslint-disable-next-line complexity -- the API server's checks of a write body against its URL (object, apiVersion, kind, name, namespace), each refused with the server's own message
function checkBody(target: Target, body: unknown): Obj {
  if (!isMap(body)) throw new HttpError(400, 'BadRequest', 'the body must be an object');
  const meta = isMap(body.metadata) ? body.metadata : {};
  const want = groupVersion(target.type.group, target.version);
  if (body.apiVersion !== undefined && body.apiVersion !== want) throw new HttpError(400, 'BadRequest', `the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${want})`);
  if (body.kind !== undefined && body.kind !== target.type.kind) throw new HttpError(400, 'BadRequest', `the kind in the data (${String(body.kind)}) does not match the expected kind (${target.type.kind})`);
  if (target.name !== undefined && meta.name !== undefined && meta.name !== target.name) throw new HttpError(400, 'BadRequest', `the name of the object (${String(meta.name)}) does not match the name on the URL (${target.name})`);
  if (target.type.namespaced && meta.namespace !== undefined && meta.namespace !== target.namespace) {
    throw new HttpError(400, 'BadRequest', 'the namespace of the provided object does not match the namespace sent on the request');
  }
  const out = clone(body);
  out.apiVersion = want;
  out.kind = target.type.kind;
  out.metadata = { ...meta, ...(target.name ? { name: target.name } : {}), ...(target.type.namespaced ? { namespace: target.namespace } : {}) };
  return out;
}

function checkNamespace(store: ObjectStore, target: Target): void {
  if (!target.type.namespaced || !target.namespace) return;
  const state = store.namespaceState(target.namespace);
  if (state === 'missing') throw new HttpError(404, 'NotFound', `namespaces "${target.namespace}" not found`);
  if (state === 'terminating') throw new HttpError(403, 'Forbidden', `unable to create new content in namespace ${target.namespace} because it is being terminated`);
}

// eslint-disable-next-line complexity -- the API server's write verbs in one place (POST, PUT, PATCH as apply, merge, strategic and JSON patch, status subresource, dry run), each with the server's status codes and messages
export async function handleWrite(store: ObjectStore, target: Target, req: IncomingMessage, query: URLSearchParams): Promise<Outcome> {
  const method = req.method ?? 'GET';
  const dryRun = query.get('dryRun') === 'All';
  const manager = query.get('fieldManager') ?? 'unknown';
  const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim();
  const text = await readBody(req);
  const { type } = target;
  const status = target.subresource === 'status';
  if (target.subresource && !status) throw new HttpError(404, 'NotFound', `the server could not find the requested resource (${target.subresource})`);
  if (status && !type.status) throw new HttpError(404, 'NotFound', `${qualified(type)} has no status subresource`);
  const live = target.name ? store.get(type, target.namespace, target.name) : undefined;

  if (method === 'POST') {
    const body = checkBody(target, parseBody(text, false));
    const meta = metaOf(body);
    if (!meta.name && typeof meta.generateName === 'string') meta.name = `${meta.generateName}${(store.resourceVersion + 1).toString(36).padStart(5, 'x')}`;
    if (!meta.name) throw new HttpError(422, 'Invalid', `${type.kind} is invalid: metadata.name: Required value: name or generateName is required`);
    checkNamespace(store, target);
    if (store.get(type, target.namespace, meta.name)) throw new HttpError(409, 'AlreadyExists', `${qualified(type)} "${meta.name}" already exists`);
    recordUpdate(body, manager, body);
    const r = store.commit(type, body, { source: 'http', dryRun });
    return { code: 201, body: r.object, write: { verb: 'create', changed: r.changed } };
  }

  if (method === 'DELETE') {
    if (!live) throw notFound(type, target.name!);
    const options = parseBody(text, false) as { propagationPolicy?: string } | undefined;
    const policy = options?.propagationPolicy ?? query.get('propagationPolicy') ?? undefined;
    if (dryRun) return { code: 200, body: live };
    const result = store.remove(type, target.namespace, target.name!, { source: 'http', propagationPolicy: policy });
    const after = store.get(type, target.namespace, target.name!);
    return {
      code: 200,
      body: after ?? statusBody(200, '', '', { name: target.name, kind: type.plural, group: type.group }),
      write: { verb: 'delete', changed: result !== 'notfound' },
    };
  }

  if (method === 'PUT') {
    if (!live) throw notFound(type, target.name!);
    const body = checkBody(target, parseBody(text, false));
    const rv = metaOf(body).resourceVersion;
    if (rv !== undefined && rv !== metaOf(live).resourceVersion) {
      throw new HttpError(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(type)} "${target.name}": the object has been modified; please apply your changes to the latest version and try again`);
    }
    metaOf(body).managedFields = metaOf(live).managedFields;
    recordUpdate(body, manager, body, status ? 'status' : undefined);
    const r = store.commit(type, body, { source: 'http', subresource: target.subresource, dryRun });
    return { code: 200, body: r.object, write: { verb: 'update', changed: r.changed } };
  }

  if (method === 'PATCH') {
    if (contentType === 'application/apply-patch+yaml') {
      if (!query.get('fieldManager')) throw new HttpError(400, 'BadRequest', 'PATCH requests with apply content type must have fieldManager set');
      const body = checkBody(target, parseBody(text, true));
      if (!live) checkNamespace(store, target);
      const { result, conflicts } = serverSideApply(live, body, manager, query.get('force') === 'true', status ? 'status' : 'main');
      if (conflicts.length > 0) throw new HttpError(409, 'Conflict', `Apply failed with ${conflicts.length} conflict${conflicts.length === 1 ? '' : 's'}: ${conflicts.join(', ')}`);
      const r = store.commit(type, result, { source: 'http', subresource: target.subresource, dryRun });
      return { code: r.created ? 201 : 200, body: r.object, write: { verb: 'apply', changed: r.changed } };
    }
    if (!live) throw notFound(type, target.name!);
    const patch = parseBody(text, false);
    let next: Obj;
    if (contentType === 'application/json-patch+json') {
      try {
        next = jsonPatch(live, patch as Parameters<typeof jsonPatch>[1]);
      } catch (e) {
        throw new HttpError(422, 'Invalid', (e as Error).message);
      }
    } else if (contentType === 'application/merge-patch+json' || contentType === 'application/strategic-merge-patch+json') {
      next = mergePatch(live, patch) as Obj;
    } else throw new HttpError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format: ${contentType}`);
    // A resourceVersion in the patch is a precondition, as on a real API server.
    const expected = isMap(patch) && isMap(patch.metadata) ? patch.metadata.resourceVersion : undefined;
    if (expected !== undefined && expected !== metaOf(live).resourceVersion) {
      throw new HttpError(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(type)} "${target.name}": the object has been modified; please apply your changes to the latest version and try again`);
    }
    const checked = checkBody(target, next);
    recordUpdate(checked, manager, isMap(patch) ? patch : checked, status ? 'status' : undefined);
    const r = store.commit(type, checked, { source: 'http', subresource: target.subresource, dryRun });
    return { code: 200, body: r.object, write: { verb: 'patch', changed: r.changed } };
  }
  throw new HttpError(405, 'MethodNotAllowed', `${method} is not supported`);
}

export function handleGet(store: ObjectStore, target: Target): Obj {
  const o = store.get(target.type, target.namespace, target.name!);
  if (!o) throw notFound(target.type, target.name!);
  return withTypeMeta(target.type, target.version, o);
}
