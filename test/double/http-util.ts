/** Small HTTP helpers of the API test double: bodies, JSON answers, Status errors. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import YAML from 'yaml';

export class HttpError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** JSON, or YAML for apply patches (JSON is YAML too). */
export function parseBody(text: string, yaml: boolean): unknown {
  if (!text) return undefined;
  try {
    return yaml ? (YAML.parse(text) as unknown) : (JSON.parse(text) as unknown);
  } catch (e) {
    throw new HttpError(400, 'BadRequest', `the body is not valid ${yaml ? 'YAML' : 'JSON'}: ${(e as Error).message}`);
  }
}

export function sendJson(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function statusBody(code: number, reason: string, message: string, details?: Record<string, unknown>): Record<string, unknown> {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: code < 400 ? 'Success' : 'Failure', message, reason, code, ...(details ? { details } : {}) };
}

export function sendError(res: ServerResponse, error: HttpError): void {
  sendJson(res, error.code, statusBody(error.code, error.reason, error.message));
}
