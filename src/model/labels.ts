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
