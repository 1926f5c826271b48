/**
 * Fixtures for the planner's tests: small builders for nodes and pods, and
 * the built-in edge platform (3 × 2 vCPU / 4 GiB) with hand-made units shaped
 * like seed 001's stack. Not used by the planner itself.
 */
import { parseConfig } from '../config/load.js';
import { starterConfig } from '../config/starter.js';
import { resolvePlatform } from '../desired/resolve.js';
import type { Platform } from '../model/platform.js';
import { res, type Resources } from '../model/resources.js';
import type { Tier } from '../model/tiers.js';
import type { Stack, Unit, Workload, WorkloadKind } from '../model/unit.js';
import type { SimContainer, SimNode, SimPod } from './types.js';

const GI = 1024 ** 3;
const MI = 1024 ** 2;
export { GI, MI };

export function node(name: string, over: Partial<SimNode> = {}): SimNode {
  return {
    name,
    pool: 'infra',
    role: 'worker',
    labels: { 'kubernetes.io/hostname': name, ...(over.labels ?? {}) },
    taints: [],
    allocatable: { cpu: 2000, memory: 4 * GI },
    maxPods: 110,
    unschedulable: false,
    ...over,
    ...(over.labels ? { labels: { 'kubernetes.io/hostname': name, ...over.labels } } : {}),
  };
}

export function container(cpu?: number, memory?: number, over: Partial<SimContainer> = {}): SimContainer {
  const requests: SimContainer['requests'] = {};
  if (cpu !== undefined) requests.cpu = cpu;
  if (memory !== undefined) requests.memory = memory;
  return { name: 'c', requests, ...over };
}

/** A pod requesting `cpu` millicores and `memory` MiB (one container), priority 0 unless told. */
export function pod(name: string, cpu = 100, memoryMi = 100, over: Partial<SimPod> = {}): SimPod {
  return {
    name,
    namespace: 'default',
    unit: 'test',
    workload: { kind: 'Deployment', name },
    tier: 3,
    labels: { app: name },
    priority: 0,
    preemptionPolicy: 'PreemptLowerPriority',
    containers: [container(cpu, memoryMi * MI)],
    initContainers: [],
    tolerations: [],
    topologySpreadConstraints: [],
    ...over,
  };
}

/** The built-in edge example, resolved without components. */
export function edgePlatform(): Platform {
  return resolvePlatform(parseConfig(starterConfig(), '(test)'), []);
}

interface W {
  kind?: WorkloadKind;
  name: string;
  tier?: Tier;
  replicas?: number;
  placement?: 'pool' | 'every-node';
  resources: Resources;
  init?: Resources;
  /** Claims of the default (node-local) storage class. */
  claims?: string[];
}

// eslint-disable-next-line max-params -- a test fixture called positionally some seventy times, where unit('argocd', 1, 'infra', [...]) reads as a row of a table; stack and namespace default
export function unit(name: string, tier: Tier, pool: string, workloads: W[], stack: Stack = 'core', namespace = name): Unit {
  const ws: Workload[] = workloads.map((w) => ({
    kind: w.kind ?? 'Deployment',
    name: w.name,
    namespace,
    tier: w.tier ?? tier,
    replicas: w.kind === 'DaemonSet' ? 0 : (w.replicas ?? 1),
    placement: w.placement ?? 'pool',
    podLabels: { 'app.kubernetes.io/name': w.name, 'app.kubernetes.io/instance': name },
    containers: [{ name: 'main', resources: w.resources }],
    initContainers: w.init ? [{ name: 'init', resources: w.init }] : [],
    volumeClaims: w.claims ?? [],
  }));
  return {
    name,
    description: name,
    stack,
    tier,
    pool,
    namespace,
    values: {},
    manifests: [],
    workloads: ws,
    endpoints: [],
    secrets: [],
    dependsOn: [],
    crdGroups: [],
    usesGroups: [],
    provides: [],
    wave: 0,
  };
}

/**
 * Seed 001's stack on the edge platform, with budgets in the range of the
 * real charts: tier 0 CNI on every node, Argo CD and Prometheus in tier 1,
 * secrets, certificates, policy and logs in tier 2, developer tools in tier 3.
 */
export function seedUnits(): Unit[] {
  return [
    unit('cilium', 0, 'infra', [
      { kind: 'DaemonSet', name: 'cilium', placement: 'every-node', resources: res('100m', '128Mi', '1', '512Mi') },
      { name: 'cilium-operator', resources: res('25m', '64Mi', '500m', '256Mi') },
    ], 'networking', 'kube-system'),
    unit('argocd', 1, 'infra', [
      { kind: 'StatefulSet', name: 'argocd-application-controller', resources: res('100m', '256Mi', '1', '768Mi') },
      { name: 'argocd-repo-server', resources: res('50m', '128Mi', '500m', '512Mi'), init: res('10m', '16Mi', '100m', '64Mi') },
      { name: 'argocd-server', resources: res('25m', '64Mi', '500m', '256Mi') },
      { name: 'argocd-redis', resources: res('10m', '32Mi', '200m', '128Mi') },
      { name: 'argocd-notifications-controller', tier: 2, resources: res('10m', '32Mi', '100m', '96Mi') },
    ]),
    unit('kube-prometheus-stack', 1, 'infra', [
      { kind: 'StatefulSet', name: 'prometheus-kube-prometheus-stack-prometheus', resources: res('200m', '768Mi', '1', '2Gi') },
      { name: 'kube-prometheus-stack-operator', resources: res('50m', '64Mi', '200m', '256Mi') },
      { kind: 'StatefulSet', name: 'alertmanager-kube-prometheus-stack-alertmanager', tier: 2, resources: res('25m', '64Mi', '100m', '128Mi') },
      { name: 'kube-prometheus-stack-grafana', tier: 3, resources: res('100m', '256Mi', '500m', '512Mi') },
      { kind: 'DaemonSet', name: 'kube-prometheus-stack-prometheus-node-exporter', tier: 2, placement: 'every-node', resources: res('20m', '32Mi', '200m', '64Mi') },
    ], 'observability', 'monitoring'),
    unit('cert-manager', 2, 'infra', [
      { name: 'cert-manager', resources: res('20m', '64Mi', '200m', '192Mi') },
      { name: 'cert-manager-webhook', resources: res('10m', '32Mi', '100m', '96Mi') },
      { name: 'cert-manager-cainjector', resources: res('10m', '64Mi', '100m', '192Mi') },
      { kind: 'Job', name: 'cert-manager-startupapicheck', resources: res('10m', '32Mi', '100m', '64Mi') },
    ]),
    unit('vault', 2, 'infra', [{ kind: 'StatefulSet', name: 'vault', resources: res('100m', '256Mi', '500m', '512Mi') }], 'security'),
    unit('loki', 2, 'infra', [{ kind: 'StatefulSet', name: 'loki', resources: res('100m', '512Mi', '1', '1Gi') }], 'observability'),
    unit('fluent-bit', 2, 'infra', [{ kind: 'DaemonSet', name: 'fluent-bit', placement: 'every-node', resources: res('20m', '48Mi', '200m', '128Mi') }], 'observability'),
    unit('jenkins', 3, 'apps', [{ kind: 'StatefulSet', name: 'jenkins', resources: res('300m', '1Gi', '2', '2Gi') }], 'cicd'),
    unit('sonarqube', 3, 'apps', [{ kind: 'StatefulSet', name: 'sonarqube', resources: res('400m', '1536Mi', '2', '3Gi') }], 'cicd'),
  ];
}
