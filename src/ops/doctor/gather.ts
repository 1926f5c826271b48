/** What `plinth doctor` reads from the cluster. */
import type { ClusterClient } from '../../cluster/index.js';
import type { DesiredState } from '../../desired/index.js';
import { ARGOCD_NAMESPACE } from '../../synth/argocd/index.js';
import { APPLICATION, APPLICATION_SET } from '../argo.js';
import { isBuiltinType } from '../order.js';
import { gatherFlux, listServed } from '../status/gather.js';
import type { DoctorFacts } from './diagnose.js';


export async function gatherDoctor(client: ClusterClient, state: DesiredState): Promise<DoctorFacts> {
  const served = new Map<string, boolean>();
  for (const m of state.units.flatMap((u) => u.manifests)) {
    const key = `${m.apiVersion} ${m.kind}`;
    if (isBuiltinType(m.apiVersion) || served.has(key)) continue;
    served.set(key, (await client.resource(m.apiVersion, m.kind)) !== undefined);
  }
  const [pods, nodes, namespaces, applications, applicationSets, validating, mutating, endpointSlices, externalSecrets, certificates] = await Promise.all([
    client.list('v1', 'Pod'),
    client.list('v1', 'Node'),
    client.list('v1', 'Namespace'),
    listServed(client, [APPLICATION.apiVersion], APPLICATION.kind, { namespace: ARGOCD_NAMESPACE }),
    listServed(client, [APPLICATION_SET.apiVersion], APPLICATION_SET.kind, { namespace: ARGOCD_NAMESPACE }),
    listServed(client, ['admissionregistration.k8s.io/v1'], 'ValidatingWebhookConfiguration'),
    listServed(client, ['admissionregistration.k8s.io/v1'], 'MutatingWebhookConfiguration'),
    listServed(client, ['discovery.k8s.io/v1'], 'EndpointSlice'),
    listServed(client, ['external-secrets.io/v1', 'external-secrets.io/v1beta1'], 'ExternalSecret'),
    listServed(client, ['cert-manager.io/v1'], 'Certificate'),
  ]);
  const flux = state.platform.choices.engine === 'flux' ? await gatherFlux(client) : undefined;
  return {
    ...(flux ? { flux } : {}),
    pods,
    nodes,
    namespaces,
    applications,
    applicationSets,
    webhooks: [...(validating ?? []), ...(mutating ?? [])],
    endpointSlices: endpointSlices ?? [],
    externalSecrets,
    certificates,
    served,
  };
}
