/**
 * The policy engine's entry point: evaluate policy documents (ValidatingPolicy,
 * ValidatingAdmissionPolicy + bindings, ClusterPolicy `validate.cel`, and their
 * exceptions) against resources, offline, with the cluster's admission semantics.
 * Pure: data in, results and PolicyReports out, sorted.
 */
import type { K8sObject } from '../model/k8s.js';
import { evaluateAdmissionPolicy } from './admission/admission-policy.js';
import { requestBindings } from './admission/bindings.js';
import { evaluateClusterPolicy, type UnsupportedRule } from './admission/cluster-policy.js';
import type { ExceptionScope } from './admission/exceptions.js';
import { type Attributes, attributesOf, NamespaceIndex, type ResourceRef, type UserInfo } from './admission/request.js';
import { evaluateValidatingPolicy } from './admission/validating-policy.js';
import { isFiltered, parseResourceFilters } from './match/filters.js';
import { ResourceCatalog } from './match/resources.js';
import { compilePolicySet, type CompiledPolicySet, isPolicyDocument } from './policy-set.js';
import { policyReports } from './report/policy-report.js';
import { type PolicyResult, sortResults } from './report/result.js';
import type { Operation } from './types.js';

export interface EvaluateOptions {
  /** Admission operation to simulate (default CREATE, as Kyverno's background scan does). */
  operation?: Operation;
  /** Namespace objects for namespaceSelector and `namespaceObject`; Namespaces among the resources count too. */
  namespaces?: readonly K8sObject[];
  /** Parameter objects for ValidatingAdmissionPolicy bindings and ClusterPolicy `paramKind`. */
  params?: readonly K8sObject[];
  /** The requesting user (default: a user named `plinth`, no groups). */
  userInfo?: UserInfo;
  /** Kyverno `resourceFilters` entries (e.g. `defaultKyvernoResourceFilters()`): filtered resources get no results. */
  resourceFilters?: readonly string[];
  /** Which exceptions Kyverno honours (its exception namespace) and the instant for `expiresAt`. */
  exceptionScope?: ExceptionScope;
  /** Keep the skips caused by matchConditions in `results` (tests compare them; reports never show them). */
  includeMatchConditionSkips?: boolean;
  /** The file a document came from, for error messages. */
  fileOf?: (o: K8sObject) => string | undefined;
  /** The component (unit) a resource belongs to; copied into its results. */
  componentOf?: (o: K8sObject) => string | undefined;
}

export interface PolicyEvaluation {
  /** Every result, sorted by resource, policy and rule. */
  results: PolicyResult[];
  /** One PolicyReport (or ClusterPolicyReport) per resource with results. */
  reports: K8sObject[];
  /** Resources Kyverno's resourceFilters keep out of admission and reports. */
  filtered: ResourceRef[];
  /** ClusterPolicy rules that could not be evaluated offline, and why. */
  unsupported: UnsupportedRule[];
}

function evaluateOne(set: CompiledPolicySet, a: Attributes, options: EvaluateOptions): PolicyResult[] {
  const bindings = requestBindings(a);
  const params = options.params ?? [];
  const out: PolicyResult[] = [];
  for (const p of set.validatingPolicies) {
    const r = evaluateValidatingPolicy(p, a, bindings);
    if (r) out.push(r);
  }
  for (const p of set.admissionPolicies) out.push(...evaluateAdmissionPolicy(p, a, bindings, params));
  const ctx = { params, exceptions: set.kyvernoExceptions, scope: options.exceptionScope ?? {} };
  for (const p of set.kyvernoPolicies) out.push(...evaluateClusterPolicy(p, a, bindings, ctx));
  return out;
}

/** Evaluates an already compiled set (compile once, evaluate several operations or resource sets). */
export function evaluateCompiled(set: CompiledPolicySet, resources: readonly K8sObject[], options: EvaluateOptions = {}): PolicyEvaluation {
  const catalog = ResourceCatalog.withDefinitionsFrom(resources);
  const namespaces = new NamespaceIndex([...(options.namespaces ?? []), ...resources.filter((r) => r.kind === 'Namespace' && r.apiVersion === 'v1')]);
  const filters = parseResourceFilters(options.resourceFilters ?? []);
  const context = { operation: options.operation ?? 'CREATE', catalog, namespaces, userInfo: options.userInfo ?? { username: 'plinth' } };
  const results: PolicyResult[] = [];
  const filtered: ResourceRef[] = [];
  for (const resource of resources) {
    const a = attributesOf(resource, context);
    if (isFiltered(filters, a)) {
      filtered.push(a.ref);
      continue;
    }
    const component = options.componentOf?.(resource);
    for (const r of evaluateOne(set, a, options)) {
      if (r.skipReason === 'match-conditions' && !options.includeMatchConditionSkips) continue;
      results.push(component ? { ...r, component } : r);
    }
  }
  const sorted = sortResults(results);
  const refKey = (r: ResourceRef) => [r.namespace ?? '', r.kind, r.name].join('\u0000');
  filtered.sort((x, y) => (refKey(x) < refKey(y) ? -1 : refKey(x) > refKey(y) ? 1 : 0));
  return { results: sorted, reports: policyReports(sorted), filtered, unsupported: set.unsupported };
}

/**
 * Evaluates `policies` (policy documents; anything else among them is ignored)
 * against `resources`. Throws PolicyCompileError when an expression does not compile.
 */
export function evaluatePolicies(policies: readonly K8sObject[], resources: readonly K8sObject[], options: EvaluateOptions = {}): PolicyEvaluation {
  const set = compilePolicySet(policies.filter(isPolicyDocument), { ...(options.exceptionScope ? { exceptionScope: options.exceptionScope } : {}), ...(options.fileOf ? { fileOf: options.fileOf } : {}) });
  return evaluateCompiled(set, resources, options);
}
