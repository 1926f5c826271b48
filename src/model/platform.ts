/** The resolved platform: plinth.yaml with its profile applied, nodes sized and pools filled. */
import type { PlinthConfig } from '../config/schema.js';
import { cpuMillis, memoryBytes } from '../lib/quantity.js';
import type { Choices } from './choices.js';
import { type Labels, type Taint } from './k8s.js';
import { POOL_LABEL, type PoolSpec, type ProfileSpec, ZONE_LABEL } from './profiles.js';
import type { Amount } from './resources.js';

export interface Node {
  name: string;
  role: 'control-plane' | 'worker';
  pool: string;
  capacity: Amount;
  reserved: Amount;
  /** capacity − reserved: what pods can request. */
  allocatable: Amount;
  /** Failure zone (label topology.kubernetes.io/zone), when plinth.yaml gives one. */
  zone?: string;
  labels: Labels;
  taints: Taint[];
}

export interface Pool extends PoolSpec {
  nodes: Node[];
  allocatable: Amount;
}

export interface Team {
  name: string;
  costCenter: string;
  namespaces: string[];
}

export interface Platform {
  /** File the config came from, for messages. */
  file: string;
  config: PlinthConfig;
  name: string;
  domain: string;
  environment: string;
  profile: ProfileSpec;
  /** The profile's choices with plinth.yaml's overrides. */
  choices: Choices;
  nodes: Node[];
  pools: Pool[];
  teams: Team[];
  /** Names of enabled components, sorted. */
  enabled: string[];
}

export function resolveNodes(config: PlinthConfig, profile: ProfileSpec): Node[] {
  // eslint-disable-next-line complexity -- a Node from plinth.yaml: the count is the profile's defaults (??) for reserved resources and pool labels, and the optional zone
  return config.cluster.nodes.map((n) => {
    const pool = profile.pools.find((p) => p.name === n.pool);
    const defaults = profile.reserved[n.role];
    const capacity = { cpu: cpuMillis(n.cpu), memory: memoryBytes(n.memory) };
    const reserved = {
      cpu: cpuMillis(n.reserved?.cpu ?? defaults.cpu),
      memory: memoryBytes(n.reserved?.memory ?? defaults.memory),
    };
    return {
      name: n.name,
      role: n.role,
      pool: n.pool,
      capacity,
      reserved,
      allocatable: { cpu: Math.max(0, capacity.cpu - reserved.cpu), memory: Math.max(0, capacity.memory - reserved.memory) },
      ...(n.zone !== undefined ? { zone: n.zone } : {}),
      labels: { [POOL_LABEL]: n.pool, ...(pool?.labels ?? {}), ...(n.zone !== undefined ? { [ZONE_LABEL]: n.zone } : {}) },
      taints: [...(pool?.taints ?? [])],
    };
  });
}

export function resolvePools(profile: ProfileSpec, nodes: Node[]): Pool[] {
  return profile.pools.map((spec) => {
    const members = nodes.filter((n) => n.pool === spec.name);
    return {
      ...spec,
      nodes: members,
      allocatable: members.reduce((sum, n) => ({ cpu: sum.cpu + n.allocatable.cpu, memory: sum.memory + n.allocatable.memory }), {
        cpu: 0,
        memory: 0,
      }),
    };
  });
}

export function resolveTeams(config: PlinthConfig): Team[] {
  return config.teams.map((t) => ({ name: t.name, costCenter: t.costCenter, namespaces: t.namespaces ?? [t.name] }));
}
