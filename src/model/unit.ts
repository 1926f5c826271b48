/**
 * Units: what one component contributes to the desired state. A unit is pure
 * data (chart + values + glue manifests + budget + tier + dependencies) that
 * `synth`, `check` and `up` all read, so what is proved is what is written.
 */
import type { Values, ValuesPath } from '../lib/values.js';
import type { K8sObject, Labels, Toleration } from './k8s.js';
import type { NetworkSpec } from './network.js';
import type { Resources } from './resources.js';
import type { Tier } from './tiers.js';

export const STACKS = ['core', 'networking', 'security', 'observability', 'cicd', 'storage', 'portal'] as const;
/** Tenant services (apps/<team>/<service>/) are units of this pseudo-stack; they are not a platform stack. */
export const TENANT_STACK = 'apps';
export type Stack = (typeof STACKS)[number] | typeof TENANT_STACK;

/** An upstream Helm chart pinned to an exact version. */
export interface ChartSource {
  /** Public Helm repository URL (`helm repo add`). */
  repoUrl: string;
  chart: string;
  version: string;
}

/** Plain manifests from an upstream Git repository at a pinned tag (e.g. the Gateway API CRDs). */
export interface GitSource {
  repoUrl: string;
  path: string;
  /** A tag or commit, never a branch. */
  ref: string;
  /** The same manifests in the chart cache, for offline checks and bootstrap. */
  cacheFile: string;
  /** Where `plinth charts pull` downloads `cacheFile` from (an upstream release asset). */
  downloadUrl?: string;
  /**
   * When `cacheFile` is an archive (a packaged chart, `.tgz`) holding the
   * manifests rather than the manifests themselves: the folder inside it whose
   * `.yaml` files, in name order, are the same files as `path` at `ref`.
   */
  cacheArchivePath?: string;
}

/**
 * Members of a quorum: the pods of every workload naming the same group (in
 * one unit). It holds while `need` of them run (default: a majority); a
 * group that `backs` a storage class takes that storage down when it breaks.
 */
export interface Quorum {
  group: string;
  need?: number;
  /** The storage class whose volumes stop when the group breaks. */
  backs?: string;
}

export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'Job' | 'CronJob';

/** Where in the chart's values a workload's settings are read. A missing path means the chart cannot set it. */
export interface WorkloadValuePaths {
  replicas?: ValuesPath;
  nodeSelector?: ValuesPath;
  affinity?: ValuesPath;
  tolerations?: ValuesPath;
  priorityClassName?: ValuesPath;
  /**
   * For charts that read the halves of `affinity` under separate keys
   * (Kyverno's `nodeAffinity` and `podAntiAffinity`); used when `affinity` is not given.
   */
  nodeAffinity?: ValuesPath;
  podAntiAffinity?: ValuesPath;
}

export interface ContainerSpec {
  /** Container name as the chart renders it. */
  name: string;
  resources: Resources;
  /** Values path of this container's `resources` map. */
  valuesPath: ValuesPath;
  /** What its work needs, where the catalog can know it: a memory limit below it is a footprint warning. */
  needs?: WorkNeeds;
}

/** Memory a container's work takes (a repo-server's Helm renders, say), with how that figure comes about. */
export interface WorkNeeds {
  memoryBytes: number;
  why: string;
}

/** A workload the component runs, as the chart renders it, with its budget and where its settings go. */
export interface WorkloadSpec {
  kind: WorkloadKind;
  /** Object name as the chart renders it (release name = component name). */
  name: string;
  /** Defaults to the component's tier. */
  tier?: Tier;
  /** Default 1; ignored for DaemonSets. */
  replicas?: number;
  /** `every-node`: a node agent (DaemonSet) that tolerates every taint; `pool`: placed by the pool rules. */
  placement?: 'pool' | 'every-node';
  /** Labels the chart puts on the pods; used as the anti-affinity selector. */
  podLabels: Labels;
  containers: ContainerSpec[];
  initContainers?: ContainerSpec[];
  /** Persistent volume claims its pods mount (claim templates of a StatefulSet), all of `storageClass`. */
  volumeClaims?: string[];
  /** The storage class its claims name (`storageClassName`); unset: the cluster's default class. */
  storageClass?: string;
  /**
   * Data its pods keep on their node's disk outside any claim (a hostPath an
   * operator pins the pod to, as Rook does for Ceph MONs and OSDs): the pod
   * stays with that node, like a node-local volume.
   */
  hostData?: string[];
  /** `required`: replicas on distinct nodes, or not at all (members of a quorum); default preferred. */
  spread?: 'preferred' | 'required';
  /** Its pods are members of a quorum (or of a replicated data set): the planner states it per scenario. */
  quorum?: Quorum;
  /**
   * The workload is one of the component's glue manifests, not a chart's:
   * its paths (`values`, the containers' `valuesPath`) are then paths in that
   * manifest (`spec.template.spec.priorityClassName`), where Plinth writes the
   * same settings it writes into a chart's values.
   */
  glue?: boolean;
  values: WorkloadValuePaths;
}

/** A workload resolved against the final values: real replicas and resources. */
export interface Workload {
  kind: WorkloadKind;
  name: string;
  namespace: string;
  tier: Tier;
  replicas: number;
  placement: 'pool' | 'every-node';
  podLabels: Labels;
  containers: { name: string; resources: Resources; needs?: WorkNeeds; valuesPath?: ValuesPath }[];
  initContainers: { name: string; resources: Resources }[];
  /** Claims its pods mount, of `storageClass` (unset: the default class). */
  volumeClaims: string[];
  storageClass?: string;
  /** Data kept on the node's disk outside claims: the pods stay with their node. */
  hostData?: string[];
  spread?: 'preferred' | 'required';
  quorum?: Quorum;
  /** The affinity the final values give the pods (where the chart reads one), for checks against the rendered pods. */
  affinity?: Record<string, unknown>;
  /** The chart reads no priorityClassName for it (a Helm hook Job, say): Plinth cannot give it its tier's class. */
  noPriorityValue?: true;
}

/** A user-facing address, served through the platform Gateway. */
export interface Endpoint {
  /** Short name, used for the HTTPRoute. */
  name: string;
  title: string;
  host: string;
  service: string;
  port: number;
}

/** A secret Vault must hold for the unit's ExternalSecrets; `plinth up` creates missing ones. */
export interface VaultSecret {
  /** KV v2 path under the platform mount, e.g. `platform/grafana`. */
  path: string;
  /**
   * How `plinth up` fills a missing key: a random password or token, a fixed
   * value, or the bcrypt hash of another key (for tools that store hashes).
   */
  keys: { name: string; generate: 'password' | 'token' | { value: string } | { bcryptOf: string } | { provided: ProvidedSecret } }[];
}

/**
 * A value only the platform engineer has (a Cloudflare Tunnel token): `plinth
 * up` takes it from the environment variable `env` into Vault when Vault lacks
 * it, and stops with a clear error when neither has it. Never in Git.
 */
export interface ProvidedSecret {
  env: string;
  /** What it is and where it comes from, for the error. */
  what: string;
}

/**
 * Networked storage a unit provides (the Ceph cluster's `rook-ceph-block`):
 * its volumes follow their pods, but mount only where the CSI driver's node
 * plugin runs, and answer only while the quorums that back the class hold
 * (workloads whose `quorum.backs` names it).
 */
export interface StorageBackend {
  className: string;
  /** The CSI driver whose node plugin mounts the volumes. */
  driver: string;
  /** Taints the node plugin tolerates: it runs (and volumes mount) only on nodes whose NoSchedule and NoExecute taints these all tolerate. */
  nodePluginTolerations: Toleration[];
}

/** An object a chart creates that others refer to by name. */
export interface ProvidedObject {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

export interface Unit {
  name: string;
  description: string;
  stack: Stack;
  tier: Tier;
  /** Home pool: where the unit's pods go when all is well. */
  pool: string;
  namespace: string;
  /** Other namespaces its chart renders objects into. */
  extraNamespaces?: string[];
  chart?: ChartSource;
  git?: GitSource;
  /** Final Helm values: generated, then the user's overrides merged over them. */
  values: Values;
  /** Glue manifests shipped beside the chart (issuers, stores, routes, policies, dashboards, ...). */
  manifests: K8sObject[];
  workloads: Workload[];
  endpoints: Endpoint[];
  secrets: VaultSecret[];
  /** Names of the units this one needs first (declared and derived), sorted. */
  dependsOn: string[];
  /** CRDs this unit installs: API groups, or `group/Kind` where a group is shared. */
  crdGroups: string[];
  /** API groups (or `group/Kind`) of custom resources the chart renders (besides the glue manifests). */
  usesGroups: string[];
  /** Objects the chart creates that others refer to by name. */
  provides: ProvidedObject[];
  /** Networked storage classes it provides. */
  storage?: StorageBackend[];
  /** Certificate Secrets its pods mount and pick up again when renewed, and how. */
  reloadsCertificates?: { secret: string; how: string }[];
  /** API groups whose CRDs the unit's controllers discover only when they start. */
  startupCrdGroups?: string[];
  /** Why its resources outlive it: never deleted with the unit (its Application, Kustomization or release). */
  keepOnDelete?: string;
  /** Its Services, connections and outside peers, as its component declares them (ADR 012). */
  network?: NetworkSpec;
  /** Files beside the unit that are not manifests (a Jenkinsfile), by path relative to its folder. */
  files?: Record<string, string>;
  /** Labels the unit needs on every team namespace (sidecar injection). */
  tenantNamespaceLabels?: Labels;
  /** Sync wave: 0 for units without dependencies, else one more than the latest dependency. */
  wave: number;
}

/** Whether a `crdGroups` entry list covers a kind of a group: `group` covers every kind, `group/Kind` one. */
export function coversKind(entries: readonly string[], group: string, kind: string): boolean {
  return entries.includes(group) || entries.includes(`${group}/${kind}`);
}

/** The API group of a `crdGroups`/`usesGroups` entry. */
export function entryGroup(entry: string): string {
  const slash = entry.indexOf('/');
  return slash === -1 ? entry : entry.slice(0, slash);
}

/** The parts of a unit that are empty unless a component fills them: spread first, then set what the unit has. */
export function emptyUnitParts(): Pick<Unit, 'values' | 'manifests' | 'workloads' | 'endpoints' | 'secrets' | 'dependsOn' | 'crdGroups' | 'usesGroups' | 'provides'> {
  return { values: {}, manifests: [], workloads: [], endpoints: [], secrets: [], dependsOn: [], crdGroups: [], usesGroups: [], provides: [] };
}
