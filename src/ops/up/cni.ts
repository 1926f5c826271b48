/**
 * Does the cluster have a network plugin? A k3s started without flannel has
 * nodes NotReady because "network plugin not ready" and no CNI DaemonSet; then
 * Cilium goes first, before anything else can start.
 */
import { condition, nodeReady } from '../../cluster/index.js';
import type { K8sObject } from '../../model/k8s.js';

/** DaemonSet names of common network plugins. */
const CNI_DAEMONSETS = ['cilium', 'calico-node', 'kube-flannel-ds', 'kube-flannel', 'flannel', 'canal', 'weave-net', 'kube-router', 'antrea-agent', 'kindnet', 'aws-node', 'kube-ovn-cni'];

export type CniState =
  /** Another plugin runs (or the distribution's own, with nodes Ready). */
  | { kind: 'present'; name: string }
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

export function cniState(nodes: readonly K8sObject[], daemonSets: readonly K8sObject[]): CniState {
  const names = daemonSets.map((d) => d.metadata.name);
  const waiting = nodes.filter(waitsForNetwork).map((n) => n.metadata.name);
  if (names.includes('cilium')) return { kind: 'cilium', notReady: waiting };
  const other = CNI_DAEMONSETS.find((n) => names.includes(n));
  if (other) return { kind: 'present', name: other };
  if (waiting.length > 0) return { kind: 'missing', waiting };
  return { kind: 'present', name: 'built into the distribution (nodes are Ready without a CNI DaemonSet)' };
}
