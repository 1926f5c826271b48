/**
 * The platform's policy set (seed 001 "Policy Enforcement", seed 004 "Admission"),
 * authored as Kyverno ValidatingPolicies and shipped as glue manifests of the
 * Kyverno component: `enforce-namespace-labels` in Enforce, everything else in Audit.
 */
import type { K8sObject } from '../../model/k8s.js';
import { PolicyDefinitionError } from '../errors.js';
import { type PolicyDefinition, validatingPolicy } from './build.js';
import { DEFAULT_EXCEPTION_NAMESPACE, type PlatformException, platformPolicyExceptions } from './exceptions.js';
import { enforceNamespaceLabels } from './namespaces.js';
import { baselinePolicies } from './pss-baseline.js';
import { restrictedPolicies } from './pss-restricted.js';
import { disallowLatestTag, requestsAndLimits, requireProbes, restrictImageRegistries } from './workloads.js';

export type { PolicyDefinition } from './build.js';
export { DEFAULT_EXCEPTION_NAMESPACE, type PlatformException, platformPolicyExceptions, REASON_ANNOTATION } from './exceptions.js';

export interface PlatformPolicyOptions {
  /** plinth.yaml `policy.allowedRegistries`: registries (and path prefixes) images may come from. */
  allowedRegistries: readonly string[];
  /** Documented exceptions for platform components that cannot comply. */
  exceptions?: readonly PlatformException[];
  /** Namespace of the PolicyExceptions, where Kyverno honours them (default `kyverno`). */
  exceptionNamespace?: string;
}

/** Every platform policy as data, sorted by name. */
export function platformPolicyDefinitions(allowedRegistries: readonly string[]): PolicyDefinition[] {
  if (allowedRegistries.length === 0) {
    throw new PolicyDefinitionError([{ path: 'policy.allowedRegistries', message: 'is empty: every image would be reported', hint: 'list the registries images may come from' }]);
  }
  const all = [enforceNamespaceLabels(), ...baselinePolicies(), ...restrictedPolicies(), requestsAndLimits(), disallowLatestTag(), restrictImageRegistries([...allowedRegistries].sort()), requireProbes()];
  return all.sort((a, b) => (a.name < b.name ? -1 : 1));
}

export const PLATFORM_POLICY_NAMES: readonly string[] = platformPolicyDefinitions(['docker.io']).map((d) => d.name);

/** The platform's ValidatingPolicies followed by its PolicyExceptions. */
export function platformPolicies(options: PlatformPolicyOptions): K8sObject[] {
  const definitions = platformPolicyDefinitions(options.allowedRegistries);
  const exceptions = platformPolicyExceptions(options.exceptions ?? [], definitions.map((d) => d.name), options.exceptionNamespace ?? DEFAULT_EXCEPTION_NAMESPACE);
  return [...definitions.map(validatingPolicy), ...exceptions];
}
