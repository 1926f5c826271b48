/** `plinth up` against the API test double: order, idempotence, resume, preflight, network plugin, dry run. */
import { afterEach, describe, expect, it } from 'vitest';
import { ClusterTimeoutError } from '../../src/cluster/index.js';
import type { DesiredState } from '../../src/desired/index.js';
import { PreflightError } from '../../src/ops/up/index.js';
import { Interrupted, interruptingClient } from '../double/interrupting-client.js';
import type { RecordedWrite } from '../double/kube-api-double.js';
import { metaOf } from '../double/store.js';
import { fakeRenderer, NODES, testState } from './fixtures.js';
import { capture, startCluster, type TestCluster, testOps, up, upOptions } from './harness.js';
import { runUp } from '../../src/ops/up/index.js';
import { reconcileObject } from '../../src/ops/apply.js';

let cluster: TestCluster | undefined;
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

const FULL = ['cilium', 'vault', 'external-secrets', 'dashboards'];
const repoCredentials = { url: 'https://git.example.com/platform/gitops.git', username: 'git', password: 'repo-token-VERY-secret-0123', origin: 'environment' };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves once `done` holds (polled), or fails after `ms`. */
async function until(done: () => unknown, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('the condition did not come true in time');
    await sleep(5);
  }
}

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

    // Phases in order: node pools, namespaces and PriorityClasses, CRDs, then Cilium (and the nodes
    // Ready), engine, credentials, root: the network plugin's pods name a tier PriorityClass, and its
    // operator looks for the Gateway API CRDs only when it starts.
    const phases = cluster.double.writes.map(phaseOf).filter((p, i, all) => all[i - 1] !== p);
    expect(phases).toEqual(['nodes', 'base', 'crds', 'cni', 'engine', 'credentials', 'root']);
    const lastPriorityClass = Math.max(...history.filter((c) => c.source === 'http' && c.resource.kind === 'PriorityClass').map((c) => c.rv));
    const gatewayCrdsEstablished = Math.max(...[...established].filter(([name]) => name.endsWith('.gateway.networking.k8s.io')).map(([, rv]) => rv));
    const firstCilium = rvOf((c) => c.source === 'http' && metaOf(c.object).namespace === 'kube-system' && ['Deployment', 'DaemonSet'].includes(c.resource.kind));
    expect(lastPriorityClass).toBeLessThan(firstCilium);
    expect(gatewayCrdsEstablished).toBeLessThan(firstCilium);
    const nodesReady = rvOf((c) => c.resource.kind === 'Node' && c.subresource === 'status' && JSON.stringify(c.object.status).includes('KubeletReady'));
    const firstEngineWrite = rvOf((c) => c.source === 'http' && metaOf(c.object).namespace === 'argocd' && c.resource.kind === 'Deployment');
    expect(nodesReady).toBeLessThan(firstEngineWrite);

    // Custom resources rendered by the engine's chart: applied once their CRD is Established, else left to Argo CD.
    expect(cap.out()).toContain('create    ServiceMonitor/argocd/argocd-server');
    expect(cap.out()).toContain('skip      PrometheusRule/argocd/argocd (its CRD is not installed yet: left to Argo CD)');
    // Those of the network plugin always (their CRDs come after it), so that a second run does not write them.
    expect(cap.out()).toContain('skip      ServiceMonitor/kube-system/cilium-agent (a custom resource of the network plugin: left to Argo CD)');
    expect(cap.out()).toMatch(/Endpoints:\n {2}Argo CD {2}https:\/\/argocd\.idp\.test\n {2}Grafana {2}https:\/\/grafana\.idp\.test/);
  });

  it('writes no custom resource while the CRDs are not Established, and goes on once they are', async () => {
    const state = testState(FULL);
    cluster = await startCluster(state, { cni: false, crdEstablishment: 'manual' });
    const c = cluster;
    const crds = (await Promise.all(state.units.map((u) => fakeRenderer.render(u, state.units)))).flat().filter((o) => o.kind === 'CustomResourceDefinition').map((o) => o.metadata.name);
    expect(crds.length).toBeGreaterThan(3);
    const running = up(c, state, { repoCredentials });
    running.catch(() => {}); // awaited below
    await until(() => crds.every((name) => c.double.get({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name })));
    await sleep(300); // many poll intervals of the run
    const customWrites = () => c.double.store.history.filter((h) => h.source === 'http' && h.resource.crd).map((h) => `${h.resource.kind}/${metaOf(h.object).name}`);
    // Held: no custom resource, and nothing after the CRDs at all (the run waits for them).
    expect(customWrites()).toEqual([]);
    expect(c.double.writes.at(-1)?.kind).toBe('CustomResourceDefinition');
    for (const name of crds) c.double.establishCrd(name);
    await running;
    expect(customWrites()).toContain('Application/plinth-root');
  });

  it('refuses to skip an AppProject or the root Application whose type is not served (outside a dry run)', async () => {
    const state = testState();
    cluster = await startCluster(state);
    const root = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'plinth-root', namespace: 'argocd' }, spec: {} };
    await expect(reconcileObject(cluster.client, root, { dryRun: false, required: true })).rejects.toThrow(
      'Application/argocd/plinth-root: the cluster does not serve Application (argoproj.io/v1alpha1): its CustomResourceDefinition is not installed or not yet established',
    );
    expect(await reconcileObject(cluster.client, root, { dryRun: true, required: true })).toMatchObject({ verb: 'skip' });
    expect(await reconcileObject(cluster.client, root, { dryRun: false })).toMatchObject({ verb: 'skip' }); // what is left to Argo CD
    expect(cluster.double.writes).toEqual([]);
  });

  it('writes no AppProject and no root Application while the engine is not Available, and goes on once it is', async () => {
    const state = testState(FULL);
    const engine = ['Deployment/argocd-server', 'Deployment/argocd-repo-server', 'StatefulSet/argocd-application-controller'];
    cluster = await startCluster(state, { cni: false, hold: engine.map((w) => `argocd/${w.split('/')[1]}`) });
    const c = cluster;
    const running = up(c, state, { repoCredentials });
    running.catch(() => {}); // awaited below
    await until(() => engine.every((w) => c.double.get({ apiVersion: 'apps/v1', kind: w.split('/')[0]!, namespace: 'argocd', name: w.split('/')[1]! })));
    await sleep(300);
    expect(c.double.writes.filter((w) => w.kind === 'AppProject' || w.kind === 'Application')).toEqual([]);
    expect(c.double.writes.filter((w) => w.kind === 'Secret' && w.name === 'plinth-gitops-repo')).toEqual([]);
    c.sim.hold.clear();
    for (const w of engine) c.sim.markReady(w.split('/')[0]!, 'argocd', w.split('/')[1]!);
    await running;
    expect(c.double.writes.filter((w) => w.kind === 'Application').map((w) => w.name)).toEqual(['plinth-root']);
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

  it('keeps a taint another controller adds between its read and its patch of a node', async () => {
    const state = testState();
    cluster = await startCluster(state, { cni: false, nodes: NODES });
    cluster.sim.networkReady();
    const c = cluster;
    let raced = false;
    const racing: typeof c.client = Object.create(c.client as object);
    Object.assign(racing, {
      patch: async (ref: Parameters<typeof c.client.patch>[0], patch: unknown, type: Parameters<typeof c.client.patch>[2]) => {
        if (ref.kind === 'Node' && ref.name === 'k3s-server-0' && !raced) {
          raced = true;
          c.double.update({ apiVersion: 'v1', kind: 'Node', name: 'k3s-server-0' }, (n) => {
            n.spec = { taints: [{ key: 'node.cilium.io/agent-not-ready', effect: 'NoSchedule' }] };
          });
        }
        return c.client.patch(ref, patch, type);
      },
    });
    await up(cluster, state, {}, racing);
    expect(raced).toBe(true);
    const server = cluster.double.get({ apiVersion: 'v1', kind: 'Node', name: 'k3s-server-0' })!;
    expect((server.spec as { taints: unknown[] }).taints).toEqual([
      { key: 'node.cilium.io/agent-not-ready', effect: 'NoSchedule' },
      { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
    ]);
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

  it('restarts an operator that started before the CRDs it discovers only at start-up (a cluster installed in the old order)', async () => {
    const base = testState(['cilium', 'widgets']);
    // Stated as the real cilium module states it of the Gateway API; here of the test's widgets.
    const state = { ...base, units: base.units.map((u) => (u.name === 'cilium' ? { ...u, startupCrdGroups: ['widgets.example.com'] } : u)) };
    cluster = await startCluster(state, { cni: false });
    await up(cluster, state);
    const pod = (name: string, startTime: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'kube-system', labels: { 'app.kubernetes.io/name': 'cilium-operator' } }, spec: { containers: [] }, status: { startTime } });
    cluster.double.put(pod('cilium-operator-old', '2001-01-01T00:00:00Z'));
    cluster.double.put(pod('cilium-operator-new', '2999-01-01T00:00:00Z'));
    const { cap } = await up(cluster, state);
    expect(cap.out()).toContain('restarted Pod/kube-system/cilium-operator-old: it started before the widgets.example.com CRDs, which cilium looks for only at start-up');
    expect(cluster.double.get({ apiVersion: 'v1', kind: 'Pod', namespace: 'kube-system', name: 'cilium-operator-old' })).toBeUndefined();
    expect(cluster.double.get({ apiVersion: 'v1', kind: 'Pod', namespace: 'kube-system', name: 'cilium-operator-new' })).toBeDefined();
  });

  it('moves a cluster of the earlier layout over without a cascade: Applications freed, their ApplicationSet deleted orphaning them', async () => {
    const state = testState(['cilium', 'vault']);
    cluster = await startCluster(state, { cni: false });
    await up(cluster, state);
    const d = cluster.double;
    const set = d.put({ apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', metadata: { name: 'platform-networking', namespace: 'argocd', labels: { 'plinth.dev/stack': 'networking' } }, spec: { generators: [] } });
    const uid = (set.metadata as { uid: string }).uid;
    for (const name of ['cilium', 'vault']) {
      d.update({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', namespace: 'argocd', name }, (o) => {
        const m = o.metadata as Record<string, unknown>;
        m.ownerReferences = [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', name: 'platform-networking', uid, controller: true }];
        m.finalizers = ['resources-finalizer.argocd.argoproj.io'];
      });
    }
    const { cap } = await up(cluster, state);
    expect(cap.out()).toContain('freed Application/argocd/cilium from its ApplicationSet and the resources finalizer');
    expect(cap.out()).toContain('freed Application/argocd/vault from its ApplicationSet\n');
    expect(cap.out()).toContain('deleted ApplicationSet/argocd/platform-networking of the earlier layout (its Applications stay)');
    const meta = (name: string) => d.get({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', namespace: 'argocd', name })!.metadata as { ownerReferences?: unknown[]; finalizers?: string[] };
    expect(d.get({ apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', namespace: 'argocd', name: 'platform-networking' })).toBeUndefined();
    expect(meta('cilium').ownerReferences ?? []).toEqual([]);
    expect(meta('cilium').finalizers ?? []).toEqual([]);
    expect(meta('vault').finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
  });

  it('leaves the network alone when the cluster has one and cilium is disabled', async () => {
    const state = testState();
    cluster = await startCluster(state, { flannel: true });
    const { cap } = await up(cluster, state);
    expect(cap.out()).toContain('=> present: flannel (built into k3s)');
    expect(cluster.double.writes.filter((w) => w.namespace === 'kube-system')).toEqual([]);
  });

  it("refuses to put Cilium on top of k3s's own flannel, naming the k3s flags, and writes nothing", async () => {
    const state = testState(['cilium']);
    cluster = await startCluster(state, { flannel: true });
    const err = await up(cluster, state).catch((e: Error) => e);
    expect(err).toBeInstanceOf(PreflightError);
    expect((err as Error).message).toContain(
      '- error: the cluster already runs flannel (built into k3s) as its network plugin, and the cilium component is enabled: Argo CD would install Cilium on top of it (two network plugins on every node)',
    );
    expect((err as Error).message).toContain('hint: start k3s with --flannel-backend=none --disable-network-policy --disable-kube-proxy');
    expect((err as Error).message).toContain('or disable the cilium component in plinth.yaml');
    expect(cluster.double.writes).toEqual([]);
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

  it('passes with a node plinth.yaml does not name, warning about it and counting it apart', async () => {
    const state = testState();
    cluster = await startCluster(state, { nodes: [...NODES, { name: 'k3s-agent-9', role: 'worker' }] });
    const { cap } = await up(cluster, state);
    expect(cap.out()).toContain('=> Kubernetes v1.31.0+double, all 3 nodes of plinth.yaml present, 1 more not in plinth.yaml');
    expect(cap.err()).toContain('warning: node k3s-agent-9 is in the cluster but not in plinth.yaml');
  });

  it('refuses a server older than 1.29', async () => {
    const state = testState();
    cluster = await startCluster(state, { version: { major: 1, minor: 28 } });
    await expect(up(cluster, state)).rejects.toThrow(/- error: the API server runs Kubernetes v1\.28\.0\+double; Plinth needs 1\.29 or newer/);
    expect(cluster.double.writes).toEqual([]);
  });
});

describe('plinth up resumes after an interruption', () => {
  it('after every write of every phase', async () => {
    // Without Vault: its bootstrap makes no cluster writes to cut, and its bcrypt hashing would cost a third of a second per cut.
    const state = testState(['cilium']);
    // A reference run tells which write belongs to which phase.
    const reference = await startCluster(state, { cni: false });
    await up(reference, state, { repoCredentials });
    const writes = reference.double.writes.map((w) => ({ phase: phaseOf(w), what: `${w.kind}/${w.namespace ? `${w.namespace}/` : ''}${w.name}` }));
    const finalState = snapshot(reference, state);
    await reference.close();
    expect([...new Set(writes.map((w) => w.phase))]).toEqual(['nodes', 'base', 'crds', 'cni', 'engine', 'credentials', 'root']);

    /** Crashes after `at` writes, runs again, and says what differs from the reference (nothing, when it resumed). */
    const resumeAt = async (at: number): Promise<string[]> => {
      const where = `cut after ${at} writes (before ${writes[at]!.phase} ${writes[at]!.what})`;
      const c = await startCluster(state, { cni: false });
      try {
        const crashing = interruptingClient(c.client, at);
        const first = await runUp(testOps(crashing, capture()), state, upOptions(c, { repoCredentials })).then(
          () => 'finished',
          (e: Error) => (e instanceof Interrupted ? 'interrupted' : e.message),
        );
        if (first !== 'interrupted' || c.double.writes.length !== at) return [`${where}: the first run ${first} after ${c.double.writes.length} writes`];
        await up(c, state, { repoCredentials });
        const problems: string[] = [];
        // The second run does only what was left: every object is written once in all.
        if (c.double.writes.length !== writes.length) problems.push(`${where}: ${c.double.writes.length} writes in all, not ${writes.length}`);
        const missing = finalState.filter((o) => !snapshot(c, state).includes(o));
        if (missing.length > 0) problems.push(`${where}: differs from the reference in ${missing.join(', ')}`);
        return problems;
      } finally {
        await c.close();
      }
    };
    // Every cut has its own test double, so they run a few at a time.
    const problems: string[] = [];
    for (let at = 0; at < writes.length; at += 8) {
      const batch = Array.from({ length: Math.min(8, writes.length - at) }, (_, i) => resumeAt(at + i));
      for (const p of await Promise.all(batch)) problems.push(...p);
    }
    expect(problems).toEqual([]);
  });

  it('while following the Applications: a timeout names what is pending, and the next run finishes it', async () => {
    const state = testState(['vault', 'external-secrets', 'dashboards']);
    cluster = await startCluster(state, { argo: { stall: ['dashboards'] } });
    const err = await up(cluster, state, { followMs: 3000 }).catch((e: Error) => e);
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
      '[3/9] namespaces and PriorityClasses',
      '[4/9] CustomResourceDefinitions',
      '[5/9] network plugin',
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
    expect(pos('Namespace/argocd')).toBeLessThan(pos('CustomResourceDefinition/applications.argoproj.io'));
    expect(pos('CustomResourceDefinition/applications.argoproj.io')).toBeLessThan(pos('DaemonSet/kube-system/cilium'));
    expect(pos('DaemonSet/kube-system/cilium')).toBeLessThan(pos('Deployment/argocd/argocd-server'));
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

  it('removes a field Plinth set before and no longer sets, instead of calling the object unchanged', async () => {
    const state = testState();
    cluster = await startCluster(state);
    const ref = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'argocd', name: 'plinth-probe' };
    const object = (data: Record<string, string>, labels: Record<string, string>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: ref.name, namespace: ref.namespace, labels }, data });
    await cluster.client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'argocd' } }, { force: true });
    expect(await reconcileObject(cluster.client, object({ a: '1', 'users.anonymous.enabled': 'true' }, { x: '1', y: '1' }), { dryRun: false })).toMatchObject({ verb: 'create' });
    const thinner = object({ a: '1' }, { x: '1' });
    expect(await reconcileObject(cluster.client, thinner, { dryRun: true })).toMatchObject({ verb: 'update' });
    expect(await reconcileObject(cluster.client, thinner, { dryRun: false })).toMatchObject({ verb: 'update' });
    const live = cluster.double.get(ref) as { data: Record<string, string>; metadata: { labels: Record<string, string> } };
    expect(live.data).toEqual({ a: '1' });
    expect(live.metadata.labels).toEqual({ x: '1' });
    expect(await reconcileObject(cluster.client, thinner, { dryRun: false })).toMatchObject({ verb: 'unchanged' });
  });
});
