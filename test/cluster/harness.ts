/**
 * A test cluster: the API test double with its simulated controllers, a fake
 * Argo CD and a Vault test double, reached through a generated kubeconfig
 * with the real cluster client. Plus captured output.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ClusterClient, connectCluster } from '../../src/cluster/index.js';
import type { DesiredState } from '../../src/desired/index.js';
import { type OpsContext } from '../../src/ops/context.js';
import { openSession, type OpsIO } from '../../src/ops/session.js';
import { runUp, type UpOptions, type UpResult } from '../../src/ops/up/index.js';
import { FakeArgoCd, type FakeArgoOptions } from '../double/fake-argocd.js';
import { FakeFlux, type FakeFluxOptions } from '../double/fake-flux.js';
import { KubeApiTestDouble } from '../double/kube-api-double.js';
import { ClusterSimulator } from '../double/simulator.js';
import { VaultTestDouble } from '../double/vault-double.js';
import { fakeRenderer, NODES } from './fixtures.js';

export interface Captured {
  io: OpsIO;
  out(): string;
  err(): string;
  all(): string;
}

export function capture(env: NodeJS.ProcessEnv = {}, cwd = process.cwd()): Captured {
  let out = '';
  let err = '';
  return {
    io: { cwd, env, stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) } },
    out: () => out,
    err: () => err,
    all: () => out + err,
  };
}

/** The Vault server pod the vault chart runs, Running (what Argo CD's sync of vault leaves in the double). */
export function vaultPod(namespace: string): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'vault-0', namespace, labels: { 'app.kubernetes.io/name': 'vault', 'app.kubernetes.io/instance': 'vault', component: 'server' } },
    spec: { containers: [{ name: 'vault', image: 'hashicorp/vault:2.0.4' }] },
    status: { phase: 'Running' },
  };
}

export interface TestCluster {
  double: KubeApiTestDouble;
  sim: ClusterSimulator;
  argo: FakeArgoCd;
  /** The stand-in for Flux's controllers, when the platform's engine is flux. */
  flux?: FakeFlux;
  vault: VaultTestDouble;
  dir: string;
  kubeconfig: string;
  client: ClusterClient;
  close(): Promise<void>;
}

export async function startCluster(
  state: DesiredState,
  o: { cni?: boolean; flannel?: boolean; version?: { major: number; minor: number }; nodes?: typeof NODES; argo?: Partial<FakeArgoOptions>; flux?: Partial<FakeFluxOptions>; hold?: string[]; crdEstablishment?: 'auto' | 'manual' } = {},
): Promise<TestCluster> {
  const double = await KubeApiTestDouble.start({ version: o.version, crdEstablishment: o.crdEstablishment });
  const sim = new ClusterSimulator(double, { nodes: o.nodes ?? NODES, cni: o.cni ?? true, flannel: o.flannel, hold: o.hold }).start();
  const vault = new VaultTestDouble();
  const vaultUnit = state.units.find((u) => u.name === 'vault');
  if (vaultUnit) vault.attach(double, vaultUnit.namespace, ['vault-0']);
  const argo = new FakeArgoCd(double, {
    units: state.units,
    onSynced: (u) => {
      if (u.name === 'vault') double.put(vaultPod(u.namespace));
    },
    healthy: (u) => u.name !== 'vault' || vault.sealed.get('vault-0') === false,
    ...o.argo,
  }).start();
  const flux =
    state.platform.choices.engine === 'flux'
      ? new FakeFlux(double, {
          state,
          onApplied: (u) => {
            if (u.name === 'vault') double.put(vaultPod(u.namespace));
          },
          healthy: (u) => u.name !== 'vault' || vault.sealed.get('vault-0') === false,
          ...o.flux,
        }).start()
      : undefined;
  const dir = await mkdtemp(join(tmpdir(), 'plinth-cluster-'));
  const kubeconfig = await double.writeKubeconfig(dir);
  const client = connectCluster({ file: kubeconfig, env: {} });
  return {
    double,
    sim,
    argo,
    ...(flux ? { flux } : {}),
    vault,
    dir,
    kubeconfig,
    client,
    async close() {
      argo.stop();
      flux?.stop();
      sim.stop();
      await double.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export function testOps(client: ClusterClient, cap: Captured): OpsContext {
  return openSession(cap.io, client, { now: () => Date.now(), pollMs: 10 }).ops;
}

export function upOptions(c: TestCluster, over: Partial<UpOptions> = {}): UpOptions {
  return { dryRun: false, renderer: fakeRenderer, vaultKeysFile: join(c.dir, 'keys', 'vault-keys.json'), waitMs: 5000, followMs: 10_000, ...over };
}

export async function up(c: TestCluster, state: DesiredState, over: Partial<UpOptions> = {}, client: ClusterClient = c.client): Promise<{ result: UpResult; cap: Captured }> {
  const cap = capture();
  const result = await runUp(testOps(client, cap), state, upOptions(c, over));
  return { result, cap };
}
