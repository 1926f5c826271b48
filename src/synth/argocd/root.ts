/**
 * The root Application (app of apps): it syncs `bootstrap/root/` (the
 * AppProjects, every unit's Application and the tenants' ApplicationSet) one
 * sync wave at a time. It has no resources finalizer: deleting it (by hand,
 * or `plinth down`) leaves the Applications in place rather than cascading
 * through the whole platform.
 */
import type { K8sObject } from '../../model/k8s.js';
import { ARGOCD_NAMESPACE, BOOTSTRAP_PROJECT, IN_CLUSTER, RETRY, ROOT_APP, ROOT_DIR } from './constants.js';
import type { GitopsRepo } from './units.js';

export function rootApplication(repo: GitopsRepo): K8sObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: ROOT_APP, namespace: ARGOCD_NAMESPACE },
    spec: {
      project: BOOTSTRAP_PROJECT,
      source: { repoURL: repo.url, targetRevision: repo.branch, path: ROOT_DIR, directory: { recurse: true } },
      destination: { server: IN_CLUSTER, namespace: ARGOCD_NAMESPACE },
      syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['ServerSideApply=true'], retry: RETRY },
    },
  };
}
