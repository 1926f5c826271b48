/**
 * Shapes of the policy documents Plinth evaluates, as they are written in YAML:
 * Kubernetes ValidatingAdmissionPolicy (+ binding), Kyverno ValidatingPolicy
 * (policies.kyverno.io), Kyverno ClusterPolicy/Policy rules with `validate.cel`,
 * and both kinds of Kyverno PolicyException. Only the fields the evaluator reads.
 */
import type { K8sObject } from '../model/k8s.js';

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

/** admissionregistration NamedRuleWithOperations. */
export interface ResourceRule {
  apiGroups?: string[];
  apiVersions?: string[];
  resources?: string[];
  operations?: string[];
  resourceNames?: string[];
  scope?: 'Cluster' | 'Namespaced' | '*';
}

/** admissionregistration MatchResources (`matchConstraints`, binding `matchResources`). */
export interface MatchResources {
  resourceRules?: ResourceRule[];
  excludeResourceRules?: ResourceRule[];
  namespaceSelector?: LabelSelector;
  objectSelector?: LabelSelector;
  matchPolicy?: 'Exact' | 'Equivalent';
}

export interface NamedExpression {
  name: string;
  expression: string;
}

export interface Validation {
  expression: string;
  message?: string;
  messageExpression?: string;
  reason?: string;
}

export interface AuditAnnotation {
  key: string;
  valueExpression: string;
}

export type FailurePolicy = 'Fail' | 'Ignore';
export type ValidationAction = 'Deny' | 'Warn' | 'Audit';
export type Operation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

/** The part shared by ValidatingAdmissionPolicy and Kyverno ValidatingPolicy specs. */
export interface ValidatingSpec {
  matchConstraints?: MatchResources;
  matchConditions?: NamedExpression[];
  variables?: NamedExpression[];
  validations?: Validation[];
  auditAnnotations?: AuditAnnotation[];
  failurePolicy?: FailurePolicy;
}

export interface ValidatingPolicySpec extends ValidatingSpec {
  validationActions?: ValidationAction[];
  autogen?: { podControllers?: { controllers?: string[] } };
  evaluation?: { mode?: string; admission?: { enabled?: boolean }; background?: { enabled?: boolean } };
}

export interface ValidatingAdmissionPolicySpec extends ValidatingSpec {
  paramKind?: { apiVersion: string; kind: string };
}

export interface ParamRef {
  name?: string;
  namespace?: string;
  selector?: LabelSelector;
  parameterNotFoundAction?: 'Allow' | 'Deny';
}

export interface ValidatingAdmissionPolicyBindingSpec {
  policyName: string;
  paramRef?: ParamRef;
  matchResources?: MatchResources;
  validationActions?: ValidationAction[];
}

/** Kyverno ClusterPolicy `ResourceDescription`. */
export interface ResourceDescription {
  kinds?: string[];
  names?: string[];
  name?: string;
  namespaces?: string[];
  annotations?: Record<string, string>;
  selector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  operations?: string[];
}

export interface Subject {
  kind: 'User' | 'Group' | 'ServiceAccount';
  name: string;
  namespace?: string;
}

export interface ResourceFilter {
  resources?: ResourceDescription;
  subjects?: Subject[];
  roles?: string[];
  clusterRoles?: string[];
}

/** Kyverno ClusterPolicy `match` / `exclude`. */
export interface KyvernoMatch extends ResourceFilter {
  any?: ResourceFilter[];
  all?: ResourceFilter[];
}

export interface KyvernoCelValidation {
  expressions?: Validation[];
  paramKind?: { apiVersion: string; kind: string };
  paramRef?: ParamRef;
  auditAnnotations?: AuditAnnotation[];
  variables?: NamedExpression[];
}

export interface KyvernoRule {
  name: string;
  match?: KyvernoMatch;
  exclude?: KyvernoMatch;
  celPreconditions?: NamedExpression[];
  preconditions?: unknown;
  context?: unknown[];
  validate?: {
    message?: string;
    failureAction?: 'Audit' | 'Enforce';
    cel?: KyvernoCelValidation;
    [other: string]: unknown;
  };
  [other: string]: unknown;
}

export interface KyvernoPolicySpec {
  validationFailureAction?: 'Audit' | 'Enforce' | 'audit' | 'enforce';
  failurePolicy?: FailurePolicy;
  rules?: KyvernoRule[];
}

/** policies.kyverno.io PolicyException (for ValidatingPolicy). */
export interface CelPolicyExceptionSpec {
  policyRefs: { kind: string; name: string }[];
  matchConditions?: NamedExpression[];
  images?: string[];
  allowedValues?: string[];
  expiresAt?: string;
  properties?: Record<string, string>;
  reportResult?: 'skip' | 'pass';
}

/** kyverno.io/v2 PolicyException (for ClusterPolicy rules). */
export interface KyvernoPolicyExceptionSpec {
  exceptions: { policyName: string; ruleNames: string[] }[];
  match: KyvernoMatch;
  conditions?: unknown;
}

export type Typed<S> = K8sObject & { spec: S };

export const VALIDATING_POLICY_GROUP = 'policies.kyverno.io';
export const KYVERNO_GROUP = 'kyverno.io';
export const ADMISSION_GROUP = 'admissionregistration.k8s.io';
