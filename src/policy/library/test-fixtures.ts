/** The inputs the policy suites (suites/<policy>/) are generated with, shared by their tests. */
import type { PlatformException } from './exceptions.js';

export const SUITE_REGISTRIES = ['docker.io/library', 'ghcr.io', 'registry.k8s.io'];

/** Sample exceptions of the exceptions suite: what the platform's agents really need. */
export const SUITE_EXCEPTIONS: PlatformException[] = [
  {
    name: 'cilium-agent',
    component: 'cilium',
    policies: ['pss-baseline-capabilities', 'pss-baseline-host-namespaces', 'pss-baseline-host-path', 'pss-baseline-privileged'],
    match: { namespace: 'kube-system', workloads: ['cilium'], kinds: ['DaemonSet', 'Pod'] },
    reason: 'the CNI agent programs eBPF and routes on the host network: it needs the host network, privileges, NET_ADMIN/SYS_ADMIN and /sys/fs/bpf',
  },
  {
    name: 'cilium-images',
    component: 'cilium',
    policies: ['restrict-image-registries'],
    match: { namespace: 'kube-system' },
    images: ['quay.io/cilium/cilium:v1.20.0'],
    reason: 'Cilium publishes its images on quay.io only',
  },
  {
    name: 'fluent-bit-logs',
    component: 'fluent-bit',
    policies: ['pss-baseline-host-path'],
    match: { namespace: 'observability', workloads: ['fluent-bit'] },
    reason: 'the log shipper tails container logs from /var/log on each node (hostPath, read-only)',
  },
];
