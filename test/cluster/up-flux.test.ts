/**
 * `plinth up`, `status`, `doctor` and `down` under Flux against the API test
 * double, with FakeFlux standing in for Flux's controllers (it applies the
 * Kustomizations plan writes, each once its dependsOn are Ready): the apply
 * order, idempotence, resume, and a failing HelmRelease explained by doctor.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { doctorCommandWith } from '../../src/cli/commands/doctor.js';
import { downCommandWith } from '../../src/cli/commands/down.js';
import { statusCommandWith } from '../../src/cli/commands/status.js';
import { ClusterTimeoutError } from '../../src/cluster/index.js';
import type { DesiredState } from '../../src/desired/index.js';
import { DEFAULT_DEPS } from '../../src/ops/session.js';
import { runUp } from '../../src/ops/up/index.js';
import { Interrupted, interruptingClient } from '../double/interrupting-client.js';
import { metaOf } from '../double/store.js';
import { fakeRenderer, fluxTestState } from './fixtures.js';
import { capture, startCluster, type TestCluster, testOps, up, upOptions } from './harness.js';

let cluster: TestCluster | undefined;
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

const K = 'kustomize.toolkit.fluxcd.io/v1';
const H = 'helm.toolkit.fluxcd.io/v2';
const deps = (state: DesiredState) => ({ ...DEFAULT_DEPS, desired: () => state, renderer: () => fakeRenderer, now: () => Date.now(), pollMs: 10 });

async function command(c: TestCluster, cmd: { run?: (...a: never[]) => Promise<number> }, values: Record<string, string | boolean> = {}) {
  const cap = capture({}, c.dir);
  const code = await (cmd as { run: (io: unknown, a: unknown) => Promise<number> }).run(cap.io, { values: { kubeconfig: c.kubeconfig, timeout: '5s', ...values }, positionals: [] });
  return { code, cap };
}

describe('plinth up with gitops.engine flux', () => {
  it('installs Flux from its chart, then the root Kustomization, and follows the Kustomizations in dependency order', async () => {
    const state = fluxTestState(['vault', 'external-secrets', 'dashboards']);
    const c = (cluster = await startCluster(state));
    const order: string[] = [];
    c.flux!.options.onApplied = (u) => {
      order.push(u.name);
      if (u.name === 'vault') c.double.put({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'vault-0', namespace: u.namespace, labels: { 'app.kubernetes.io/name': 'vault', 'app.kubernetes.io/instance': 'vault', component: 'server' } }, spec: { containers: [{ name: 'vault', image: 'hashicorp/vault:2.0.4' }] }, status: { phase: 'Running' } });
    };
    const { cap } = await up(c, state);
    const out = cap.out();
    expect(out).toContain('the GitRepository flux-system and the root Kustomization flux-system; Flux applies https://git.example.com/platform/gitops.git (main)');
    expect(out).toMatch(/=> every component is Ready/);
    expect(out).toMatch(/Done: \d+ created, \d+ updated, \d+ unchanged, \d+ left to Flux\./);
    // Every dependsOn edge: the dependency's Kustomization was applied first.
    for (const u of state.units) for (const d of u.dependsOn) expect(order.indexOf(d), `${d} before ${u.name}`).toBeLessThan(order.indexOf(u.name));
    expect(order.indexOf('vault')).toBeLessThan(order.indexOf('external-secrets'));
    // The engine's objects and the CRDs of its chart carry the Helm release's marks, so helm-controller adopts them.
    const deploy = c.double.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'flux-system', name: 'helm-controller' })!;
    expect(metaOf(deploy).annotations).toMatchObject({ 'meta.helm.sh/release-name': 'flux', 'meta.helm.sh/release-namespace': 'flux-system' });
    const crd = c.double.get({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name: 'helmreleases.helm.toolkit.fluxcd.io' })!;
    expect(metaOf(crd).labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'Helm' });
    // The repository's Secret exists, with no keys for a public repository.
    expect(c.double.get({ apiVersion: 'v1', kind: 'Secret', namespace: 'flux-system', name: 'plinth-gitops-repo' })).toBeDefined();
    expect(c.double.list(H, 'HelmRelease', 'flux-system').map((r) => metaOf(r).name).sort()).toEqual(['flux', 'vault']);
  });

  it('is idempotent: a second up writes nothing', async () => {
    const state = fluxTestState(['vault', 'external-secrets', 'dashboards']);
    const c = (cluster = await startCluster(state));
    await up(c, state);
    c.double.writes.length = 0;
    const { cap } = await up(c, state);
    expect(cap.out()).toMatch(/Done: 0 created, 0 updated, \d+ unchanged/);
    expect(c.double.writes.filter((w) => w.kind !== 'Kustomization' && w.kind !== 'HelmRelease')).toEqual([]);
  });

  it('resumes after an interruption at any write, and the platform ends the same', async () => {
    const state = fluxTestState([]);
    const reference = await startCluster(state);
    await up(reference, state);
    const writes = reference.double.writes.filter((w) => w.kind !== 'Kustomization' && w.kind !== 'HelmRelease').length;
    await reference.close();
    const problems: string[] = [];
    for (let at = 0; at < writes; at += 3) {
      const c = await startCluster(state);
      try {
        const first = await runUp(testOps(interruptingClient(c.client, at), capture()), state, upOptions(c)).then(
          () => 'finished',
          (e: Error) => (e instanceof Interrupted ? 'interrupted' : e.message),
        );
        if (first !== 'interrupted') problems.push(`cut after ${at}: the first run ${first}`);
        const { cap } = await up(c, state);
        if (!/every component is Ready/.test(cap.out())) problems.push(`cut after ${at}: the second run did not finish`);
        const root = c.double.get({ apiVersion: K, kind: 'Kustomization', namespace: 'flux-system', name: 'flux-system' });
        if (!root) problems.push(`cut after ${at}: no root Kustomization`);
      } finally {
        await c.close();
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('plinth status and doctor under Flux', () => {
  const MESSAGE = 'Helm install failed for release vault/vault with chart vault@0.34.1: context deadline exceeded';

  it('a failing HelmRelease: up names it while it follows, status shows it Degraded, doctor quotes Flux', async () => {
    const state = fluxTestState(['vault', 'external-secrets', 'dashboards']);
    const c = (cluster = await startCluster(state, { flux: { failRelease: { vault: MESSAGE } } }));
    const err = await up(c, state, { followMs: 1500 }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(ClusterTimeoutError);
    expect((err as Error).message).toContain(`vault: Pending/Degraded: HelmRelease vault: ${MESSAGE}`);

    const status = await command(c, statusCommandWith(deps(state)));
    expect(status.code).toBe(1);
    expect(status.cap.out()).toMatch(new RegExp(`^vault\\s+2\\s+\\d+\\s+Pending\\s+Degraded\\s+HelmRelease vault: ${MESSAGE.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`, 'm'));
    expect(status.cap.out()).toMatch(/^external-secrets\s+2\s+\d+\s+Pending\s+Progressing\s+dependency 'flux-system\/vault' is not ready$/m);

    const doctor = await command(c, doctorCommandWith(deps(state)));
    expect(doctor.code).toBe(1);
    expect(doctor.cap.out()).toContain(`HelmRelease flux-system/vault of vault is not Ready: Flux says "${MESSAGE}"`);
    expect(doctor.cap.out()).toContain('kubectl -n flux-system describe helmrelease vault');
  });
});

describe('plinth down under Flux', () => {
  it('lets go of the root and what must stay, prunes the rest level by level, then removes Flux', async () => {
    const state = fluxTestState(['vault', 'external-secrets', 'dashboards']);
    const c = (cluster = await startCluster(state));
    await up(c, state);
    expect(c.double.list('v1', 'ConfigMap', 'observability').map((o) => metaOf(o).name)).toContain('applied-by-flux-dashboards');
    const { code, cap } = await command(c, downCommandWith(deps(state)));
    expect(code, cap.all()).toBe(0);
    const out = cap.out();
    expect(out).toContain('deleted Kustomization/flux-system/flux-system (without pruning)');
    expect(out).toContain('let go Kustomization/flux-system/flux (its objects stay until the end)');
    expect(out).toMatch(/\d+ Kustomizations pruned and deleted/);
    expect(out).toMatch(/\d+ objects of Flux deleted \(its CRDs are kept\)/);
    // Pruned: what the dashboards' Kustomization applied; kept: the namespaces.
    expect(c.double.list('v1', 'ConfigMap', 'observability').map((o) => metaOf(o).name)).not.toContain('applied-by-flux-dashboards');
    expect(c.double.get({ apiVersion: 'v1', kind: 'Namespace', name: 'observability' })).toBeDefined();
    expect(c.double.list(K, 'Kustomization', 'flux-system')).toEqual([]);
    expect(c.double.list(H, 'HelmRelease', 'flux-system')).toEqual([]);
    expect(c.double.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'flux-system', name: 'kustomize-controller' })).toBeUndefined();
  });
});
