/**
 * Node pools on the live nodes: the labels and taints of each node's pool
 * (platform.nodes[].labels/taints). Labels are merged; taints are added to
 * what the node has (kubelet and controllers own taints too), never replaced.
 */
import type { K8sObject, Labels, Taint } from '../../model/k8s.js';
import type { Platform } from '../../model/platform.js';

export interface NodeChange {
  node: string;
  /** Labels to set (missing or with another value). */
  labels: Labels;
  /** Taints to add. */
  taints: Taint[];
  /** The node's taints after the change (what the patch writes). */
  allTaints: Taint[];
  /** The version the taints were read at: the patch fails with a conflict if the node changed since. */
  resourceVersion?: string;
}

const sameTaint = (a: Taint, b: Taint) => a.key === b.key && a.effect === b.effect;

export function nodeChanges(platform: Platform, liveNodes: readonly K8sObject[]): NodeChange[] {
  const live = new Map(liveNodes.map((n) => [n.metadata.name, n]));
  const out: NodeChange[] = [];
  for (const node of platform.nodes) {
    const found = live.get(node.name);
    if (!found) continue;
    const have = found.metadata.labels ?? {};
    const labels = Object.fromEntries(Object.entries(node.labels).filter(([k, v]) => have[k] !== v));
    const current = ((found.spec as { taints?: Taint[] } | undefined)?.taints ?? []).map((t) => ({ ...t }));
    const taints = node.taints.filter((t) => !current.some((c) => sameTaint(c, t) && (c.value ?? '') === (t.value ?? '')));
    if (Object.keys(labels).length === 0 && taints.length === 0) continue;
    const allTaints = [...current.filter((c) => !taints.some((t) => sameTaint(c, t))), ...taints];
    const resourceVersion = found.metadata.resourceVersion;
    out.push({ node: node.name, labels, taints, allTaints, ...(typeof resourceVersion === 'string' ? { resourceVersion } : {}) });
  }
  return out;
}

export function describeNodeChange(c: NodeChange): string {
  const parts = [
    ...Object.entries(c.labels).map(([k, v]) => `label ${k}=${v}`),
    ...c.taints.map((t) => `taint ${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`),
  ];
  return `${c.node}: ${parts.join(', ')}`;
}

/**
 * The merge patch of one node: labels merged; the taint list written whole,
 * so it carries the resourceVersion it was read at (a taint another
 * controller added since makes the server refuse the patch, not lose the taint).
 */
export function nodePatch(c: NodeChange): Record<string, unknown> {
  const lock = c.taints.length > 0 && c.resourceVersion !== undefined ? { resourceVersion: c.resourceVersion } : {};
  const labels = Object.keys(c.labels).length ? { labels: c.labels } : {};
  const metadata = { ...labels, ...lock };
  return {
    ...(Object.keys(metadata).length ? { metadata } : {}),
    ...(c.taints.length ? { spec: { taints: c.allTaints } } : {}),
  };
}
