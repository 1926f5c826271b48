/**
 * One e2e cluster per test file: the real control plane (control-plane.ts) with a
 * platform's nodes on kwok, the Plinth cluster client on its kubeconfig, and, for
 * nodes that wait for the network, the network stand-in. `useE2eCluster` starts it
 * in beforeAll and stops it in afterAll, printing every component's log tail when
 * a test of the file failed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { connectCluster, type ClusterClient } from '../../../src/cluster/index.js';
import type { Platform } from '../../../src/model/platform.js';
import { readVersions } from '../../../scripts/e2e/cache.js';
import { type ControlPlane, type ControlPlaneOptions, startControlPlane } from './control-plane.js';
import { createNodes, NETWORK_ANNOTATION, NetworkStandIn, type NodeShapeOptions, platformOf } from './nodes.js';

export interface E2eClusterOptions {
  platform?: Platform;
  network?: NodeShapeOptions['network'];
  poolsApplied?: boolean;
  extraArgs?: ControlPlaneOptions['extraArgs'];
}

export interface E2eCluster {
  cp: ControlPlane;
  client: ClusterClient;
  platform: Platform;
  network?: NetworkStandIn;
  stop(keepDir?: boolean): Promise<void>;
}

// eslint-disable-next-line complexity -- the cluster's options with their defaults (platform, network, extra arguments, pools), the network stand-in only when nodes wait for it
export async function startE2eCluster(options: E2eClusterOptions = {}, dir = mkdtempSync(join(tmpdir(), 'plinth-e2e-'))): Promise<E2eCluster> {
  const platform = options.platform ?? platformOf();
  const network = options.network ?? 'ready';
  const cp = await startControlPlane({
    dir,
    ...(options.extraArgs ? { extraArgs: options.extraArgs } : {}),
    ...(network === 'waits-for-network' ? { holdNodes: { annotation: NETWORK_ANNOTATION, value: 'pending' } } : {}),
  });
  const client = connectCluster({ file: cp.kubeconfig, env: {} });
  let standIn: NetworkStandIn | undefined;
  try {
    await createNodes(client, platform, { kubernetesVersion: readVersions().kubernetes.version, network, ...(options.poolsApplied ? { poolsApplied: true } : {}) });
    if (network === 'waits-for-network') {
      standIn = new NetworkStandIn(client);
      standIn.start();
    }
  } catch (err) {
    const tails = cp.logTails();
    await cp.stop();
    throw new Error(`${(err as Error).message}\n${tails}`);
  }
  return {
    cp,
    client,
    platform,
    ...(standIn ? { network: standIn } : {}),
    stop: async (keepDir = false) => {
      standIn?.stop();
      await cp.stop();
      if (!keepDir && !process.env.PLINTH_E2E_KEEP) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The file's cluster: `get()` inside tests and hooks. */
export function useE2eCluster(options: E2eClusterOptions = {}): { get(): E2eCluster } {
  let cluster: E2eCluster | undefined;
  let failed = false;
  beforeAll(async () => {
    cluster = await startE2eCluster(options);
  });
  beforeEach(({ onTestFailed }) => onTestFailed(() => void (failed = true)));
  afterAll(async () => {
    if (!cluster) return;
    if (failed) console.log(`e2e: a test failed; component logs (kept in ${cluster.cp.logDir}):\n${cluster.cp.logTails(30)}`);
    await cluster.stop(failed);
  });
  return {
    get: () => {
      if (!cluster) throw new Error('the e2e cluster is not started (use get() inside tests and hooks)');
      return cluster;
    },
  };
}
