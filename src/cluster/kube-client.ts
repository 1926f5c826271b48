/**
 * The cluster client: ClusterClient over the Kubernetes REST API. The only
 * module (with kubeconfig.ts and transport.ts) that imports
 * @kubernetes/client-node: KubeConfig for contexts and credentials, Watch for
 * streams; requests are plain JSON so objects keep their exact shape.
 */
import type { Watch } from '@kubernetes/client-node';
import { k8s } from './client-module.js';
import type { K8sObject } from '../model/k8s.js';
import { groupVersionPath, Discovery } from './discovery.js';
import { ClusterApiError, ClusterError, ResourceNotServedError } from './errors.js';
import { selectKubeconfig, type KubeconfigOptions } from './kubeconfig.js';
import { Transport } from './transport.js';
import {
  type ApiResourceInfo,
  type ApplyOptions,
  type ApplyResult,
  type ClusterClient,
  type DeleteOptions,
  FIELD_MANAGER,
  type ListOptions,
  type ObjectRef,
  type PatchType,
  type ProxyRequest,
  type ProxyResponse,
  refText,
  type ServerVersion,
  type WatchEvent,
  type WatchHandle,
} from './types.js';

const PATCH_CONTENT_TYPE: Record<PatchType, string> = { merge: 'application/merge-patch+json', json: 'application/json-patch+json' };

/** Connects to the cluster of a kubeconfig context. Nothing is sent until the first call. */
export function connectCluster(options: KubeconfigOptions): ClusterClient {
  const selected = selectKubeconfig(options);
  return new KubeClusterClient(selected.config, selected.context, selected.server);
}

class KubeClusterClient implements ClusterClient {
  private readonly transport: Transport;
  private readonly discovery: Discovery;
  private readonly watcher: Watch;

  constructor(
    config: ConstructorParameters<typeof Watch>[0],
    readonly context: string,
    readonly server: string,
  ) {
    this.transport = new Transport(config, server);
    this.discovery = new Discovery(this.transport);
    this.watcher = new (k8s().Watch)(config);
  }

  async version(): Promise<ServerVersion> {
    const v = (await this.transport.json({ method: 'GET', path: '/version' })).value as { major?: string; minor?: string; gitVersion?: string };
    return { major: parseInt(v.major ?? '0', 10) || 0, minor: parseInt(v.minor ?? '0', 10) || 0, gitVersion: v.gitVersion ?? `v${v.major}.${v.minor}` };
  }

  resource(apiVersion: string, kind: string): Promise<ApiResourceInfo | undefined> {
    return this.discovery.resource(apiVersion, kind);
  }

  private async served(apiVersion: string, kind: string): Promise<ApiResourceInfo> {
    const r = await this.resource(apiVersion, kind);
    if (!r) throw new ResourceNotServedError(apiVersion, kind);
    return r;
  }

  private collectionPath(apiVersion: string, r: ApiResourceInfo, namespace: string | undefined): string {
    return `${groupVersionPath(apiVersion)}${r.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : ''}/${r.plural}`;
  }

  private async objectPath(ref: ObjectRef): Promise<string> {
    const r = await this.served(ref.apiVersion, ref.kind);
    if (r.namespaced && !ref.namespace) throw new ClusterError(`${refText(ref)}: ${ref.kind} is namespaced; the object needs metadata.namespace`);
    return `${this.collectionPath(ref.apiVersion, r, ref.namespace)}/${encodeURIComponent(ref.name)}`;
  }

  async get(ref: ObjectRef): Promise<K8sObject | undefined> {
    if (!(await this.resource(ref.apiVersion, ref.kind))) return undefined;
    try {
      return (await this.transport.json({ method: 'GET', path: await this.objectPath(ref) })).value as K8sObject;
    } catch (error) {
      if (error instanceof ClusterApiError && error.status === 404) return undefined;
      throw error;
    }
  }

  async list(apiVersion: string, kind: string, options: ListOptions = {}): Promise<K8sObject[]> {
    const r = await this.served(apiVersion, kind);
    const out: K8sObject[] = [];
    let token: string | undefined;
    do {
      const page = (
        await this.transport.json({
          method: 'GET',
          path: this.collectionPath(apiVersion, r, options.namespace),
          query: { labelSelector: options.labelSelector, fieldSelector: options.fieldSelector, limit: '500', continue: token },
        })
      ).value as { items?: K8sObject[]; metadata?: { continue?: string } };
      // List items carry no apiVersion/kind; put them back so callers get whole objects.
      for (const item of page.items ?? []) out.push({ ...item, apiVersion, kind });
      token = page.metadata?.continue || undefined;
    } while (token);
    return out;
  }

  async apply(object: K8sObject, options: ApplyOptions = {}): Promise<ApplyResult> {
    const ref = { apiVersion: object.apiVersion, kind: object.kind, name: object.metadata.name, namespace: object.metadata.namespace };
    const path = await this.objectPath(ref);
    const { status, value } = await this.transport.json({
      method: 'PATCH',
      path,
      query: { fieldManager: FIELD_MANAGER, force: options.force ? 'true' : undefined, dryRun: options.dryRun ? 'All' : undefined },
      body: JSON.stringify(object),
      contentType: 'application/apply-patch+yaml',
    });
    return { object: value as K8sObject, created: status === 201 };
  }

  async patch(ref: ObjectRef, patch: unknown, type: PatchType): Promise<K8sObject> {
    const { value } = await this.transport.json({
      method: 'PATCH',
      path: await this.objectPath(ref),
      query: { fieldManager: FIELD_MANAGER },
      body: JSON.stringify(patch),
      contentType: PATCH_CONTENT_TYPE[type],
    });
    return value as K8sObject;
  }

  async delete(ref: ObjectRef, options: DeleteOptions = {}): Promise<boolean> {
    if (!(await this.resource(ref.apiVersion, ref.kind))) return false;
    try {
      await this.transport.json({
        method: 'DELETE',
        path: await this.objectPath(ref),
        body: JSON.stringify({ apiVersion: 'v1', kind: 'DeleteOptions', ...(options.propagationPolicy ? { propagationPolicy: options.propagationPolicy } : {}) }),
      });
      return true;
    } catch (error) {
      if (error instanceof ClusterApiError && error.status === 404) return false;
      throw error;
    }
  }

  async watch(apiVersion: string, kind: string, options: ListOptions, onEvent: (event: WatchEvent) => void): Promise<WatchHandle> {
    const r = await this.served(apiVersion, kind);
    let settle: () => void = () => {};
    const done = new Promise<void>((resolveDone) => (settle = resolveDone));
    const controller = await this.watcher.watch(
      this.collectionPath(apiVersion, r, options.namespace),
      { labelSelector: options.labelSelector, fieldSelector: options.fieldSelector },
      (type: string, object: K8sObject) => {
        if (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED') onEvent({ type, object: { ...object, apiVersion, kind } });
      },
      () => settle(),
    );
    return { stop: () => controller.abort(), done };
  }

  async proxy(request: ProxyRequest): Promise<ProxyResponse> {
    const collection = request.target === 'service' ? 'services' : 'pods';
    const target = `${request.scheme}:${request.name}:${request.port}`;
    const path = `/api/v1/namespaces/${encodeURIComponent(request.namespace)}/${collection}/${target}/proxy${request.path}`;
    const res = await this.transport.send({
      method: request.method,
      path,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      contentType: 'application/json',
      headers: request.headers,
    });
    return { status: res.status, body: res.body };
  }
}
