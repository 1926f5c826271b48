/** Reading what `status` and `doctor` look at from the cluster; a type that is not served reads as undefined. */
import { type ClusterClient, type ListOptions, ResourceNotServedError } from '../../cluster/index.js';
import type { K8sObject } from '../../model/k8s.js';
import { ARGOCD_NAMESPACE } from '../../synth/argocd/index.js';
import { APPLICATION } from '../argo.js';
import { FLUX_NAMESPACE } from '../../synth/flux/constants.js';
import { type FluxFacts, GIT_REPOSITORY, HELM_RELEASE, KUSTOMIZATION } from '../flux.js';
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

/** Flux's Kustomizations, HelmReleases and GitRepositories in its namespace; undefined when Flux's CRDs are not served. */
export async function gatherFlux(client: ClusterClient): Promise<FluxFacts | undefined> {
  const [kustomizations, helmReleases, gitRepositories] = await Promise.all([
    listServed(client, [KUSTOMIZATION.apiVersion], KUSTOMIZATION.kind, { namespace: FLUX_NAMESPACE }),
    listServed(client, [HELM_RELEASE.apiVersion], HELM_RELEASE.kind, { namespace: FLUX_NAMESPACE }),
    listServed(client, [GIT_REPOSITORY.apiVersion], GIT_REPOSITORY.kind, { namespace: FLUX_NAMESPACE }),
  ]);
  if (!kustomizations) return undefined;
  return { kustomizations, helmReleases: helmReleases ?? [], ...(gitRepositories ? { gitRepositories } : {}) };
}

export async function gatherStatus(client: ClusterClient, engine: 'argocd' | 'flux' = 'argocd'): Promise<StatusFacts> {
  const [applications, policy, clusterPolicy, vulnerabilityReports, certificates, externalSecrets] = await Promise.all([
    engine === 'argocd' ? listServed(client, [APPLICATION.apiVersion], APPLICATION.kind, { namespace: ARGOCD_NAMESPACE }) : Promise.resolve(undefined),
    listServed(client, ['wgpolicyk8s.io/v1alpha2'], 'PolicyReport'),
    listServed(client, ['wgpolicyk8s.io/v1alpha2'], 'ClusterPolicyReport'),
    listServed(client, ['aquasecurity.github.io/v1alpha1'], 'VulnerabilityReport'),
    listServed(client, ['cert-manager.io/v1'], 'Certificate'),
    listServed(client, ['external-secrets.io/v1', 'external-secrets.io/v1beta1'], 'ExternalSecret'),
  ]);
  const flux = engine === 'flux' ? await gatherFlux(client) : undefined;
  return {
    applications,
    ...(flux ? { flux } : {}),
    policyReports: policy || clusterPolicy ? [...(policy ?? []), ...(clusterPolicy ?? [])] : undefined,
    vulnerabilityReports,
    certificates,
    externalSecrets,
  };
}
