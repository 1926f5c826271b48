/**
 * HTTP requests to the API server, authenticated and TLS-configured from the
 * kubeconfig (client certificates, bearer tokens, exec plugins: all through
 * @kubernetes/client-node's KubeConfig). Bodies are plain JSON in and out,
 * so objects are never reshaped by typed models.
 */
import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { ClusterApiError, ClusterError } from './errors.js';

export interface RawResponse {
  status: number;
  body: string;
}

export interface RequestSpec {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | undefined>;
  body?: string;
  contentType?: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export class Transport {
  constructor(
    private readonly config: KubeConfig,
    readonly server: string,
  ) {}

  url(path: string, query: Record<string, string | undefined> = {}): URL {
    const url = new URL(this.server.replace(/\/+$/, '') + path);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, v);
    return url;
  }

  async send(spec: RequestSpec): Promise<RawResponse> {
    const url = this.url(spec.path, spec.query);
    const options: https.RequestOptions = {
      method: spec.method,
      headers: {
        Accept: 'application/json',
        ...(spec.headers ?? {}),
        ...(spec.body !== undefined ? { 'Content-Type': spec.contentType ?? 'application/json', 'Content-Length': Buffer.byteLength(spec.body) } : {}),
      },
    };
    await this.config.applyToHTTPSOptions(options);
    const lib = url.protocol === 'http:' ? http : https;
    return new Promise<RawResponse>((resolvePromise, reject) => {
      const req = lib.request(url, options, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.setTimeout(spec.timeoutMs ?? 30_000, () => req.destroy(new Error(`no answer within ${Math.round((spec.timeoutMs ?? 30_000) / 1000)}s`)));
      req.on('error', (cause: NodeJS.ErrnoException) => {
        reject(new ClusterError(`cannot reach the Kubernetes API at ${this.server} (${cause.code ?? cause.message}); check the context (--context) and that the cluster is running`, { cause }));
      });
      if (spec.body !== undefined) req.write(spec.body);
      req.end();
    });
  }

  /** Sends and parses a JSON answer; error statuses become ClusterApiError (404 too, for callers to map). */
  async json(spec: RequestSpec): Promise<{ status: number; value: unknown }> {
    const res = await this.send(spec);
    if (res.status >= 400) throw apiError(`${spec.method} ${spec.path}`, res);
    try {
      return { status: res.status, value: res.body ? (JSON.parse(res.body) as unknown) : undefined };
    } catch (cause) {
      throw new ClusterError(`${spec.method} ${spec.path}: the server answered ${res.status} with a body that is not JSON`, { cause });
    }
  }
}

export function apiError(request: string, res: RawResponse): ClusterApiError {
  let reason = '';
  let message = '';
  try {
    const status = JSON.parse(res.body) as { kind?: string; reason?: string; message?: string };
    if (status && status.kind === 'Status') {
      reason = status.reason ?? '';
      message = status.message ?? '';
    }
  } catch {
    message = res.body.slice(0, 200);
  }
  return new ClusterApiError(request, res.status, reason || http.STATUS_CODES[res.status] || 'Error', message);
}
