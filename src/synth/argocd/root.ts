/** The root Application (app of apps): it syncs the AppProjects and the ApplicationSets in bootstrap/root. */
import type { K8sObject } from '../../model/k8s.js';
import { ARGOCD_NAMESPACE, BOOTSTRAP_PROJECT, IN_CLUSTER, RETRY, ROOT_APP, ROOT_DIR } from './constants.js';
import type { GitopsRepo } from './units.js';

export function rootApplication(repo: GitopsRepo): K8sObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: ROOT_APP, namespace: ARGOCD_NAMESPACE, finalizers: ['resources-finalizer.argocd.argoproj.io'] },
    spec: {
      project: BOOTSTRAP_PROJECT,
      source: { repoURL: repo.url, targetRevision: repo.branch, path: ROOT_DIR, directory: { recurse: true } },
      destination: { server: IN_CLUSTER, namespace: ARGOCD_NAMESPACE },
      syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['ServerSideApply=true'], retry: RETRY },
    },
  };
}
