/** `plinth up` against the API test double: order, idempotence, resume, preflight, network plugin, dry run. */
import { afterEach, describe, expect, it } from 'vitest';
import { ClusterTimeoutError } from '../../src/cluster/index.js';
import type { DesiredState } from '../../src/desired/index.js';
import { PreflightError } from '../../src/ops/up/index.js';
import { Interrupted, interruptingClient } from '../double/interrupting-client.js';
import type { RecordedWrite } from '../double/kube-api-double.js';
import { metaOf } from '../double/store.js';
import { NODES, testState } from './fixtures.js';
import { capture, startCluster, type TestCluster, testOps, up, upOptions } from './harness.js';
import { runUp } from '../../src/ops/up/index.js';

let cluster: TestCluster | undefined;
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

const FULL = ['cilium', 'vault', 'external-secrets', 'dashboards'];
const repoCredentials = { url: 'https://git.example.com/platform/gitops.git', username: 'git', password: 'repo-token-VERY-secret-0123', origin: 'environment' };

/** Which phase a write of `plinth up` belongs to. */
function phaseOf(w: RecordedWrite): string {
  if (w.kind === 'Node') return 'nodes';
  if (w.namespace === 'kube-system') return 'cni';
  if (w.kind === 'Namespace' || w.kind === 'PriorityClass') return 'base';
  if (w.kind === 'CustomResourceDefinition') return 'crds';
  if (w.kind === 'Secret' && w.name === 'plinth-gitops-repo') return 'credentials';
  if (w.kind === 'AppProject' || w.kind === 'Application') return 'root';
  return 'engine';
}

/** Every object's identity and content, without server bookkeeping. */
function snapshot(c: TestCluster, state: DesiredState): string[] {
  const kinds: [string, string][] = [
    ['v1', 'Namespace'],
    ['scheduling.k8s.io/v1', 'PriorityClass'],
    ['apiextensions.k8s.io/v1', 'CustomResourceDefinition'],
    ['v1', 'ConfigMap'],
    ['v1', 'Secret'],
    ['apps/v1', 'Deployment'],
    ['apps/v1', 'DaemonSet'],
    ['apps/v1', 'StatefulSet'],
    ['argoproj.io/v1alpha1', 'AppProject'],
    ['argoproj.io/v1alpha1', 'Application'],
  ];
  void state;
  return kinds
    .flatMap(([v, k]) => c.double.list(v, k).map((o) => `${k}/${metaOf(o).namespace ?? ''}/${metaOf(o).name} labels=${JSON.stringify(metaOf(o).labels ?? {})}`))
    .concat(c.double.list('v1', 'Node').map((n) => `Node/${metaOf(n).name} ${JSON.stringify(metaOf(n).labels)} ${JSON.stringify((n.spec as { taints?: unknown }).taints ?? [])}`))
    .sort();
}

describe('plinth up', () => {
  it('applies in order: no custom resource before its CRD is Established, no root app before the engine is Available', async () => {
    const state = testState(FULL);
    cluster = await startCluster(state, { cni: false });
    const { cap } = await up(cluster, state, { repoCredentials });
    const history = cluster.double.store.history;
    const rvOf = (pred: (c: (typeof history)[number]) => boolean) => history.find(pred)?.rv ?? Number.POSITIVE_INFINITY;

    // Custom resources written by the client only once their CRD is Established.
    const established = new Map<string, number>();
    for (const c of history) {
      const conds = ((c.object.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []);
      if (c.resource.kind === 'CustomResourceDefinition' && conds.some((x) => x.type === 'Established' && x.status === 'True') && !established.has(metaOf(c.object).name)) established.set(metaOf(c.object).name, c.rv);
    }
    const customWrites = history.filter((c) => c.source === 'http' && c.resource.crd);
    expect(customWrites.length).toBeGreaterThan(0);
    for (const c of customWrites) expect(established.get(c.resource.crd!)!, `${c.resource.kind} ${metaOf(c.object).name}`).toBeLessThan(c.rv);

    // The root Application after every Deployment and StatefulSet of the engine reported ready.
    const rootCreated = rvOf((c) => c.source === 'http' && c.resource.kind === 'Application' && metaOf(c.object).name === 'plinth-root');
    const engineReady = history.filter((c) => c.subresource === 'status' && metaOf(c.object).namespace === 'argocd' && ['Deployment', 'StatefulSet'].includes(c.resource.kind)).map((c) => c.rv);
    expect(engineReady.length).toBe(3);
    expect(Math.max(...engineReady)).toBeLessThan(rootCreated);

    // Phases in order: node pools, Cilium (and the nodes Ready) before namespaces, CRDs, engine, credentials, root.
    const phases = cluster.double.writes.map(phaseOf).filter((p, i, all) => all[i - 1] !== p);
    expect(phases).toEqual(['nodes', 'cni', 'base', 'crds', 'engine', 'credentials', 'root']);
    const nodesReady = rvOf((c) => c.resource.kind === 'Node' && c.subresource === 'status' && JSON.stringify(c.object.status).includes('KubeletReady'));
    const firstNamespace = rvOf((c) => c.source === 'http' && c.resource.kind === 'Namespace');
    expect(nodesReady).toBeLessThan(firstNamespace);

    // Custom resources rendered by the engine's chart whose CRD is not installed are left to Argo CD.
    expect(cap.out()).toContain('skip      ServiceMonitor/argocd/argocd-server (its CRD is not installed yet: left to Argo CD)');
    expect(cap.out()).toMatch(/Endpoints:\n {2}Argo CD {2}https:\/\/argocd\.idp\.test\n {2}Grafana {2}https:\/\/grafana\.idp\.test/);
  });

  it('is idempotent: a second up writes nothing, even with charts that render new random Secrets', async () => {
    const state = testState(FULL);
    cluster = await startCluster(state, { cni: false });
    await up(cluster, state, { repoCredentials });
    const before = cluster.double.writes.length;
    const { cap } = await up(cluster, state, { repoCredentials });
    expect(cluster.double.writes.slice(before)).toEqual([]);
    expect(cap.out()).toMatch(/Done: 0 created, 0 updated, \d+ unchanged/);
    await up(cluster, state, { repoCredentials, dryRun: true });
    expect(cluster.double.writes.slice(before)).toEqual([]);
  });

  it('labels and taints the nodes of each pool, keeping the taints others set', async () => {
    const state = testState();
    cluster = await startCluster(state, { cni: false, nodes: NODES });
    cluster.sim.networkReady();
    cluster.double.update({ apiVersion: 'v1', kind: 'Node', name: 'k3s-agent-0' }, (n) => {
      n.spec = { taints: [{ key: 'example.com/maintenance', effect: 'PreferNoSchedule' }] };
    });
    await up(cluster, state);
    const server = cluster.double.get({ apiVersion: 'v1', kind: 'Node', name: 'k3s-server-0' })!;
    expect(metaOf(server).labels).toMatchObject({ 'plinth.dev/pool': 'control-plane', 'node-role.kubernetes.io/control-plane': 'true' });
    expect((server.spec as { taints: unknown[] }).taints).toEqual([{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]);
    const agent = cluster.double.get({ apiVersion: 'v1', kind: 'Node', name: 'k3s-agent-0' })!;
    expect(metaOf(agent).labels).toMatchObject({ 'plinth.dev/pool': 'infra' });
    expect((agent.spec as { taints: unknown[] }).taints).toEqual([{ key: 'example.com/maintenance', effect: 'PreferNoSchedule' }]);
  });

  it('installs Cilium first when the cluster has no network plugin, and waits for the nodes', async () => {
    const state = testState(['cilium']);
    cluster = await startCluster(state, { cni: false });
    const { cap } = await up(cluster, state);
    expect(cap.out()).toContain('no network plugin (k3s-agent-0, k3s-agent-1, k3s-server-0 wait for one): Cilium first');
    expect(cap.out()).toMatch(/=> every node is Ready \(\d+s\)/);
    expect(cluster.double.get({ apiVersion: 'apps/v1', kind: 'DaemonSet', namespace: 'kube-system', name: 'cilium' })).toBeDefined();
    const second = await up(cluster, state);
    expect(second.cap.out()).toContain('=> Cilium runs and every node is Ready');
  });

  it('leaves the network alone when the cluster has one', async () => {
    const state = testState(['cilium']);
    cluster = await startCluster(state, { cni: true });
    const { cap } = await up(cluster, state);
    expect(cap.out()).toContain('=> present: built into the distribution');
    expect(cluster.double.writes.filter((w) => w.namespace === 'kube-system')).toEqual([]);
  });

  it('refuses a cluster without a network plugin when cilium is disabled', async () => {
    const state = testState();
    cluster = await startCluster(state, { cni: false });
    await expect(up(cluster, state)).rejects.toThrow(/the cluster has no network plugin .* and the cilium component is disabled\n {4}hint: enable cilium/);
    expect(cluster.double.writes).toEqual([]);
  });
});

describe('plinth up preflight', () => {
  it('lists a missing node and writes nothing', async () => {
    const state = testState();
    cluster = await startCluster(state, { nodes: NODES.filter((n) => n.name !== 'k3s-agent-1').concat([{ name: 'k3s-agent-9', role: 'worker' }]) });
    const err = await up(cluster, state).catch((e: Error) => e);
    expect(err).toBeInstanceOf(PreflightError);
    expect((err as Error).message).toContain('is not the one plinth.yaml describes');
    expect((err as Error).message).toContain('- error: node k3s-agent-1 (pool apps, worker) is in plinth.yaml but not in the cluster');
    expect((err as Error).message).toContain('(k3s-agent-0, k3s-agent-9, k3s-server-0)');
    expect((err as Error).message).toContain('- warning: node k3s-agent-9 is in the cluster but not in plinth.yaml');
    expect(cluster.double.writes).toEqual([]);
  });

  it('refuses a server older than 1.29', async () => {
    const state = testState();
    cluster = await startCluster(state, { version: { major: 1, minor: 28 } });
    await expect(up(cluster, state)).rejects.toThrow(/- error: the API server runs Kubernetes v1\.28\.0\+double; Plinth needs 1\.29 or newer/);
    expect(cluster.double.writes).toEqual([]);
  });
});

describe('plinth up resumes after an interruption', () => {
  it('at the first and at a middle write of every phase', async () => {
    const state = testState(['cilium', 'vault', 'external-secrets', 'dashboards']);
    // A reference run tells which write belongs to which phase.
    const reference = await startCluster(state, { cni: false });
    await up(reference, state, { repoCredentials });
    const writes = reference.double.writes;
    const finalState = snapshot(reference, state);
    await reference.close();
    const cuts = new Map<string, number[]>();
    writes.forEach((w, i) => cuts.set(phaseOf(w), [...(cuts.get(phaseOf(w)) ?? []), i]));
    expect([...cuts.keys()]).toEqual(['nodes', 'cni', 'base', 'crds', 'engine', 'credentials', 'root']);

    for (const [phase, indexes] of cuts) {
      for (const at of [...new Set([indexes[0]!, indexes[Math.floor(indexes.length / 2)]!])]) {
        cluster = await startCluster(state, { cni: false });
        const crashing = interruptingClient(cluster.client, at);
        await expect(runUp(testOps(crashing, capture()), state, upOptions(cluster, { repoCredentials })), `${phase} at write ${at}`).rejects.toBeInstanceOf(Interrupted);
        expect(cluster.double.writes.length).toBe(at);
        await up(cluster, state, { repoCredentials });
        // The second run does only what was left: every object is written once in all.
        expect(cluster.double.writes.length, `${phase} at write ${at}`).toBe(writes.length);
        expect(snapshot(cluster, state), `${phase} at write ${at}`).toEqual(finalState);
        await cluster.close();
        cluster = undefined;
      }
    }
  });

  it('while following the Applications: a timeout names what is pending, and the next run finishes it', async () => {
    const state = testState(['vault', 'external-secrets', 'dashboards']);
    cluster = await startCluster(state, { argo: { stall: ['dashboards'] } });
    const err = await up(cluster, state, { followMs: 300 }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(ClusterTimeoutError);
    expect((err as Error).message).toMatch(/waiting for wave \d \(dashboards\) to be Synced and Healthy\n {2}- dashboards: OutOfSync\/Missing/);
    expect((err as Error).message).toContain('run `plinth up` again to resume');
    const writes = cluster.double.writes.length;
    cluster.argo.options.stall = [];
    const { cap } = await up(cluster, state);
    expect(cluster.double.writes.length).toBe(writes);
    expect(cap.out()).toContain('every component is Synced and Healthy');
  });
});

describe('plinth up --dry-run', () => {
  it('prints the full ordered plan on an empty cluster and changes nothing', async () => {
    const state = testState(['cilium', 'dashboards', 'vault', 'external-secrets']);
    cluster = await startCluster(state, { cni: false });
    const { cap } = await up(cluster, state, { dryRun: true, repoCredentials });
    expect(cluster.double.writes).toEqual([]);
    const out = cap.out();
    const headers = out.split('\n').filter((l) => /^\[\d\/9\]/.test(l));
    expect(headers).toEqual([
      '[1/9] preflight',
      '[2/9] node pools: labels and taints',
      '[3/9] network plugin',
      '[4/9] namespaces and PriorityClasses',
      '[5/9] CustomResourceDefinitions',
      '[6/9] GitOps engine (Argo CD)',
      '[7/9] repository credentials',
      '[8/9] AppProjects and the root Application',
      '[9/9] Applications, wave by wave',
    ]);
    for (const line of [
      'dry run: nothing is changed.',
      'k3s-server-0: label plinth.dev/pool=control-plane, taint node-role.kubernetes.io/control-plane:NoSchedule',
      'create    DaemonSet/kube-system/cilium',
      'create    Namespace/argocd',
      'create    PriorityClass/plinth-tier-1-critical',
      'create    CustomResourceDefinition/applications.argoproj.io',
      'create    Deployment/argocd/argocd-server',
      'create    Secret/argocd/plinth-gitops-repo (repository credentials; values not shown)',
      'create    AppProject/argocd/plinth-bootstrap (once its CRD is established)',
      'create    Application/argocd/plinth-root (once its CRD is established)',
      'wave 0: cilium (tier 0), platform-base (tier 0)',
      'then Vault: initialise once',
      'Would create',
    ]) expect(out).toContain(line);
    // The plan follows the order of the run.
    const pos = (s: string) => out.indexOf(s);
    expect(pos('DaemonSet/kube-system/cilium')).toBeLessThan(pos('Namespace/argocd'));
    expect(pos('Namespace/argocd')).toBeLessThan(pos('CustomResourceDefinition/applications.argoproj.io'));
    expect(pos('CustomResourceDefinition/applications.argoproj.io')).toBeLessThan(pos('Deployment/argocd/argocd-server'));
    expect(pos('Deployment/argocd/argocd-server')).toBeLessThan(pos('Application/argocd/plinth-root'));
  });

  it('on an installed platform, shows everything unchanged', async () => {
    const state = testState(['vault', 'external-secrets', 'dashboards']);
    cluster = await startCluster(state);
    await up(cluster, state);
    const { cap } = await up(cluster, state, { dryRun: true });
    expect(cap.out()).toMatch(/Would create 0, update 0, leave \d+ unchanged/);
    expect(cap.out()).toContain('unchanged Application/argocd/plinth-root');
  });

  it('shows an update when the cluster drifted', async () => {
    const state = testState();
    cluster = await startCluster(state);
    await up(cluster, state);
    cluster.double.update({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'argocd', name: 'argocd-cm' }, (o) => {
      o.data = { 'admin.enabled': 'false' };
    });
    const before = cluster.double.writes.length;
    const { cap } = await up(cluster, state, { dryRun: true });
    expect(cap.out()).toContain('update    ConfigMap/argocd/argocd-cm');
    expect(cluster.double.writes.length).toBe(before);
    await up(cluster, state);
    expect(cluster.double.writes.slice(before).map((w) => `${w.kind}/${w.name}`)).toEqual(['ConfigMap/argocd-cm']);
  });
});
