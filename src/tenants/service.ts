/**
 * Tenant services: what a golden path writes under `apps/<team>/<service>/`
 * (a service.json the `apps` ApplicationSet reads, and plain manifests), and
 * how `check` reads them back as units. The manifests meet the platform's
 * policies from the start: pinned image, requests and limits, probes, a
 * restricted security context, the tier-3 priority and the apps pool. Where
 * the profile says so (standard), a HorizontalPodAutoscaler owns the replicas
 * and a PodDisruptionBudget lets one pod go at a time.
 */
import type { SharedRefs } from '../catalog/component.js';
import { affinityFor, priorityClassFor, tolerationsFor } from '../desired/scheduling.js';
import { routeFor } from '../desired/routes.js';
import { autoscaledMaximum } from '../model/autoscaling.js';
import { homePool } from '../model/profiles.js';
import { projectForTeam } from '../synth/argocd/constants.js';
import { ConfigError, type ErrorDetail, UsageError } from '../lib/errors.js';
import { problemCollector } from '../lib/input-file.js';
import { toJson, toYaml, toYamlStream } from '../lib/yaml.js';
import { checkTenantKustomization, readServiceDescriptor, readTenantManifests, type ServiceDescriptor } from './service-descriptor.js';
import { claimsOf } from '../model/claims.js';
import type { K8sObject } from '../model/k8s.js';
import type { Platform } from '../model/platform.js';
import { res, type Resources } from '../model/resources.js';
import { emptyUnitParts, TENANT_STACK, type Unit, type Workload, type WorkloadSpec } from '../model/unit.js';

export const TENANT_POOL = 'apps';
export const TENANT_TIER = 3 as const;

export interface TenantServiceSpec {
  team: string;
  name: string;
  /** Image with a pinned tag or digest. */
  image: string;
  port: number;
  /** Pods; with autoscaling (the profile's default), the fewest the autoscaler keeps. */
  replicas?: number;
  /** With autoscaling: the most pods (default: the profile's). */
  maxReplicas?: number;
  resources?: Resources;
  /** Host name under the platform domain (default: `<name>-<team>`); none when `expose` is false. */
  subdomain?: string;
  expose?: boolean;
}

export interface RepoLocation {
  url: string;
  branch: string;
}

export function tenantDir(team: string, name: string): string {
  return `apps/${team}/${name}`;
}

/** The files of one tenant service, ready to commit. */
export function tenantServiceFiles(platform: Platform, refs: SharedRefs, repo: RepoLocation, spec: TenantServiceSpec): Map<string, string> {
  const team = platform.teams.find((t) => t.name === spec.team);
  if (!team) throw new UsageError(`no team ${spec.team} in plinth.yaml; the teams are: ${platform.teams.map((t) => t.name).join(', ') || 'none'}`);
  const namespace = team.namespaces[0]!;
  const dir = tenantDir(spec.team, spec.name);
  const labels = { 'app.kubernetes.io/name': spec.name, 'app.kubernetes.io/part-of': spec.team };
  const budget = spec.resources ?? res('50m', '64Mi', '500m', '256Mi');
  const workloadSpec: WorkloadSpec = { kind: 'Deployment', name: spec.name, podLabels: labels, containers: [], values: {} };
  const pool = homePool(platform.profile, TENANT_POOL);
  const scaling = platform.profile.tenants;
  const probe = (path: string) => ({ httpGet: { path, port: 'http' }, periodSeconds: 10 });
  const deployment: K8sObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: spec.name, namespace, labels },
    spec: {
      // With an autoscaler the replicas are its to set: Git holding them would undo its every change.
      ...(scaling ? {} : { replicas: spec.replicas ?? 1 }),
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          priorityClassName: priorityClassFor(TENANT_TIER, 'Deployment'),
          affinity: affinityFor(platform, workloadSpec, TENANT_TIER, pool),
          ...(tolerationsFor(TENANT_TIER, 'pool') ? { tolerations: tolerationsFor(TENANT_TIER, 'pool') } : {}),
          securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: spec.name,
              image: spec.image,
              ports: [{ name: 'http', containerPort: spec.port }],
              resources: budget,
              livenessProbe: probe('/healthz'),
              readinessProbe: probe('/ready'),
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
            },
          ],
        },
      },
    },
  };
  const service: K8sObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: spec.name, namespace, labels },
    spec: { selector: labels, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
  };
  const manifests = [deployment, service, ...(scaling ? autoscaled(spec, namespace, labels, scaling) : [])];
  if (spec.expose !== false) {
    // The route of the platform's ingress provider: an HTTPRoute on the Gateway, an Ingress of class nginx, ...
    const route = routeFor(platform, refs, namespace, { name: spec.name, title: spec.name, host: `${spec.subdomain ?? `${spec.name}-${spec.team}`}.${platform.domain}`, service: spec.name, port: 80 });
    if (route) manifests.push(route);
  }
  const descriptor: ServiceDescriptor = {
    name: spec.name,
    team: spec.team,
    project: projectForTeam(spec.team),
    namespace,
    sources: [{ repoURL: repo.url, targetRevision: repo.branch, path: `${dir}/manifests` }],
  };
  // Under Flux the team's Kustomization applies the service folder through its kustomization.yaml (ADR 008).
  const wiring: [string, string] =
    platform.choices.engine === 'flux'
      ? [`${dir}/kustomization.yaml`, toYaml({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: [`manifests/${spec.name}.yaml`] })]
      : [`${dir}/service.json`, toJson(descriptor)];
  return new Map([wiring, [`${dir}/manifests/${spec.name}.yaml`, toYamlStream(manifests)]]);
}

/** The HorizontalPodAutoscaler and PodDisruptionBudget of an autoscaled service. */
function autoscaled(spec: TenantServiceSpec, namespace: string, labels: Record<string, string>, scaling: NonNullable<Platform['profile']['tenants']>): K8sObject[] {
  const min = spec.replicas ?? scaling.autoscaling.minReplicas;
  const max = Math.max(min, spec.maxReplicas ?? scaling.autoscaling.maxReplicas);
  return [
    {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: spec.name, namespace, labels },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: spec.name },
        minReplicas: min,
        maxReplicas: max,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: scaling.autoscaling.cpuUtilization } } }],
      },
    },
    {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: spec.name, namespace, labels },
      spec: { maxUnavailable: scaling.disruptionBudget.maxUnavailable, selector: { matchLabels: labels } },
    },
  ];
}

const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet'] as const;

function workloadOf(o: K8sObject, namespace: string, objects: readonly K8sObject[]): Workload | undefined {
  if (!(WORKLOAD_KINDS as readonly string[]).includes(o.kind)) return undefined;
  const spec = o.spec as { replicas?: number; template?: { metadata?: { labels?: Record<string, string> }; spec?: { containers?: { name: string; resources?: Resources }[]; initContainers?: { name: string; resources?: Resources }[] } } };
  const pod = spec.template?.spec;
  const list = (cs: { name: string; resources?: Resources }[] | undefined) => (cs ?? []).map((c) => ({ name: c.name, resources: (c.resources ?? {}) as Resources }));
  return {
    kind: o.kind as Workload['kind'],
    name: o.metadata.name,
    namespace: o.metadata.namespace ?? namespace,
    tier: TENANT_TIER,
    // Autoscaled: at its most, the worst case for capacity.
    replicas: autoscaledMaximum(o, objects, namespace) ?? spec.replicas ?? 1,
    placement: 'pool',
    podLabels: spec.template?.metadata?.labels ?? {},
    containers: list(pod?.containers),
    initContainers: list(pod?.initContainers),
    volumeClaims: claimsOf(o, objects)
      .filter((c) => c.storageClass === undefined)
      .map((c) => c.name),
  };
}

/** The `.yaml` files under each `apps/<team>/<service>/manifests/`, by service folder, in the repository's order (one pass, not one per service). */
function manifestFilesByService(files: ReadonlyMap<string, string>): Map<string, [string, string][]> {
  const out = new Map<string, [string, string][]>();
  for (const [p, t] of files) {
    const m = /^(apps\/[^/]+\/[^/]+)\/manifests\/.*\.yaml$/s.exec(p);
    if (m) (out.get(m[1]!) ?? out.set(m[1]!, []).get(m[1]!)!).push([p, t]);
  }
  return out;
}

/** Tenant services of a GitOps repository (`apps/<team>/<service>/`) as units, after every platform wave, in `pool` (the profile's home of applications). */
export function readTenantUnits(files: ReadonlyMap<string, string>, afterWave: number, pool: string = TENANT_POOL): Unit[] {
  const { units, problems } = readTenantUnitsAndProblems(files, afterWave, pool);
  if (problems.length > 0) throw new ConfigError(problems);
  return units;
}

/** The readable tenant services as units, and every problem of the others, of every file (the portal shows them and goes on; `check` refuses). */
// eslint-disable-next-line complexity -- one pass over the repository: which files are services (Argo CD's service.json, or Flux's kustomization.yaml when there is none), then each one's manifests and descriptor, a broken one skipped so that every problem of every service comes out together
export function readTenantUnitsAndProblems(files: ReadonlyMap<string, string>, afterWave: number, pool: string = TENANT_POOL): { units: Unit[]; problems: ErrorDetail[] } {
  const units: Unit[] = [];
  const manifestFiles = manifestFilesByService(files);
  const { collect, problems } = problemCollector();

  for (const [path, text] of [...files.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    // Argo CD: the service.json the ApplicationSet reads; Flux: the kustomization.yaml the team's Kustomization applies.
    const m = /^apps\/([^/]+)\/([^/]+)\/(service\.json|kustomization\.yaml)$/.exec(path);
    if (!m) continue;
    const dir = `apps/${m[1]}/${m[2]}`;
    if (m[3] === 'kustomization.yaml' && files.has(`${dir}/service.json`)) continue;
    const read = (manifestFiles.get(dir) ?? []).map(([p, t]) => collect(() => readTenantManifests(t, p) as K8sObject[]));
    const manifests = read.flatMap((r) => r ?? []);
    const d =
      m[3] === 'service.json'
        ? collect(() => readServiceDescriptor(text, path, m[1]!, m[2]!))
        : collect(() => checkTenantKustomization(text, path)) && { name: m[2]!, team: m[1]!, namespace: manifests.find((o) => o.metadata.namespace)?.metadata.namespace ?? m[1]! };
    if (!d || read.includes(undefined)) continue;
    units.push({
      name: `${d.team}/${d.name}`,
      description: `tenant service ${d.name} of team ${d.team}`,
      stack: TENANT_STACK,
      tier: TENANT_TIER,
      pool,
      namespace: d.namespace,
      ...emptyUnitParts(),
      manifests,
      workloads: manifests.flatMap((o) => workloadOf(o, d.namespace, manifests) ?? []),
      wave: afterWave + 1,
    });
  }
  return { units, problems };
}
