/**
 * KubeApiTestDouble: an in-process stand-in for a Kubernetes API server, for
 * tests. It is a real HTTP server on 127.0.0.1 speaking the REST protocol
 * @kubernetes/client-node uses (discovery, CRUD, server-side apply, watch,
 * status subresource, service and pod proxy), reached through a generated
 * kubeconfig. It runs no controllers: tests play their part on cue through
 * the hooks below (or the ClusterSimulator), and every write a client makes
 * over HTTP is recorded, so idempotence and ordering can be asserted.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { clone, isMap, type Obj } from './apply-merge.js';
import { handleGet, handleWrite, listBody, type Target } from './handlers.js';
import { HttpError, readBody, sendError, sendJson } from './http-util.js';
import { groupVersion, type ResourceType, verbsOf } from './resources.js';
import { fieldMatcher, labelMatcher } from './selectors.js';
import { type Change, metaOf, ObjectStore } from './store.js';

export interface RecordedWrite {
  seq: number;
  verb: 'create' | 'update' | 'patch' | 'apply' | 'delete';
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  subresource?: string;
  /** Whether the stored object changed. */
  changed: boolean;
}

export interface ProxyCall {
  method: string;
  headers: Record<string, string>;
  /** Path on the target, with the query. */
  path: string;
  body: string;
  scheme: string;
}

export type ProxyBackend = (call: ProxyCall) => Promise<{ status: number; body: string }> | { status: number; body: string };

export interface DoubleOptions {
  /** Server version; default 1.31. */
  version?: { major: number; minor: number };
  /** CRDs become Established by themselves (default) or only when the test calls establishCrd. */
  crdEstablishment?: 'auto' | 'manual';
  token?: string;
}

interface Ref {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

export class KubeApiTestDouble {
  readonly store = new ObjectStore();
  /** Every mutating HTTP request that was not a dry run, in order. */
  readonly writes: RecordedWrite[] = [];
  /** Every HTTP request: method and path. */
  readonly requests: { method: string; path: string }[] = [];
  readonly proxyCalls: { method: string; target: string; path: string; scheme: string }[] = [];
  version: { major: number; minor: number };
  private readonly server: http.Server;
  private readonly backends = new Map<string, ProxyBackend>();
  private readonly watches = new Set<ServerResponse>();
  private readonly token: string;
  private seq = 0;
  private port = 0;

  private constructor(options: DoubleOptions) {
    this.version = options.version ?? { major: 1, minor: 31 };
    this.token = options.token ?? 'test-double-token';
    this.server = http.createServer((req, res) => void this.handle(req, res));
    if ((options.crdEstablishment ?? 'auto') === 'auto') {
      this.store.onChange((c) => {
        if (c.resource.kind === 'CustomResourceDefinition' && c.type !== 'DELETED' && !c.subresource) {
          setImmediate(() => this.establishCrd(metaOf(c.object).name));
        }
      });
    }
  }

  static async start(options: DoubleOptions = {}): Promise<KubeApiTestDouble> {
    const d = new KubeApiTestDouble(options);
    await new Promise<void>((resolve) => d.server.listen(0, '127.0.0.1', resolve));
    d.port = (d.server.address() as AddressInfo).port;
    return d;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async close(): Promise<void> {
    for (const w of this.watches) w.end();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** A kubeconfig reaching this double; extra contexts point at the same server. */
  kubeconfig(options: { context?: string; extraContexts?: string[] } = {}): string {
    const name = options.context ?? 'plinth-test-double';
    const contexts = [name, ...(options.extraContexts ?? [])];
    return [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '  - name: test-double',
      '    cluster:',
      `      server: ${this.url}`,
      '      insecure-skip-tls-verify: true',
      'users:',
      '  - name: test-double',
      '    user:',
      `      token: ${this.token}`,
      'contexts:',
      ...contexts.flatMap((c) => [`  - name: ${c}`, '    context:', '      cluster: test-double', '      user: test-double']),
      `current-context: ${name}`,
      '',
    ].join('\n');
  }

  async writeKubeconfig(dir: string, options: { context?: string; extraContexts?: string[] } = {}): Promise<string> {
    await mkdir(dir, { recursive: true });
    const file = join(dir, 'kubeconfig');
    await writeFile(file, this.kubeconfig(options), { mode: 0o600 });
    return file;
  }

  // ---- hooks for tests playing the controllers' part (writes not recorded as client writes) ----

  onChange(listener: (c: Change) => void): () => void {
    return this.store.onChange(listener);
  }

  private typeOf(apiVersion: string, kind: string): ResourceType {
    const t = this.store.typeByKind(apiVersion, kind);
    if (!t) throw new Error(`the test double does not serve ${kind} (${apiVersion})`);
    return t;
  }

  get(ref: Ref): Obj | undefined {
    const t = this.store.typeByKind(ref.apiVersion, ref.kind);
    return t ? this.store.get(t, ref.namespace, ref.name) : undefined;
  }

  list(apiVersion: string, kind: string, namespace?: string): Obj[] {
    const t = this.store.typeByKind(apiVersion, kind);
    return t ? this.store.list(t, namespace).map((o) => ({ ...o, apiVersion, kind })) : [];
  }

  /** Creates or replaces an object as a controller would (status included when creating). */
  put(obj: Obj): Obj {
    const t = this.typeOf(String(obj.apiVersion), String(obj.kind));
    const m = metaOf(obj);
    const live = this.store.get(t, m.namespace, m.name);
    const next = clone(obj);
    if (live) metaOf(next).managedFields = metaOf(live).managedFields;
    const r = this.store.commit(t, next, { source: 'controller' });
    if (live && t.status && obj.status !== undefined) return this.setStatus({ apiVersion: String(obj.apiVersion), kind: String(obj.kind), name: m.name, namespace: m.namespace }, obj.status as Obj);
    return r.object;
  }

  /** Writes the status subresource as a controller would. */
  setStatus(ref: Ref, status: Obj): Obj {
    const t = this.typeOf(ref.apiVersion, ref.kind);
    const live = this.store.get(t, ref.namespace, ref.name);
    if (!live) throw new Error(`${ref.kind}/${ref.name} does not exist in the test double`);
    return this.store.commit(t, { ...live, status: clone(status) }, { source: 'controller', subresource: t.status ? 'status' : undefined }).object;
  }

  /** Updates the main resource as a controller would (finalizers, labels). */
  update(ref: Ref, change: (o: Obj) => void): Obj | undefined {
    const t = this.typeOf(ref.apiVersion, ref.kind);
    const live = this.store.get(t, ref.namespace, ref.name);
    if (!live) return undefined;
    change(live);
    return this.store.commit(t, live, { source: 'controller' }).object;
  }

  remove(ref: Ref, propagationPolicy?: string): void {
    const t = this.store.typeByKind(ref.apiVersion, ref.kind);
    if (t) this.store.remove(t, ref.namespace, ref.name, { source: 'controller', propagationPolicy });
  }

  /** Plays the apiextensions controller: the CRD is Established and its type served. */
  establishCrd(name: string): void {
    const ref = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name };
    const crd = this.get(ref);
    if (!crd) return;
    const spec = (crd.spec ?? {}) as { names?: Obj };
    const conds = [
      { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found' },
      { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' },
    ];
    const current = isMap(crd.status) ? crd.status : {};
    if (JSON.stringify(current.conditions) === JSON.stringify(conds)) return;
    this.setStatus(ref, { ...current, conditions: conds, acceptedNames: spec.names ?? {}, storedVersions: [] });
  }

  /** Answers requests proxied to a Service or Pod port (`…/services/https:vault:8200/proxy/…`). */
  serveProxy(target: { namespace: string; kind: 'service' | 'pod'; name: string; port: number }, backend: ProxyBackend): void {
    this.backends.set(`${target.namespace}/${target.kind}/${target.name}:${target.port}`, backend);
  }

  /** Writes by the client (over HTTP) that changed something. */
  changedWrites(): RecordedWrite[] {
    return this.writes.filter((w) => w.changed);
  }

  // ---- HTTP ----

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://double');
    this.requests.push({ method: req.method ?? 'GET', path: url.pathname });
    try {
      if (req.headers.authorization !== `Bearer ${this.token}`) throw new HttpError(401, 'Unauthorized', 'Unauthorized');
      await this.route(req, res, url);
    } catch (error) {
      if (error instanceof HttpError) sendError(res, error);
      else sendError(res, new HttpError(500, 'InternalError', (error as Error).stack ?? String(error)));
    }
  }

  // eslint-disable-next-line complexity -- the Kubernetes API's URL layout (/version, /api, /apis, groups, versions, resources, namespaced or not, subresources, watch), each answered as the server does
  private async route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (url.pathname === '/version') {
      const { major, minor } = this.version;
      return sendJson(res, 200, { major: String(major), minor: String(minor), gitVersion: `v${major}.${minor}.0+double`, platform: 'linux/amd64' });
    }
    if (parts[0] === 'api' && parts.length === 1) return sendJson(res, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] });
    if (parts[0] === 'apis' && parts.length === 1) return sendJson(res, 200, this.groupList());
    let group: string;
    let version: string;
    let rest: string[];
    if (parts[0] === 'api' && parts[1]) [group, version, rest] = ['', parts[1], parts.slice(2)];
    else if (parts[0] === 'apis' && parts[1] && parts[2]) [group, version, rest] = [parts[1], parts[2], parts.slice(3)];
    else throw new HttpError(404, 'NotFound', 'the server could not find the requested resource');

    const served = this.store.types().filter((t) => t.group === group && t.versions.includes(version));
    if (rest.length === 0) {
      if (served.length === 0) throw new HttpError(404, 'NotFound', 'the server could not find the requested resource');
      return sendJson(res, 200, this.resourceList(group, version, served));
    }
    const target = this.target(group, version, rest);
    if (target.subresource === 'proxy' || target.subresource?.startsWith('proxy/')) return this.proxy(req, res, target, url);
    const method = req.method ?? 'GET';
    if (method === 'GET') {
      if (target.name) return sendJson(res, 200, handleGet(this.store, target));
      if (url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1') return this.watch(req, res, target, url.searchParams);
      return sendJson(res, 200, listBody(this.store, target, url.searchParams));
    }
    if (method === 'POST' && target.name) throw new HttpError(405, 'MethodNotAllowed', 'POST to an object');
    if (method !== 'POST' && !target.name) throw new HttpError(405, 'MethodNotAllowed', `${method} on a collection is not supported by the test double`);
    const outcome = await handleWrite(this.store, target, req, url.searchParams);
    if (outcome.write && url.searchParams.get('dryRun') !== 'All') {
      const body = outcome.body as Obj;
      const meta = isMap(body.metadata) ? body.metadata : {};
      this.writes.push({
        seq: ++this.seq,
        verb: outcome.write.verb,
        apiVersion: groupVersion(group, version),
        kind: target.type.kind,
        ...(target.namespace ? { namespace: target.namespace } : {}),
        name: target.name ?? String(meta.name),
        ...(target.subresource ? { subresource: target.subresource } : {}),
        changed: outcome.write.changed,
      });
    }
    return sendJson(res, outcome.code, outcome.body);
  }

  private target(group: string, version: string, rest: string[]): Target {
    const find = (plural: string) => this.store.typeByPath(group, version, plural);
    let namespace: string | undefined;
    let segs = rest;
    if (rest[0] === 'namespaces' && rest.length >= 3 && find(rest[2]!)?.namespaced) {
      namespace = rest[1];
      segs = rest.slice(2);
    }
    const type = find(segs[0]!);
    if (!type) throw new HttpError(404, 'NotFound', 'the server could not find the requested resource');
    if (type.namespaced !== (namespace !== undefined) && segs[1] !== undefined && type.namespaced) {
      throw new HttpError(404, 'NotFound', 'the server could not find the requested resource');
    }
    return { type, version, namespace, name: segs[1], subresource: segs.length > 2 ? segs.slice(2).join('/') : undefined };
  }

  private groupList(): Obj {
    const groups = new Map<string, string[]>();
    for (const t of this.store.types()) {
      if (!t.group) continue;
      const list = groups.get(t.group) ?? [];
      for (const v of t.versions) if (!list.includes(v)) list.push(v);
      groups.set(t.group, list);
    }
    return {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: [...groups.entries()].map(([name, versions]) => ({
        name,
        versions: versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v })),
        preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] },
      })),
    };
  }

  private resourceList(group: string, version: string, types: ResourceType[]): Obj {
    return {
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion: groupVersion(group, version),
      resources: types.flatMap((t) => [
        { name: t.plural, singularName: t.singular, namespaced: t.namespaced, kind: t.kind, verbs: verbsOf(t) },
        ...(t.status ? [{ name: `${t.plural}/status`, singularName: '', namespaced: t.namespaced, kind: t.kind, verbs: ['get', 'patch', 'update'] }] : []),
      ]),
    };
  }

  // eslint-disable-next-line complexity -- a watch as the API serves it: label and field selectors, replay from resourceVersion or the current list, then changes until close or timeoutSeconds
  private watch(req: IncomingMessage, res: ServerResponse, target: Target, query: URLSearchParams): void {
    const labels = labelMatcher(query.get('labelSelector'));
    const fields = fieldMatcher(query.get('fieldSelector'));
    const matches = (o: Obj) =>
      (target.namespace === undefined || metaOf(o).namespace === target.namespace) &&
      labels((metaOf(o).labels as Record<string, string>) ?? {}) &&
      fields(o as { metadata: { name: string; namespace?: string } });
    const apiVersion = groupVersion(target.type.group, target.version);
    const send = (type: string, o: Obj) => res.write(`${JSON.stringify({ type, object: { ...o, apiVersion, kind: target.type.kind } })}\n`);
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    const since = Number(query.get('resourceVersion') ?? '0');
    if (since > 0) {
      for (const c of this.store.history) if (c.rv > since && c.resource === target.type && matches(c.object)) send(c.type, c.object);
    } else {
      for (const o of this.store.list(target.type, target.namespace)) if (matches(o)) send('ADDED', o);
    }
    const off = this.store.onChange((c) => {
      if (c.resource.group === target.type.group && c.resource.plural === target.type.plural && matches(c.object)) send(c.type, c.object);
    });
    this.watches.add(res);
    const end = () => {
      off();
      this.watches.delete(res);
    };
    req.on('close', end);
    res.on('close', end);
    const timeout = Number(query.get('timeoutSeconds') ?? '0');
    if (timeout > 0) setTimeout(() => res.end(), timeout * 1000).unref();
  }

  // eslint-disable-next-line complexity -- the services/pods proxy subresource: the kind, [scheme:]name[:port] with the API's defaults, then the call to the test's handler
  private async proxy(req: IncomingMessage, res: ServerResponse, target: Target, url: URL): Promise<void> {
    const kind = target.type.plural === 'services' ? 'service' : target.type.plural === 'pods' ? 'pod' : undefined;
    if (!kind || !target.name || !target.namespace) throw new HttpError(404, 'NotFound', 'the server could not find the requested resource');
    const spec = target.name.split(':');
    const [scheme, name, port] = spec.length === 3 ? spec : spec.length === 2 ? ['http', spec[0], spec[1]] : ['http', spec[0], '80'];
    const path = `/${target.subresource!.split('/').slice(1).join('/')}${url.search}`;
    this.proxyCalls.push({ method: req.method ?? 'GET', target: `${target.namespace}/${kind}/${name}:${port}`, path: path.split('?')[0]!, scheme: scheme! });
    const backend = this.backends.get(`${target.namespace}/${kind}/${name}:${port}`);
    if (!backend) throw new HttpError(503, 'ServiceUnavailable', `no endpoints available for ${kind} "${name}"`);
    const headers = Object.fromEntries(Object.entries(req.headers).flatMap(([k, v]) => (typeof v === 'string' && k !== 'authorization' ? [[k, v]] : [])));
    const answer = await backend({ method: req.method ?? 'GET', headers, path, body: await readBody(req), scheme: scheme! });
    res.writeHead(answer.status, { 'Content-Type': 'application/json' });
    res.end(answer.body);
  }
}
