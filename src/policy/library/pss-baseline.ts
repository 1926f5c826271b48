/**
 * Pod Security Standards, baseline level: one Audit policy per control, so an
 * exception names exactly the controls a component cannot meet.
 * https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
 */
import { ALL_CONTAINERS, celList, PODS, type PolicyDefinition } from './build.js';

const CATEGORY = 'Pod Security Standards (Baseline)';

/** Capabilities the baseline level lets containers add. */
export const BASELINE_CAPABILITIES = [
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE',
  'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
];

/** Sysctls the baseline level considers safe (namespaced, isolated). */
export const SAFE_SYSCTLS = [
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes',
];

export const SELINUX_TYPES = ['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t'];

const APPARMOR_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

function baseline(name: string, title: string, description: string, rest: Pick<PolicyDefinition, 'variables' | 'validations'>): PolicyDefinition {
  return { name: `pss-baseline-${name}`, title, category: CATEGORY, severity: 'high', description, action: 'Audit', subject: 'Pod', matchConstraints: PODS, ...rest };
}

/** Containers failing a condition, by name, for messages: `variables.<name>`. */
function offending(name: string, condition: string): { name: string; expression: string } {
  return { name, expression: `variables.allContainers.filter(c, ${condition}).map(c, c.name)` };
}

export function baselinePolicies(): PolicyDefinition[] {
  return [
    baseline('host-process', 'Disallow HostProcess containers', 'Windows HostProcess containers get privileged access to the host; pods must not request them.', {
      variables: [ALL_CONTAINERS, offending('hostProcess', 'c.?securityContext.?windowsOptions.?hostProcess.orValue(false) == true')],
      validations: [
        { expression: 'object.spec.?securityContext.?windowsOptions.?hostProcess.orValue(false) == false', message: 'the pod must not set securityContext.windowsOptions.hostProcess' },
        { expression: 'size(variables.hostProcess) == 0', messageExpression: "'HostProcess containers are not allowed: ' + variables.hostProcess.join(', ')" },
      ],
    }),
    baseline('host-namespaces', 'Disallow host namespaces', 'Sharing the host network, PID or IPC namespace removes the isolation between the pod and the node.', {
      variables: [{ name: 'hostNamespaces', expression: "['hostNetwork', 'hostPID', 'hostIPC'].filter(f, f in object.spec && object.spec[f] == true)" }],
      validations: [{ expression: 'size(variables.hostNamespaces) == 0', messageExpression: "'host namespaces are not allowed; the pod sets ' + variables.hostNamespaces.join(', ')" }],
    }),
    baseline('privileged', 'Disallow privileged containers', 'Privileged containers have all the access of the host; they must not run on the platform.', {
      variables: [ALL_CONTAINERS, offending('privileged', 'c.?securityContext.?privileged.orValue(false) == true')],
      validations: [{ expression: 'size(variables.privileged) == 0', messageExpression: "'privileged containers are not allowed: ' + variables.privileged.join(', ')" }],
    }),
    baseline('capabilities', 'Restrict added capabilities', `Containers may only add the baseline capabilities: ${BASELINE_CAPABILITIES.join(', ')}.`, {
      variables: [ALL_CONTAINERS, offending('extraCapabilities', `!c.?securityContext.?capabilities.?add.orValue([]).all(cap, cap in ${celList(BASELINE_CAPABILITIES)})`)],
      validations: [{ expression: 'size(variables.extraCapabilities) == 0', messageExpression: "'containers add capabilities beyond the baseline set: ' + variables.extraCapabilities.join(', ')" }],
    }),
    baseline('host-path', 'Disallow hostPath volumes', 'hostPath volumes expose the node file system to the pod.', {
      variables: [{ name: 'hostPathVolumes', expression: 'object.spec.?volumes.orValue([]).filter(v, has(v.hostPath)).map(v, v.name)' }],
      validations: [{ expression: 'size(variables.hostPathVolumes) == 0', messageExpression: "'hostPath volumes are not allowed: ' + variables.hostPathVolumes.join(', ')" }],
    }),
    baseline('host-ports', 'Disallow host ports', 'Host ports bind the node network directly and bypass Services and network policies.', {
      variables: [ALL_CONTAINERS, offending('hostPorts', 'c.?ports.orValue([]).exists(p, p.?hostPort.orValue(0) != 0)')],
      validations: [{ expression: 'size(variables.hostPorts) == 0', messageExpression: "'host ports are not allowed; containers using them: ' + variables.hostPorts.join(', ')" }],
    }),
    baseline('apparmor', 'Restrict AppArmor profiles', 'AppArmor may not be disabled: profiles must be RuntimeDefault or Localhost.', {
      variables: [ALL_CONTAINERS, offending('unconfined', "!(c.?securityContext.?appArmorProfile.?type.orValue('RuntimeDefault') in ['RuntimeDefault', 'Localhost'])")],
      validations: [
        { expression: "object.spec.?securityContext.?appArmorProfile.?type.orValue('RuntimeDefault') in ['RuntimeDefault', 'Localhost']", message: 'the pod AppArmor profile must be RuntimeDefault or Localhost' },
        { expression: 'size(variables.unconfined) == 0', messageExpression: "'container AppArmor profiles must be RuntimeDefault or Localhost: ' + variables.unconfined.join(', ')" },
        {
          expression: `object.metadata.?annotations.orValue({}).all(k, !k.startsWith('${APPARMOR_PREFIX}') || object.metadata.annotations[k] == 'runtime/default' || object.metadata.annotations[k].startsWith('localhost/'))`,
          message: 'AppArmor annotations must be runtime/default or localhost/<profile>',
        },
      ],
    }),
    baseline('selinux', 'Restrict SELinux options', 'SELinux types are limited to the container types; user and role may not be set.', {
      variables: [ALL_CONTAINERS, { name: 'seLinuxOptions', expression: '[object.spec.?securityContext.?seLinuxOptions.orValue({})] + variables.allContainers.map(c, c.?securityContext.?seLinuxOptions.orValue({}))' }],
      validations: [
        {
          expression: `variables.seLinuxOptions.all(o, o.?type.orValue('') in ${celList(SELINUX_TYPES)} && o.?user.orValue('') == '' && o.?role.orValue('') == '')`,
          message: `seLinuxOptions.type must be one of ${SELINUX_TYPES.filter(Boolean).join(', ')} (or unset), and user and role must be unset`,
        },
      ],
    }),
    baseline('proc-mount', 'Require the default /proc mount', 'The /proc mount must keep its default masking (procMount: Default).', {
      variables: [ALL_CONTAINERS, offending('unmasked', "c.?securityContext.?procMount.orValue('Default') != 'Default'")],
      validations: [{ expression: 'size(variables.unmasked) == 0', messageExpression: "'procMount must be Default: ' + variables.unmasked.join(', ')" }],
    }),
    baseline('seccomp', 'Disallow unconfined seccomp', 'Seccomp may not be turned off (type Unconfined) for the pod or any container.', {
      variables: [ALL_CONTAINERS, offending('unconfined', "c.?securityContext.?seccompProfile.?type.orValue('') == 'Unconfined'")],
      validations: [
        { expression: "object.spec.?securityContext.?seccompProfile.?type.orValue('') != 'Unconfined'", message: 'the pod seccomp profile must not be Unconfined' },
        { expression: 'size(variables.unconfined) == 0', messageExpression: "'container seccomp profiles must not be Unconfined: ' + variables.unconfined.join(', ')" },
      ],
    }),
    baseline('sysctls', 'Restrict sysctls', `Only safe, namespaced sysctls may be set: ${SAFE_SYSCTLS.join(', ')}.`, {
      variables: [{ name: 'unsafe', expression: `object.spec.?securityContext.?sysctls.orValue([]).map(s, s.name).filter(n, !(n in ${celList(SAFE_SYSCTLS)}))` }],
      validations: [{ expression: 'size(variables.unsafe) == 0', messageExpression: "'unsafe sysctls are not allowed: ' + variables.unsafe.join(', ')" }],
    }),
  ];
}
