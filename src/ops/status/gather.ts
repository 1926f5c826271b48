/** Reading what `status` and `doctor` look at from the cluster; a type that is not served reads as undefined. */
import { type ClusterClient, type ListOptions, ResourceNotServedError } from '../../cluster/index.js';
import type { K8sObject } from '../../model/k8s.js';
import { ARGOCD_NAMESPACE } from '../../synth/argocd/index.js';
import { APPLICATION } from '../argo.js';
import type { StatusFacts } from './report.js';

/** Objects of the first served apiVersion, or undefined when none is served. */
export async function listServed(client: ClusterClient, apiVersions: readonly string[], kind: string, options: ListOptions = {}): Promise<K8sObject[] | undefined> {
  for (const v of apiVersions) {
    try {
      return await client.list(v, kind, options);
    } catch (error) {
      if (!(error instanceof ResourceNotServedError)) throw error;
    }
  }
  return undefined;
}

export async function gatherStatus(client: ClusterClient): Promise<StatusFacts> {
  const [applications, policy, clusterPolicy, vulnerabilityReports, certificates, externalSecrets] = await Promise.all([
    listServed(client, [APPLICATION.apiVersion], APPLICATION.kind, { namespace: ARGOCD_NAMESPACE }),
    listServed(client, ['wgpolicyk8s.io/v1alpha2'], 'PolicyReport'),
    listServed(client, ['wgpolicyk8s.io/v1alpha2'], 'ClusterPolicyReport'),
    listServed(client, ['aquasecurity.github.io/v1alpha1'], 'VulnerabilityReport'),
    listServed(client, ['cert-manager.io/v1'], 'Certificate'),
    listServed(client, ['external-secrets.io/v1', 'external-secrets.io/v1beta1'], 'ExternalSecret'),
  ]);
  return {
    applications,
    policyReports: policy || clusterPolicy ? [...(policy ?? []), ...(clusterPolicy ?? [])] : undefined,
    vulnerabilityReports,
    certificates,
    externalSecrets,
  };
}
