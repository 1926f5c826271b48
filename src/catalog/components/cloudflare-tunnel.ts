/**
 * Cloudflare Tunnel (seed 003 "Cloudflare Tunnel"): external access without
 * an open port. Two `cloudflared` replicas keep outbound connections to
 * Cloudflare's edge and pass every request for the platform's names to Kong
 * (ADR 017).
 *
 * - Raw manifests, as the seed says ("no Helm chart"): the chart
 *   cloudflare-tunnel 0.3.2 reads no priorityClassName, has no budget and
 *   only takes the tunnel's credentials file, not its token.
 * - The token comes from Vault through an ExternalSecret (never in Git);
 *   `plinth up` puts it into Vault from PLINTH_CLOUDFLARE_TUNNEL_TOKEN the
 *   first time.
 * - Locally managed routes (this ConfigMap): `*.<domain>` to Kong's proxy over
 *   HTTPS, verified against the platform CA and with the request's host as
 *   SNI, so Kong answers with its wildcard certificate; anything else 404.
 *   Which names really reach the tunnel is up to the DNS records in
 *   Cloudflare (CNAME to `<tunnel id>.cfargotunnel.com`).
 * - The platform CA reaches the pods as `ca.crt` of a small Certificate of
 *   their own (cert-manager puts the issuing CA beside every certificate).
 */
import type { K8sObject } from '../../model/k8s.js';
import { res } from '../../model/resources.js';
import type { WorkloadSpec } from '../../model/unit.js';
import { toYaml } from '../../lib/yaml.js';
import type { Component, ComponentContext } from '../component.js';
import { caCertificate, externalSecret, namespaced, serviceMonitor } from '../glue.js';
import { KONG_PROXY } from './kong.js';

const NAME = 'cloudflared';
const NAMESPACE = 'cloudflare-tunnel';
/** cloudflared, the release the seed's chart pins (appVersion 2024.8.3). */
export const CLOUDFLARED_IMAGE = 'cloudflare/cloudflared:2024.8.3';
const VAULT_PATH = 'platform/cloudflare-tunnel';
export const TUNNEL_TOKEN_ENV = 'PLINTH_CLOUDFLARE_TUNNEL_TOKEN';
const TOKEN_SECRET = 'cloudflared-token';
const CA_SECRET = 'cloudflared-ca';
const METRICS_PORT = 2000;
/** The image's `nonroot` user. */
const NONROOT = 65532;
const labels = { 'app.kubernetes.io/name': NAME, 'app.kubernetes.io/instance': 'cloudflare-tunnel' };
const resources = res('20m', '64Mi', '500m', '256Mi');

function config(ctx: ComponentContext): string {
  return toYaml({
    'no-autoupdate': true,
    metrics: `0.0.0.0:${METRICS_PORT}`,
    ingress: [
      {
        hostname: ctx.host('*'),
        service: `https://${KONG_PROXY.service}.${KONG_PROXY.namespace}.svc:${KONG_PROXY.httpsPort}`,
        originRequest: { caPool: '/etc/cloudflared/ca/ca.crt', matchSNItoHost: true, http2Origin: true },
      },
      { service: 'http_status:404' },
    ],
  });
}

function deployment(): K8sObject {
  const ready = { httpGet: { path: '/ready', port: 'metrics' } };
  return namespaced('apps/v1', 'Deployment', NAME, NAMESPACE, {
    spec: {
      replicas: 2,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          securityContext: { runAsNonRoot: true, runAsUser: NONROOT, runAsGroup: NONROOT, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: NAME,
              image: CLOUDFLARED_IMAGE,
              args: ['tunnel', '--config', '/etc/cloudflared/config/config.yaml', 'run'],
              env: [{ name: 'TUNNEL_TOKEN', valueFrom: { secretKeyRef: { name: TOKEN_SECRET, key: 'token' } } }],
              ports: [{ name: 'metrics', containerPort: METRICS_PORT }],
              resources,
              // /ready answers 200 only while the tunnel has a connection to Cloudflare's edge.
              readinessProbe: { ...ready, periodSeconds: 10 },
              livenessProbe: { ...ready, initialDelaySeconds: 10, periodSeconds: 10, failureThreshold: 3 },
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
              volumeMounts: [
                { name: 'config', mountPath: '/etc/cloudflared/config', readOnly: true },
                { name: 'ca', mountPath: '/etc/cloudflared/ca', readOnly: true },
              ],
            },
          ],
          volumes: [
            { name: 'config', configMap: { name: NAME } },
            { name: 'ca', secret: { secretName: CA_SECRET, items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          ],
        },
      },
    },
  });
}

const workload: WorkloadSpec = {
  kind: 'Deployment',
  name: NAME,
  glue: true,
  replicas: 2,
  podLabels: labels,
  containers: [{ name: NAME, resources, valuesPath: 'spec.template.spec.containers.0.resources' }],
  values: {
    replicas: 'spec.replicas',
    affinity: 'spec.template.spec.affinity',
    tolerations: 'spec.template.spec.tolerations',
    priorityClassName: 'spec.template.spec.priorityClassName',
  },
};

export const cloudflareTunnel: Component = {
  name: 'cloudflare-tunnel',
  description: 'external access: two cloudflared replicas carry Cloudflare Tunnel traffic to Kong, the token from Vault',
  stack: 'networking',
  tier: 2,
  pool: 'infra',
  namespace: NAMESPACE,
  dependsOn: ['external-secrets', 'kong'],
  reloadsCertificates: [{ secret: CA_SECRET, how: 'cloudflared reads only its ca.crt, the platform CA, which a renewal of this certificate does not change' }],
  profiles: ['standard'],
  serves: { ingress: ['kong'], secrets: ['vault', 'both'] },
  build(ctx: ComponentContext) {
    const monitored = ctx.enabled('kube-prometheus-stack');
    const metrics = namespaced('v1', 'Service', `${NAME}-metrics`, NAMESPACE, { spec: { selector: labels, ports: [{ name: 'metrics', port: METRICS_PORT, targetPort: 'metrics' }] } }, labels);
    return {
      workloads: [workload],
      secrets: [{ path: VAULT_PATH, keys: [{ name: 'token', generate: { provided: { env: TUNNEL_TOKEN_ENV, what: 'the Cloudflare Tunnel token (Cloudflare dashboard, or `cloudflared tunnel token <name>`)' } } }] }],
      manifests: [
        namespaced('v1', 'ConfigMap', NAME, NAMESPACE, { data: { 'config.yaml': config(ctx) } }),
        externalSecret(ctx.refs, { name: TOKEN_SECRET, namespace: NAMESPACE, target: TOKEN_SECRET, vaultPath: VAULT_PATH, data: [{ secretKey: 'token', property: 'token' }] }),
        caCertificate(ctx.refs, { name: CA_SECRET, namespace: NAMESPACE, secretName: CA_SECRET, dnsNames: [`${NAME}.${NAMESPACE}.svc`] }),
        namespaced('policy/v1', 'PodDisruptionBudget', NAME, NAMESPACE, { spec: { maxUnavailable: 1, selector: { matchLabels: labels } } }),
        deployment(),
        metrics,
        ...(monitored ? [serviceMonitor({ name: NAME, namespace: NAMESPACE, selector: labels, port: 'metrics' })] : []),
      ],
    };
  },
};
