/** Builders for the glue manifests components ship beside their charts. */
import type { K8sObject, Labels } from '../model/k8s.js';
import type { VaultSecret } from '../model/unit.js';
import type { SharedRefs } from './component.js';

// eslint-disable-next-line max-params -- a manifest's identity in the order it is read (apiVersion, kind, name, namespace), then its body; some forty glue builders call it so
export function namespaced(apiVersion: string, kind: string, name: string, namespace: string, body: Record<string, unknown>, labels?: Labels): K8sObject {
  return { apiVersion, kind, metadata: { name, namespace, ...(labels ? { labels } : {}) }, ...body };
}

// eslint-disable-next-line max-params -- as namespaced: a manifest's identity in the order it is read (apiVersion, kind, name), then its body and labels
export function clusterScoped(apiVersion: string, kind: string, name: string, body: Record<string, unknown>, labels?: Labels): K8sObject {
  return { apiVersion, kind, metadata: { name, ...(labels ? { labels } : {}) }, ...body };
}

/** A cert-manager Certificate issued by the platform CA. */
export function caCertificate(
  refs: SharedRefs,
  o: { name: string; namespace: string; secretName: string; dnsNames: string[]; duration?: string; renewBefore?: string },
): K8sObject {
  return namespaced('cert-manager.io/v1', 'Certificate', o.name, o.namespace, {
    spec: {
      secretName: o.secretName,
      dnsNames: o.dnsNames,
      duration: o.duration ?? '2160h',
      renewBefore: o.renewBefore ?? '360h',
      privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
      issuerRef: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: refs.caIssuer },
    },
  });
}

export interface ExternalSecretData {
  /** Key in the Kubernetes Secret. */
  secretKey: string;
  /** Property of the Vault KV entry. */
  property: string;
}

/**
 * An ExternalSecret filling `target` from one Vault KV entry through the
 * platform ClusterSecretStore. `merge: true` adds keys to a Secret a chart
 * creates (`creationPolicy: Merge`), so both can own it without a fight.
 */
export function externalSecret(
  refs: SharedRefs,
  o: { name: string; namespace: string; target: string; vaultPath: string; data: ExternalSecretData[]; merge?: boolean; templateLabels?: Labels },
): K8sObject {
  return namespaced('external-secrets.io/v1', 'ExternalSecret', o.name, o.namespace, {
    spec: {
      refreshInterval: '1h',
      secretStoreRef: { kind: 'ClusterSecretStore', name: refs.secretStore },
      target: {
        name: o.target,
        creationPolicy: o.merge ? 'Merge' : 'Owner',
        deletionPolicy: o.merge ? 'Merge' : 'Retain',
        ...(o.templateLabels ? { template: { metadata: { labels: o.templateLabels } } } : {}),
      },
      data: o.data.map((d) => ({ secretKey: d.secretKey, remoteRef: { key: o.vaultPath, property: d.property } })),
    },
  });
}

/** A Prometheus Operator ServiceMonitor scraping `port` of the services matching `selector`. */
export function serviceMonitor(o: { name: string; namespace: string; selector: Labels; port: string; path?: string; interval?: string }): K8sObject {
  return namespaced('monitoring.coreos.com/v1', 'ServiceMonitor', o.name, o.namespace, {
    spec: {
      selector: { matchLabels: o.selector },
      namespaceSelector: { matchNames: [o.namespace] },
      endpoints: [{ port: o.port, path: o.path ?? '/metrics', interval: o.interval ?? '60s' }],
    },
  });
}

/**
 * An admin login kept in Vault: the Vault entry `plinth up` fills (user fixed,
 * password generated) and the ExternalSecret that turns it into the Secret a
 * chart reads through its `existingSecret` value.
 */
export function adminLoginFromVault(
  refs: SharedRefs,
  o: { secretName: string; namespace: string; vaultPath: string; user?: string; userKey: string; passwordKey: string },
): { secret: VaultSecret; externalSecret: K8sObject } {
  return {
    secret: {
      path: o.vaultPath,
      keys: [
        { name: 'admin-user', generate: { value: o.user ?? 'admin' } },
        { name: 'admin-password', generate: 'password' },
      ],
    },
    externalSecret: externalSecret(refs, {
      name: o.secretName,
      namespace: o.namespace,
      target: o.secretName,
      vaultPath: o.vaultPath,
      data: [
        { secretKey: o.userKey, property: 'admin-user' },
        { secretKey: o.passwordKey, property: 'admin-password' },
      ],
    }),
  };
}
