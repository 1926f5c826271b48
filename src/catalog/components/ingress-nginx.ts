/**
 * ingress-nginx (seed 002 "Ingress NGINX"): the one HTTPS entry of the
 * compact platform. Its Service is of type LoadBalancer; MetalLB gives it the
 * first address of the pool in plinth.yaml, announced in layer 2. Every
 * endpoint gets an Ingress of class `nginx` (src/desired/routes.ts).
 *
 * TLS: the wildcard certificate of the platform CA lives here, in the
 * controller's own namespace, and is the controller's default certificate
 * (`--default-ssl-certificate`). An Ingress whose TLS entry names hosts but no
 * Secret is served with it, so no other namespace holds the wildcard's
 * private key (ADR 011). Plain HTTP is redirected to HTTPS (the controller
 * does so for every host with TLS).
 *
 * Hardening where the chart allows: non-root (uid 101) with only
 * NET_BIND_SERVICE, no privilege escalation, RuntimeDefault seccomp (chart
 * defaults, kept explicit); snippet annotations off and annotation values
 * validated; no server version in responses. `externalTrafficPolicy: Local`
 * keeps the client's address (for access control and rate limits) and lets
 * MetalLB announce the address from the node the controller runs on.
 *
 * The admission webhook (validate.nginx.ingress.kubernetes.io, failurePolicy
 * Fail) checks every Ingress before it is stored: units with endpoints
 * depend on this one (their Ingresses name its IngressClass), so they sync
 * once the controller is ready. Its serving certificate comes from the
 * chart's two hook Jobs (kube-webhook-certgen), which create the Secret and
 * patch the webhook's CA bundle.
 */
import { res } from '../../model/resources.js';
import type { WorkloadSpec } from '../../model/unit.js';
import { CHARTS } from '../charts.js';
import type { Component, ComponentContext } from '../component.js';
import { caCertificate } from '../glue.js';
import { firstAddress, METALLB_IPS_ANNOTATION, METALLB_POOL, METALLB_POOL_ANNOTATION } from './metallb.js';
import { inbound, service, webhook } from '../network.js';

const NAME = 'ingress-nginx';
export const INGRESS_NGINX_NAMESPACE = 'ingress-nginx';
/** The IngressClass the chart creates; every platform Ingress names it. */
export const INGRESS_NGINX_CLASS = 'nginx';
/** The controller pods (what reaches every endpoint's backend). */
export const INGRESS_NGINX_CONTROLLER_LABELS = {
  'app.kubernetes.io/name': NAME,
  'app.kubernetes.io/instance': NAME,
  'app.kubernetes.io/component': 'controller',
} as const;
/** The Secret of the admission webhook's serving certificate, written by the chart's create hook Job. */
const ADMISSION_SECRET = 'ingress-nginx-admission';

const admissionLabels = { 'app.kubernetes.io/name': NAME, 'app.kubernetes.io/instance': NAME, 'app.kubernetes.io/component': 'admission-webhook' };
const JOB_PATHS = {
  nodeSelector: 'controller.admissionWebhooks.patch.nodeSelector',
  tolerations: 'controller.admissionWebhooks.patch.tolerations',
  priorityClassName: 'controller.admissionWebhooks.patch.priorityClassName',
};

const CONTROLLER = 'ingress-nginx-controller';

const workloads: WorkloadSpec[] = [
  {
    kind: 'Deployment',
    name: CONTROLLER,
    podLabels: INGRESS_NGINX_CONTROLLER_LABELS,
    containers: [{ name: 'controller', resources: res('50m', '96Mi', '1', '384Mi'), valuesPath: 'controller.resources' }],
    values: { replicas: 'controller.replicaCount', affinity: 'controller.affinity', tolerations: 'controller.tolerations', priorityClassName: 'controller.priorityClassName' },
  },
  // Helm hooks: the webhook certificate's Secret (pre-install) and the CA bundle patched into the webhook (post-install).
  {
    kind: 'Job',
    name: 'ingress-nginx-admission-create',
    podLabels: admissionLabels,
    containers: [{ name: 'create', resources: res('10m', '32Mi', '100m', '64Mi'), valuesPath: 'controller.admissionWebhooks.createSecretJob.resources' }],
    values: JOB_PATHS,
  },
  {
    kind: 'Job',
    name: 'ingress-nginx-admission-patch',
    podLabels: admissionLabels,
    containers: [{ name: 'patch', resources: res('10m', '32Mi', '100m', '64Mi'), valuesPath: 'controller.admissionWebhooks.patchWebhookJob.resources' }],
    values: JOB_PATHS,
  },
];

export const ingressNginx: Component = {
  name: NAME,
  description: 'the one HTTPS entry of the platform: ingress-nginx behind a MetalLB address, with the wildcard certificate as its default',
  stack: 'networking',
  // As edge's Gateway: the way in to every UI.
  tier: 1,
  pool: 'infra',
  namespace: INGRESS_NGINX_NAMESPACE,
  chart: CHARTS.ingressNginx,
  dependsOn: ['cert-manager', 'metallb'],
  provides: [
    { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', name: INGRESS_NGINX_CLASS },
    { apiVersion: 'v1', kind: 'Secret', name: ADMISSION_SECRET, namespace: INGRESS_NGINX_NAMESPACE },
  ],
  profiles: ['compact'],
  serves: { ingress: ['ingress-nginx'] },
  build(ctx: ComponentContext) {
    const monitored = ctx.enabled('kube-prometheus-stack');
    const addresses = ctx.platform.config.ingress.loadBalancer?.addresses ?? [];
    return {
      values: {
        controller: {
          ingressClassResource: { name: INGRESS_NGINX_CLASS, enabled: true, default: false, controllerValue: 'k8s.io/ingress-nginx' },
          ingressClass: INGRESS_NGINX_CLASS,
          extraArgs: { 'default-ssl-certificate': `${INGRESS_NGINX_NAMESPACE}/${ctx.refs.wildcardSecret}` },
          allowSnippetAnnotations: false,
          enableAnnotationValidations: true,
          config: { 'server-tokens': 'false', 'ssl-redirect': 'true', 'hsts': 'true' },
          image: { runAsNonRoot: true, allowPrivilegeEscalation: false, seccompProfile: { type: 'RuntimeDefault' } },
          service: {
            type: 'LoadBalancer',
            externalTrafficPolicy: 'Local',
            annotations: {
              [METALLB_POOL_ANNOTATION]: METALLB_POOL,
              ...(addresses.length > 0 ? { [METALLB_IPS_ANNOTATION]: firstAddress(addresses[0]!) } : {}),
            },
          },
          admissionWebhooks: { enabled: true, failurePolicy: 'Fail', patch: { enabled: true } },
          metrics: { enabled: monitored, serviceMonitor: { enabled: monitored } },
        },
      },
      workloads,
      usesGroups: monitored ? ['monitoring.coreos.com'] : [],
      network: {
        services: [
          service('ingress-nginx-controller', CONTROLLER, [80], [443]),
          service('ingress-nginx-controller-admission', CONTROLLER, [443, 8443]),
          ...(monitored ? [service('ingress-nginx-controller-metrics', CONTROLLER, [10254])] : []),
        ],
        inbound: [
          inbound('anywhere', 'ingress-nginx-controller', 80, 'clients of the LoadBalancer address (redirected to HTTPS)'),
          inbound('anywhere', 'ingress-nginx-controller', 443, 'clients of the LoadBalancer address'),
          webhook('ingress-nginx-controller-admission'),
        ],
        scraped: monitored ? [{ service: 'ingress-nginx-controller-metrics', port: 10254 }] : [],
        proxy: CONTROLLER,
      },
      manifests: [
        caCertificate(ctx.refs, {
          name: 'platform-wildcard',
          namespace: INGRESS_NGINX_NAMESPACE,
          secretName: ctx.refs.wildcardSecret,
          dnsNames: [ctx.host('*'), ctx.platform.domain],
        }),
      ],
    };
  },
};
