/**
 * The platform choices a golden path depends on, each decided in ONE place:
 * which object routes traffic to a service, which object runs it, and which
 * object brings its secrets. Templates call these and switch on the answer;
 * a new ingress provider, rollout engine or secrets provider is one more case
 * here (and one more builder in parts.ts), nothing else.
 */
import type { Platform } from '../model/platform.js';

/** HTTPRoute on the platform Gateway (Cilium Gateway API). */
export type RouteKind = 'HTTPRoute';
/** Deployment, or an Argo Rollouts Rollout where the platform runs Argo Rollouts. */
export type ServiceWorkloadKind = 'Deployment' | 'Rollout';
/** ExternalSecret from Vault through External Secrets Operator. */
export type SecretKind = 'ExternalSecret';

export const ARGO_ROLLOUTS = 'argo-rollouts';
export const EXTERNAL_SECRETS = 'external-secrets';

export function routeKind(_platform: Platform): RouteKind {
  return 'HTTPRoute';
}

export function workloadKind(platform: Platform): ServiceWorkloadKind {
  return platform.enabled.includes(ARGO_ROLLOUTS) ? 'Rollout' : 'Deployment';
}

/** How secrets reach a service, or undefined when the platform has no secrets provider. */
export function secretKind(platform: Platform): SecretKind | undefined {
  return platform.enabled.includes(EXTERNAL_SECRETS) && platform.enabled.includes('vault') ? 'ExternalSecret' : undefined;
}

/** Whether the platform scrapes ServiceMonitors and loads Grafana dashboards from ConfigMaps. */
export function hasMonitoring(platform: Platform): boolean {
  return platform.enabled.includes('kube-prometheus-stack');
}
