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
import { namespaceSelectorMatches } from './match/constraints.js';
import { filterOf, parseResourceFilters } from './match/filters.js';
import { ResourceCatalog } from './match/resources.js';
import { compilePolicySet, type CompiledPolicySet, isPolicyDocument } from './policy-set.js';
import { policyReports } from './report/policy-report.js';
import { type PolicyResult, sortResults } from './report/result.js';
import type { LabelSelector, Operation } from './types.js';

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
  /**
   * The namespaceSelector of Kyverno's webhooks (chart `config.webhooks.namespaceSelector`): requests
   * in namespaces it leaves out never reach Kyverno, so its policies cannot deny them. Their results
   * stay (the background scan reports them) but are not blocking. Kubernetes ValidatingAdmissionPolicies
   * run in the API server and are not affected. Absent: Kyverno sees every namespace.
   */
  kyvernoWebhookNamespaceSelector?: LabelSelector;
  /** Which exceptions Kyverno honours (its exception namespace) and the instant for `expiresAt`. */
  exceptionScope?: ExceptionScope;
  /** Keep the skips caused by matchConditions in `results` (tests compare them; reports never show them). */
  includeMatchConditionSkips?: boolean;
  /** The file a document came from, for error messages. */
  fileOf?: (o: K8sObject) => string | undefined;
  /** The component (unit) a resource belongs to; copied into its results. */
  componentOf?: (o: K8sObject) => string | undefined;
}

/** A resource Kyverno's resourceFilters keep out, and the entry that does (e.g. the kube-system one). */
export interface FilteredResource extends ResourceRef {
  filter: string;
}

export interface PolicyEvaluation {
  /** Every result, sorted by resource, policy and rule. */
  results: PolicyResult[];
  /** One PolicyReport (or ClusterPolicyReport) per resource with results. */
  reports: K8sObject[];
  /** Resources Kyverno's resourceFilters keep out of admission and reports. */
  filtered: FilteredResource[];
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

/** A Kyverno result for an object its webhooks never see: reported, never denied. */
function outsideWebhook(r: PolicyResult): PolicyResult {
  return { ...r, blocking: false, admission: 'outside-webhook' };
}

/** Evaluates an already compiled set (compile once, evaluate several operations or resource sets). */
// eslint-disable-next-line complexity -- the count is mostly the defaults of EvaluateOptions (??, ?.); the loop itself is filter, evaluate, place each resource's results
export function evaluateCompiled(set: CompiledPolicySet, resources: readonly K8sObject[], options: EvaluateOptions = {}): PolicyEvaluation {
  const catalog = ResourceCatalog.withDefinitionsFrom(resources);
  const namespaces = new NamespaceIndex([...(options.namespaces ?? []), ...resources.filter((r) => r.kind === 'Namespace' && r.apiVersion === 'v1')]);
  const filters = parseResourceFilters(options.resourceFilters ?? []);
  const context = { operation: options.operation ?? 'CREATE', catalog, namespaces, userInfo: options.userInfo ?? { username: 'plinth' } };
  const results: PolicyResult[] = [];
  const filtered: FilteredResource[] = [];
  const webhook = options.kyvernoWebhookNamespaceSelector;
  for (const resource of resources) {
    const a = attributesOf(resource, context);
    const filter = filterOf(filters, a);
    if (filter) {
      filtered.push({ ...a.ref, filter: filter.text });
      continue;
    }
    const component = options.componentOf?.(resource);
    const unseen = webhook !== undefined && !namespaceSelectorMatches({ namespaceSelector: webhook }, a);
    for (const r of evaluateOne(set, a, options)) {
      if (r.skipReason === 'match-conditions' && !options.includeMatchConditionSkips) continue;
      const placed = component ? { ...r, component } : r;
      results.push(unseen && r.policyKind !== 'ValidatingAdmissionPolicy' ? outsideWebhook(placed) : placed);
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
