#!/usr/bin/env -S npx tsx
/**
 * Developer tool: the e2e control plane (etcd, kube-apiserver, kube-controller-manager,
 * kube-scheduler, kwok with the built-in edge platform's nodes) for poking at by hand,
 * e.g. `plinth up --kubeconfig <printed file>`. Stops on Ctrl-C or after --for minutes.
 *
 *   npx tsx scripts/e2e/cluster.ts [--for 30] [--dir DIR] [--network ready|waits-for-network]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startE2eCluster } from '../../test/e2e/harness/cluster.js';
import { reapStaleRuns } from '../../test/e2e/harness/procs.js';

const args = process.argv.slice(2);
const opt = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const minutes = Number(opt('--for') ?? '30');
const dir = opt('--dir') ?? mkdtempSync(join(tmpdir(), 'plinth-e2e-dev-'));
reapStaleRuns();
const network = opt('--network') === 'waits-for-network' ? 'waits-for-network' : 'ready';
const cluster = await startE2eCluster({ network }, dir);
const cp = cluster.cp;
console.log(`control plane up: ${cp.server}\nkubeconfig: ${cp.kubeconfig}\nlogs: ${cp.logDir}\nstopping in ${minutes} min or on Ctrl-C`);
const stop = async () => {
  await cluster.stop(true);
  process.exit(0);
};
process.once('SIGINT', () => void stop());
setTimeout(() => void stop(), minutes * 60_000);
