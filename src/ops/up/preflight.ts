/**
 * Preflight: before anything is written, the cluster must be the one
 * plinth.yaml describes: an API server of a supported version, and every node
 * of plinth.yaml present. Differences are collected, all of them, as data.
 */
import type { ServerVersion } from '../../cluster/index.js';
import { cpuMillis, formatCpu, formatMemory, memoryBytes } from '../../lib/quantity.js';
import type { K8sObject } from '../../model/k8s.js';
import type { Platform } from '../../model/platform.js';

export const MIN_VERSION = { major: 1, minor: 29 } as const;

export interface Difference {
  severity: 'error' | 'warning';
  message: string;
  hint?: string;
}

export interface PreflightFacts {
  version: ServerVersion;
  nodes: K8sObject[];
}

function capacity(node: K8sObject): { cpu?: number; memory?: number } {
  const c = (node.status as { capacity?: { cpu?: string; memory?: string } } | undefined)?.capacity;
  const safe = <T>(f: () => T) => {
    try {
      return f();
    } catch {
      return undefined;
    }
  };
  return { cpu: c?.cpu ? safe(() => cpuMillis(c.cpu!)) : undefined, memory: c?.memory ? safe(() => memoryBytes(c.memory!)) : undefined };
}

export function preflightDifferences(platform: Platform, facts: PreflightFacts): Difference[] {
  const out: Difference[] = [];
  const { major, minor, gitVersion } = facts.version;
  if (major < MIN_VERSION.major || (major === MIN_VERSION.major && minor < MIN_VERSION.minor)) {
    out.push({
      severity: 'error',
      message: `the API server runs Kubernetes ${gitVersion}; Plinth needs ${MIN_VERSION.major}.${MIN_VERSION.minor} or newer`,
      hint: 'upgrade the cluster (k3s: install a v1.29+ release), or point --context at another cluster',
    });
  }
  const live = new Map(facts.nodes.map((n) => [n.metadata.name, n]));
  for (const node of platform.nodes) {
    const found = live.get(node.name);
    if (!found) {
      out.push({
        severity: 'error',
        message: `node ${node.name} (pool ${node.pool}, ${node.role}) is in plinth.yaml but not in the cluster`,
        hint: `name the nodes in plinth.yaml as \`kubectl get nodes\` shows them${facts.nodes.length ? ` (${facts.nodes.map((n) => n.metadata.name).join(', ')})` : ''}, or join the node`,
      });
      continue;
    }
    const labels = found.metadata.labels ?? {};
    const isServer = 'node-role.kubernetes.io/control-plane' in labels || 'node-role.kubernetes.io/master' in labels;
    if (node.role === 'control-plane' && !isServer) {
      out.push({ severity: 'warning', message: `node ${node.name} is a control-plane node in plinth.yaml, but the cluster does not label it as one (node-role.kubernetes.io/control-plane)` });
    }
    const cap = capacity(found);
    if (cap.cpu !== undefined && cap.cpu < node.capacity.cpu * 0.9) {
      out.push({ severity: 'warning', message: `node ${node.name} has ${formatCpu(cap.cpu)} CPU; plinth.yaml says ${formatCpu(node.capacity.cpu)}, and the plan counts on it`, hint: `set cluster.nodes[].cpu of ${node.name} to what the node has` });
    }
    if (cap.memory !== undefined && cap.memory < node.capacity.memory * 0.9) {
      out.push({ severity: 'warning', message: `node ${node.name} has ${formatMemory(cap.memory)} memory; plinth.yaml says ${formatMemory(node.capacity.memory)}, and the plan counts on it`, hint: `set cluster.nodes[].memory of ${node.name} to what the node has` });
    }
  }
  const declared = new Set(platform.nodes.map((n) => n.name));
  for (const n of facts.nodes) {
    if (!declared.has(n.metadata.name)) out.push({ severity: 'warning', message: `node ${n.metadata.name} is in the cluster but not in plinth.yaml: Plinth gives it no pool, and the plan does not count it` });
  }
  return out;
}

export function formatDifferences(diffs: readonly Difference[]): string {
  return diffs.map((d) => `  - ${d.severity}: ${d.message}${d.hint ? `\n    hint: ${d.hint}` : ''}`).join('\n');
}
