/**
 * The object store of the API test double: typed objects with resource
 * versions, uids and generations; the status subresource; finalizers,
 * namespace termination and owner-reference garbage collection; CRDs that add
 * types once established; and a change feed for watches and test controllers.
 * Timestamps come from a logical clock so that every run stores the same bytes.
 */
import { clone, deepEqual, isMap, type Obj } from './apply-merge.js';
import { BUILTIN_TYPES, type ResourceType, typeOfCrd } from './resources.js';

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';
export type Source = 'http' | 'controller';

export interface Change {
  rv: number;
  type: ChangeType;
  resource: ResourceType;
  object: Obj;
  old?: Obj;
  source: Source;
  subresource?: string;
}

export interface CommitResult {
  object: Obj;
  created: boolean;
  changed: boolean;
}

const EPOCH = Date.UTC(2025, 0, 1);

export function metaOf(o: Obj): Obj & { name: string; namespace?: string } {
  if (!isMap(o.metadata)) o.metadata = {};
  return o.metadata as Obj & { name: string; namespace?: string };
}

function spec(o: Obj): unknown {
  return Object.fromEntries(Object.entries(o).filter(([k]) => k !== 'metadata' && k !== 'status'));
}

export class ObjectStore {
  private readonly objects = new Map<string, Obj>();
  private readonly crdTypes = new Map<string, ResourceType>();
  private readonly deletePolicy = new Map<string, string>();
  private readonly listeners = new Set<(c: Change) => void>();
  readonly history: Change[] = [];
  private rv = 0;
  private uid = 0;
  private tick = 0;

  /** Types served now: built-ins and the established CRDs. */
  types(): ResourceType[] {
    return [...BUILTIN_TYPES, ...this.crdTypes.values()];
  }

  typeByPath(group: string, version: string, plural: string): ResourceType | undefined {
    return this.types().find((t) => t.group === group && t.plural === plural && t.versions.includes(version));
  }

  typeByKind(apiVersion: string, kind: string): ResourceType | undefined {
    const slash = apiVersion.indexOf('/');
    const group = slash === -1 ? '' : apiVersion.slice(0, slash);
    const version = slash === -1 ? apiVersion : apiVersion.slice(slash + 1);
    return this.types().find((t) => t.group === group && t.kind === kind && t.versions.includes(version));
  }

  onChange(listener: (c: Change) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get resourceVersion(): number {
    return this.rv;
  }

  now(): string {
    return new Date(EPOCH + ++this.tick * 1000).toISOString().replace('.000Z', 'Z');
  }

  private key(t: ResourceType, namespace: string | undefined, name: string): string {
    return `${t.group}|${t.plural}|${t.namespaced ? (namespace ?? '') : ''}|${name}`;
  }

  get(t: ResourceType, namespace: string | undefined, name: string): Obj | undefined {
    return clone(this.objects.get(this.key(t, namespace, name)));
  }

  list(t: ResourceType, namespace?: string): Obj[] {
    const prefix = `${t.group}|${t.plural}|`;
    return [...this.objects.entries()]
      .filter(([k, o]) => k.startsWith(prefix) && (namespace === undefined || metaOf(o).namespace === namespace))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([, o]) => clone(o));
  }

  namespaceState(name: string): 'missing' | 'active' | 'terminating' {
    const ns = this.objects.get(this.key(BUILTIN_TYPES[0]!, undefined, name));
    if (!ns) return 'missing';
    return metaOf(ns).deletionTimestamp ? 'terminating' : 'active';
  }

  /**
   * Stores `next` as the new state of its object. Main writes keep the status
   * of types with a status subresource; status writes change only the status.
   * An unchanged object is not written again (same resourceVersion).
   */
  // eslint-disable-next-line complexity -- the API server's write rules in one place: create (uid, generation, status dropped) or update (status subresource, generation on spec change, no-op write), then dry run
  commit(t: ResourceType, next: Obj, opts: { source: Source; subresource?: string; dryRun?: boolean }): CommitResult {
    const meta = metaOf(next);
    const k = this.key(t, meta.namespace, meta.name);
    const old = this.objects.get(k);
    let obj = clone(next);
    const m = metaOf(obj);
    if (!t.namespaced) delete m.namespace;
    if (!old) {
      if (t.status && opts.source === 'http') delete obj.status;
      if (t.kind === 'Namespace' && t.group === '') obj.status = { phase: 'Active' };
      m.uid = `00000000-0000-4000-8000-${String(++this.uid).padStart(12, '0')}`;
      m.creationTimestamp = this.now();
      m.generation = 1;
      delete m.deletionTimestamp;
    } else {
      const om = metaOf(old);
      if (t.status && opts.subresource === 'status') {
        obj = { ...clone(old), status: obj.status, metadata: { ...clone(om), managedFields: m.managedFields } };
      } else if (t.status) {
        obj.status = clone(old.status);
        if (obj.status === undefined) delete obj.status;
      }
      const nm = metaOf(obj);
      nm.uid = om.uid;
      nm.creationTimestamp = om.creationTimestamp;
      nm.generation = (om.generation as number) + (deepEqual(spec(old), spec(obj)) ? 0 : 1);
      if (om.deletionTimestamp) nm.deletionTimestamp = om.deletionTimestamp;
      else delete nm.deletionTimestamp;
      nm.resourceVersion = om.resourceVersion;
      if (deepEqual(old, obj)) return { object: clone(old), created: false, changed: false };
    }
    if (opts.dryRun) return { object: obj, created: !old, changed: true };
    metaOf(obj).resourceVersion = String(++this.rv);
    this.objects.set(k, obj);
    this.emit({ rv: this.rv, type: old ? 'MODIFIED' : 'ADDED', resource: t, object: clone(obj), old: clone(old), source: opts.source, subresource: opts.subresource });
    if (t.kind === 'CustomResourceDefinition' && t.group === 'apiextensions.k8s.io') this.syncCrd(obj);
    const fin = metaOf(obj);
    if (fin.deletionTimestamp && !(Array.isArray(fin.finalizers) && fin.finalizers.length > 0)) this.erase(t, obj, opts.source);
    return { object: clone(obj), created: !old, changed: true };
  }

  /** Deletes: with finalizers the object only gets a deletionTimestamp; a namespace takes its contents along. */
  // eslint-disable-next-line complexity -- the API server's delete in its order: propagationPolicy, finalizers or a namespace (deletionTimestamp, Terminating, its contents), else gone at once
  remove(t: ResourceType, namespace: string | undefined, name: string, opts: { source: Source; propagationPolicy?: string }): 'gone' | 'terminating' | 'notfound' {
    const obj = this.objects.get(this.key(t, namespace, name));
    if (!obj) return 'notfound';
    const m = metaOf(obj);
    if (opts.propagationPolicy) this.deletePolicy.set(String(m.uid), opts.propagationPolicy);
    const isNamespace = t.kind === 'Namespace' && t.group === '';
    const finalizers = Array.isArray(m.finalizers) ? m.finalizers : [];
    if (finalizers.length > 0 || isNamespace) {
      if (!m.deletionTimestamp) {
        const next = clone(obj);
        metaOf(next).deletionTimestamp = this.now();
        if (isNamespace) next.status = { phase: 'Terminating' };
        this.objects.set(this.key(t, namespace, name), { ...next, metadata: { ...metaOf(next), resourceVersion: String(++this.rv) } });
        this.emit({ rv: this.rv, type: 'MODIFIED', resource: t, object: clone(this.objects.get(this.key(t, namespace, name))!), old: clone(obj), source: opts.source });
      }
      if (isNamespace) {
        this.removeContentsOf(name);
        this.finishNamespace(name);
        return this.objects.has(this.key(t, undefined, name)) ? 'terminating' : 'gone';
      }
      return 'terminating';
    }
    this.erase(t, obj, opts.source);
    return 'gone';
  }

  /** The namespace controller's work: every namespaced object of a terminating namespace removed, type by type. */
  private removeContentsOf(namespace: string): void {
    for (const type of this.types().filter((x) => x.namespaced)) {
      for (const o of this.list(type, namespace)) this.remove(type, namespace, metaOf(o).name, { source: 'controller' });
    }
  }

  // eslint-disable-next-line complexity -- the garbage collector's part of a delete: a CRD drops its type, each dependent by ownerReference is orphaned or deleted per propagationPolicy, then the namespace is finished
  private erase(t: ResourceType, obj: Obj, source: Source): void {
    const m = metaOf(obj);
    const k = this.key(t, m.namespace, m.name);
    if (!this.objects.delete(k)) return;
    this.emit({ rv: ++this.rv, type: 'DELETED', resource: t, object: clone(obj), source });
    if (t.kind === 'CustomResourceDefinition' && t.group === 'apiextensions.k8s.io') this.dropCrd(obj);
    const orphan = this.deletePolicy.get(String(m.uid)) === 'Orphan';
    for (const type of this.types()) {
      for (const dep of this.list(type)) {
        const refs = metaOf(dep).ownerReferences;
        if (!Array.isArray(refs) || !refs.some((r: Obj) => r.uid === m.uid)) continue;
        if (orphan) {
          const next = clone(dep);
          metaOf(next).ownerReferences = refs.filter((r: Obj) => r.uid !== m.uid);
          this.commit(type, next, { source: 'controller' });
        } else this.remove(type, metaOf(dep).namespace, metaOf(dep).name, { source: 'controller' });
      }
    }
    if (t.namespaced && m.namespace) this.finishNamespace(m.namespace);
  }

  private finishNamespace(name: string): void {
    const nsType = BUILTIN_TYPES[0]!;
    const ns = this.objects.get(this.key(nsType, undefined, name));
    if (!ns || !metaOf(ns).deletionTimestamp) return;
    const left = this.types().some((t) => t.namespaced && this.list(t, name).length > 0);
    if (!left) this.erase(nsType, ns, 'controller');
  }

  /** A CRD's type is served once its Established condition is True. */
  private syncCrd(crd: Obj): void {
    const type = typeOfCrd(crd as { metadata: { name: string }; spec?: unknown });
    const conds = (isMap(crd.status) && Array.isArray(crd.status.conditions) ? crd.status.conditions : []) as Obj[];
    const established = conds.some((c) => c.type === 'Established' && c.status === 'True');
    const name = metaOf(crd).name;
    if (type && established) this.crdTypes.set(name, type);
    else this.crdTypes.delete(name);
  }

  private dropCrd(crd: Obj): void {
    const type = this.crdTypes.get(metaOf(crd).name);
    this.crdTypes.delete(metaOf(crd).name);
    if (type) for (const o of this.list(type)) this.objects.delete(this.key(type, metaOf(o).namespace, metaOf(o).name));
  }

  private emit(change: Change): void {
    this.history.push(change);
    for (const l of [...this.listeners]) l(change);
  }
}
