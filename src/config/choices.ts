/** The values each choice of plinth.yaml accepts (what they mean and need: src/model/choices.ts). */
export const ENGINES = ['argocd', 'flux'] as const;
export const INGRESS_PROVIDERS = ['cilium-gateway', 'ingress-nginx', 'kong', 'istio'] as const;
export const SECRETS_PROVIDERS = ['vault', 'sealed-secrets', 'both'] as const;
export const STORAGE_CLASSES = ['local-path', 'rook-ceph'] as const;
/** The profiles Plinth builds: presets of choices, pools and components (src/model/profiles.ts). */
export const PROFILES = ['edge', 'compact', 'standard', 'lab'] as const;
