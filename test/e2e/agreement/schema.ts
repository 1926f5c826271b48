/**
 * Schema agreement: each object's verdict from the real API server (server-side
 * apply, dryRun=All, field manager plinth) beside `plinth check`'s schema
 * findings for that object. The server rejects ⇔ the checker has an error.
 */
import { ClusterApiError, type ClusterClient, crdEstablished, ResourceNotServedError } from '../../../src/cluster/index.js';
import type { Finding } from '../../../src/checks/finding.js';
import type { K8sObject } from '../../../src/model/k8s.js';
import { until } from '../harness/procs.js';

/** One object as `plinth check` sees it: the component it belongs to and the object as written. */
export interface CheckedObject {
  component: string;
  object: K8sObject;
}

export interface ServerVerdict {
  accepted: boolean;
  /** The server's message when it rejected the object. */
  message?: string;
}

export interface Comparison {
  key: string;
  server: ServerVerdict;
  /** The checker's errors for the object (path: message). */
  checker: string[];
  agree: boolean;
}

/** `component|apiVersion|Kind|namespace|name`, with the namespace as written (absent: empty). */
export function objectKey(component: string, o: { apiVersion: string; kind: string; namespace?: string; name: string }): string {
  return [component, o.apiVersion, o.kind, o.namespace ?? '', o.name].join('|');
}

export const keyOf = (c: CheckedObject): string =>
  objectKey(c.component, { apiVersion: c.object.apiVersion, kind: c.object.kind, name: c.object.metadata.name, ...(c.object.metadata.namespace ? { namespace: c.object.metadata.namespace } : {}) });

/** The checker's errors by object key. */
export function checkerErrors(findings: readonly Finding[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const f of findings) {
    if (f.check !== 'schema' || f.severity !== 'error' || !f.object || !f.source?.component) continue;
    const key = objectKey(f.source.component, f.object);
    out.set(key, [...(out.get(key) ?? []), `${f.path ?? ''}: ${f.message}`]);
  }
  return out;
}

/**
 * The object as the API server gets it: a namespaced object written without a
 * namespace goes to its unit's namespace (as `plinth up` and Argo CD apply it).
 */
export async function placed(client: ClusterClient, object: K8sObject, defaultNamespace: string): Promise<K8sObject> {
  const resource = await client.resource(object.apiVersion, object.kind);
  if (!resource?.namespaced || object.metadata.namespace) return object;
  return { ...object, metadata: { ...object.metadata, namespace: defaultNamespace } };
}

/** The real server's verdict on a server-side dry-run apply. */
export async function dryRunVerdict(client: ClusterClient, object: K8sObject): Promise<ServerVerdict> {
  try {
    await client.apply(object, { dryRun: true, force: true });
    return { accepted: true };
  } catch (error) {
    if (error instanceof ClusterApiError && error.status >= 400 && error.status < 500) return { accepted: false, message: error.message };
    // The real server answers a server-side apply whose values do not fit the type with a 500
    // ("failed to create typed patch object ... expected string"): a rejection all the same.
    if (error instanceof ClusterApiError && error.status === 500 && /failed to create typed patch object/.test(error.message)) return { accepted: false, message: error.message };
    if (error instanceof ResourceNotServedError) return { accepted: false, message: error.message };
    throw error;
  }
}

export function compare(key: string, server: ServerVerdict, errors: ReadonlyMap<string, string[]>): Comparison {
  const checker = errors.get(key) ?? [];
  return { key, server, checker, agree: server.accepted === (checker.length === 0) };
}

/** Creates the CRDs for real and waits until every one is Established. */
export async function establishCrds(client: ClusterClient, crds: readonly K8sObject[], timeoutMs = 120_000): Promise<void> {
  for (const crd of crds) await client.apply(crd, { force: true });
  const names = new Set(crds.map((c) => c.metadata.name));
  await until(`${names.size} CRDs to be Established`, timeoutMs, async () => {
    const live = await client.list('apiextensions.k8s.io/v1', 'CustomResourceDefinition');
    const ready = live.filter((c) => names.has(c.metadata.name) && crdEstablished(c)).length;
    return ready === names.size ? true : undefined;
  });
  // Discovery of the new types (the client caches it per type, asked on first use).
  for (const crd of crds) {
    const spec = crd.spec as { group: string; names: { kind: string }; versions: { name: string; served?: boolean }[] };
    const served = spec.versions.filter((v) => v.served !== false);
    await until(`${crd.metadata.name} served`, timeoutMs, async () => ((await client.resource(`${spec.group}/${served[0]!.name}`, spec.names.kind)) ? true : undefined));
  }
}
