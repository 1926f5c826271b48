/**
 * Profiles: a preset of choices, pools and components for a kind of
 * cluster. `edge` is the 3-node platform of seeds 000/001 (Argo CD, Cilium's
 * Gateway, Vault); `compact` the Flux platform of seed 002 (ingress-nginx
 * behind MetalLB, Vault and Sealed Secrets). Components say which profiles
 * include them (`profiles`) and which choices they serve (`serves`).
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
}

export const EDGE_PROFILE: ProfileSpec = {
  name: 'edge',
  description: 'a small cluster (seed 001): one tainted server and two agents, pools control-plane, infra and apps',
  choices: { engine: 'argocd', ingress: 'cilium-gateway', secrets: 'vault', storage: 'local-path' },
  pools: [
    {
      name: 'control-plane',
      description: 'the Kubernetes control plane; tainted so only tier 0 and the tier 1 lifeboat run here',
      labels: { 'node-role.kubernetes.io/control-plane': 'true' },
      taints: [CONTROL_PLANE_TAINT],
    },
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

export const PROFILES: Readonly<Record<string, ProfileSpec>> = { edge: EDGE_PROFILE, compact: COMPACT_PROFILE };
