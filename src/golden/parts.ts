/**
 * Builders for what golden paths write: a pod template that meets every
 * platform policy (pinned image, requests and limits, probes, restricted
 * security context, tier-3 priority on the apps pool), the workload object of
 * the platform's kind, the route, secrets, metrics and a dashboard.
 */
import type { SharedRefs } from '../catalog/component.js';
import { Dashboard, DATASOURCES, dashboardConfigMap } from '../catalog/dashboards/index.js';
import { serviceMonitor } from '../catalog/glue.js';
import { affinityFor, priorityClassFor, tolerationsFor } from '../desired/scheduling.js';
import { httpRoute } from '../desired/routes.js';
import type { K8sObject, Labels } from '../model/k8s.js';
import type { Platform } from '../model/platform.js';
import { res, type Resources } from '../model/resources.js';
import type { WorkloadKind } from '../model/unit.js';
import { TENANT_POOL, TENANT_TIER } from '../tenants/service.js';
import { routeKind, type ServiceWorkloadKind } from './choices.js';
import type { SecretRef } from './types.js';

export const TEMPLATE_ANNOTATION = 'plinth.dev/template';
export const DEFAULT_RESOURCES: Resources = res('50m', '64Mi', '500m', '256Mi');

export const templateRef = (name: string, version: number): string => `${name}@${version}`;

export function serviceLabels(team: string, name: string): Labels {
  return { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': team };
}

/** Object metadata with the labels and the template record. */
export function meta(name: string, namespace: string, labels: Labels, template: string): K8sObject['metadata'] {
  return { name, namespace, labels: { ...labels, 'app.kubernetes.io/managed-by': 'plinth' }, annotations: { [TEMPLATE_ANNOTATION]: template } };
}

export const secretName = (service: string): string => `${service}-secrets`;

export interface PodOptions {
  platform: Platform;
  name: string;
  image: string;
  labels: Labels;
  kind: WorkloadKind;
  port?: number;
  secrets: readonly SecretRef[];
  /** No service account token in the pod (template versions that set it). */
  noServiceAccountToken: boolean;
  restartPolicy?: 'OnFailure';
}

/** A pod template that passes the platform's policies: restricted security, requests and limits, probes when it serves HTTP. */
export function podTemplate(o: PodOptions): Record<string, unknown> {
  const probe = (path: string) => ({ httpGet: { path, port: 'http' }, periodSeconds: 10 });
  const spec = { kind: o.kind, name: o.name, podLabels: o.labels, containers: [], values: {} };
  const tolerations = tolerationsFor(TENANT_TIER, 'pool');
  const container: Record<string, unknown> = {
    name: o.name,
    image: o.image,
    ...(o.port !== undefined ? { ports: [{ name: 'http', containerPort: o.port }] } : {}),
    ...(o.secrets.length > 0 ? { env: o.secrets.map((s) => ({ name: s.env, valueFrom: { secretKeyRef: { name: secretName(o.name), key: s.env } } })) } : {}),
    resources: DEFAULT_RESOURCES,
    ...(o.port !== undefined ? { livenessProbe: probe('/healthz'), readinessProbe: probe('/ready') } : {}),
    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
  };
  return {
    metadata: { labels: o.labels },
    spec: {
      ...(o.noServiceAccountToken ? { automountServiceAccountToken: false } : {}),
      priorityClassName: priorityClassFor(TENANT_TIER, o.kind),
      affinity: affinityFor(o.platform, spec, TENANT_TIER, TENANT_POOL),
      ...(tolerations ? { tolerations } : {}),
      ...(o.restartPolicy ? { restartPolicy: o.restartPolicy } : {}),
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [container],
      volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }],
    },
  };
}

/** The long-running workload: a Deployment, or a Rollout (canary by replica weight) where Argo Rollouts runs. */
export function serviceWorkload(kind: ServiceWorkloadKind, metadata: K8sObject['metadata'], pods: { replicas: number; labels: Labels; template: Record<string, unknown> }): K8sObject {
  const { replicas, labels, template } = pods;
  const base = { replicas, revisionHistoryLimit: 3, selector: { matchLabels: labels }, template };
  switch (kind) {
    case 'Deployment':
      return { apiVersion: 'apps/v1', kind: 'Deployment', metadata, spec: base };
    case 'Rollout':
      return {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Rollout',
        metadata,
        spec: { ...base, strategy: { canary: { steps: [{ setWeight: 25 }, { pause: { duration: '60s' } }, { setWeight: 50 }, { pause: { duration: '60s' } }] } } },
      };
  }
}

export function clusterService(metadata: K8sObject['metadata'], labels: Labels): K8sObject {
  return { apiVersion: 'v1', kind: 'Service', metadata, spec: { selector: labels, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } };
}

/** The route of the platform's ingress to the Service, on `host`. */
export function route(ctx: { platform: Platform; refs: SharedRefs }, metadata: K8sObject['metadata'], host: string, service: string): K8sObject {
  const { platform, refs } = ctx;
  switch (routeKind(platform)) {
    case 'HTTPRoute': {
      const r = httpRoute(refs, metadata.namespace!, { name: metadata.name, title: metadata.name, host, service, port: 80 });
      return { ...r, metadata };
    }
  }
}

/** One ExternalSecret gathering every secret the service names into `<name>-secrets`. */
export function externalSecrets(refs: SharedRefs, metadata: K8sObject['metadata'], service: string, secrets: readonly SecretRef[]): K8sObject {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata,
    spec: {
      refreshInterval: '1h',
      secretStoreRef: { kind: 'ClusterSecretStore', name: refs.secretStore },
      target: { name: secretName(service), creationPolicy: 'Owner', deletionPolicy: 'Retain' },
      data: secrets.map((s) => ({ secretKey: s.env, remoteRef: { key: s.path, property: s.key } })),
    },
  };
}

export function metrics(metadata: K8sObject['metadata'], labels: Labels, path: string): K8sObject {
  const sm = serviceMonitor({ name: metadata.name, namespace: metadata.namespace!, selector: labels, port: 'http', path, interval: '30s' });
  return { ...sm, metadata };
}

/** A Grafana dashboard of the service's pods (CPU, memory, restarts, scrape health), in the team's folder. */
export function dashboard(metadata: K8sObject['metadata'], of: { team: string; name: string; kind: string; scraped: boolean }): K8sObject {
  const { team, name, kind, scraped } = of;
  const P = DATASOURCES.prometheus;
  const ns = metadata.namespace!;
  const pods = `namespace="${ns}", pod=~"${name}-.*", container="${name}"`;
  const d = new Dashboard({ uid: `${ns}-${name}`.slice(0, 40), title: `${team} / ${name}`, description: `${kind} ${name} of team ${team} (written by a Plinth golden path)`, tags: ['plinth', team] })
    .row('Pods')
    .panel({ kind: 'timeseries', title: 'CPU', unit: 'short', width: 8, height: 8, queries: [{ datasource: P, expr: `sum by (pod) (rate(container_cpu_usage_seconds_total{${pods}}[5m]))`, legend: '{{pod}}' }] })
    .panel({ kind: 'timeseries', title: 'Memory', unit: 'bytes', width: 8, height: 8, queries: [{ datasource: P, expr: `sum by (pod) (container_memory_working_set_bytes{${pods}})`, legend: '{{pod}}' }] })
    .panel({ kind: 'stat', title: 'Restarts (1h)', width: 8, height: 8, queries: [{ datasource: P, expr: `sum(increase(kube_pod_container_status_restarts_total{${pods}}[1h]))`, instant: true }] });
  if (scraped) d.row('Metrics endpoint').panel({ kind: 'stat', title: 'Targets up', width: 8, height: 6, queries: [{ datasource: P, expr: `sum(up{namespace="${ns}", service="${name}"})`, instant: true }] });
  const cm = dashboardConfigMap(`${name}-dashboard`, ns, d, team);
  return { ...cm, metadata: { ...metadata, name: `${name}-dashboard`, labels: { ...metadata.labels, ...cm.metadata.labels }, annotations: { ...metadata.annotations, ...cm.metadata.annotations } } };
}
