/** Kinds and API groups of Kubernetes itself. */
export { BUILTIN_GROUPS } from '../model/builtin-groups.js';

/** Kinds that live outside namespaces; every other object a chart renders without a namespace lands in its release's. */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'APIService',
  'CSIDriver',
  'ClusterIssuer',
  'ClusterPolicy',
  'ClusterRole',
  'ClusterRoleBinding',
  'ClusterSecretStore',
  'ClusterWorkflowTemplate',
  'CustomResourceDefinition',
  'GatewayClass',
  'IngressClass',
  'MutatingWebhookConfiguration',
  'Namespace',
  'Node',
  'PersistentVolume',
  'PriorityClass',
  'RuntimeClass',
  'StorageClass',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'ValidatingPolicy',
  'ValidatingWebhookConfiguration',
  'ClusterPolicyReport',
  'ClusterSecretStore',
  'ClusterGenerator',
]);
