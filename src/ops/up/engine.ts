/**
 * The GitOps engine `up` installs and hands over to, as data: Argo CD or
 * Flux, by the platform's `gitops.engine` choice.
 */
import type { DesiredState } from '../../desired/index.js';
import type { K8sObject } from '../../model/k8s.js';
import { ARGOCD_NAMESPACE, ARGOCD_UNIT, ROOT_APP } from '../../synth/argocd/index.js';
import { FLUX_NAMESPACE, FLUX_UNIT, ROOT_KUSTOMIZATION } from '../../synth/flux/constants.js';
import type { ObjectRef } from '../../cluster/index.js';
import { APPLICATION } from '../argo.js';
import { KUSTOMIZATION } from '../flux.js';

export interface EngineFacts {
  kind: 'argocd' | 'flux';
  title: string;
  unit: string;
  namespace: string;
  /** The root object: once it exists, the install is finished and the engine runs its own hooks. */
  root: ObjectRef;
}

export function engineOf(state: DesiredState): EngineFacts {
  return state.platform.choices.engine === 'flux'
    ? { kind: 'flux', title: 'Flux', unit: FLUX_UNIT, namespace: FLUX_NAMESPACE, root: { ...KUSTOMIZATION, namespace: FLUX_NAMESPACE, name: ROOT_KUSTOMIZATION } }
    : { kind: 'argocd', title: 'Argo CD', unit: ARGOCD_UNIT, namespace: ARGOCD_NAMESPACE, root: { ...APPLICATION, namespace: ARGOCD_NAMESPACE, name: ROOT_APP } };
}

/**
 * Under Flux, a chart's objects that `up` applies before helm-controller
 * installs the chart (CRDs, the engine itself, the network plugin) carry the
 * release's ownership marks, so Helm adopts them on install instead of
 * refusing objects that "exist and cannot be imported into the current
 * release". Argo CD renders charts without Helm releases: nothing to mark.
 */
export function helmOwned(objects: readonly K8sObject[], release: string, namespace: string): K8sObject[] {
  return objects.map((o) => ({
    ...o,
    metadata: {
      ...o.metadata,
      labels: { ...o.metadata.labels, 'app.kubernetes.io/managed-by': 'Helm' },
      annotations: { ...o.metadata.annotations, 'meta.helm.sh/release-name': release, 'meta.helm.sh/release-namespace': namespace },
    },
  }));
}
