/**
 * What an offline evaluation stands for: an admission request for one object.
 * As the Kyverno CLI does, CREATE sets `object`, UPDATE sets `object` and
 * `oldObject` to the same resource, DELETE only `oldObject`. Namespaced objects
 * without a namespace land in `default`; every namespace carries the
 * `kubernetes.io/metadata.name` label the API server gives it.
 */
import type { K8sObject } from '../../model/k8s.js';
import type { ResourceCatalog, ResourceType } from '../match/resources.js';
import type { Operation } from '../types.js';

export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export interface UserInfo {
  username: string;
  groups?: string[];
}

export interface ResourceRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

export interface Attributes {
  type: ResourceType;
  version: string;
  operation: Operation;
  name: string;
  /** Empty for cluster-scoped objects (Namespaces included). */
  namespace: string;
  object: K8sObject | null;
  oldObject: K8sObject | null;
  /** The namespace of a namespaced object; null for cluster-scoped ones. */
  namespaceObject: K8sObject | null;
  userInfo: UserInfo;
  ref: ResourceRef;
}

/** Namespaces by name; unknown names get the object the API server would have (name label only). */
export class NamespaceIndex {
  readonly #byName = new Map<string, K8sObject>();

  constructor(namespaces: readonly K8sObject[]) {
    for (const ns of namespaces) if (ns.kind === 'Namespace' && ns.metadata?.name) this.#byName.set(ns.metadata.name, withNameLabel(ns));
  }

  get(name: string): K8sObject {
    return this.#byName.get(name) ?? withNameLabel({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
}

export function withNameLabel(ns: K8sObject): K8sObject {
  const labels = ns.metadata.labels ?? {};
  if (labels[NAMESPACE_NAME_LABEL] === ns.metadata.name) return ns;
  return { ...ns, metadata: { ...ns.metadata, labels: { ...labels, [NAMESPACE_NAME_LABEL]: ns.metadata.name } } };
}

function versionOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? apiVersion : apiVersion.slice(slash + 1);
}

/** The object as the evaluation sees it: namespace defaulted, namespace label added. */
export function admitted(resource: K8sObject, type: ResourceType): K8sObject {
  if (resource.kind === 'Namespace' && type.group === '') return withNameLabel(resource);
  if (type.namespaced && !resource.metadata.namespace) return { ...resource, metadata: { ...resource.metadata, namespace: 'default' } };
  return resource;
}

/** What every request of one evaluation shares. */
export interface RequestContext {
  operation: Operation;
  catalog: ResourceCatalog;
  namespaces: NamespaceIndex;
  userInfo: UserInfo;
}

export function attributesOf(resource: K8sObject, ctx: RequestContext): Attributes {
  const { operation, catalog, namespaces, userInfo } = ctx;
  const type = catalog.of(resource.apiVersion, resource.kind);
  const object = admitted(resource, type);
  const namespace = type.namespaced ? (object.metadata.namespace ?? 'default') : '';
  return {
    type,
    version: versionOf(resource.apiVersion),
    operation,
    name: object.metadata.name,
    namespace,
    object: operation === 'DELETE' ? null : object,
    oldObject: operation === 'CREATE' ? null : object,
    namespaceObject: namespace ? namespaces.get(namespace) : null,
    userInfo,
    ref: { apiVersion: resource.apiVersion, kind: resource.kind, ...(namespace ? { namespace } : {}), name: object.metadata.name },
  };
}

/** The `request` binding (an AdmissionRequest as CEL sees it). */
export function admissionRequest(a: Attributes): Record<string, unknown> {
  const kind = { group: a.type.group, version: a.version, kind: a.type.kind };
  const resource = { group: a.type.group, version: a.version, resource: a.type.resource };
  return {
    uid: '',
    kind,
    resource,
    subResource: '',
    requestKind: kind,
    requestResource: resource,
    requestSubResource: '',
    name: a.name,
    namespace: a.namespace,
    operation: a.operation,
    userInfo: { username: a.userInfo.username, uid: '', groups: a.userInfo.groups ?? [], extra: {} },
    dryRun: false,
  };
}
