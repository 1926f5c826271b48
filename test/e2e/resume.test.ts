/**
 * `plinth up` interrupted again and again on the real API server resumes each
 * time: the runs are cut (the client throws instead of making its next write)
 * after a growing number of writes, so that cuts fall in every bootstrap phase,
 * until a run gets through to phase 9 (which waits for an Argo CD that does not
 * run here). In all, no object is written twice, and a last run writes nothing.
 *
 * Stand-in used: the network stand-in (harness/nodes.ts), as in up.test.ts.
 */
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { describe, expect, it, onTestFinished } from 'vitest';
import { type ClusterClient, ClusterTimeoutError } from '../../src/cluster/index.js';
import { parseConfig } from '../../src/config/load.js';
import { BUILTIN_EXAMPLE_NAME, starterConfig } from '../../src/config/starter.js';
import { desiredState } from '../../src/desired/index.js';
import { cachedRenderer, helmRenderer } from '../../src/ops/render.js';
import { openSession } from '../../src/ops/session.js';
import { runUp } from '../../src/ops/up/index.js';
import { helmSetup } from '../support/charts.js';
import { tempDir } from '../support/cli.js';
import { Interrupted, interruptingClient } from '../double/interrupting-client.js';
import { useE2eCluster } from './harness/cluster.js';

const cluster = useE2eCluster({ network: 'waits-for-network' });

describe('plinth up resumes after interruptions on the real API server', () => {
  it('cut after 1, 8, 20, 40, ... writes, each run resumes; no object written twice; the last run writes nothing', async () => {
    await helmSetup();
    const { client } = cluster.get();
    const dir = await tempDir('plinth-e2e-resume-');
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const state = desiredState(parseConfig(starterConfig('edge'), BUILTIN_EXAMPLE_NAME));
    const renderer = cachedRenderer(helmRenderer(process.env));
    const writes: string[] = [];
    const io = { cwd: dir, env: process.env, stdout: { write: () => true }, stderr: { write: () => true } };
    const upWith = (c: ClusterClient) =>
      runUp(openSession(io, c, { now: () => Date.now(), pollMs: 500 }).ops, state, {
        dryRun: false,
        renderer,
        vaultKeysFile: join(dir, 'vault-keys.json'),
        waitMs: 240_000,
        followMs: 1_000,
      });

    const outcomes: string[] = [];
    let reachedFollow = false;
    for (const allowed of [1, 8, 20, 40, 60, 80, 100, 150, 200]) {
      const cut = interruptingClient(client, allowed, writes);
      const outcome = await upWith(cut).then(
        () => 'finished',
        (e: Error) => (e instanceof Interrupted ? `interrupted after ${allowed}` : e instanceof ClusterTimeoutError && /waiting for wave 0/.test(e.message) ? 'phase 9' : `failed: ${e.message}`),
      );
      outcomes.push(outcome);
      console.log(`e2e resume: run ${outcomes.length}: ${outcome} (${writes.length} writes so far)`);
      if (outcome === 'phase 9') {
        reachedFollow = true;
        break;
      }
      expect(outcome).toMatch(/^interrupted/);
    }
    expect(reachedFollow, outcomes.join('; ')).toBe(true);
    expect(outcomes.filter((o) => o.startsWith('interrupted')).length).toBeGreaterThanOrEqual(4);

    // Patches of nodes (labels, taints) and applies: each object is written once over all runs.
    const twice = writes.filter((w, i) => writes.indexOf(w) !== i);
    expect(twice).toEqual([]);

    const last: string[] = [];
    const outcome = await upWith(interruptingClient(client, Number.POSITIVE_INFINITY, last)).catch((e: Error) => e.message);
    expect(outcome).toMatch(/waiting for wave 0/);
    expect(last).toEqual([]);
  }, 900_000);
});
