/**
 * Server-side apply, simplified but faithful where Plinth depends on it:
 * each manager owns the leaf fields it applied (maps are merged key by key,
 * lists are atomic); re-applying without a field removes it unless another
 * manager owns it; a field another manager owns with a different value is a
 * conflict unless forced. managedFields are written in the FieldsV1 shape,
 * without timestamps, so they are deterministic. Also: JSON merge patch and
 * JSON patch for the other PATCH types.
 */

export type Obj = Record<string, unknown>;

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Obj;
  subresource?: string;
}

export const isMap = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const clone = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));

export function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (isMap(v)) return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])]));
  return v;
}

const IDENTITY = new Set(['apiVersion', 'kind', 'metadata.name', 'metadata.namespace']);
const SERVER_OWNED = new Set(['metadata.managedFields', 'metadata.resourceVersion', 'metadata.uid', 'metadata.generation', 'metadata.creationTimestamp', 'metadata.deletionTimestamp']);

/** Leaf paths of an object (maps recursed; lists and scalars are leaves), identity fields left out. */
// eslint-disable-next-line complexity -- the leaves of managedFields' fieldsV1 as the API server records them: maps recursed, empty maps and lists as leaves, nulls, identity and server-owned fields left out
export function leafPaths(obj: unknown, prefix: string[] = []): string[][] {
  if (!isMap(obj) || (prefix.length > 0 && Object.keys(obj).length === 0)) return prefix.length ? [prefix] : [];
  const out: string[][] = [];
  for (const [k, v] of Object.entries(obj)) {
    if (v === null || v === undefined) continue;
    const path = [...prefix, k];
    const text = path.join('.');
    if (IDENTITY.has(text) || SERVER_OWNED.has(text)) continue;
    out.push(...leafPaths(v, path));
  }
  return out;
}

const key = (p: string[]) => JSON.stringify(p);

function getPath(obj: unknown, path: string[]): unknown {
  let cur = obj;
  for (const k of path) {
    if (!isMap(cur)) return undefined;
    cur = cur[k];
  }
  return cur;
}

function deletePath(obj: Obj, path: string[]): void {
  const parents: Obj[] = [obj];
  let cur: Obj = obj;
  for (const k of path.slice(0, -1)) {
    const next = cur[k];
    if (!isMap(next)) return;
    cur = next;
    parents.push(cur);
  }
  delete cur[path[path.length - 1]!];
  // Drop maps the removal left empty (but never the object itself or metadata).
  for (let i = path.length - 1; i > 0; i--) {
    const parent = parents[i - 1]!;
    const child = parent[path[i - 1]!];
    if (isMap(child) && Object.keys(child).length === 0 && !(i === 1 && path[0] === 'metadata')) delete parent[path[i - 1]!];
    else break;
  }
}

function mergeInto(target: Obj, source: Obj): void {
  for (const [k, v] of Object.entries(source)) {
    if (v === null || v === undefined) continue;
    if (isMap(v) && isMap(target[k])) mergeInto(target[k] as Obj, v);
    else target[k] = clone(v);
  }
}

/** FieldsV1: `{"f:spec": {"f:replicas": {}}}` from leaf paths. */
export function encodeFields(paths: readonly string[][]): Obj {
  const root: Obj = {};
  for (const p of [...paths].sort((a, b) => (key(a) < key(b) ? -1 : 1))) {
    let cur = root;
    for (const k of p) {
      const f = `f:${k}`;
      if (!isMap(cur[f])) cur[f] = {};
      cur = cur[f] as Obj;
    }
  }
  return root;
}

export function decodeFields(fields: Obj, prefix: string[] = []): string[][] {
  const out: string[][] = [];
  for (const [k, v] of Object.entries(fields)) {
    if (!k.startsWith('f:')) continue;
    const path = [...prefix, k.slice(2)];
    if (isMap(v) && Object.keys(v).length > 0) out.push(...decodeFields(v, path));
    else out.push(path);
  }
  return out;
}

export function managedFieldsOf(obj: Obj | undefined): ManagedFieldsEntry[] {
  const mf = (obj?.metadata as Obj | undefined)?.managedFields;
  return Array.isArray(mf) ? (clone(mf) as ManagedFieldsEntry[]) : [];
}

function sortEntries(entries: ManagedFieldsEntry[]): ManagedFieldsEntry[] {
  return entries
    .filter((e) => Object.keys(e.fieldsV1).length > 0)
    .sort((a, b) => `${a.manager}\u0000${a.operation}\u0000${a.subresource ?? ''}`.localeCompare(`${b.manager}\u0000${b.operation}\u0000${b.subresource ?? ''}`));
}

export interface ApplyOutcome {
  result: Obj;
  conflicts: string[];
}

/**
 * Applies `applied` as `manager` over `live` (undefined: a create). `scope`
 * limits what the manager may touch: the whole object but status, or status only.
 */
// eslint-disable-next-line complexity, max-params -- one server-side apply as the API takes it (live object, body, fieldManager, force, subresource): conflicts with other managers, fields this manager gave up, ownership after force
export function serverSideApply(live: Obj | undefined, applied: Obj, manager: string, force: boolean, scope: 'main' | 'status'): ApplyOutcome {
  const subresource = scope === 'status' ? 'status' : undefined;
  const body = scope === 'status' ? { status: applied.status } : Object.fromEntries(Object.entries(applied).filter(([k]) => k !== 'status'));
  const newPaths = leafPaths(body);
  const newKeys = new Set(newPaths.map(key));
  const entries = managedFieldsOf(live);
  const mine = entries.find((e) => e.manager === manager && e.operation === 'Apply' && e.subresource === subresource);
  const others = entries.filter((e) => e !== mine);
  const result: Obj = clone(live) ?? { apiVersion: applied.apiVersion, kind: applied.kind, metadata: {} };

  const conflicts: string[] = [];
  for (const other of others) {
    for (const p of decodeFields(other.fieldsV1)) {
      if (newKeys.has(key(p)) && live && !deepEqual(getPath(live, p), getPath(body, p))) conflicts.push(`conflict with "${other.manager}": .${p.join('.')}`);
    }
  }
  if (conflicts.length > 0 && !force) return { result: result, conflicts };

  const ownedByOthers = new Set(others.flatMap((e) => decodeFields(e.fieldsV1).map(key)));
  for (const p of mine ? decodeFields(mine.fieldsV1) : []) {
    if (!newKeys.has(key(p)) && !ownedByOthers.has(key(p))) deletePath(result, p);
  }
  mergeInto(result, body);

  const updatedOthers = others.map((e) => {
    if (!force) return e;
    const kept = decodeFields(e.fieldsV1).filter((p) => !(newKeys.has(key(p)) && live && !deepEqual(getPath(live, p), getPath(body, p))));
    return { ...e, fieldsV1: encodeFields(kept) };
  });
  const entry: ManagedFieldsEntry = {
    manager,
    operation: 'Apply',
    apiVersion: String(applied.apiVersion),
    fieldsType: 'FieldsV1',
    fieldsV1: encodeFields(newPaths),
    ...(subresource ? { subresource } : {}),
  };
  (result.metadata as Obj).managedFields = sortEntries([...updatedOthers, entry]);
  return { result, conflicts: [] };
}

/** Records an Update-operation owner for the fields a non-apply write set. */
export function recordUpdate(obj: Obj, manager: string, written: Obj, subresource?: string): void {
  const paths = leafPaths(subresource === 'status' ? { status: written.status } : Object.fromEntries(Object.entries(written).filter(([k]) => k !== 'status')));
  const entries = managedFieldsOf(obj).filter((e) => !(e.manager === manager && e.operation === 'Update' && e.subresource === subresource));
  entries.push({ manager, operation: 'Update', apiVersion: String(obj.apiVersion), fieldsType: 'FieldsV1', fieldsV1: encodeFields(paths), ...(subresource ? { subresource } : {}) });
  (obj.metadata as Obj).managedFields = sortEntries(entries);
}

/** RFC 7386. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isMap(patch)) return clone(patch);
  const out: Obj = isMap(target) ? clone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

interface JsonPatchOp {
  op: 'add' | 'remove' | 'replace' | 'test';
  path: string;
  value?: unknown;
}

/** RFC 6902: add, remove, replace, test. */
// eslint-disable-next-line complexity -- RFC 6902 op by op (add, remove, replace, test) on a list element or a map key, each as the RFC defines it
export function jsonPatch(target: Obj, ops: JsonPatchOp[]): Obj {
  const doc = clone(target);
  for (const op of ops) {
    const parts = op.path.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = parts.pop();
    if (last === undefined) throw new Error(`bad JSON patch path ${op.path}`);
    let parent: unknown = doc;
    for (const p of parts) parent = Array.isArray(parent) ? parent[Number(p)] : isMap(parent) ? parent[p] : undefined;
    if (parent === undefined) throw new Error(`JSON patch path ${op.path} does not exist`);
    if (Array.isArray(parent)) {
      const i = last === '-' ? parent.length : Number(last);
      if (op.op === 'add') parent.splice(i, 0, clone(op.value));
      else if (op.op === 'remove') parent.splice(i, 1);
      else if (op.op === 'replace') parent[i] = clone(op.value);
      else if (!deepEqual(parent[i], op.value)) throw new Error(`JSON patch test failed at ${op.path}`);
    } else if (isMap(parent)) {
      if (op.op === 'add' || op.op === 'replace') parent[last] = clone(op.value);
      else if (op.op === 'remove') delete parent[last];
      else if (!deepEqual(parent[last], op.value)) throw new Error(`JSON patch test failed at ${op.path}`);
    }
  }
  return doc;
}
