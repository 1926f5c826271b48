/** `worker`: a long-running process with no route (a queue consumer); probed on its health port. */
import { workloadKind } from '../choices.js';
import { podTemplate, serviceWorkload } from '../parts.js';
import type { GoldenTemplate } from '../types.js';
import { basics, extras, IMAGE, NAME, REPLICAS, SECRETS, TEAM } from './common.js';

export const workerTemplate: GoldenTemplate = {
  name: 'worker',
  title: 'Worker',
  description: 'a long-running process without a route, probed on its health port',
  versions: [{ version: 1, notes: 'workload with probes on the health port, restricted security context, ExternalSecrets, a Grafana dashboard' }],
  params: [
    TEAM,
    NAME,
    IMAGE,
    { name: 'port', label: 'Health port', type: 'integer', required: true, default: 8080, min: 1024, max: 65535, help: 'the port serving /healthz and /ready (not routed)' },
    REPLICAS,
    SECRETS,
  ],
  render(ctx, v) {
    const b = basics(ctx, 'worker', v);
    const template = podTemplate({ platform: ctx.platform, name: v.name, image: v.image, labels: b.labels, kind: 'Deployment', port: v.port!, secrets: v.secrets ?? [], noServiceAccountToken: true });
    const manifests = [serviceWorkload(workloadKind(ctx.platform), b.metadata(), { replicas: v.replicas ?? 1, labels: b.labels, template }), ...extras(ctx, b, v, { kind: 'worker', dashboard: true, scraped: false })];
    return { namespace: b.namespace, manifests, hosts: [], componentType: 'worker' };
  },
};
