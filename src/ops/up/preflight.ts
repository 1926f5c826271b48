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
  /** Deployments and DaemonSets of kube-system (k3s's packaged components live there). */
  workloads?: K8sObject[];
}

/** The k3s server flags that switch off Traefik and ServiceLB. */
const K3S_ADDON_FLAGS = '--disable=traefik --disable=servicelb';

/** The components a k3s server runs unless told not to (`--disable NAME`), as given in its `k3s.io/node-args`. */
export function k3sDisabled(node: K8sObject): Set<string> | undefined {
  const raw = node.metadata.annotations?.['k3s.io/node-args'];
  if (!raw) return undefined;
  let args: unknown;
  try {
    args = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (!Array.isArray(args)) return undefined;
  const disabled = new Set<string>();
  args.forEach((a, i) => {
    if (typeof a !== 'string') return;
    const value = a === '--disable' ? args[i + 1] : a.startsWith('--disable=') ? a.slice('--disable='.length) : undefined;
    if (typeof value === 'string') for (const v of value.split(',')) disabled.add(v.trim());
  });
  return disabled;
}

/**
 * Traefik and ServiceLB, which k3s runs unless its server is started with
 * `--disable traefik --disable servicelb`: ServiceLB's klipper-lb pods hold
 * host ports 80 and 443 for every LoadBalancer Service (Traefik's first), and
 * those are the ports Cilium's host-network Gateway listens on.
 */
export function k3sAddonDifferences(facts: PreflightFacts, gatewayOnHostPorts: boolean): Difference[] {
  if (!gatewayOnHostPorts) return [];
  const out: Difference[] = [];
  const workloads = facts.workloads ?? [];
  const traefik = workloads.find((w) => w.kind === 'Deployment' && w.metadata.name === 'traefik');
  const svclb = workloads.filter((w) => w.kind === 'DaemonSet' && 'svccontroller.k3s.cattle.io/svcname' in (w.metadata.labels ?? {}));
  const running = [...(traefik ? [`Deployment kube-system/traefik`] : []), ...svclb.map((d) => `DaemonSet ${d.metadata.namespace ?? 'kube-system'}/${d.metadata.name}`)];
  if (running.length > 0) {
    out.push({
      severity: 'error',
      message: `k3s runs ${traefik ? 'Traefik' : ''}${traefik && svclb.length ? ' and ' : ''}${svclb.length ? 'ServiceLB' : ''} (${running.join(', ')}): ServiceLB holds host ports 80 and 443, which the platform Gateway (Cilium, host network) needs`,
      hint: `restart every k3s server with ${K3S_ADDON_FLAGS} (in /etc/rancher/k3s/config.yaml: disable: [traefik, servicelb]); k3s then removes them. Then run \`plinth up\` again`,
    });
    return out;
  }
  for (const node of facts.nodes) {
    const disabled = k3sDisabled(node);
    if (!disabled || !('node-role.kubernetes.io/control-plane' in (node.metadata.labels ?? {}))) continue;
    const missing = ['traefik', 'servicelb'].filter((c) => !disabled.has(c));
    if (missing.length > 0) {
      out.push({
        severity: 'warning',
        message: `k3s server ${node.metadata.name} was started without --disable ${missing.join(' --disable ')}: k3s will start ${missing.join(' and ')}, and ServiceLB takes host ports 80 and 443 from the platform Gateway`,
        hint: `add ${missing.map((m) => `--disable=${m}`).join(' ')} to the k3s server's flags`,
      });
    }
  }
  return out;
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
