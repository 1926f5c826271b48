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

/** Vault's `{"errors": [...]}`, or the status. Never echoes a request body. */
export function vaultErrors(reply: VaultReply): string {
  const errors = (reply.body as { errors?: unknown[] } | undefined)?.errors;
  return Array.isArray(errors) && errors.length > 0 ? errors.map(String).join('; ') : `HTTP ${reply.status}`;
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
  throw new VaultError(`Vault ${vault.name}: ${action} failed: ${vaultErrors(reply)}`);
}
