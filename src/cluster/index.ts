/** The cluster module: the only part of Plinth that talks to a Kubernetes API server. */
export { connectCluster } from './kube-client.js';
export { selectKubeconfig, type KubeconfigOptions, type SelectedConfig } from './kubeconfig.js';
export { ClusterApiError, ClusterError, ClusterTimeoutError, KubeconfigError, ResourceNotServedError } from './errors.js';
export { waitFor, type Verdict, type WaitSpec } from './wait.js';
export { applyForm, contains, ownsDroppedFields, pruneNulls, sameObject, withoutServerFields } from './compare.js';
export {
  condition,
  conditions,
  crdEstablished,
  daemonSetReady,
  deploymentAvailable,
  isTrue,
  nodeReady,
  statefulSetReady,
  workloadReady,
  type Condition,
} from './conditions.js';
export {
  FIELD_MANAGER,
  refOf,
  refText,
  type ApiResourceInfo,
  type ApplyOptions,
  type ApplyResult,
  type ClusterClient,
  type DeleteOptions,
  type ListOptions,
  type ObjectRef,
  type PatchType,
  type ProxyRequest,
  type ProxyResponse,
  type ServerVersion,
  type WatchEvent,
  type WatchHandle,
} from './types.js';
