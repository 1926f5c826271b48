/**
 * Pod Security Standards, restricted level (on top of baseline): one Audit
 * policy per control. https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
 */
import { ALL_CONTAINERS, celList, PODS, type PolicyDefinition } from './build.js';

const CATEGORY = 'Pod Security Standards (Restricted)';

export const RESTRICTED_VOLUME_TYPES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];

function restricted(name: string, title: string, description: string, rest: Pick<PolicyDefinition, 'variables' | 'validations'>): PolicyDefinition {
  return { name: `pss-restricted-${name}`, title, category: CATEGORY, severity: 'medium', description, action: 'Audit', subject: 'Pod', matchConstraints: PODS, ...rest };
}

const POD_SECCOMP = "object.spec.?securityContext.?seccompProfile.?type.orValue('')";
const POD_NON_ROOT = 'object.spec.?securityContext.?runAsNonRoot.orValue(false)';

export function restrictedPolicies(): PolicyDefinition[] {
  return [
    restricted('volume-types', 'Restrict volume types', `Volumes are limited to ${RESTRICTED_VOLUME_TYPES.join(', ')}.`, {
      variables: [{ name: 'otherVolumes', expression: `object.spec.?volumes.orValue([]).filter(v, !v.all(k, k == 'name' || k in ${celList(RESTRICTED_VOLUME_TYPES)})).map(v, v.name)` }],
      validations: [{ expression: 'size(variables.otherVolumes) == 0', messageExpression: "'volume types outside the restricted set: ' + variables.otherVolumes.join(', ')" }],
    }),
    restricted('privilege-escalation', 'Disallow privilege escalation', 'Every container must set securityContext.allowPrivilegeEscalation to false.', {
      variables: [ALL_CONTAINERS, { name: 'escalating', expression: 'variables.allContainers.filter(c, c.?securityContext.?allowPrivilegeEscalation.orValue(true) != false).map(c, c.name)' }],
      validations: [{ expression: 'size(variables.escalating) == 0', messageExpression: "'allowPrivilegeEscalation must be false: ' + variables.escalating.join(', ')" }],
    }),
    restricted('run-as-non-root', 'Require running as non-root', 'runAsNonRoot must be true for the pod, or for every container; it may not be false anywhere.', {
      variables: [ALL_CONTAINERS, { name: 'mayRunAsRoot', expression: `variables.allContainers.filter(c, c.?securityContext.?runAsNonRoot.orValue(${POD_NON_ROOT}) != true).map(c, c.name)` }],
      validations: [
        { expression: 'object.spec.?securityContext.?runAsNonRoot.orValue(true) != false', message: 'the pod must not set securityContext.runAsNonRoot to false' },
        { expression: 'size(variables.mayRunAsRoot) == 0', messageExpression: "'runAsNonRoot must be true (on the pod or the container): ' + variables.mayRunAsRoot.join(', ')" },
      ],
    }),
    restricted('run-as-user', 'Disallow running as UID 0', 'runAsUser may not be 0 for the pod or any container.', {
      variables: [ALL_CONTAINERS, { name: 'rootUser', expression: 'variables.allContainers.filter(c, c.?securityContext.?runAsUser.orValue(1) == 0).map(c, c.name)' }],
      validations: [
        { expression: 'object.spec.?securityContext.?runAsUser.orValue(1) != 0', message: 'the pod must not set securityContext.runAsUser to 0' },
        { expression: 'size(variables.rootUser) == 0', messageExpression: "'runAsUser must not be 0: ' + variables.rootUser.join(', ')" },
      ],
    }),
    restricted('seccomp', 'Require a seccomp profile', 'Seccomp must be RuntimeDefault or Localhost, set on the pod or on every container.', {
      variables: [
        ALL_CONTAINERS,
        { name: 'unprofiled', expression: `variables.allContainers.filter(c, !(c.?securityContext.?seccompProfile.?type.orValue(${POD_SECCOMP}) in ['RuntimeDefault', 'Localhost'])).map(c, c.name)` },
      ],
      validations: [
        { expression: `${POD_SECCOMP} in ['', 'RuntimeDefault', 'Localhost']`, message: 'the pod seccomp profile must be RuntimeDefault or Localhost' },
        { expression: 'size(variables.unprofiled) == 0', messageExpression: "'seccomp profile must be RuntimeDefault or Localhost: ' + variables.unprofiled.join(', ')" },
      ],
    }),
    restricted('capabilities', 'Drop all capabilities', "Every container must drop ALL capabilities and may add back only NET_BIND_SERVICE.", {
      variables: [
        ALL_CONTAINERS,
        {
          name: 'capable',
          expression: "variables.allContainers.filter(c, !('ALL' in c.?securityContext.?capabilities.?drop.orValue([])) || !c.?securityContext.?capabilities.?add.orValue([]).all(a, a == 'NET_BIND_SERVICE')).map(c, c.name)",
        },
      ],
      validations: [{ expression: 'size(variables.capable) == 0', messageExpression: "'containers must drop ALL capabilities and add only NET_BIND_SERVICE: ' + variables.capable.join(', ')" }],
    }),
  ];
}
