/**
 * vitest globalSetup of the e2e suite: kills what a crashed earlier run left
 * running, and fails at once, naming the build command, when the Go-built
 * components are missing. Each test file starts its own cluster
 * (harness/cluster.ts), so files cannot disturb one another.
 */
import { locateBinaries } from '../../scripts/e2e/cache.js';
import { reapStaleRuns } from './harness/procs.js';

export default function setup(): void {
  const reaped = reapStaleRuns();
  if (reaped.length) console.log(`e2e: killed processes a crashed earlier run left: ${reaped.join(', ')}`);
  locateBinaries();
}
