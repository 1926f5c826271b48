/**
 * Where Vault runs and how External Secrets logs in, read from the desired
 * state: the `vault` unit (namespace, release, TLS from its values) and the
 * ClusterSecretStore of the platform (KV mount, auth mount, role, service account).
 */
import type { DesiredState } from '../../desired/index.js';
import { SHARED_REFS } from '../../desired/index.js';
import type { Unit } from '../../model/unit.js';

export const VAULT_UNIT = 'vault';
export const ESO_UNIT = 'external-secrets';
export const VAULT_PORT = 8200;

export interface VaultTarget {
  namespace: string;
  /** Labels of the Vault server pods (the chart's), and the same as a label selector. */
  podLabels: Record<string, string>;
  podSelector: string;
  port: number;
  scheme: 'http' | 'https';
}

export function vaultTarget(unit: Unit): VaultTarget {
  const global = (unit.values.global ?? {}) as { tlsDisable?: boolean };
  const podLabels = { 'app.kubernetes.io/name': 'vault', 'app.kubernetes.io/instance': unit.name, component: 'server' };
  return {
    namespace: unit.namespace,
    podLabels,
    podSelector: Object.entries(podLabels).map(([k, v]) => `${k}=${v}`).join(','),
    port: VAULT_PORT,
    // The chart's default is plain HTTP; the platform turns TLS on (certificate from the platform CA).
    scheme: global.tlsDisable === false ? 'https' : 'http',
  };
}

export interface EsoBinding {
  /** KV v2 mount holding platform secrets. */
  kvMount: string;
  /** Mount of the kubernetes auth method. */
  authMount: string;
  role: string;
  policy: string;
  serviceAccount: string;
  serviceAccountNamespace: string;
}

interface VaultProvider {
  path?: string;
  version?: string;
  auth?: { kubernetes?: { mountPath?: string; role?: string; serviceAccountRef?: { name?: string; namespace?: string } } };
}

/** From the platform's ClusterSecretStore when a unit ships one, else the platform defaults. */
export function esoBinding(state: DesiredState): EsoBinding {
  const eso = state.units.find((u) => u.name === ESO_UNIT);
  const store = state.units
    .flatMap((u) => u.manifests)
    .find((m) => m.kind === 'ClusterSecretStore' && (m.spec as { provider?: { vault?: unknown } } | undefined)?.provider?.vault);
  const vault = ((store?.spec as { provider?: { vault?: VaultProvider } } | undefined)?.provider?.vault ?? {}) as VaultProvider;
  const k8s = vault.auth?.kubernetes ?? {};
  const role = k8s.role ?? 'external-secrets';
  return {
    kvMount: vault.path ?? SHARED_REFS.vaultKvMount,
    authMount: k8s.mountPath ?? 'kubernetes',
    role,
    policy: role,
    serviceAccount: k8s.serviceAccountRef?.name ?? 'external-secrets',
    serviceAccountNamespace: k8s.serviceAccountRef?.namespace ?? eso?.namespace ?? 'external-secrets',
  };
}

/** Whether a pod is one of the Vault server pods of the target. */
export function isVaultServerPod(target: VaultTarget, pod: { metadata: { namespace?: string; labels?: Record<string, string> } }): boolean {
  return pod.metadata.namespace === target.namespace && Object.entries(target.podLabels).every(([k, v]) => pod.metadata.labels?.[k] === v);
}
