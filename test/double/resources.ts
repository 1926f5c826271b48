/**
 * Resource types the Kubernetes API test double serves from the start (the
 * built-ins Plinth and the charts it installs use), and the conversion of a
 * CustomResourceDefinition into the types it adds once established.
 */

export interface ResourceType {
  group: string;
  /** Versions served; the first is the storage (and preferred) version. */
  versions: string[];
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  /** Has a status subresource: main writes keep the status, /status writes change only it. */
  status: boolean;
  /** Name of the CRD that defines it; undefined for built-ins. */
  crd?: string;
}

const VERBS = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];
export const verbsOf = (_t: ResourceType): string[] => VERBS;

// eslint-disable-next-line max-params -- a row of the resource table (group/version, kind, plural, namespaced, status) called some forty times, which reads as the table it is
function t(groupVersion: string, kind: string, plural: string, namespaced: boolean, status = false): ResourceType {
  const slash = groupVersion.indexOf('/');
  const group = slash === -1 ? '' : groupVersion.slice(0, slash);
  const version = slash === -1 ? groupVersion : groupVersion.slice(slash + 1);
  return { group, versions: [version], kind, plural, singular: kind.toLowerCase(), namespaced, status };
}

export const BUILTIN_TYPES: readonly ResourceType[] = [
  t('v1', 'Namespace', 'namespaces', false, true),
  t('v1', 'Node', 'nodes', false, true),
  t('v1', 'Pod', 'pods', true, true),
  t('v1', 'Service', 'services', true, true),
  t('v1', 'Endpoints', 'endpoints', true),
  t('v1', 'Secret', 'secrets', true),
  t('v1', 'ConfigMap', 'configmaps', true),
  t('v1', 'ServiceAccount', 'serviceaccounts', true),
  t('v1', 'PersistentVolume', 'persistentvolumes', false, true),
  t('v1', 'PersistentVolumeClaim', 'persistentvolumeclaims', true, true),
  t('v1', 'Event', 'events', true),
  t('v1', 'LimitRange', 'limitranges', true),
  t('v1', 'ResourceQuota', 'resourcequotas', true, true),
  t('apps/v1', 'Deployment', 'deployments', true, true),
  t('apps/v1', 'StatefulSet', 'statefulsets', true, true),
  t('apps/v1', 'DaemonSet', 'daemonsets', true, true),
  t('apps/v1', 'ReplicaSet', 'replicasets', true, true),
  t('batch/v1', 'Job', 'jobs', true, true),
  t('batch/v1', 'CronJob', 'cronjobs', true, true),
  t('rbac.authorization.k8s.io/v1', 'ClusterRole', 'clusterroles', false),
  t('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', 'clusterrolebindings', false),
  t('rbac.authorization.k8s.io/v1', 'Role', 'roles', true),
  t('rbac.authorization.k8s.io/v1', 'RoleBinding', 'rolebindings', true),
  t('scheduling.k8s.io/v1', 'PriorityClass', 'priorityclasses', false),
  t('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'customresourcedefinitions', false, true),
  t('admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration', 'validatingwebhookconfigurations', false),
  t('admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration', 'mutatingwebhookconfigurations', false),
  t('admissionregistration.k8s.io/v1', 'ValidatingAdmissionPolicy', 'validatingadmissionpolicies', false, true),
  t('admissionregistration.k8s.io/v1', 'ValidatingAdmissionPolicyBinding', 'validatingadmissionpolicybindings', false),
  t('policy/v1', 'PodDisruptionBudget', 'poddisruptionbudgets', true, true),
  t('networking.k8s.io/v1', 'NetworkPolicy', 'networkpolicies', true),
  t('networking.k8s.io/v1', 'Ingress', 'ingresses', true, true),
  t('networking.k8s.io/v1', 'IngressClass', 'ingressclasses', false),
  t('discovery.k8s.io/v1', 'EndpointSlice', 'endpointslices', true),
  t('storage.k8s.io/v1', 'StorageClass', 'storageclasses', false),
  t('storage.k8s.io/v1', 'CSIDriver', 'csidrivers', false),
  t('coordination.k8s.io/v1', 'Lease', 'leases', true),
  t('autoscaling/v2', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', true, true),
];

interface CrdSpec {
  group?: string;
  scope?: string;
  names?: { kind?: string; plural?: string; singular?: string };
  versions?: { name: string; served?: boolean; storage?: boolean; subresources?: { status?: unknown } }[];
}

/** The type a CRD defines, or undefined when the CRD is malformed. */
export function typeOfCrd(crd: { metadata: { name: string }; spec?: unknown }): ResourceType | undefined {
  const spec = (crd.spec ?? {}) as CrdSpec;
  if (!spec.group || !spec.names?.kind || !spec.names.plural || !Array.isArray(spec.versions)) return undefined;
  const served = spec.versions.filter((v) => v.served !== false);
  if (served.length === 0) return undefined;
  const storage = served.find((v) => v.storage) ?? served[0]!;
  const versions = [storage.name, ...served.filter((v) => v !== storage).map((v) => v.name)];
  return {
    group: spec.group,
    versions,
    kind: spec.names.kind,
    plural: spec.names.plural,
    singular: spec.names.singular ?? spec.names.kind.toLowerCase(),
    namespaced: spec.scope !== 'Cluster',
    status: served.some((v) => v.subresources?.status !== undefined),
    crd: crd.metadata.name,
  };
}

export function groupVersion(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}
