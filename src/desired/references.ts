/**
 * Names that objects use to point at other objects (a Certificate's issuer,
 * an ExternalSecret's store, an HTTPRoute's Gateway, a Gateway's TLS Secret),
 * read from the objects themselves. They give the derived dependencies and
 * let the desired state prove that every name resolves.
 */
import { apiGroup, type K8sObject } from '../model/k8s.js';

export interface ObjectKey {
  group: string;
  kind: string;
  /** Undefined for cluster-scoped objects. */
  namespace?: string;
  name: string;
}

export interface Reference {
  from: K8sObject;
  /** Where in `from` the name sits, e.g. `spec.issuerRef.name`. */
  path: string;
  to: ObjectKey;
}

export function keyOf(obj: Pick<K8sObject, 'apiVersion' | 'kind' | 'metadata'>): ObjectKey {
  return { group: apiGroup(obj.apiVersion), kind: obj.kind, namespace: obj.metadata.namespace, name: obj.metadata.name };
}

export function keyText(k: ObjectKey): string {
  const kind = k.group ? `${k.kind}.${k.group}` : k.kind;
  return k.namespace ? `${kind} ${k.namespace}/${k.name}` : `${kind} ${k.name}`;
}

type Spec = Record<string, unknown>;
const spec = (o: K8sObject): Spec => (o.spec && typeof o.spec === 'object' ? (o.spec as Spec) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const obj = (v: unknown): Spec => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Spec) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function secret(namespace: string | undefined, name: string): ObjectKey {
  return { group: '', kind: 'Secret', namespace, name };
}

type Extractor = (o: K8sObject) => { path: string; to: ObjectKey }[];

const EXTRACTORS: Record<string, Extractor> = {
  'cert-manager.io/Certificate': (o) => {
    const ref = obj(spec(o).issuerRef);
    const name = str(ref.name);
    if (!name) return [];
    const kind = str(ref.kind) ?? 'Issuer';
    return [{ path: 'spec.issuerRef.name', to: { group: str(ref.group) ?? 'cert-manager.io', kind, namespace: kind === 'Issuer' ? o.metadata.namespace : undefined, name } }];
  },
  'cert-manager.io/ClusterIssuer': (o) => {
    const name = str(obj(spec(o).ca).secretName);
    // A ClusterIssuer reads its Secret from the cluster resource namespace (cert-manager's own by default).
    return name ? [{ path: 'spec.ca.secretName', to: secret('cert-manager', name) }] : [];
  },
  'external-secrets.io/ExternalSecret': (o) => {
    const ref = obj(spec(o).secretStoreRef);
    const name = str(ref.name);
    if (!name) return [];
    const kind = str(ref.kind) ?? 'SecretStore';
    return [{ path: 'spec.secretStoreRef.name', to: { group: 'external-secrets.io', kind, namespace: kind === 'SecretStore' ? o.metadata.namespace : undefined, name } }];
  },
  'external-secrets.io/ClusterSecretStore': (o) => {
    const ca = obj(obj(obj(spec(o).provider).vault).caProvider);
    const name = str(ca.name);
    return name && ca.type === 'Secret' ? [{ path: 'spec.provider.vault.caProvider.name', to: secret(str(ca.namespace), name) }] : [];
  },
  'gateway.networking.k8s.io/HTTPRoute': (o) =>
    arr(spec(o).parentRefs).flatMap((p, i) => {
      const ref = obj(p);
      const name = str(ref.name);
      const kind = str(ref.kind) ?? 'Gateway';
      if (!name || kind !== 'Gateway') return [];
      return [{ path: `spec.parentRefs[${i}].name`, to: { group: 'gateway.networking.k8s.io', kind, namespace: str(ref.namespace) ?? o.metadata.namespace, name } }];
    }),
  // An Ingress needs its class (the controller's chart creates it) and the TLS Secrets it names, in its own namespace.
  'networking.k8s.io/Ingress': (o) => {
    const out: { path: string; to: ObjectKey }[] = [];
    const className = str(spec(o).ingressClassName);
    if (className) out.push({ path: 'spec.ingressClassName', to: { group: 'networking.k8s.io', kind: 'IngressClass', name: className } });
    arr(spec(o).tls).forEach((t, i) => {
      const name = str(obj(t).secretName);
      if (name) out.push({ path: `spec.tls[${i}].secretName`, to: secret(o.metadata.namespace, name) });
    });
    // cert-manager's ingress-shim: the issuer named by an annotation issues the TLS Secrets.
    const issuer = str(o.metadata.annotations?.['cert-manager.io/cluster-issuer']);
    if (issuer) out.push({ path: 'metadata.annotations["cert-manager.io/cluster-issuer"]', to: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: issuer } });
    return out;
  },
  'gateway.networking.k8s.io/Gateway': (o) => {
    const out: { path: string; to: ObjectKey }[] = [];
    const className = str(spec(o).gatewayClassName);
    if (className) out.push({ path: 'spec.gatewayClassName', to: { group: 'gateway.networking.k8s.io', kind: 'GatewayClass', name: className } });
    arr(spec(o).listeners).forEach((l, i) => {
      arr(obj(obj(l).tls).certificateRefs).forEach((c, j) => {
        const ref = obj(c);
        const name = str(ref.name);
        if (name && (str(ref.kind) ?? 'Secret') === 'Secret') {
          out.push({ path: `spec.listeners[${i}].tls.certificateRefs[${j}].name`, to: secret(str(ref.namespace) ?? o.metadata.namespace, name) });
        }
      });
    });
    return out;
  },
};

export function referencesOf(o: K8sObject): Reference[] {
  const extractor = EXTRACTORS[`${apiGroup(o.apiVersion)}/${o.kind}`];
  return extractor ? extractor(o).map((r) => ({ from: o, ...r })) : [];
}

/** Secrets an object makes exist in the cluster (a Certificate's secretName, an ExternalSecret's target). */
// eslint-disable-next-line complexity -- one branch per Kubernetes kind that makes a Secret exist (Certificate, ExternalSecret, Ingress with an issuer, SealedSecret, Secret); splitting scatters the table
export function secretsProducedBy(o: K8sObject): ObjectKey[] {
  const group = apiGroup(o.apiVersion);
  if (group === 'cert-manager.io' && o.kind === 'Certificate') {
    const name = str(spec(o).secretName);
    return name ? [secret(o.metadata.namespace, name)] : [];
  }
  if (group === 'external-secrets.io' && o.kind === 'ExternalSecret') {
    // Merge writes into a Secret someone else creates, None writes nothing: neither produces one.
    const target = obj(spec(o).target);
    const policy = str(target.creationPolicy) ?? 'Owner';
    if (policy === 'Merge' || policy === 'None') return [];
    return [secret(o.metadata.namespace, str(target.name) ?? o.metadata.name)];
  }
  if (group === 'networking.k8s.io' && o.kind === 'Ingress' && (o.metadata.annotations?.['cert-manager.io/cluster-issuer'] || o.metadata.annotations?.['cert-manager.io/issuer'])) {
    // cert-manager's ingress-shim makes a Certificate, and so a Secret, of every TLS entry.
    return arr(spec(o).tls).flatMap((t) => (str(obj(t).secretName) ? [secret(o.metadata.namespace, str(obj(t).secretName)!)] : []));
  }
  if (group === 'bitnami.com' && o.kind === 'SealedSecret') {
    // The controller unseals it into a Secret of the template's name, else its own, in its namespace.
    const name = str(obj(obj(spec(o).template).metadata).name) ?? o.metadata.name;
    return [secret(o.metadata.namespace, name)];
  }
  if (group === '' && o.kind === 'Secret') return [keyOf(o)];
  return [];
}
