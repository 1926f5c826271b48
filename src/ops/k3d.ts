/**
 * `plinth cluster create`: a local k3d cluster shaped like plinth.yaml: one
 * k3s server and one agent per worker node, named as plinth.yaml names them,
 * the server tainted for the control plane, flannel, kube-proxy, servicelb
 * and traefik off (Cilium replaces them, seed 001 layer 0). Pure config
 * generation here; the command runs k3d when docker and k3d are available.
 */
import { apiServerOf } from '../catalog/components/cilium.js';
import { toYaml } from '../lib/yaml.js';
import type { Platform } from '../model/platform.js';
import { CONTROL_PLANE_TAINT, POOL_LABEL } from '../model/profiles.js';
import { K3S_SERVER_FLAGS } from './up/cni.js';

/** The k3s image of the cluster: the Kubernetes minor the platform renders charts for. */
export const K3S_IMAGE = 'rancher/k3s:v1.34.1-k3s1';

const arg = (value: string, nodeFilters: string[]) => ({ arg: value, nodeFilters });

/**
 * The name the first server answers to inside the cluster's Docker network:
 * k3d names the container (and its hostname) `k3d-<cluster>-server-0`, and
 * Docker's DNS resolves it on every node. `--node-name` renames the Kubernetes
 * node only, so plinth.yaml's node names do not resolve inside k3d.
 */
export const k3dServerHost = (platform: Platform): string => `k3d-${platform.name}-server-0`;

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
          ...K3S_SERVER_FLAGS.map((a) => arg(a, ['server:*'])),
          ...platform.nodes.map((n) => arg(`--node-name=${n.name}`, [filterOf(n)])),
          ...servers.map((n) => arg(`--node-taint=${taint}`, [filterOf(n)])),
          // The server's certificate names the host Cilium is told to use (see apiServerSetting).
          ...(servers.length > 0 ? [arg(`--tls-san=${k3dServerHost(platform)}`, ['server:0'])] : []),
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

/**
 * Cilium replaces kube-proxy and reaches the API server, before cluster DNS
 * exists, at cluster.apiServer.host (else the first control-plane node's name).
 * k3d offers no way to give its containers other names or fixed addresses, so
 * when plinth.yaml names another host, this is the exact setting to put there
 * (undefined when it already does).
 */
export function apiServerSetting(platform: Platform): string | undefined {
  const { host, port } = apiServerOf(platform);
  const wanted = k3dServerHost(platform);
  if (host === wanted && port === 6443) return undefined;
  const from = platform.config.cluster.apiServer.host ? 'cluster.apiServer.host' : 'the first control-plane node, as cluster.apiServer.host is not set';
  return [
    `Cilium would reach the API server at ${host}:${port} (${from}), which does not resolve inside k3d.`,
    'Before `plinth up`, set this in plinth.yaml:',
    '  cluster:',
    '    apiServer:',
    `      host: ${wanted}`,
    '      port: 6443',
  ].join('\n');
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
