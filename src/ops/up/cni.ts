/**
 * Does the cluster have a network plugin, and which? A k3s started without
 * flannel has nodes NotReady because "network plugin not ready" and no CNI
 * DaemonSet; then Cilium goes first, before anything else can start. A k3s
 * started as it comes runs flannel inside its own process (no DaemonSet, but
 * flannel's annotations on every node): Cilium must not go on top of it.
 */
import { condition, nodeReady } from '../../cluster/index.js';
import type { K8sObject } from '../../model/k8s.js';

import { CNI_UNIT } from '../../desired/bootstrap.js';

export { CNI_UNIT };

/** DaemonSet names of common network plugins. */
const CNI_DAEMONSETS = ['cilium', 'calico-node', 'kube-flannel-ds', 'kube-flannel', 'flannel', 'canal', 'weave-net', 'kube-router', 'antrea-agent', 'kindnet', 'aws-node', 'kube-ovn-cni'];

/** Flannel annotates every node it runs on (k3s's embedded flannel too). */
const FLANNEL_ANNOTATION = 'flannel.alpha.coreos.com/backend-type';

/**
 * k3s's server flags that leave the network to Cilium (seed 001 layer 0):
 * no flannel, network policy controller or kube-proxy (Cilium replaces all
 * three), and no Traefik or ServiceLB, whose klipper-lb pods hold host ports
 * 80 and 443 that Cilium's host-network Gateway needs.
 */
export const K3S_SERVER_FLAGS = ['--flannel-backend=none', '--disable-network-policy', '--disable-kube-proxy', '--disable=traefik', '--disable=servicelb'] as const;
export const K3S_WITHOUT_NETWORK = K3S_SERVER_FLAGS.join(' ');

export type CniState =
  /** Another plugin runs; `k3s`: the one built into k3s. */
  | { kind: 'present'; name: string; k3s: boolean }
  /** No plugin: nodes wait for one. */
  | { kind: 'missing'; waiting: string[] }
  /** Cilium is installed; `notReady` lists nodes still waiting for the network. */
  | { kind: 'cilium'; notReady: string[] };

export function waitsForNetwork(node: K8sObject): boolean {
  if (nodeReady(node)) return false;
  const ready = condition(node, 'Ready');
  const text = `${ready?.reason ?? ''} ${ready?.message ?? ''}`;
  return /network plugin|NetworkPluginNotReady|NetworkReady=false|\bcni\b/i.test(text) || condition(node, 'NetworkUnavailable')?.status === 'True';
}

function isK3s(node: K8sObject): boolean {
  const kubelet = (node.status as { nodeInfo?: { kubeletVersion?: string } } | undefined)?.nodeInfo?.kubeletVersion ?? '';
  return 'k3s.io/node-args' in (node.metadata.annotations ?? {}) || /\+k3s/.test(kubelet);
}

export function cniState(nodes: readonly K8sObject[], daemonSets: readonly K8sObject[]): CniState {
  const names = daemonSets.map((d) => d.metadata.name);
  const waiting = nodes.filter(waitsForNetwork).map((n) => n.metadata.name);
  if (names.includes('cilium')) return { kind: 'cilium', notReady: waiting };
  const other = CNI_DAEMONSETS.find((n) => names.includes(n));
  if (other) return { kind: 'present', name: other, k3s: false };
  const k3s = nodes.length > 0 && nodes.every(isK3s);
  if (nodes.some((n) => FLANNEL_ANNOTATION in (n.metadata.annotations ?? {}))) return { kind: 'present', name: k3s ? 'flannel (built into k3s)' : 'flannel', k3s };
  if (waiting.length > 0) return { kind: 'missing', waiting };
  return { kind: 'present', name: 'a network plugin Plinth does not know (the nodes are Ready without Cilium)', k3s };
}

/** Why Cilium cannot be installed on this network, and what to do; undefined when it can. */
export function cniConflict(state: CniState): { message: string; hint: string } | undefined {
  if (state.kind !== 'present') return undefined;
  return {
    message: `the cluster already runs ${state.name} as its network plugin, and the ${CNI_UNIT} component is enabled: Argo CD would install Cilium on top of it (two network plugins on every node)`,
    hint: state.k3s
      ? `start k3s with ${K3S_WITHOUT_NETWORK} (Cilium replaces flannel, kube-proxy and the network policy controller, and its Gateway needs ports 80/443 that ServiceLB would hold; \`plinth cluster create\` does this for k3d), or disable the ${CNI_UNIT} component in plinth.yaml`
      : `remove ${state.name} first, or disable the ${CNI_UNIT} component in plinth.yaml`,
  };
}
