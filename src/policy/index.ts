/**
 * Policies as code: the platform's Kyverno ValidatingPolicies and their
 * exceptions, and an offline evaluator that gives the results Kyverno and the
 * API server would give (CEL on @marcbachmann/cel-js plus the Kubernetes
 * library functions, admission matching, autogen, PolicyReports).
 */
export { evaluateCompiled, evaluatePolicies, type EvaluateOptions, type FilteredResource, type PolicyEvaluation } from './engine.js';
export { compilePolicySet, type CompiledPolicySet, isPolicyDocument } from './policy-set.js';
export type { UnsupportedRule } from './admission/cluster-policy.js';
export type { ExceptionScope } from './admission/exceptions.js';
export type { ResourceRef, UserInfo } from './admission/request.js';
export { type CompileProblem, PolicyCompileError, PolicyDefinitionError } from './errors.js';
export { defaultKyvernoResourceFilters, parseResourceFilters } from './match/filters.js';
export { type PolicyAction, type PolicyKind, type PolicyResult, resultSeverity, type ResultStatus, sortResults } from './report/result.js';
export { POLICY_REPORT_API_VERSION, policyReports, type ReportSummary, summarize } from './report/policy-report.js';
export { KUBERNETES_LIBRARY_FUNCTIONS } from './cel/library/index.js';
export {
  DEFAULT_EXCEPTION_NAMESPACE,
  type PlatformException,
  PLATFORM_POLICY_NAMES,
  platformPolicies,
  platformPolicyDefinitions,
  platformPolicyExceptions,
  type PlatformPolicyOptions,
  type PolicyDefinition,
  REASON_ANNOTATION,
} from './library/index.js';
