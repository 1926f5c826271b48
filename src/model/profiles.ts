/**
 * Profiles: a preset of choices, pools and components for a kind of
 * cluster. `edge` is the 3-node platform of seeds 000/001 (Argo CD, Cilium's
 * Gateway, Vault); `compact` the Flux platform of seed 002 (ingress-nginx
 * behind MetalLB, Vault and Sealed Secrets); `standard` the production
 * platform of seed 003 (dedicated Kong and Ceph pools, HA replicas); `lab`
 * the DevOps lab of seed 004 (Istio, the LGTM + P observability stack,
 * Falco, Velero, Argo Rollouts). Components say which profiles include them
 * (`profiles`) and which choices they serve (`serves`).
 */
import type { Choices } from './choices.js';
import type { Labels, Taint } from './k8s.js';
import type { ResourceList } from './resources.js';

/** The node label that says which pool a node belongs to. */
export const POOL_LABEL = 'plinth.dev/pool';
export const CONTROL_PLANE_TAINT: Taint = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };

export interface PoolSpec {
  name: string;
  description: string;
  /** Labels `plinth up` puts on every node of the pool (besides POOL_LABEL). */
  labels: Labels;
  /** Taints `plinth up` puts on every node of the pool. */
  taints: Taint[];
  /**
   * Only the components whose home it is run here (kept off by the taints), and
   * they run nowhere else: no lifeboat, no consolidation (seed 003's Kong and Ceph nodes).
   */
  dedicated?: boolean;
}

export interface ProfileSpec {
  name: string;
  description: string;
  /** The choices it presets; plinth.yaml overrides each. */
  choices: Choices;
  pools: PoolSpec[];
  /** Capacity kept back per node role when a node does not say (system daemons, kubelet, control plane). */
  reserved: Record<'control-plane' | 'worker', ResourceList>;
  /**
   * Default-deny NetworkPolicies in every platform namespace, with the allows
   * the units' connections need (ADR 012). Off unless the profile says so.
   */
  networkPolicies?: boolean;
  /**
   * Where components whose home is a pool of the edge shape (`infra`, `apps`)
   * live in this profile, when it has no pool of that name.
   */
  homes?: Readonly<Record<string, string>>;
  /**
   * What the red scenario (every worker lost) must keep on the control plane:
   * seed 001's lifeboat keeps the GitOps engine and Prometheus (the default).
   */
  redKeeps?: readonly ('engine' | 'prometheus')[];
  /**
   * What a tenant service gets by default: a HorizontalPodAutoscaler (the
   * planner counts it at `maxReplicas`) and a PodDisruptionBudget.
   */
  tenants?: TenantDefaults;
}

export interface TenantDefaults {
  autoscaling: { minReplicas: number; maxReplicas: number; cpuUtilization: number };
  disruptionBudget: { maxUnavailable: number };
}

/** The pool of this profile a component whose home is `pool` lives in. */
export function homePool(profile: Pick<ProfileSpec, 'homes'>, pool: string): string {
  return profile.homes?.[pool] ?? pool;
}

/** The node label carrying a node's failure zone (plinth.yaml `cluster.nodes[].zone`). */
export const ZONE_LABEL = 'topology.kubernetes.io/zone';

/** The tainted pool of the Kubernetes control plane, in every profile. */
const controlPlanePool = (description: string): PoolSpec => ({
  name: 'control-plane',
  description,
  labels: { 'node-role.kubernetes.io/control-plane': 'true' },
  taints: [CONTROL_PLANE_TAINT],
});

export const EDGE_PROFILE: ProfileSpec = {
  name: 'edge',
  description: 'a small cluster (seed 001): one tainted server and two agents, pools control-plane, infra and apps',
  choices: { engine: 'argocd', ingress: 'cilium-gateway', secrets: 'vault', storage: 'local-path' },
  pools: [
    controlPlanePool('the Kubernetes control plane; tainted so only tier 0 and the tier 1 lifeboat run here'),
    {
      name: 'infra',
      description: 'platform services: GitOps, secrets, certificates, policy, observability',
      labels: {},
      taints: [],
    },
    {
      name: 'apps',
      description: 'application workloads and developer tools',
      labels: {},
      taints: [],
    },
  ],
  reserved: {
    'control-plane': { cpu: '500m', memory: '1Gi' },
    worker: { cpu: '100m', memory: '256Mi' },
  },
};

/**
 * Seed 002: one small cluster managed by Flux. The same three pools and node
 * shape as edge (3 x 2 vCPU / 4 GiB): without CI tools it needs less, and an
 * edge cluster can switch to it by changing the profile alone.
 */
export const COMPACT_PROFILE: ProfileSpec = {
  ...EDGE_PROFILE,
  name: 'compact',
  description: 'a small cluster managed by Flux (seed 002): ingress-nginx behind MetalLB, Vault and Sealed Secrets; pools control-plane, infra and apps',
  choices: { engine: 'flux', ingress: 'ingress-nginx', secrets: 'both', storage: 'local-path' },
  // k3s's network policy controller (kube-router) enforces them; ingress-nginx reaches backends as a pod.
  networkPolicies: true,
};

/** Taint and label of a dedicated pool: `<key>=true:NoSchedule` (seed 003's `node.kong.gateway`, `node.ceph.storage`). */
const dedicatedTo = (key: string): Pick<PoolSpec, 'labels' | 'taints' | 'dedicated'> => ({ labels: { [key]: 'true' }, taints: [{ key, value: 'true', effect: 'NoSchedule' }], dedicated: true });

export const GATEWAY_POOL = 'gateway';
export const STORAGE_POOL = 'storage';

/**
 * Seed 003: a production cluster managed by Argo CD. Three control-plane
 * servers (tainted), three Kong gateway nodes and three or more Ceph storage
 * nodes (each tainted so that nothing else lands there), three or more
 * workers for everything else; HA replicas, Ceph-backed volumes.
 */
export const STANDARD_PROFILE: ProfileSpec = {
  name: 'standard',
  description: 'a production cluster (seed 003): HA control plane, dedicated Kong gateway and Ceph storage pools, workers; HA replicas on Ceph volumes',
  choices: { engine: 'argocd', ingress: 'kong', secrets: 'vault', storage: 'rook-ceph' },
  pools: [
    controlPlanePool('the Kubernetes control plane (three servers, etcd quorum); tainted so only tier 0 and the tier 1 lifeboat run here'),
    {
      name: GATEWAY_POOL,
      description: 'Kong gateway nodes: Kong pods only, the single entry of HTTP(S) traffic',
      ...dedicatedTo('node.kong.gateway'),
    },
    {
      name: STORAGE_POOL,
      description: 'Ceph storage nodes: Ceph MON, MGR and OSD daemons only, on the nodes\' data disks',
      ...dedicatedTo('node.ceph.storage'),
    },
    {
      name: 'workers',
      description: 'platform services and applications: everything that is neither Kong nor Ceph',
      labels: { 'node.role': 'worker' },
      taints: [],
    },
  ],
  // Servers run etcd, the API server, controller manager and scheduler; workers the kubelet, containerd and k3s agent.
  reserved: {
    'control-plane': { cpu: '1', memory: '2Gi' },
    worker: { cpu: '250m', memory: '1Gi' },
  },
  homes: { infra: 'workers', apps: 'workers' },
  // Prometheus keeps thirty days on Ceph (seed 003): with every worker lost, Ceph's nodes are gone
  // too, and Ceph volumes do not mount on the control plane (ADR 016). The engine still sails.
  redKeeps: ['engine'],
  // Seed 003 "Auto-scaling enabled": two pods at least (one node loss leaves one), four at most.
  tenants: { autoscaling: { minReplicas: 2, maxReplicas: 4, cpuUtilization: 75 }, disruptionBudget: { maxUnavailable: 1 } },
};

/**
 * Seed 004: the DevOps lab. The same three pools as edge (so the failure
 * scenarios and the tier-1 lifeboat mean the same), on nodes twice the size in
 * each dimension (3 x 4 vCPU / 8 GiB in the starter): the lab adds a service
 * mesh, four telemetry back ends with their object store, runtime security and
 * backups to the edge platform (src/config/starters/lab.ts has the figures).
 */
export const LAB_PROFILE: ProfileSpec = {
  ...EDGE_PROFILE,
  name: 'lab',
  description: 'the DevOps lab (seed 004): Istio behind a Gateway API Gateway, Loki/Grafana/Tempo/Thanos/Pyroscope on MinIO, Falco, Velero, Argo Rollouts; pools control-plane, infra and apps',
  choices: { engine: 'argocd', ingress: 'istio', secrets: 'vault', storage: 'local-path' },
};

export const PROFILES: Readonly<Record<string, ProfileSpec>> = { edge: EDGE_PROFILE, compact: COMPACT_PROFILE, standard: STANDARD_PROFILE, lab: LAB_PROFILE };
