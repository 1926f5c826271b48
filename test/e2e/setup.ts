/**
 * vitest globalSetup of the e2e suite: starts the real control plane (etcd,
 * kube-apiserver, kube-controller-manager, kube-scheduler, kwok) once for the
 * run, creates the built-in edge platform's nodes as kwok nodes, hands the
 * kubeconfig to the tests, and stops every process at the end. When a test
 * failed, each component's log tail is printed and the run directory kept.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { connectCluster } from '../../src/cluster/index.js';
import { readVersions } from '../../scripts/e2e/cache.js';
import { type ControlPlane, startControlPlane } from './harness/control-plane.js';
import { createNodes, platformOf } from './harness/nodes.js';
import { reapStaleRuns } from './harness/procs.js';

declare module 'vitest' {
  export interface ProvidedContext {
    e2e: { kubeconfig: string; server: string; dir: string; logDir: string };
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const reaped = reapStaleRuns();
  if (reaped.length) console.log(`e2e: killed processes a crashed earlier run left: ${reaped.join(', ')}`);
  const dir = mkdtempSync(join(tmpdir(), 'plinth-e2e-'));
  const started = Date.now();
  const cp: ControlPlane = await startControlPlane({ dir });
  try {
    const client = connectCluster({ file: cp.kubeconfig, env: {} });
    await createNodes(client, platformOf(), { kubeletVersion: readVersions().kubernetes.version });
  } catch (err) {
    const tails = cp.logTails();
    await cp.stop();
    throw new Error(`${(err as Error).message}\n${tails}`);
  }
  console.log(`e2e: control plane up at ${cp.server} in ${((Date.now() - started) / 1000).toFixed(1)}s (run dir ${dir})`);
  project.provide('e2e', { kubeconfig: cp.kubeconfig, server: cp.server, dir, logDir: cp.logDir });
  return async () => {
    const failed = project.vitest.state.getCountOfFailedTests() > 0 || project.vitest.state.getFailedFilepaths().length > 0;
    if (failed) console.log(`e2e: a test failed; component logs (all in ${cp.logDir}):\n${cp.logTails(30)}`);
    await cp.stop();
    if (!failed && !process.env.PLINTH_E2E_KEEP) rmSync(dir, { recursive: true, force: true });
  };
}
