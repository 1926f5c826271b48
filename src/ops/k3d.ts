/**
 * `plinth cluster create`: a local k3d cluster shaped like plinth.yaml: one
 * k3s server and one agent per worker node, named as plinth.yaml names them,
 * the server tainted for the control plane, flannel, kube-proxy, servicelb
 * and traefik off (Cilium replaces them, seed 001 layer 0). Pure config
 * generation here; the command runs k3d when docker and k3d are available.
 */
import { toYaml } from '../lib/yaml.js';
import type { Platform } from '../model/platform.js';
import { CONTROL_PLANE_TAINT, POOL_LABEL } from '../model/profiles.js';

/** The k3s image of the cluster: the Kubernetes minor the platform renders charts for. */
export const K3S_IMAGE = 'rancher/k3s:v1.34.1-k3s1';

const arg = (value: string, nodeFilters: string[]) => ({ arg: value, nodeFilters });

export function k3dConfig(platform: Platform): Record<string, unknown> {
  const servers = platform.nodes.filter((n) => n.role === 'control-plane');
  const agents = platform.nodes.filter((n) => n.role === 'worker');
  const filterOf = (n: (typeof platform.nodes)[number]) =>
    n.role === 'control-plane' ? `server:${servers.indexOf(n)}` : `agent:${agents.indexOf(n)}`;
  const taint = `${CONTROL_PLANE_TAINT.key}${CONTROL_PLANE_TAINT.value ? `=${CONTROL_PLANE_TAINT.value}` : ''}:${CONTROL_PLANE_TAINT.effect}`;
  const maxMemory = (role: 'control-plane' | 'worker') => {
    const bytes = Math.max(0, ...platform.nodes.filter((n) => n.role === role).map((n) => n.capacity.memory));
    // Docker's units: whole mebibytes as `4096m`.
    return bytes > 0 ? `${Math.ceil(bytes / 2 ** 20)}m` : undefined;
  };
  return {
    apiVersion: 'k3d.io/v1alpha5',
    kind: 'Simple',
    metadata: { name: platform.name },
    servers: servers.length,
    agents: agents.length,
    image: K3S_IMAGE,
    options: {
      k3s: {
        extraArgs: [
          ...['--flannel-backend=none', '--disable-network-policy', '--disable-kube-proxy', '--disable=servicelb', '--disable=traefik'].map((a) => arg(a, ['server:*'])),
          ...platform.nodes.map((n) => arg(`--node-name=${n.name}`, [filterOf(n)])),
          ...servers.map((n) => arg(`--node-taint=${taint}`, [filterOf(n)])),
        ],
        nodeLabels: platform.nodes.map((n) => ({ label: `${POOL_LABEL}=${n.pool}`, nodeFilters: [filterOf(n)] })),
      },
      runtime: {
        ...(maxMemory('control-plane') ? { serversMemory: maxMemory('control-plane') } : {}),
        ...(maxMemory('worker') ? { agentsMemory: maxMemory('worker') } : {}),
      },
      kubeconfig: { updateDefaultKubeconfig: true, switchCurrentContext: true },
    },
  };
}

export function k3dConfigText(platform: Platform): string {
  return `# k3d cluster for plinth.yaml (written by plinth cluster create)\n${toYaml(k3dConfig(platform))}`;
}

export interface ToolCheck {
  missing: string[];
}

export interface ToolProbe {
  /** Path of a program on PATH, or undefined. */
  which(name: string): string | undefined;
  /** Runs a program; exit code and output. */
  run(command: string, args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }>;
}

/** What is missing to create the cluster, each in words the user can act on. */
export async function missingTools(probe: ToolProbe): Promise<string[]> {
  const missing: string[] = [];
  const docker = probe.which('docker');
  if (!docker) missing.push('docker is not on PATH: install Docker Engine (or Docker Desktop) and start it');
  else {
    const info = await probe.run(docker, ['info', '--format', '{{.ServerVersion}}']).catch((e: Error) => ({ code: 1, stdout: '', stderr: e.message }));
    if (info.code !== 0) {
      const why = info.stderr.trim().split('\n').find(Boolean) ?? `exit code ${info.code}`;
      missing.push(`docker is installed (${docker}) but its daemon does not answer (docker info: ${why}): start Docker`);
    }
  }
  if (!probe.which('k3d')) missing.push('k3d is not on PATH: install it from https://k3d.io (a single binary)');
  return missing;
}

/** The context name k3d gives the cluster. */
export const k3dContext = (platform: Platform) => `k3d-${platform.name}`;
