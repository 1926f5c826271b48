/** The Kubernetes API test double, exercised through the real cluster client over HTTP. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ClusterClient, ClusterApiError, ClusterError, ClusterTimeoutError, connectCluster, ResourceNotServedError, waitFor, type WatchEvent } from '../../src/cluster/index.js';
import { KubeApiTestDouble } from '../double/kube-api-double.js';

let double: KubeApiTestDouble;
let dir: string;
let client: ClusterClient;

const ns = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const cm = (name: string, data: Record<string, string>, labels?: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'apps', ...(labels ? { labels } : {}) },
  data,
});
const widgetCrd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: { group: 'example.com', scope: 'Namespaced', names: { kind: 'Widget', plural: 'widgets' }, versions: [{ name: 'v1', served: true, storage: true, subresources: { status: {} } }] },
};

async function start(options: Parameters<typeof KubeApiTestDouble.start>[0] = {}) {
  double = await KubeApiTestDouble.start(options);
  dir = await mkdtemp(join(tmpdir(), 'plinth-double-'));
  client = connectCluster({ file: await double.writeKubeconfig(dir, { extraContexts: ['other'] }), env: {} });
  await client.apply(ns('apps'));
}

afterEach(async () => {
  await double.close();
  await rm(dir, { recursive: true, force: true });
});

describe('discovery and CRD registration', () => {
  beforeEach(() => start({ crdEstablishment: 'manual' }));

  it('serves built-in types and reports server version', async () => {
    expect(await client.version()).toMatchObject({ major: 1, minor: 31 });
    expect(await client.resource('apps/v1', 'Deployment')).toMatchObject({ plural: 'deployments', namespaced: true });
    expect(await client.resource('v1', 'Node')).toMatchObject({ plural: 'nodes', namespaced: false });
  });

  it('adds a CRD type to discovery only once it is Established', async () => {
    expect(await client.resource('example.com/v1', 'Widget')).toBeUndefined();
    await client.apply(widgetCrd);
    expect(await client.resource('example.com/v1', 'Widget')).toBeUndefined();
    await expect(client.apply({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'apps' } })).rejects.toBeInstanceOf(ResourceNotServedError);
    double.establishCrd('widgets.example.com');
    expect(await client.resource('example.com/v1', 'Widget')).toMatchObject({ plural: 'widgets', namespaced: true });
    const created = await client.apply({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'apps' }, spec: { size: 1 } });
    expect(created.created).toBe(true);
    const crd = await client.get({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name: 'widgets.example.com' });
    expect((crd!.status as { conditions: { type: string; status: string }[] }).conditions).toContainEqual(expect.objectContaining({ type: 'Established', status: 'True' }));
  });
});

describe('server-side apply', () => {
  beforeEach(() => start());

  it('creates (201), updates (200) and recognises an unchanged apply as a no-op', async () => {
    const first = await client.apply(cm('a', { x: '1' }));
    expect(first.created).toBe(true);
    expect(first.object.metadata.managedFields).toEqual([{ manager: 'plinth', operation: 'Apply', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:x': {} } } }]);
    const rv = first.object.metadata.resourceVersion;
    const same = await client.apply(cm('a', { x: '1' }));
    expect(same.created).toBe(false);
    expect(same.object.metadata.resourceVersion).toBe(rv);
    const changed = await client.apply(cm('a', { y: '2' }));
    expect(changed.object.data).toEqual({ y: '2' });
    expect(double.writes.map((w) => [w.verb, w.name, w.changed])).toEqual([
      ['apply', 'apps', true],
      ['apply', 'a', true],
      ['apply', 'a', false],
      ['apply', 'a', true],
    ]);
  });

  it('keeps fields other managers own, and refuses conflicts unless forced', async () => {
    await client.apply(cm('a', { x: '1' }));
    double.update({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'apps', name: 'a' }, (o) => {
      (o.data as Record<string, string>).z = 'theirs';
    });
    const patched = await client.patch({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'apps', name: 'a' }, { data: { x: 'by-merge' } }, 'merge');
    expect(patched.data).toEqual({ x: 'by-merge', z: 'theirs' });
    // The merge patch made "plinth" (operation Update) own data.x: applying another value conflicts...
    await expect(client.apply(cm('a', { x: '2' }))).rejects.toThrow(/409 Conflict: Apply failed with 1 conflict: conflict with "plinth": \.data\.x/);
    // ...unless forced; fields nobody applied stay.
    expect((await client.apply(cm('a', { x: '2' }), { force: true })).object.data).toEqual({ x: '2', z: 'theirs' });
  });

  it('does not persist a dry run and does not record it as a write', async () => {
    const preview = await client.apply(cm('b', { x: '1' }), { dryRun: true });
    expect(preview.created).toBe(true);
    expect(await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'apps', name: 'b' })).toBeUndefined();
    expect(double.writes.filter((w) => w.name === 'b')).toEqual([]);
  });

  it('ignores status on main writes and writes only status through the subresource', async () => {
    const deploy = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'apps' }, spec: { replicas: 1 }, status: { readyReplicas: 9 } };
    const created = await client.apply(deploy);
    expect(created.object.status).toBeUndefined();
    // As a controller writes status (Plinth's client never does): server-side apply to the subresource.
    const res = await fetch(`${double.url}/apis/apps/v1/namespaces/apps/deployments/d/status?fieldManager=controller`, {
      method: 'PATCH',
      headers: { Authorization: 'Bearer test-double-token', 'Content-Type': 'application/apply-patch+yaml' },
      body: JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'apps' }, status: { readyReplicas: 1 } }),
    });
    expect(res.status).toBe(200);
    const status = (await res.json()) as { status?: unknown; spec?: unknown };
    expect(status.status).toEqual({ readyReplicas: 1 });
    expect(status.spec).toEqual({ replicas: 1 });
    expect(double.writes.at(-1)).toMatchObject({ verb: 'apply', kind: 'Deployment', name: 'd', subresource: 'status' });
  });

  it('refuses objects in a missing namespace (404) or a terminating one (403)', async () => {
    await expect(client.apply({ ...cm('c', {}), metadata: { name: 'c', namespace: 'nowhere' } })).rejects.toThrow(/404 NotFound: namespaces "nowhere" not found/);
    await client.apply(cm('keep', {}));
    double.update({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'apps', name: 'keep' }, (o) => {
      o.metadata = { ...(o.metadata as object), finalizers: ['example.com/hold'] };
    });
    await client.delete({ apiVersion: 'v1', kind: 'Namespace', name: 'apps' });
    await expect(client.apply(cm('d', {}))).rejects.toThrow(/403 Forbidden/);
  });
});

describe('reads, deletes, finalizers and garbage collection', () => {
  beforeEach(() => start());

  it('lists across namespaces with label selectors; get and delete of missing objects', async () => {
    await client.apply(cm('a', {}, { tier: '1' }));
    await client.apply(cm('b', {}, { tier: '2' }));
    expect((await client.list('v1', 'ConfigMap', { labelSelector: 'tier=2' })).map((o) => o.metadata.name)).toEqual(['b']);
    expect((await client.list('v1', 'ConfigMap', { labelSelector: 'tier in (1,2)' })).map((o) => o.kind)).toEqual(['ConfigMap', 'ConfigMap']);
    expect(await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'apps', name: 'zz' })).toBeUndefined();
    expect(await client.delete({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'apps', name: 'zz' })).toBe(false);
    await expect(client.list('example.com/v1', 'Widget')).rejects.toBeInstanceOf(ResourceNotServedError);
  });

  it('holds an object with finalizers until they are removed, and collects dependents', async () => {
    const owner = (await client.apply({ ...cm('owner', {}), metadata: { name: 'owner', namespace: 'apps', finalizers: ['x/y'] } })).object;
    await client.apply({ ...cm('child', {}), metadata: { name: 'child', namespace: 'apps', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata.uid }] } });
    await client.delete({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'apps', name: 'owner' });
    const held = await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'apps', name: 'owner' });
    expect(held?.metadata.deletionTimestamp).toBeDefined();
    await client.patch({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'apps', name: 'owner' }, { metadata: { finalizers: null } }, 'merge');
    expect(await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'apps', name: 'owner' })).toBeUndefined();
    expect(await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'apps', name: 'child' })).toBeUndefined();
  });

  it('orphans dependents with propagationPolicy Orphan', async () => {
    const owner = (await client.apply(cm('owner', {}))).object;
    await client.apply({ ...cm('child', {}), metadata: { name: 'child', namespace: 'apps', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata.uid }] } });
    await client.delete({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'apps', name: 'owner' }, { propagationPolicy: 'Orphan' });
    const child = await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'apps', name: 'child' });
    expect(child?.metadata.ownerReferences).toEqual([]);
  });
});

describe('watch', () => {
  beforeEach(() => start());

  it('streams the current state, then changes, filtered by labels', async () => {
    await client.apply(cm('before', {}, { watched: 'yes' }));
    const events: WatchEvent[] = [];
    const handle = await client.watch('v1', 'ConfigMap', { namespace: 'apps', labelSelector: 'watched=yes' }, (e) => events.push(e));
    await client.apply(cm('other', {}));
    await client.apply(cm('after', { a: '1' }, { watched: 'yes' }));
    await client.apply(cm('after', { a: '2' }, { watched: 'yes' }));
    await client.delete({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'apps', name: 'after' });
    await waitFor(client, { what: 'events', apiVersion: 'v1', kind: 'ConfigMap', check: () => ({ done: events.length >= 4, pending: [] }), timeoutMs: 2000, pollMs: 10 });
    handle.stop();
    expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED before', 'ADDED after', 'MODIFIED after', 'DELETED after']);
    expect(events[0]!.object.kind).toBe('ConfigMap');
  });
});

describe('service proxy', () => {
  beforeEach(() => start());

  it('answers 503 without endpoints, and forwards method, path and headers to a backend', async () => {
    const req = { namespace: 'vault', target: 'pod' as const, name: 'vault-0', port: 8200, scheme: 'https' as const, method: 'GET' as const, path: '/v1/sys/health' };
    expect((await client.proxy(req)).status).toBe(503);
    double.serveProxy({ namespace: 'vault', kind: 'pod', name: 'vault-0', port: 8200 }, (call) => ({ status: 200, body: JSON.stringify({ path: call.path, token: call.headers['x-vault-token'], scheme: call.scheme }) }));
    const res = await client.proxy({ ...req, headers: { 'X-Vault-Token': 't' } });
    expect(JSON.parse(res.body)).toEqual({ path: '/v1/sys/health', token: 't', scheme: 'https' });
  });
});

describe('kubeconfig, errors and waits', () => {
  beforeEach(() => start());

  it('selects a context by name and lists the contexts when the name is unknown', async () => {
    const file = join(dir, 'kubeconfig');
    expect(connectCluster({ file, context: 'other', env: {} }).context).toBe('other');
    expect(connectCluster({ env: { KUBECONFIG: file } }).context).toBe('plinth-test-double');
    expect(() => connectCluster({ file, context: 'prod', env: {} })).toThrow(/no context "prod" .*the contexts are: plinth-test-double, other/);
    expect(() => connectCluster({ file: join(dir, 'missing'), env: {} })).toThrow(/no kubeconfig found/);
  });

  it('rejects a wrong token and names an unreachable server', async () => {
    await writeFile(join(dir, 'bad'), double.kubeconfig().replace('test-double-token', 'wrong'));
    await expect(connectCluster({ file: join(dir, 'bad'), env: {} }).version()).rejects.toSatisfy((e) => e instanceof ClusterApiError && e.status === 401);
    await writeFile(join(dir, 'gone'), double.kubeconfig().replace(double.url, 'http://127.0.0.1:9'));
    await expect(connectCluster({ file: join(dir, 'gone'), env: {} }).version()).rejects.toSatisfy((e) => e instanceof ClusterError && /cannot reach the Kubernetes API at http:\/\/127.0.0.1:9/.test((e as Error).message));
  });

  it('times out a wait and names what is still pending', async () => {
    await expect(
      waitFor(client, { what: 'the impossible', apiVersion: 'v1', kind: 'ConfigMap', check: () => ({ done: false, pending: ['ConfigMap apps/x is not there'] }), timeoutMs: 50, pollMs: 10, hint: 'try again' }),
    ).rejects.toSatisfy((e) => e instanceof ClusterTimeoutError && /waiting for the impossible\n {2}- ConfigMap apps\/x is not there\n {2}hint: try again/.test((e as Error).message));
  });
});
