/** Label keys the platform relies on. */

/** Labels every namespace must carry (seed 001: `enforce-namespace-labels`, for cost attribution). */
export const NAMESPACE_OWNER_LABEL = 'owner';
export const NAMESPACE_COST_CENTER_LABEL = 'cost-center';
export const NAMESPACE_ENVIRONMENT_LABEL = 'environment';
export const REQUIRED_NAMESPACE_LABELS = [NAMESPACE_OWNER_LABEL, NAMESPACE_COST_CENTER_LABEL, NAMESPACE_ENVIRONMENT_LABEL] as const;

/** Namespaces whose routes may attach to the platform Gateway. */
export const GATEWAY_ACCESS_LABEL = 'plinth.dev/gateway-access';

export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'plinth';

/** Labels on generated Applications, so tools can select by unit, stack, tier and wave. */
export const UNIT_LABEL = 'plinth.dev/unit';
export const STACK_LABEL = 'plinth.dev/stack';
export const TIER_LABEL = 'plinth.dev/tier';
export const WAVE_LABEL = 'plinth.dev/wave';

/**
 * Kept when its owner goes: Helm leaves it on uninstall, Argo CD (2.8+) treats
 * it as `Delete=false` when the Application is deleted with its resources, and
 * Flux's helm-controller uninstalls through Helm. Set through chart values on
 * what must outlive its component (CRDs others' objects use, volumes).
 */
export const KEEP_ON_DELETE = { 'helm.sh/resource-policy': 'keep' } as const;

/** Argo CD's per-object sync options: never pruned when removed from Git, never deleted with the Application. */
export const ARGOCD_SYNC_OPTIONS_ANNOTATION = 'argocd.argoproj.io/sync-options';
export const ARGOCD_KEEP = 'Prune=false,Delete=false';
/**
 * Argo CD's compare options: an object left in the cluster after it left Git
 * (Prune=false) does not make its Application OutOfSync for ever, which would
 * stop the root Application's waves at that Application.
 */
export const ARGOCD_COMPARE_OPTIONS_ANNOTATION = 'argocd.argoproj.io/compare-options';
export const ARGOCD_IGNORE_EXTRANEOUS = 'IgnoreExtraneous';

/** Whether an object survives the deletion of the Application (or release) that owns it. */
export function keptOnDelete(annotations: Readonly<Record<string, string>> | undefined): boolean {
  if (!annotations) return false;
  if (annotations['helm.sh/resource-policy'] === 'keep') return true;
  const options = (annotations[ARGOCD_SYNC_OPTIONS_ANNOTATION] ?? '').split(',').map((o) => o.trim());
  return options.includes('Delete=false');
}
