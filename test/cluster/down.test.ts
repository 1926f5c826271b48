/** `plinth down` against the API test double with the fake Argo CD pruning. */
import { afterEach, describe, expect, it } from 'vitest';
import { downCommandWith } from '../../src/cli/commands/down.js';
import { DEFAULT_DEPS } from '../../src/ops/session.js';
import type { DesiredState } from '../../src/desired/index.js';
import { fakeRenderer, testState } from './fixtures.js';
import { capture, startCluster, type TestCluster, up } from './harness.js';

let cluster: TestCluster | undefined;
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

const V = 'argoproj.io/v1alpha1';

async function installed(): Promise<{ state: DesiredState; c: TestCluster }> {
  const state = testState(['vault', 'external-secrets', 'dashboards']);
  const c = await startCluster(state);
  await up(c, state);
  // A volume of the platform (Vault's data), with the default reclaim policy.
  c.double.put({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data-vault-0', namespace: 'vault' }, spec: { volumeName: 'pv-vault' } });
  c.double.put({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv-vault' }, spec: { persistentVolumeReclaimPolicy: 'Delete', claimRef: { namespace: 'vault', name: 'data-vault-0' } } });
  return { state, c };
}

async function down(c: TestCluster, state: DesiredState, values: Record<string, string | boolean> = {}) {
  const cap = capture({}, c.dir);
  const command = downCommandWith({ ...DEFAULT_DEPS, desired: () => state, renderer: () => fakeRenderer, pollMs: 10 });
  const code = await command.run!(cap.io, { values: { kubeconfig: c.kubeconfig, timeout: '5s', ...values }, positionals: [] });
  return { code, cap };
}

describe('plinth down', () => {
  it('removes the root app, lets Argo CD prune every Application, then removes the engine, keeping volumes', async () => {
    const { state, c } = await installed();
    cluster = c;
    const d = c.double;
    expect(d.list('v1', 'ConfigMap', 'observability').map((o) => (o.metadata as { name: string }).name)).toContain('synced-by-argocd-dashboards');

    const { code, cap } = await down(c, state);
    expect(code).toBe(0);
    expect(d.list(V, 'Application')).toEqual([]);
    expect(d.list(V, 'ApplicationSet')).toEqual([]);
    expect(d.list(V, 'AppProject')).toEqual([]);
    // Argo CD pruned what the Applications synced.
    expect(d.list('v1', 'ConfigMap', 'observability')).toEqual([]);
    // The engine is gone, its CRDs stay (custom resources would go with them).
    expect(d.list('apps/v1', 'Deployment', 'argocd')).toEqual([]);
    expect(d.list('apps/v1', 'StatefulSet', 'argocd')).toEqual([]);
    expect(d.get({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name: 'applications.argoproj.io' })).toBeDefined();
    // Volumes kept, switched to Retain; namespaces kept.
    expect((d.get({ apiVersion: 'v1', kind: 'PersistentVolume', name: 'pv-vault' })!.spec as { persistentVolumeReclaimPolicy: string }).persistentVolumeReclaimPolicy).toBe('Retain');
    expect(d.get({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: 'vault', name: 'data-vault-0' })).toBeDefined();
    expect(d.get({ apiVersion: 'v1', kind: 'Namespace', name: 'vault' })).toBeDefined();
    expect(cap.out()).toContain('1 PersistentVolumes switched to Retain');
    expect(cap.out()).toContain('let go Application/argocd/argocd (its objects stay until the end)');
    expect(cap.out()).toContain('The platform is down.');

    // Again: nothing left to do, no error.
    expect((await down(c, state)).code).toBe(0);
  });

  it('deletes the root Application first, then the Applications one wave at a time from the last', async () => {
    const { state, c } = await installed();
    cluster = c;
    expect((await down(c, state)).code).toBe(0);
    const deleted = c.double.store.history.filter((h) => h.type === 'DELETED' && h.resource.kind === 'Application').map((h) => (h.object.metadata as { name: string }).name);
    expect(deleted[0]).toBe('plinth-root');
    const waveOf = new Map(state.units.map((u) => [u.name, u.wave]));
    const pruned = deleted.filter((n) => n !== 'plinth-root' && !['argocd', 'platform-base'].includes(n));
    expect(pruned.length).toBeGreaterThan(1);
    const waves = pruned.map((n) => waveOf.get(n)!);
    expect(waves).toEqual([...waves].sort((a, b) => b - a));
  });

  it('lets go of the network plugin instead of pruning it: Cilium keeps the cluster networked to the end and after', async () => {
    const state = testState(['cilium', 'vault', 'external-secrets', 'dashboards']);
    const c = await startCluster(state, { cni: false });
    cluster = c;
    await up(c, state);
    const d = c.double;
    const marker = (ns: string, unit: string) => d.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name: `synced-by-argocd-${unit}` });
    expect(marker('kube-system', 'cilium')).toBeDefined();

    const { code, cap } = await down(c, state);
    expect(code).toBe(0);
    expect(cap.out()).toContain('let go Application/argocd/cilium (the network plugin stays installed)');
    expect(d.list(V, 'Application')).toEqual([]);
    // Argo CD pruned the other units, not Cilium: what it synced and its DaemonSet stay.
    expect(marker('observability', 'dashboards')).toBeUndefined();
    expect(marker('kube-system', 'cilium')).toBeDefined();
    expect(d.get({ apiVersion: 'apps/v1', kind: 'DaemonSet', namespace: 'kube-system', name: 'cilium' })).toBeDefined();
  });

  it('--purge deletes the platform namespaces, claims and volumes', async () => {
    const { state, c } = await installed();
    cluster = c;
    const { code } = await down(c, state, { purge: true });
    expect(code).toBe(0);
    expect(c.double.get({ apiVersion: 'v1', kind: 'PersistentVolume', name: 'pv-vault' })).toBeUndefined();
    expect(c.double.get({ apiVersion: 'v1', kind: 'Namespace', name: 'vault' })).toBeUndefined();
    expect(c.double.get({ apiVersion: 'v1', kind: 'Namespace', name: 'argocd' })).toBeUndefined();
    expect(c.double.get({ apiVersion: 'v1', kind: 'Namespace', name: 'kube-system' })).toBeDefined();
  });

  it('keeps the engine when Argo CD cannot prune, and says why', async () => {
    const { state, c } = await installed();
    cluster = c;
    c.argo.stop();
    const err = await down(c, state, { timeout: '300ms' }).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/timed out after 0s waiting for Argo CD to prune the Applications of wave \d+ \([^)]+\)\n {2}- Application \S+ \(being deleted\)/);
    expect(c.double.list('apps/v1', 'Deployment', 'argocd').length).toBeGreaterThan(0);
  });
});
