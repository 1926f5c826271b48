/**
 * The planner's vocabulary: nodes and pods as the scheduler sees them. The
 * shapes follow the Kubernetes API (field names, operators) so that pod
 * templates rendered by charts map onto them one to one; quantities are
 * numbers (millicores, bytes) so sums are exact.
 */
import type { Labels, Taint, Toleration } from '../model/k8s.js';
import type { Amount } from '../model/resources.js';
import type { Tier } from '../model/tiers.js';
import type { Quorum, StorageBackend } from '../model/unit.js';

export type { Labels, Taint, Toleration } from '../model/k8s.js';

export interface SimNode {
  name: string;
  /** Pool of the platform (`plinth.dev/pool`), for reports. */
  pool: string;
  role: 'control-plane' | 'worker';
  labels: Labels;
  taints: Taint[];
  allocatable: Amount;
  /** Pods the kubelet accepts (110 by default). */
  maxPods: number;
  /** Cordoned (`spec.unschedulable`). */
  unschedulable: boolean;
}

export type LabelOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
export type NodeOperator = LabelOperator | 'Gt' | 'Lt';

export interface LabelSelectorRequirement {
  key: string;
  operator: LabelOperator;
  values?: string[];
}

/** `{}` selects everything; an absent selector selects nothing. */
export interface LabelSelector {
  matchLabels?: Labels;
  matchExpressions?: LabelSelectorRequirement[];
}

export interface NodeSelectorRequirement {
  key: string;
  operator: NodeOperator;
  values?: string[];
}

/** Expressions and fields are ANDed; a term with neither matches no node. */
export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  /** Only `metadata.name` exists as a field. */
  matchFields?: NodeSelectorRequirement[];
}

export interface PreferredSchedulingTerm {
  weight: number;
  preference: NodeSelectorTerm;
}

export interface PodAffinityTerm {
  labelSelector?: LabelSelector;
  /** Empty with no namespaceSelector: the pod's own namespace. */
  namespaces?: string[];
  namespaceSelector?: LabelSelector;
  topologyKey: string;
}

export interface WeightedPodAffinityTerm {
  weight: number;
  podAffinityTerm: PodAffinityTerm;
}

export interface PodAffinityRules {
  required: PodAffinityTerm[];
  preferred: WeightedPodAffinityTerm[];
}

export interface Affinity {
  nodeAffinity?: {
    /** ORed terms; undefined means no requirement. */
    required?: NodeSelectorTerm[];
    preferred: PreferredSchedulingTerm[];
  };
  podAffinity?: PodAffinityRules;
  podAntiAffinity?: PodAffinityRules;
}

export interface TopologySpreadConstraint {
  maxSkew: number;
  topologyKey: string;
  whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway';
  labelSelector?: LabelSelector;
  minDomains?: number;
  matchLabelKeys?: string[];
  nodeAffinityPolicy?: 'Honor' | 'Ignore';
  nodeTaintsPolicy?: 'Honor' | 'Ignore';
}

/** Requests of one container; undefined means unset (the scheduler then scores it with a default). */
export interface SimContainer {
  name: string;
  requests: { cpu?: number; memory?: number };
  /** An init container with `restartPolicy: Always`: it keeps running beside the app containers. */
  sidecar?: boolean;
}

/** What the scheduler reads of a pod. */
export interface SimPodSpec {
  labels: Labels;
  priority: number;
  priorityClassName?: string;
  preemptionPolicy: 'PreemptLowerPriority' | 'Never';
  containers: SimContainer[];
  initContainers: SimContainer[];
  /** RuntimeClass overhead, added to the pod's requests. */
  overhead?: Amount;
  nodeName?: string;
  nodeSelector?: Labels;
  affinity?: Affinity;
  tolerations: Toleration[];
  topologySpreadConstraints: TopologySpreadConstraint[];
  /** Claims whose volumes live on one node's disk (`volumes.ts`): the pod stays with them. */
  localClaims?: string[];
  /** Storage classes of its other claims (networked volumes, which follow the pod), sorted. */
  volumeClasses?: string[];
}

export type SimWorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'ReplicaSet' | 'Job' | 'CronJob';

export interface WorkloadRef {
  kind: SimWorkloadKind;
  name: string;
}

/** A workload of the platform: where its pods come from. */
export interface SimWorkload extends WorkloadRef {
  /** The unit (component) it belongs to. */
  unit: string;
  namespace: string;
  tier: Tier;
  /** Pods wanted; ignored for DaemonSets (one per eligible node). */
  replicas: number;
  template: SimPodSpec;
  /** Why no pod of it can exist at all (an unknown PriorityClass is refused at admission). */
  invalid?: string;
  /** The quorum its pods are members of. */
  quorum?: Quorum;
}

export interface SimPod extends SimPodSpec {
  name: string;
  namespace: string;
  unit: string;
  workload: WorkloadRef;
  tier: Tier;
  /** The node its node-local volumes were provisioned on, once it has run somewhere. */
  volumeNode?: string;
}

export interface PlanInput {
  /** In the platform's order (reports keep it). */
  nodes: SimNode[];
  workloads: SimWorkload[];
  namespaceLabels?: ReadonlyMap<string, Labels>;
  includeJobs?: boolean;
  /** Where the pods come from: the components' declared budgets, or the charts rendered by Helm. */
  source: 'declared' | 'rendered';
  /** Networked storage classes: where their volumes mount, and which quorums back them. */
  storage?: StorageBackend[];
}

export function podKey(p: Pick<SimPod, 'namespace' | 'name'>): string {
  return `${p.namespace}/${p.name}`;
}
