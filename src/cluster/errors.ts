/** Errors of cluster operations: part of Plinth's typed error family. */
import { EXIT, PlinthError } from '../lib/errors.js';

/** The cluster could not be used: server unreachable, API errors, timeouts. Exit code 3. */
export class ClusterError extends PlinthError {}

/** The kubeconfig is missing, unreadable or lacks the context asked for: bad input, exit code 2 (never quotes the file: it holds tokens). */
export class KubeconfigError extends ClusterError {
  override readonly exitCode = EXIT.badInput;
}

/** The API server answered with an error status. */
export class ClusterApiError extends ClusterError {
  readonly status: number;
  /** The Status reason (`NotFound`, `Conflict`, `Invalid`, ...). */
  readonly reason: string;
  constructor(request: string, status: number, reason: string, message: string, options?: { cause?: unknown }) {
    super(`${request}: ${status} ${reason}${message ? `: ${message}` : ''}`, options);
    this.status = status;
    this.reason = reason;
  }
}

/** The server does not serve this type: its CRD is not installed (or not yet established). */
export class ResourceNotServedError extends ClusterError {
  /** `object`: the object that could not be written, for the message (`Application/argocd/plinth-root`). */
  constructor(apiVersion: string, kind: string, object?: string) {
    super(`${object ? `${object}: ` : ''}the cluster does not serve ${kind} (${apiVersion}): its CustomResourceDefinition is not installed or not yet established`);
  }
}

/** A wait ran out of time; names what was still not ready. */
export class ClusterTimeoutError extends ClusterError {
  readonly pending: readonly string[];
  constructor(what: string, seconds: number, pending: readonly string[], hint?: string) {
    const list = pending.length > 0 ? `\n${pending.map((p) => `  - ${p}`).join('\n')}` : '';
    super(`timed out after ${seconds}s waiting for ${what}${list}${hint ? `\n  hint: ${hint}` : ''}`);
    this.pending = pending;
  }
}
