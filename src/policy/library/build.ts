/** Builders of the platform's ValidatingPolicies: Kyverno annotations, matchConstraints, actions. */
import type { K8sObject } from '../../model/k8s.js';
import { MANAGED_BY, MANAGED_BY_LABEL } from '../../model/labels.js';
import type { MatchResources, NamedExpression, Validation } from '../types.js';

export const VALIDATING_POLICY_API_VERSION = 'policies.kyverno.io/v1';

export type Severity = 'low' | 'medium' | 'high' | 'critical';

/** One platform policy, as data: what it checks and why, in words and in CEL. */
export interface PolicyDefinition {
  name: string;
  title: string;
  category: string;
  severity: Severity;
  /** What the policy requires and why; goes to the `policies.kyverno.io/description` annotation. */
  description: string;
  /** Enforce denies violating requests; Audit only reports them (seed 001: only namespace labels are enforced). */
  action: 'Enforce' | 'Audit';
  subject: string;
  matchConstraints: MatchResources;
  matchConditions?: NamedExpression[];
  variables?: NamedExpression[];
  validations: Validation[];
}

const CREATE_UPDATE = ['CREATE', 'UPDATE'];

export function resourceRule(group: string, resource: string, version = 'v1'): MatchResources {
  return { resourceRules: [{ apiGroups: [group], apiVersions: [version], operations: CREATE_UPDATE, resources: [resource] }] };
}

/** Pods; Kyverno's autogen extends the policy to Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs and CronJobs. */
export const PODS = resourceRule('', 'pods');

/** Every container of the pod: containers, initContainers and ephemeralContainers. */
export const ALL_CONTAINERS: NamedExpression = {
  name: 'allContainers',
  expression: 'object.spec.containers + object.spec.?initContainers.orValue([]) + object.spec.?ephemeralContainers.orValue([])',
};

export function validatingPolicy(d: PolicyDefinition): K8sObject {
  return {
    apiVersion: VALIDATING_POLICY_API_VERSION,
    kind: 'ValidatingPolicy',
    metadata: {
      name: d.name,
      labels: { [MANAGED_BY_LABEL]: MANAGED_BY },
      annotations: {
        'policies.kyverno.io/title': d.title,
        'policies.kyverno.io/category': d.category,
        'policies.kyverno.io/severity': d.severity,
        'policies.kyverno.io/subject': d.subject,
        'policies.kyverno.io/description': d.description,
      },
    },
    spec: {
      validationActions: d.action === 'Enforce' ? ['Deny'] : ['Audit'],
      matchConstraints: d.matchConstraints,
      ...(d.matchConditions ? { matchConditions: d.matchConditions } : {}),
      ...(d.variables ? { variables: d.variables } : {}),
      validations: d.validations,
    },
  };
}

/** A CEL string list literal. */
export function celList(values: readonly string[]): string {
  return `[${values.map((v) => JSON.stringify(v)).join(', ')}]`;
}
