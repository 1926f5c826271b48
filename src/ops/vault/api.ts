/**
 * Vault's HTTP API, reached through the cluster: the API server's proxy to a
 * Vault pod (`…/pods/https:vault-0:8200/proxy/v1/…`). Nothing to forward, no
 * port to open, and it works from anywhere the kubeconfig works. The small
 * interface lets tests answer with an in-process Vault test double.
 */
import type { ClusterClient } from '../../cluster/index.js';
import { PlinthError } from '../../lib/errors.js';

export interface VaultReply {
  status: number;
  body: unknown;
}

export interface VaultApi {
  /** Which server answers, for messages: `vault/vault-0`. */
  readonly name: string;
  /** `path` is below /v1 (`sys/init`). */
  call(method: 'GET' | 'PUT' | 'POST' | 'DELETE', path: string, options?: { token?: string; body?: unknown }): Promise<VaultReply>;
}

export class VaultError extends PlinthError {}

export interface VaultPodTarget {
  namespace: string;
  pod: string;
  port: number;
  scheme: 'http' | 'https';
}

export function vaultThroughCluster(client: ClusterClient, target: VaultPodTarget): VaultApi {
  return {
    name: `${target.namespace}/${target.pod}`,
    async call(method, path, options = {}) {
      const res = await client.proxy({
        namespace: target.namespace,
        target: 'pod',
        name: target.pod,
        port: target.port,
        scheme: target.scheme,
        method,
        path: `/v1/${path}`,
        ...(options.body !== undefined ? { body: options.body } : {}),
        ...(options.token ? { headers: { 'X-Vault-Token': options.token } } : {}),
      });
      let body: unknown;
      try {
        body = res.body ? (JSON.parse(res.body) as unknown) : undefined;
      } catch {
        body = undefined;
      }
      return { status: res.status, body };
    },
  };
}

/** Vault's `{"errors": [...]}`, the API server's Status message (the pod proxy's own errors), or the status. Never echoes a request body. */
export function vaultErrors(reply: VaultReply): string {
  const body = reply.body as { errors?: unknown[]; kind?: unknown; message?: unknown } | undefined;
  if (Array.isArray(body?.errors) && body.errors.length > 0) return body.errors.map(String).join('; ');
  if (body?.kind === 'Status' && typeof body.message === 'string' && body.message) return body.message;
  return `HTTP ${reply.status}`;
}

/** The API server could not open a connection to the pod: the request never reached Vault (so asking again is safe, even for sys/init). */
const NOT_CONNECTED = /dial tcp|while dialing|connection refused|no route to host|no endpoints available|address not allowed/i;
/** KV v2 right after it is enabled (`Upgrading from non-versioned to versioned data ...`, and the standby's `Waiting for the primary to upgrade ...`). */
const KV_UPGRADING = /non-versioned to versioned data/i;

/** Why a reply is worth asking again shortly, or undefined when it is Vault's answer. */
export function transientReason(reply: VaultReply): string | undefined {
  const body = reply.body as { kind?: unknown; message?: unknown } | undefined;
  if (body?.kind === 'Status' && [400, 502, 503, 504].includes(reply.status) && NOT_CONNECTED.test(String(body.message ?? ''))) return 'the Vault pod does not accept connections yet';
  if (reply.status === 400 && KV_UPGRADING.test(vaultErrors(reply))) return 'the KV engine is still upgrading to version 2';
  return undefined;
}

export interface RetryPolicy {
  /** Calls in all, the first included. */
  attempts: number;
  firstDelayMs: number;
  maxDelayMs: number;
}

/** Bounded retries with backoff for the pod's first seconds (Running, not yet listening) and a fresh KV v2 mount. */
export function retryPolicy(pollMs: number): RetryPolicy {
  return { attempts: 8, firstDelayMs: Math.min(pollMs, 500), maxDelayMs: 5000 };
}

/** A VaultApi that asks again, with exponential backoff, while the answer is transient; then hands over the last answer. */
export function retrying(vault: VaultApi, policy: RetryPolicy, sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms))): VaultApi {
  return {
    name: vault.name,
    async call(method, path, options) {
      let reply = await vault.call(method, path, options);
      for (let attempt = 1, delay = policy.firstDelayMs; attempt < policy.attempts && transientReason(reply); attempt++, delay = Math.min(delay * 2, policy.maxDelayMs)) {
        await sleep(delay);
        reply = await vault.call(method, path, options);
      }
      return reply;
    },
  };
}

/** Calls and throws a VaultError (naming the action) unless the status is 2xx, or 404 when `missingOk`. */
export async function vaultCall(
  vault: VaultApi,
  action: string,
  method: 'GET' | 'PUT' | 'POST' | 'DELETE',
  path: string,
  options: { token?: string; body?: unknown; missingOk?: boolean } = {},
): Promise<VaultReply> {
  const reply = await vault.call(method, path, options);
  if ((reply.status >= 200 && reply.status < 300) || (options.missingOk && reply.status === 404)) return reply;
  const transient = transientReason(reply);
  throw new VaultError(`Vault ${vault.name}: ${action} failed: ${vaultErrors(reply)}${transient ? ` (${transient}, still after retrying)` : ''}`);
}
