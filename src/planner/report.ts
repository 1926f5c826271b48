/** What the simulation reports, per scenario: JSON-ready data, no classes. */
import type { Amount } from '../model/resources.js';
import { podRequests } from './requests.js';
import type { ScenarioSpec } from './scenarios.js';
import type { PlanInput, SimPod } from './types.js';
import type { Tier } from '../model/tiers.js';

export interface PodReport {
  name: string;
  namespace: string;
  unit: string;
  workload: { kind: string; name: string };
  tier: number;
  priority: number;
  /** Millicores and bytes. */
  requests: Amount;
}

export interface PlacedPod extends PodReport {
  /** Where it ran when all was well, when that was another node. */
  movedFrom?: string;
}

export interface NodeReport {
  name: string;
  pool: string;
  role: string;
  failed: boolean;
  allocatable: Amount;
  requested: Amount;
  pods: PlacedPod[];
}

export interface PendingPod extends PodReport {
  reason: string;
}

export interface PreemptionReport {
  preemptor: PodReport;
  node: string;
  victims: PodReport[];
}

export interface StatefulMove {
  pod: PodReport;
  from: string;
  to: string;
}

export interface QuorumReport {
  unit: string;
  group: string;
  /** Pods of the group when all is well. */
  members: number;
  /** Of them, working in this scenario. */
  working: number;
  need: number;
  holds: boolean;
  /** The storage class it backs. */
  backs?: string;
  /** Its workloads: `Kind namespace/name`, sorted. */
  workloads: string[];
}

export interface StuckPod extends PodReport {
  node: string;
  reason: string;
}


export type Verdict = 'ok' | 'degraded' | 'down' | 'none';

export interface TierVerdict {
  tier: Tier;
  title: string;
  workloads: number;
  /** Pods wanted in this scenario (DaemonSet pods of lost nodes are not). */
  pods: number;
  running: number;
  pending: number;
  /** Workloads with no pod running: `Kind namespace/name`. */
  down: string[];
  verdict: Verdict;
}

export interface ScenarioReport extends ScenarioSpec {
  nodes: NodeReport[];
  pending: PendingPod[];
  preemptions: PreemptionReport[];
  /** DaemonSet pods of lost nodes: nothing to reschedule. */
  gone: PodReport[];
  /**
   * StatefulSet pods of lost nodes started on another node. A live cluster
   * does so only once the lost Node object is deleted or tainted
   * out-of-service: until then the pod stays Terminating where it was.
   */
  statefulMoves: StatefulMove[];
  /** Bound pods that cannot work: a volume that does not mount there, or storage whose quorum broke. */
  stuck: StuckPod[];
  /** Each quorum of the platform (Ceph MONs, Vault raft, ...) in this scenario. */
  quorums: QuorumReport[];
  tiers: TierVerdict[];
  notes: string[];
}

export interface SimulationReport {
  source: PlanInput['source'];
  includeJobs: boolean;
  scenarios: ScenarioReport[];
}

export function podReport(p: SimPod): PodReport {
  return { name: p.name, namespace: p.namespace, unit: p.unit, workload: { ...p.workload }, tier: p.tier, priority: p.priority, requests: { ...podRequests(p) } };
}
