/**
 * The narrow interface everything outside `src/cluster` uses to talk to a
 * cluster. The real implementation (`kube-client.ts`) speaks the Kubernetes
 * REST protocol through @kubernetes/client-node's configuration; tests use it
 * against the API test double, or pass a fake of this interface.
 */
import type { K8sObject } from '../model/k8s.js';

/** Names one object: its type (apiVersion + kind) and its name (and namespace when namespaced). */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

export interface ServerVersion {
  major: number;
  minor: number;
  /** As the server says it, e.g. `v1.31.4+k3s1`. */
  gitVersion: string;
}

/** One resource type the server serves (from discovery). */
export interface ApiResourceInfo {
  group: string;
  version: string;
  kind: string;
  /** The plural used in URLs (`deployments`). */
  plural: string;
  namespaced: boolean;
  verbs: string[];
}

export interface ListOptions {
  /** Only this namespace; all namespaces when absent. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export interface ApplyOptions {
  /** Server-side dry run: the server computes the result and persists nothing. */
  dryRun?: boolean;
  /** Take over fields another manager owns (a conflict is an error otherwise). */
  force?: boolean;
}

export interface ApplyResult {
  object: K8sObject;
  /** The server created the object (HTTP 201) rather than updating it. */
  created: boolean;
}

/** `merge`: JSON merge patch (RFC 7386); `json`: JSON patch (RFC 6902). */
export type PatchType = 'merge' | 'json';

export interface DeleteOptions {
  /** `Orphan` keeps the objects this one owns; default: the server's (background). */
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface WatchEvent {
  type: WatchEventType;
  object: K8sObject;
}

export interface WatchHandle {
  stop(): void;
  /** Settles when the stream ends (stopped, closed by the server, or failed). */
  readonly done: Promise<void>;
}

/** A request to a Service or Pod through the API server's proxy (`…/services/https:vault:8200/proxy/…`). */
export interface ProxyRequest {
  namespace: string;
  target: 'service' | 'pod';
  name: string;
  port: number;
  scheme: 'http' | 'https';
  method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  /** Path on the target, starting with `/`. */
  path: string;
  /** Sent as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ProxyResponse {
  status: number;
  body: string;
}

export interface ClusterClient {
  /** Name of the kubeconfig context in use. */
  readonly context: string;
  /** URL of the API server. */
  readonly server: string;
  version(): Promise<ServerVersion>;
  /** The resource type serving this apiVersion and kind, or undefined when the server does not serve it (yet). */
  resource(apiVersion: string, kind: string): Promise<ApiResourceInfo | undefined>;
  /** The object, or undefined when it does not exist (or its type is not served). */
  get(ref: ObjectRef): Promise<K8sObject | undefined>;
  /** Objects of a type; throws ResourceNotServedError when the server does not serve it. */
  list(apiVersion: string, kind: string, options?: ListOptions): Promise<K8sObject[]>;
  /** Server-side apply with the field manager `plinth`. */
  apply(object: K8sObject, options?: ApplyOptions): Promise<ApplyResult>;
  /** A patch with the field manager `plinth` (for lists other controllers share, such as node taints). */
  patch(ref: ObjectRef, patch: unknown, type: PatchType): Promise<K8sObject>;
  /** Deletes the object; false when it was already gone. */
  delete(ref: ObjectRef, options?: DeleteOptions): Promise<boolean>;
  /** Streams changes of a type from now on (after the current state, delivered as ADDED events). */
  watch(apiVersion: string, kind: string, options: ListOptions, onEvent: (event: WatchEvent) => void): Promise<WatchHandle>;
  /** A request to a Service or Pod through the API server proxy. */
  proxy(request: ProxyRequest): Promise<ProxyResponse>;
}

export const FIELD_MANAGER = 'plinth';

export function refOf(o: Pick<K8sObject, 'apiVersion' | 'kind' | 'metadata'>): ObjectRef {
  return { apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}) };
}

/** `Kind/namespace/name` or `Kind/name`. */
export function refText(ref: ObjectRef): string {
  return ref.namespace ? `${ref.kind}/${ref.namespace}/${ref.name}` : `${ref.kind}/${ref.name}`;
}
