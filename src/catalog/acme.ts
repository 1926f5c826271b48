/**
 * The ACME (Let's Encrypt) ClusterIssuer of plinth.yaml `tls.acme` (ADR 011):
 * HTTP-01 through the platform's ingress, the account key in a Secret
 * cert-manager creates, the directory from `tls.acme.server`. ACME is for
 * public names only: a CA cannot validate a name under a private domain
 * (`idp.local`), so there the platform's endpoints keep the certificate of
 * the platform CA and the issuer serves only the public names one adds.
 */
import type { K8sObject } from '../model/k8s.js';
import type { Platform } from '../model/platform.js';
import type { SharedRefs } from './component.js';
import { INGRESS_NGINX_CLASS } from './components/ingress-nginx.js';
import { clusterScoped } from './glue.js';

export const ACME_ISSUER = 'letsencrypt';
/** The Secret of the ACME account's private key, in cert-manager's namespace (created by cert-manager on first use). */
export const ACME_ACCOUNT_SECRET = 'letsencrypt-account-key';
/** The label cert-manager puts on its HTTP-01 solver pods, which answer on this port. */
export const ACME_SOLVER_LABELS = { 'acme.cert-manager.io/http01-solver': 'true' } as const;
export const ACME_SOLVER_PORT = 8089;
/** The annotation of cert-manager's ingress-shim: a Certificate for the Ingress's TLS hosts, from this ClusterIssuer. */
export const CLUSTER_ISSUER_ANNOTATION = 'cert-manager.io/cluster-issuer';

/** Top-level domains that are never public (RFC 6761, RFC 6762, RFC 8375, ICANN's .internal) and common private ones. */
const PRIVATE_SUFFIXES = ['local', 'localhost', 'test', 'example', 'invalid', 'internal', 'home.arpa', 'lan', 'home', 'corp', 'intranet', 'private'];

/** Whether names under the domain can be validated by a public ACME CA. */
export function isPublicDomain(domain: string): boolean {
  return !PRIVATE_SUFFIXES.some((s) => domain === s || domain.endsWith(`.${s}`));
}

/** Whether the platform's endpoints get ACME certificates: ACME is set, the domain is public, and the ingress can carry them. */
export function acmeForEndpoints(platform: Pick<Platform, 'config' | 'domain' | 'choices'>): boolean {
  return platform.config.tls.acme !== undefined && isPublicDomain(platform.domain) && platform.choices.ingress === 'ingress-nginx';
}

function solver(platform: Pick<Platform, 'choices'>, refs: SharedRefs): Record<string, unknown> {
  if (platform.choices.ingress === 'cilium-gateway') {
    // cert-manager creates the challenge HTTPRoute beside the Certificate; the Gateway's http listener admits routes of its own namespace.
    const { name, namespace } = refs.gateway;
    return { http01: { gatewayHTTPRoute: { parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name, namespace, sectionName: 'http' }] } } };
  }
  return { http01: { ingress: { ingressClassName: INGRESS_NGINX_CLASS } } };
}

export function acmeIssuer(platform: Pick<Platform, 'config' | 'choices'>, refs: SharedRefs): K8sObject | undefined {
  const acme = platform.config.tls.acme;
  if (!acme) return undefined;
  return clusterScoped('cert-manager.io/v1', 'ClusterIssuer', ACME_ISSUER, {
    spec: { acme: { email: acme.email, server: acme.server, privateKeySecretRef: { name: ACME_ACCOUNT_SECRET }, solvers: [solver(platform, refs)] } },
  });
}
