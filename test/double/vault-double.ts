/**
 * VaultTestDouble: an in-process stand-in for Vault's HTTP API, for tests.
 * One Vault (shared storage) served by several pods, each with its own seal
 * state: init, seal status, unseal, auth methods, the kubernetes auth config
 * and roles, ACL policies, secret engines, and KV v2 with check-and-set.
 * Attach it to the API test double's pod proxy to reach it as Plinth does.
 */
import { randomBytes } from 'node:crypto';
import type { KubeApiTestDouble, ProxyCall } from './kube-api-double.js';

type Data = Record<string, unknown>;

interface KvEntry {
  version: number;
  data: Record<string, string>;
}

export class VaultTestDouble {
  initialized = false;
  threshold = 0;
  private keys: string[] = [];
  rootToken = '';
  readonly sealed = new Map<string, boolean>();
  private readonly progress = new Map<string, string[]>();
  readonly auth = new Map<string, Data>([['token/', { type: 'token' }]]);
  readonly authConfig = new Map<string, Data>();
  readonly roles = new Map<string, Data>();
  readonly policies = new Map<string, string>();
  readonly mounts = new Map<string, Data>([['sys/', { type: 'system' }], ['cubbyhole/', { type: 'cubbyhole' }]]);
  readonly kv = new Map<string, KvEntry>();
  /** Method and path of every call (never bodies). */
  readonly calls: string[] = [];
  /** Called when Vault initialises, before it answers (a test can break the keys file's place right then). */
  onInit?: () => void;
  /** The next this-many calls find the pod Running but not yet listening: the API server's proxy answers 503. */
  unreachable = 0;
  /** After a KV v2 mount is enabled, its next this-many calls are refused while it "upgrades" (HTTP 400). */
  kvUpgradeRefusals = 0;
  /** Method and path of every refused call. */
  readonly refused: string[] = [];
  private readonly kvUpgrading = new Map<string, number>();

  /** Serves `pods` in `namespace` on port 8200 through the API double's pod proxy. */
  attach(api: KubeApiTestDouble, namespace: string, pods: string[]): this {
    for (const pod of pods) {
      if (!this.sealed.has(pod)) this.sealed.set(pod, true);
      api.serveProxy({ namespace, kind: 'pod', name: pod, port: 8200 }, (call) => this.handle(pod, call));
    }
    return this;
  }

  /** A pod restarts: sealed again. */
  restart(pod: string): void {
    this.sealed.set(pod, true);
    this.progress.delete(pod);
  }

  unsealKeys(): string[] {
    return [...this.keys];
  }

  // eslint-disable-next-line complexity -- Vault's HTTP front in order: unreachable, sys/init, seal status, unseal up to the key threshold, sealed, then the root token before any authorised call
  handle(pod: string, call: ProxyCall): { status: number; body: string } {
    const path = call.path.split('?')[0]!.replace(/^\/v1\//, '');
    if (this.unreachable > 0) {
      this.unreachable--;
      this.refused.push(`${call.method} ${path}`);
      // What the API server's pod proxy says when nothing listens on the port yet.
      const message = 'error trying to reach service: dial tcp 10.42.1.7:8200: connect: connection refused';
      return reply(503, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'ServiceUnavailable', code: 503 });
    }
    this.calls.push(`${call.method} ${path}`);
    let body: Data = {};
    try {
      body = call.body ? (JSON.parse(call.body) as Data) : {};
    } catch {
      return reply(400, { errors: ['failed to parse JSON input'] });
    }
    const method = call.method;
    if (path === 'sys/init') {
      if (method === 'GET') return reply(200, { initialized: this.initialized });
      if (this.initialized) return reply(400, { errors: ['Vault is already initialized'] });
      const n = Number(body.secret_shares ?? 5);
      this.threshold = Number(body.secret_threshold ?? 3);
      this.keys = Array.from({ length: n }, () => randomBytes(32).toString('base64'));
      this.rootToken = `hvs.${randomBytes(18).toString('base64url')}`;
      this.initialized = true;
      this.onInit?.();
      return reply(200, { keys: this.keys.map((k) => Buffer.from(k, 'base64').toString('hex')), keys_base64: this.keys, root_token: this.rootToken });
    }
    if (path === 'sys/seal-status') return reply(200, this.sealStatus(pod));
    if (path === 'sys/unseal') {
      if (!this.initialized) return reply(400, { errors: ['Vault is not initialized'] });
      const key = String(body.key ?? '');
      const asBase64 = /^[0-9a-f]+$/.test(key) && key.length === 64 ? Buffer.from(key, 'hex').toString('base64') : key;
      if (!this.keys.includes(asBase64)) return reply(400, { errors: ['Unseal failed, invalid key'] });
      const got = new Set([...(this.progress.get(pod) ?? []), asBase64]);
      this.progress.set(pod, [...got]);
      if (got.size >= this.threshold) {
        this.sealed.set(pod, false);
        this.progress.delete(pod);
      }
      return reply(200, this.sealStatus(pod));
    }
    if (this.sealed.get(pod) !== false) return reply(503, { errors: ['Vault is sealed'] });
    if (call.headers['x-vault-token'] !== this.rootToken) return reply(403, { errors: ['permission denied'] });
    return this.authorised(method, path, body);
  }

  private sealStatus(pod: string): Data {
    return { type: 'shamir', initialized: this.initialized, sealed: this.sealed.get(pod) !== false, t: this.threshold, n: this.keys.length, progress: (this.progress.get(pod) ?? []).length };
  }

  // eslint-disable-next-line complexity -- one route per Vault API path the platform calls (secret mounts, auth methods, their config and roles, ACL policies, KV v2 data), each with Vault's status and errors
  private authorised(method: string, path: string, body: Data): { status: number; body: string } {
    const write = method === 'POST' || method === 'PUT';
    if (path === 'sys/mounts' && method === 'GET') return reply(200, { data: Object.fromEntries(this.mounts) });
    let m = /^sys\/mounts\/(.+)$/.exec(path);
    if (m && write) {
      if (this.mounts.has(`${m[1]}/`)) return reply(400, { errors: [`path is already in use at ${m[1]}/`] });
      this.mounts.set(`${m[1]}/`, { type: body.type, options: body.options ?? {} });
      if (body.type === 'kv') this.kvUpgrading.set(m[1]!, this.kvUpgradeRefusals);
      return reply(204);
    }
    if (path === 'sys/auth' && method === 'GET') return reply(200, { data: Object.fromEntries(this.auth) });
    m = /^sys\/auth\/(.+)$/.exec(path);
    if (m && write) {
      if (this.auth.has(`${m[1]}/`)) return reply(400, { errors: [`path is already in use at ${m[1]}/`] });
      this.auth.set(`${m[1]}/`, { type: body.type });
      return reply(204);
    }
    m = /^auth\/([^/]+)\/config$/.exec(path);
    if (m) {
      if (!this.auth.has(`${m[1]}/`)) return reply(404, { errors: [] });
      if (write) {
        this.authConfig.set(m[1]!, { ...body });
        return reply(204);
      }
      const c = this.authConfig.get(m[1]!);
      return c ? reply(200, { data: c }) : reply(404, { errors: [] });
    }
    m = /^auth\/([^/]+)\/role\/(.+)$/.exec(path);
    if (m) {
      if (!this.auth.has(`${m[1]}/`)) return reply(404, { errors: [] });
      const key = `${m[1]}/${m[2]}`;
      if (write) {
        this.roles.set(key, { ...body });
        return reply(204);
      }
      const r = this.roles.get(key);
      return r ? reply(200, { data: r }) : reply(404, { errors: [] });
    }
    m = /^sys\/policies\/acl\/(.+)$/.exec(path);
    if (m) {
      if (write) {
        this.policies.set(m[1]!, String(body.policy));
        return reply(204);
      }
      const p = this.policies.get(m[1]!);
      return p !== undefined ? reply(200, { data: { name: m[1], policy: p } }) : reply(404, { errors: [] });
    }
    m = /^([^/]+)\/data\/(.+)$/.exec(path);
    if (m) {
      const mount = this.mounts.get(`${m[1]}/`) as { type?: string; options?: { version?: string } } | undefined;
      if (!mount || mount.type !== 'kv' || mount.options?.version !== '2') return reply(404, { errors: [`no handler for route "${path}"`] });
      const upgrading = this.kvUpgrading.get(m[1]!) ?? 0;
      if (upgrading > 0) {
        this.kvUpgrading.set(m[1]!, upgrading - 1);
        this.refused.push(`${method} ${path}`);
        return reply(400, { errors: ['Upgrading from non-versioned to versioned data. This backend will be unavailable for a brief period and will resume service shortly.'] });
      }
      const key = `${m[1]}/${m[2]}`;
      const entry = this.kv.get(key);
      if (write) {
        const cas = (body.options as { cas?: number } | undefined)?.cas;
        if (cas !== undefined && cas !== (entry?.version ?? 0)) return reply(400, { errors: ['check-and-set parameter did not match the current version'] });
        const next = { version: (entry?.version ?? 0) + 1, data: { ...(body.data as Record<string, string>) } };
        this.kv.set(key, next);
        return reply(200, { data: { version: next.version } });
      }
      return entry ? reply(200, { data: { data: entry.data, metadata: { version: entry.version } } }) : reply(404, { errors: [] });
    }
    return reply(404, { errors: [`no handler for route "${path}"`] });
  }
}

function reply(status: number, body?: unknown): { status: number; body: string } {
  return { status, body: body === undefined ? '' : JSON.stringify(body) };
}
