/** The cluster commands through the CLI layer: wiring, flags, and no secret value in any output. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { doctorCommandWith } from '../../src/cli/commands/doctor.js';
import { downCommandWith } from '../../src/cli/commands/down.js';
import { statusCommandWith } from '../../src/cli/commands/status.js';
import { upCommandWith } from '../../src/cli/commands/up.js';
import { vaultCommandWith } from '../../src/cli/commands/vault.js';
import type { CommandSpec } from '../../src/cli/command.js';
import { main } from '../../src/cli/main.js';
import type { DesiredState } from '../../src/desired/index.js';
import { DEFAULT_DEPS, type OpsDeps } from '../../src/ops/session.js';
import { fakeRenderer, testState } from './fixtures.js';
import { type Captured, capture, startCluster, type TestCluster } from './harness.js';

let cluster: TestCluster | undefined;
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

const REPO_TOKEN = 'ghp_repoTokenThatMustNeverBePrinted0123';

function deps(state: DesiredState): OpsDeps {
  return { ...DEFAULT_DEPS, desired: () => state, renderer: () => fakeRenderer, pollMs: 10 };
}

async function run(command: CommandSpec, c: TestCluster, values: Record<string, string | boolean>, env: NodeJS.ProcessEnv = {}): Promise<{ code: number; cap: Captured }> {
  const cap = capture(env, c.dir);
  const code = await command.run!(cap.io, { values: { kubeconfig: c.kubeconfig, ...values }, positionals: [] });
  return { code, cap };
}

describe('cluster commands', () => {
  it('are listed by plinth --help', async () => {
    const cap = capture();
    await main(['--help'], cap.io);
    for (const name of ['up', 'status', 'doctor', 'down', 'vault', 'cluster']) expect(cap.out()).toMatch(new RegExp(`\\n  ${name} +\\S`));
    const up = capture();
    await main(['up', '--help'], up.io);
    expect(up.out()).toContain('--dry-run');
    expect(up.out()).toContain('--context VALUE');
  });

  it('reject a malformed --timeout and an unknown context', async () => {
    const state = testState();
    cluster = await startCluster(state);
    await expect(run(upCommandWith(deps(state)), cluster, { timeout: 'soon' })).rejects.toThrow(/--timeout: got "soon"; expected a duration such as 90s, 30m or 1h/);
    await expect(run(statusCommandWith(deps(state)), cluster, { context: 'prod' })).rejects.toThrow(/no context "prod"/);
  });

  it('keep following (--timeout) apart from the bootstrap waits (--step-timeout)', async () => {
    const state = testState();
    cluster = await startCluster(state, { hold: ['argocd/argocd-server'] });
    const c = cluster;
    // Argo CD becomes Available after longer than --timeout: the bootstrap still waits for it.
    const release = setTimeout(() => {
      c.sim.hold.clear();
      c.sim.markReady('Deployment', 'argocd', 'argocd-server');
    }, 1500);
    const { code, cap } = await run(upCommandWith(deps(state)), c, { timeout: '1s' });
    clearTimeout(release);
    expect(cap.err()).not.toContain('timed out');
    expect(code).toBe(0);
    expect(cap.out()).toContain('every component is Synced and Healthy');

    const held = await startCluster(state, { hold: ['argocd/argocd-server'] });
    try {
      await expect(run(upCommandWith(deps(state)), held, { 'step-timeout': '300ms' })).rejects.toThrow(/timed out after 0s waiting for the Argo CD Deployments to become Available\n {2}- Deployment\/argocd-server is not ready/);
    } finally {
      await held.close();
    }
  });

  it('never print a secret value: passwords, tokens, unseal keys, repository credentials', async () => {
    const state = testState(['vault', 'external-secrets', 'dashboards']);
    cluster = await startCluster(state);
    const env = { PLINTH_GIT_TOKEN: REPO_TOKEN };
    const keys = join(cluster.dir, 'vault-keys.json');
    const outputs: Captured[] = [];
    const step = async (command: CommandSpec, values: Record<string, string | boolean>) => {
      const r = await run(command, cluster!, values, env);
      outputs.push(r.cap);
      return r;
    };

    expect((await step(upCommandWith(deps(state)), { 'vault-keys': keys, timeout: '20s' })).code).toBe(0);
    await step(upCommandWith(deps(state)), { 'vault-keys': keys, 'dry-run': true });
    await step(statusCommandWith(deps(state)), { format: 'json' });
    await step(statusCommandWith(deps(state)), {});
    await step(doctorCommandWith(deps(state)), {});
    cluster.vault.restart('vault-0');
    await step(vaultCommandWith(deps(state)).subcommands![0]!, { 'vault-keys': keys });
    await step(downCommandWith(deps(state)), { timeout: '5s' });

    const secrets = [
      REPO_TOKEN,
      Buffer.from(REPO_TOKEN).toString('base64'),
      ...cluster.vault.unsealKeys(),
      ...cluster.vault.unsealKeys().map((k) => Buffer.from(k, 'base64').toString('hex')),
      cluster.vault.rootToken,
      ...[...cluster.vault.kv.values()].flatMap((e) => Object.values(e.data)).filter((v) => v !== 'admin'),
    ];
    expect(secrets.length).toBeGreaterThan(8);
    const everything = outputs.map((o) => o.all()).join('\n');
    expect(everything).toContain('plinth up on context plinth-test-double');
    expect(everything).toContain('create    Secret/argocd/plinth-gitops-repo (repository credentials; values not shown)');
    for (const s of secrets) expect(everything, 'a secret value was printed').not.toContain(s);
    // The keys file holds them, for the operator only.
    const file = await readFile(keys, 'utf8');
    expect(file).toContain(cluster.vault.rootToken);
  });

  it('redact a secret that would reach an error message', async () => {
    const state = testState();
    cluster = await startCluster(state);
    const leaky = upCommandWith({
      ...deps(state),
      renderer: () => ({
        render: async () => {
          throw new Error(`helm failed near ${REPO_TOKEN}`);
        },
      }),
    });
    const err = await run(leaky, cluster, {}, { PLINTH_GIT_TOKEN: REPO_TOKEN }).catch((e: Error) => e);
    expect((err as Error).message).toBe('helm failed near [redacted]');
  });
});
