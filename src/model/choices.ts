/**
 * Choices: the parts that differ between the seeds' platforms, each a key of
 * plinth.yaml with a closed set of values (ARCHITECTURE.md "Choices"). A
 * profile presets them; plinth.yaml may override each. What a value needs
 * from the catalog is stated here, once: the components without which the
 * choice does not work (disabling one by hand is a config error naming both
 * paths). Which components serve a value is stated by each component
 * (`serves`); the catalog picks.
 */

import { ENGINES, INGRESS_PROVIDERS, SECRETS_PROVIDERS, STORAGE_CLASSES } from '../config/choices.js';

export { ENGINES, INGRESS_PROVIDERS, SECRETS_PROVIDERS, STORAGE_CLASSES };

export type Engine = (typeof ENGINES)[number];
export type IngressProvider = (typeof INGRESS_PROVIDERS)[number];
export type SecretsProvider = (typeof SECRETS_PROVIDERS)[number];
export type StorageClassChoice = (typeof STORAGE_CLASSES)[number];

export interface Choices {
  engine: Engine;
  ingress: IngressProvider;
  secrets: SecretsProvider;
  storage: StorageClassChoice;
}
export type ChoiceKey = keyof Choices;

/** Which values of each choice a component serves: it is part of a platform only where every listed choice matches. */
export type ChoiceMatch = { readonly [K in ChoiceKey]?: readonly Choices[K][] };

export interface ChoiceValue {
  description: string;
  /** Components without which the value does not work. */
  needs: readonly string[];
  /** Not built yet: what will bring it (a config error says so). */
  planned?: string;
}

export interface ChoiceSpec<K extends ChoiceKey> {
  /** Where plinth.yaml sets it. */
  path: readonly string[];
  title: string;
  values: Readonly<Record<Choices[K], ChoiceValue>>;
}

export const CHOICES: { readonly [K in ChoiceKey]: ChoiceSpec<K> } = {
  engine: {
    path: ['gitops', 'engine'],
    title: 'GitOps engine',
    values: {
      argocd: { description: 'Argo CD: an app of apps ordered by sync waves', needs: ['argocd'] },
      flux: { description: 'Flux: Kustomizations ordered by dependsOn, HelmReleases', needs: ['flux'] },
    },
  },
  ingress: {
    path: ['ingress', 'provider'],
    title: 'ingress provider',
    values: {
      'cilium-gateway': { description: "Cilium's Gateway API implementation on the nodes' host network", needs: ['cilium', 'gateway-api-crds', 'platform-gateway'] },
      'ingress-nginx': { description: 'ingress-nginx behind a MetalLB address (Ingress objects)', needs: ['ingress-nginx', 'metallb'] },
      kong: { description: 'Kong as gateway and ingress controller (Gateway API) on dedicated nodes', needs: ['kong', 'gateway-api-crds'] },
      istio: { description: 'Istio: its ingress gateway behind a Gateway API Gateway, mTLS between tenant services', needs: ['gateway-api-crds', 'istio-base', 'istiod', 'istio-gateway'] },
    },
  },
  secrets: {
    path: ['secrets', 'provider'],
    title: 'secrets provider',
    values: {
      vault: { description: 'Vault, synced into Secrets by External Secrets', needs: ['vault', 'external-secrets'] },
      'sealed-secrets': { description: 'Sealed Secrets: encrypted Secrets in Git, decrypted in the cluster', needs: ['sealed-secrets'] },
      both: { description: 'Vault + External Secrets for runtime secrets, Sealed Secrets for what must be in Git', needs: ['vault', 'external-secrets', 'sealed-secrets'] },
    },
  },
  storage: {
    path: ['storage', 'class'],
    title: 'storage class',
    values: {
      'local-path': { description: "node-local volumes (k3s's local-path provisioner): a volume stays with its node", needs: [] },
      'rook-ceph': { description: 'replicated Ceph block volumes (Rook) on dedicated storage nodes', needs: ['rook-ceph', 'rook-ceph-cluster'] },
    },
  },
};

export const CHOICE_KEYS = Object.keys(CHOICES) as ChoiceKey[];

/** Whether a component serving `match` belongs to a platform with these choices. */
export function servesChoices(match: ChoiceMatch | undefined, choices: Choices): boolean {
  if (!match) return true;
  return CHOICE_KEYS.every((k) => {
    const allowed = match[k] as readonly string[] | undefined;
    return allowed === undefined || allowed.includes(choices[k]);
  });
}

/** Storage classes a StorageClass choice provides, by their Kubernetes name. */
export const STORAGE_CLASS_NAMES: Readonly<Record<StorageClassChoice, string>> = { 'local-path': 'local-path', 'rook-ceph': 'rook-ceph-block' };

/** Whether volumes of this class stay on their node (the planner keeps their pods there). */
export function nodeLocal(storage: StorageClassChoice): boolean {
  return storage === 'local-path';
}
