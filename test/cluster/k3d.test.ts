/** `plinth cluster create`: the k3d configuration, and what is missing when docker or k3d is not there. */
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clusterCommandWith } from '../../src/cli/commands/cluster.js';
import { main } from '../../src/cli/main.js';
import { CATALOG } from '../../src/catalog/index.js';
import { parseConfig } from '../../src/config/load.js';
import { starterConfig } from '../../src/config/starter.js';
import { resolvePlatform } from '../../src/desired/index.js';
import { apiServerOf } from '../../src/catalog/components/cilium.js';
import { apiServerSetting, k3dConfig, k3dServerHost, missingTools } from '../../src/ops/k3d.js';
import { capture } from './harness.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'plinth-k3d-test-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

const platform = () => resolvePlatform(parseConfig(starterConfig(), 'plinth.yaml'), CATALOG);

async function script(name: string, body: string): Promise<void> {
  await writeFile(join(dir, name), `#!/bin/sh\nPATH=/usr/bin:/bin\n${body}\n`);
  await chmod(join(dir, name), 0o755);
}

describe('k3d configuration', () => {
  it('is shaped like plinth.yaml: 1 server, the agents, node names, pools, the control-plane taint, no flannel', () => {
    const config = k3dConfig(platform()) as Record<string, any>;
    expect(config).toMatchObject({ apiVersion: 'k3d.io/v1alpha5', kind: 'Simple', metadata: { name: 'edge-idp' }, servers: 1, agents: 2 });
    const args = (config.options.k3s.extraArgs as { arg: string; nodeFilters: string[] }[]).map((a) => `${a.arg} @${a.nodeFilters.join(',')}`);
    expect(args).toEqual([
      '--flannel-backend=none @server:*',
      '--disable-network-policy @server:*',
      '--disable-kube-proxy @server:*',
      '--disable=traefik @server:*',
      '--disable=servicelb @server:*',
      '--node-name=k3s-server-0 @server:0',
      '--node-name=k3s-agent-0 @agent:0',
      '--node-name=k3s-agent-1 @agent:1',
      '--node-taint=node-role.kubernetes.io/control-plane:NoSchedule @server:0',
      '--tls-san=k3d-edge-idp-server-0 @server:0',
    ]);
    expect(config.options.k3s.nodeLabels).toEqual([
      { label: 'plinth.dev/pool=control-plane', nodeFilters: ['server:0'] },
      { label: 'plinth.dev/pool=infra', nodeFilters: ['agent:0'] },
      { label: 'plinth.dev/pool=apps', nodeFilters: ['agent:1'] },
    ]);
    expect(config.options.runtime).toEqual({ serversMemory: '4096m', agentsMemory: '4096m' });
  });
});

describe('the API server name Cilium uses inside k3d', () => {
  const withHost = (host: string | undefined) =>
    resolvePlatform(parseConfig(starterConfig().replace(/ {4}host: 192\.168\.1\.10\n/, host ? `    host: ${host}\n` : ''), 'plinth.yaml'), CATALOG);

  it('is the server container k3d creates, which the k3s certificate names', () => {
    const p = platform();
    expect(k3dServerHost(p)).toBe('k3d-edge-idp-server-0');
    expect(apiServerOf(p).host).toBe('192.168.1.10'); // what the starter says, for a real cluster
  });

  it('is given as the exact plinth.yaml setting when plinth.yaml names another host (or none)', () => {
    const setting = [
      'Before `plinth up`, set this in plinth.yaml:',
      '  cluster:',
      '    apiServer:',
      '      host: k3d-edge-idp-server-0',
      '      port: 6443',
    ].join('\n');
    expect(apiServerSetting(platform())).toBe(`Cilium would reach the API server at 192.168.1.10:6443 (cluster.apiServer.host), which does not resolve inside k3d.\n${setting}`);
    expect(apiServerSetting(withHost(undefined))).toBe(
      `Cilium would reach the API server at k3s-server-0:6443 (the first control-plane node, as cluster.apiServer.host is not set), which does not resolve inside k3d.\n${setting}`,
    );
    // With that setting, Cilium is told the name the k3d server answers to.
    const k3d = withHost('k3d-edge-idp-server-0');
    expect(apiServerSetting(k3d)).toBeUndefined();
    expect(apiServerOf(k3d)).toEqual({ host: k3dServerHost(k3d), port: 6443 });
  });
});

describe('plinth cluster create', () => {
  it('says exactly what is missing when docker and k3d are not on PATH', async () => {
    const cap = capture({ PATH: dir }, dir);
    const code = await main(['cluster', 'create'], cap.io);
    // A missing tool is a failure outside the input: exit 3.
    expect(code).toBe(3);
    expect(cap.err()).toContain('cannot create a k3d cluster:');
    expect(cap.err()).toContain('- docker is not on PATH: install Docker Engine (or Docker Desktop) and start it');
    expect(cap.err()).toContain('- k3d is not on PATH: install it from https://k3d.io');
  });

  it('tells a docker without a running daemon apart', async () => {
    await script('docker', 'echo "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?" >&2; exit 1');
    const missing = await missingTools({ which: (n) => (n === 'docker' ? join(dir, 'docker') : undefined), run: async () => ({ code: 1, stdout: '', stderr: 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n' }) });
    expect(missing).toEqual([
      `docker is installed (${join(dir, 'docker')}) but its daemon does not answer (docker info: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?): start Docker`,
      'k3d is not on PATH: install it from https://k3d.io (a single binary)',
    ]);
    const cap = capture({ PATH: dir }, dir);
    expect(await main(['cluster', 'create'], cap.io)).toBe(3);
    expect(cap.err()).toContain('but its daemon does not answer (docker info: Cannot connect to the Docker daemon');
  });

  it('runs k3d cluster create with the generated configuration when both are there', async () => {
    await script('docker', 'echo 27.0.1');
    await script('k3d', `echo "$@" > ${join(dir, 'k3d-args')}; cp "$4" ${join(dir, 'k3d-config.yaml')}`);
    const cap = capture({ PATH: dir }, dir);
    const code = await clusterCommandWith().subcommands![0]!.run!(cap.io, { values: {}, positionals: [] });
    expect(code).toBe(0);
    expect((await readFile(join(dir, 'k3d-args'), 'utf8')).trim()).toMatch(/^cluster create --config \S+\/k3d\.yaml$/);
    expect(YAML.parse(await readFile(join(dir, 'k3d-config.yaml'), 'utf8'))).toEqual(JSON.parse(JSON.stringify(k3dConfig(platform()))));
    expect(cap.err()).toContain('warning: Cilium would reach the API server at 192.168.1.10:6443 (cluster.apiServer.host), which does not resolve inside k3d.\nBefore `plinth up`, set this in plinth.yaml:\n  cluster:\n    apiServer:\n      host: k3d-edge-idp-server-0\n');
    expect(cap.out()).toContain('Next: edit plinth.yaml as above, then plinth up --context k3d-edge-idp');
  });

  it('--dry-run prints the configuration without docker or k3d', async () => {
    const cap = capture({ PATH: dir }, dir);
    expect(await main(['cluster', 'create', '--dry-run'], cap.io)).toBe(0);
    expect(cap.out()).toContain('apiVersion: k3d.io/v1alpha5');
    expect(cap.out()).toContain('--flannel-backend=none');
    expect(cap.out()).toContain('# Before `plinth up`, set this in plinth.yaml:\n#   cluster:\n#     apiServer:\n#       host: k3d-edge-idp-server-0\n');
  });
});
