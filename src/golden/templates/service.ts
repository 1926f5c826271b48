/**
 * `service`: an HTTP service. The platform's workload kind (Deployment, or a
 * Rollout with Argo Rollouts), a Service, a route on the platform's ingress
 * when exposed, ExternalSecrets for the secrets it names, and from version 2
 * a ServiceMonitor and a Grafana dashboard.
 */
import { hasMonitoring, workloadKind } from '../choices.js';
import { clusterService, metrics, podTemplate, route, serviceWorkload } from '../parts.js';
import type { GoldenTemplate } from '../types.js';
import { basics, extras, IMAGE, NAME, REPLICAS, SECRETS, TEAM } from './common.js';

export const serviceTemplate: GoldenTemplate = {
  name: 'service',
  title: 'HTTP service',
  description: 'a long-running HTTP service with a Service, probes, and a route on the platform ingress when exposed',
  versions: [
    { version: 1, notes: 'workload, Service, route, probes, restricted security context, ExternalSecrets' },
    { version: 2, notes: 'a ServiceMonitor and a Grafana dashboard; no service account token in the pods' },
  ],
  params: [
    TEAM,
    NAME,
    IMAGE,
    { name: 'port', label: 'Port', type: 'integer', required: true, default: 8080, min: 1024, max: 65535, help: 'the container port it serves HTTP on (/healthz and /ready are probed there)' },
    { name: 'expose', label: 'Expose', type: 'boolean', required: false, default: false, help: 'route https://<name>-<team>.<domain> to it on the platform ingress' },
    REPLICAS,
    SECRETS,
    { name: 'metricsPath', label: 'Metrics path', type: 'string', required: false, default: '/metrics', since: 2, help: 'where Prometheus scrapes it' },
  ],
  render(ctx, v) {
    const b = basics(ctx, 'service', v);
    const kind = workloadKind(ctx.platform);
    const v2 = ctx.version >= 2;
    const template = podTemplate({ platform: ctx.platform, name: v.name, image: v.image, labels: b.labels, kind: 'Deployment', port: v.port!, secrets: v.secrets ?? [], noServiceAccountToken: v2 });
    const host = `${v.name}-${v.team}.${ctx.platform.domain}`;
    const manifests = [serviceWorkload(kind, b.metadata(), { replicas: v.replicas ?? 1, labels: b.labels, template }), clusterService(b.metadata(), b.labels)];
    if (v.expose) manifests.push(route(ctx, b.metadata(), host, v.name));
    const scraped = v2 && hasMonitoring(ctx.platform);
    if (scraped) manifests.push(metrics(b.metadata(), b.labels, v.metricsPath ?? '/metrics'));
    manifests.push(...extras(ctx, b, v, { kind: 'service', dashboard: v2, scraped }));
    return { namespace: b.namespace, manifests, hosts: v.expose ? [host] : [], componentType: 'service' };
  },
};
