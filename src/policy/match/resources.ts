/**
 * Kinds and their API resources (plural names and scope), which admission
 * rules match on: a built-in table of Kubernetes kinds and the CRDs the
 * platform installs, extended by any CustomResourceDefinition given, with a
 * plural guessed (and marked so) for the rest.
 */
import type { K8sObject } from '../../model/k8s.js';
import { apiGroup } from '../../model/k8s.js';

export interface ResourceType {
  group: string;
  kind: string;
  /** Plural resource name, e.g. `deployments`. */
  resource: string;
  namespaced: boolean;
  /** False when the plural and scope were guessed from the kind. */
  known: boolean;
}

type Row = readonly [group: string, kind: string, resource: string, namespaced: boolean];

const N = true;
const C = false;

const BUILT_IN: readonly Row[] = [
  ['', 'Pod', 'pods', N], ['', 'Service', 'services', N], ['', 'ConfigMap', 'configmaps', N], ['', 'Secret', 'secrets', N],
  ['', 'ServiceAccount', 'serviceaccounts', N], ['', 'Namespace', 'namespaces', C], ['', 'Node', 'nodes', C],
  ['', 'PersistentVolume', 'persistentvolumes', C], ['', 'PersistentVolumeClaim', 'persistentvolumeclaims', N],
  ['', 'Endpoints', 'endpoints', N], ['', 'Event', 'events', N], ['', 'LimitRange', 'limitranges', N],
  ['', 'ResourceQuota', 'resourcequotas', N], ['', 'ReplicationController', 'replicationcontrollers', N], ['', 'PodTemplate', 'podtemplates', N],
  ['apps', 'Deployment', 'deployments', N], ['apps', 'StatefulSet', 'statefulsets', N], ['apps', 'DaemonSet', 'daemonsets', N],
  ['apps', 'ReplicaSet', 'replicasets', N], ['apps', 'ControllerRevision', 'controllerrevisions', N],
  ['batch', 'Job', 'jobs', N], ['batch', 'CronJob', 'cronjobs', N],
  ['autoscaling', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', N], ['policy', 'PodDisruptionBudget', 'poddisruptionbudgets', N],
  ['networking.k8s.io', 'Ingress', 'ingresses', N], ['networking.k8s.io', 'IngressClass', 'ingressclasses', C],
  ['networking.k8s.io', 'NetworkPolicy', 'networkpolicies', N], ['discovery.k8s.io', 'EndpointSlice', 'endpointslices', N],
  ['rbac.authorization.k8s.io', 'Role', 'roles', N], ['rbac.authorization.k8s.io', 'RoleBinding', 'rolebindings', N],
  ['rbac.authorization.k8s.io', 'ClusterRole', 'clusterroles', C], ['rbac.authorization.k8s.io', 'ClusterRoleBinding', 'clusterrolebindings', C],
  ['storage.k8s.io', 'StorageClass', 'storageclasses', C], ['storage.k8s.io', 'CSIDriver', 'csidrivers', C],
  ['storage.k8s.io', 'VolumeAttachment', 'volumeattachments', C], ['scheduling.k8s.io', 'PriorityClass', 'priorityclasses', C],
  ['coordination.k8s.io', 'Lease', 'leases', N], ['node.k8s.io', 'RuntimeClass', 'runtimeclasses', C],
  ['apiextensions.k8s.io', 'CustomResourceDefinition', 'customresourcedefinitions', C], ['apiregistration.k8s.io', 'APIService', 'apiservices', C],
  ['certificates.k8s.io', 'CertificateSigningRequest', 'certificatesigningrequests', C],
  ['admissionregistration.k8s.io', 'ValidatingWebhookConfiguration', 'validatingwebhookconfigurations', C],
  ['admissionregistration.k8s.io', 'MutatingWebhookConfiguration', 'mutatingwebhookconfigurations', C],
  ['admissionregistration.k8s.io', 'ValidatingAdmissionPolicy', 'validatingadmissionpolicies', C],
  ['admissionregistration.k8s.io', 'ValidatingAdmissionPolicyBinding', 'validatingadmissionpolicybindings', C],
  // CRDs of the platform's components
  ['cert-manager.io', 'Certificate', 'certificates', N], ['cert-manager.io', 'CertificateRequest', 'certificaterequests', N],
  ['cert-manager.io', 'Issuer', 'issuers', N], ['cert-manager.io', 'ClusterIssuer', 'clusterissuers', C],
  ['external-secrets.io', 'ExternalSecret', 'externalsecrets', N], ['external-secrets.io', 'SecretStore', 'secretstores', N],
  ['external-secrets.io', 'ClusterSecretStore', 'clustersecretstores', C], ['external-secrets.io', 'ClusterExternalSecret', 'clusterexternalsecrets', C],
  ['argoproj.io', 'Application', 'applications', N], ['argoproj.io', 'ApplicationSet', 'applicationsets', N], ['argoproj.io', 'AppProject', 'appprojects', N],
  ['argoproj.io', 'Workflow', 'workflows', N], ['argoproj.io', 'WorkflowTemplate', 'workflowtemplates', N], ['argoproj.io', 'ClusterWorkflowTemplate', 'clusterworkflowtemplates', C],
  ['gateway.networking.k8s.io', 'Gateway', 'gateways', N], ['gateway.networking.k8s.io', 'GatewayClass', 'gatewayclasses', C],
  ['gateway.networking.k8s.io', 'HTTPRoute', 'httproutes', N], ['gateway.networking.k8s.io', 'GRPCRoute', 'grpcroutes', N],
  ['gateway.networking.k8s.io', 'ReferenceGrant', 'referencegrants', N],
  ['monitoring.coreos.com', 'ServiceMonitor', 'servicemonitors', N], ['monitoring.coreos.com', 'PodMonitor', 'podmonitors', N],
  ['monitoring.coreos.com', 'PrometheusRule', 'prometheusrules', N], ['monitoring.coreos.com', 'Prometheus', 'prometheuses', N],
  ['monitoring.coreos.com', 'Alertmanager', 'alertmanagers', N],
  ['kyverno.io', 'ClusterPolicy', 'clusterpolicies', C], ['kyverno.io', 'Policy', 'policies', N], ['kyverno.io', 'PolicyException', 'policyexceptions', N],
  ['policies.kyverno.io', 'ValidatingPolicy', 'validatingpolicies', C], ['policies.kyverno.io', 'NamespacedValidatingPolicy', 'namespacedvalidatingpolicies', N],
  ['policies.kyverno.io', 'PolicyException', 'policyexceptions', N],
  ['wgpolicyk8s.io', 'PolicyReport', 'policyreports', N], ['wgpolicyk8s.io', 'ClusterPolicyReport', 'clusterpolicyreports', C],
  ['cilium.io', 'CiliumNetworkPolicy', 'ciliumnetworkpolicies', N], ['cilium.io', 'CiliumClusterwideNetworkPolicy', 'ciliumclusterwidenetworkpolicies', C],
  ['source.toolkit.fluxcd.io', 'GitRepository', 'gitrepositories', N], ['source.toolkit.fluxcd.io', 'HelmRepository', 'helmrepositories', N],
  ['helm.toolkit.fluxcd.io', 'HelmRelease', 'helmreleases', N], ['kustomize.toolkit.fluxcd.io', 'Kustomization', 'kustomizations', N],
];

/** The plural Kubernetes would most likely use; only for kinds nobody declared. */
export function guessPlural(kind: string): string {
  const k = kind.toLowerCase();
  if (/(s|x|z|ch|sh)$/.test(k)) return `${k}es`;
  if (/[^aeiou]y$/.test(k)) return `${k.slice(0, -1)}ies`;
  return `${k}s`;
}

const key = (group: string, kind: string) => `${group}\u0000${kind}`;

export class ResourceCatalog {
  readonly #byKind = new Map<string, ResourceType>();

  constructor(extra: readonly ResourceType[] = []) {
    for (const [group, kind, resource, namespaced] of BUILT_IN) this.#byKind.set(key(group, kind), { group, kind, resource, namespaced, known: true });
    for (const t of extra) this.#byKind.set(key(t.group, t.kind), t);
  }

  /** The built-in table plus every CustomResourceDefinition among `objects`. */
  static withDefinitionsFrom(objects: readonly K8sObject[]): ResourceCatalog {
    const extra: ResourceType[] = [];
    for (const o of objects) {
      if (o.kind !== 'CustomResourceDefinition') continue;
      const spec = o.spec as { group?: string; scope?: string; names?: { kind?: string; plural?: string } } | undefined;
      if (spec?.group && spec.names?.kind && spec.names.plural) {
        extra.push({ group: spec.group, kind: spec.names.kind, resource: spec.names.plural, namespaced: spec.scope !== 'Cluster', known: true });
      }
    }
    return new ResourceCatalog(extra);
  }

  /** The resource type of an object's apiVersion and kind (guessed when unknown). */
  of(apiVersion: string, kind: string): ResourceType {
    const group = apiGroup(apiVersion);
    return this.#byKind.get(key(group, kind)) ?? { group, kind, resource: guessPlural(kind), namespaced: true, known: false };
  }
}
