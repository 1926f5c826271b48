/**
 * Compare before apply: each object is read first and written (server-side
 * apply, field manager `plinth`) only when it is missing or differs, so a
 * second run writes nothing. "Differs" is decided locally when the live object
 * already holds every field Plinth sets and Plinth owns no field it stopped
 * setting, else by a server-side dry run (which sees defaults, normalised
 * quantities and removed fields exactly as the server does).
 */
import { applyForm, type ClusterClient, contains, FIELD_MANAGER, type ObjectRef, ownsDroppedFields, refOf, refText, ResourceNotServedError, sameObject } from '../cluster/index.js';
import type { K8sObject } from '../model/k8s.js';
import { isBuiltinType } from './order.js';
import { PlinthError } from '../lib/errors.js';

export type Verb = 'create' | 'update' | 'unchanged' | 'skip';

export interface ObjectAction {
  verb: Verb;
  ref: ObjectRef;
  /** Why (for skips and kept objects). */
  note?: string;
}

export interface ApplyPolicy {
  dryRun: boolean;
  /** Namespace for namespaced objects the chart renders without one (the release namespace). */
  defaultNamespace?: string;
  /** Objects created once and never updated (chart Secrets with generated keys and certificates). */
  createOnly?: (o: K8sObject) => boolean;
  /**
   * Types that are not served yet but will be by the time this runs (CRDs the
   * plan installs first): a dry run reports them as created, not skipped.
   */
  servedLater?: (apiVersion: string, kind: string) => boolean;
  /**
   * The objects must be written now (the root Application and the AppProjects):
   * a type that is not served is an error outside a dry run, never a silent skip.
   */
  required?: boolean;
}

export async function reconcileObject(client: ClusterClient, object: K8sObject, policy: ApplyPolicy): Promise<ObjectAction> {
  const resource = await client.resource(object.apiVersion, object.kind);
  const desired = applyForm(object);
  if (resource && resource.namespaced && !desired.metadata.namespace) {
    if (!policy.defaultNamespace) throw new PlinthError(`${object.kind}/${object.metadata.name} is namespaced but has no namespace, and nothing says which: it cannot be applied`);
    desired.metadata = { ...desired.metadata, namespace: policy.defaultNamespace };
  }
  if (resource && !resource.namespaced && desired.metadata.namespace) {
    const { namespace: _ns, ...meta } = desired.metadata;
    desired.metadata = meta as K8sObject['metadata'];
  }
  const ref = refOf(desired);
  if (!resource) {
    if (policy.dryRun && policy.servedLater?.(object.apiVersion, object.kind)) return { verb: 'create', ref, note: 'once its CRD is established' };
    if (policy.required && !policy.dryRun) throw new ResourceNotServedError(object.apiVersion, object.kind, refText(ref));
    if (isBuiltinType(object.apiVersion)) return { verb: 'skip', ref, note: `this Kubernetes version does not serve ${object.apiVersion} ${object.kind}` };
    return { verb: 'skip', ref, note: 'its CRD is not installed yet: left to Argo CD' };
  }
  const live = await client.get(ref);
  if (!live) {
    if (!policy.dryRun) await client.apply(desired, { force: true });
    return { verb: 'create', ref };
  }
  if (policy.createOnly?.(object)) return { verb: 'unchanged', ref, note: 'exists; created once and never overwritten' };
  if (contains(live, desired) && !ownsDroppedFields(live, desired, FIELD_MANAGER)) return { verb: 'unchanged', ref };
  const preview = (await client.apply(desired, { force: true, dryRun: true })).object;
  if (sameObject(preview, live)) return { verb: 'unchanged', ref };
  if (!policy.dryRun) await client.apply(desired, { force: true });
  return { verb: 'update', ref };
}

/** In the order given (callers sort with sortForApply). */
export async function reconcileObjects(client: ClusterClient, objects: readonly K8sObject[], policy: ApplyPolicy): Promise<ObjectAction[]> {
  const actions: ObjectAction[] = [];
  for (const o of objects) actions.push(await reconcileObject(client, o, policy));
  return actions;
}
