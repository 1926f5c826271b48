/** Seed 001: every namespace carries owner, cost-center and environment labels (Enforce, for cost attribution). */
import { REQUIRED_NAMESPACE_LABELS } from '../../model/labels.js';

/** The namespaces Kubernetes itself creates. */
export const KUBERNETES_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'] as const;
import { celList, type PolicyDefinition, resourceRule } from './build.js';

export function enforceNamespaceLabels(): PolicyDefinition {
  return {
    name: 'enforce-namespace-labels',
    title: 'Require namespace ownership labels',
    category: 'Multi-Tenancy',
    severity: 'medium',
    description: `Every namespace must carry non-empty ${REQUIRED_NAMESPACE_LABELS.join(', ')} labels, so costs and incidents can be attributed (FinOps). Enforced: a namespace without them is rejected.`,
    action: 'Enforce',
    subject: 'Namespace',
    matchConstraints: resourceRule('', 'namespaces'),
    // Kubernetes creates and updates its own namespaces (the apiserver touches them on every restart):
    // enforcing labels there would deny its own writes, and they are nobody's cost.
    matchConditions: [{ name: 'not-kubernetes-own', expression: `!(object.metadata.name in ${celList(KUBERNETES_NAMESPACES)})` }],
    variables: [
      { name: 'labels', expression: 'object.metadata.?labels.orValue({})' },
      { name: 'missing', expression: `${celList(REQUIRED_NAMESPACE_LABELS)}.filter(l, !(l in variables.labels) || variables.labels[l] == '')` },
    ],
    validations: [
      {
        expression: 'size(variables.missing) == 0',
        messageExpression: "'namespace ' + object.metadata.name + ' lacks the required labels: ' + variables.missing.join(', ')",
        reason: 'Forbidden',
      },
    ],
  };
}
