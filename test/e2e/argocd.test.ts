/**
 * The real Argo CD (v3.5.3: application-controller, repo-server,
 * applicationset-controller; harness/argocd.ts) reconciles the repository
 * `plinth plan` writes for the edge platform, on the real control plane with
 * kwok nodes. The GitOps repository is a local git repository (file:// URL in
 * gitops.repo.url) into which the test commits plan's output; every chart and
 * upstream manifest comes from `plinth charts serve` (charts.mirror), run as the
 * product's own command on a free loopback port. `plinth up` installs the
 * platform up to the root Application; from there Argo CD decides everything
 * asserted here:
 *
 *  - the root Application creates exactly the Applications (and the tenants'
 *    ApplicationSet) that plan wrote and `check` reads: names, projects,
 *    sources, waves, finalizers; every Application reaches Synced and Healthy;
 *  - the order: no Application starts its first sync before every Application
 *    it depends on has been synced (Argo CD's own timestamps:
 *    operationState.startedAt, history[].deployedAt);
 *  - drift is healed: a managed field changed on the server is restored;
 *  - a component disabled in plinth.yaml is removed by a new commit, without
 *    deleting what must outlive it (its namespace, its CRDs, its volumes);
 *  - `plinth down` with Argo CD running: the Applications pruned wave by wave
 *    from the last, the AppProjects released by Argo CD's own finalizer, then
 *    the engine; the namespaces, CRDs, volume claims and Cilium stay.
 *
 * Stand-ins used (named in the summary line; see harness/stand-ins.ts and
 * harness/nodes.ts), for controllers whose pods kwok cannot run:
 *  - the network stand-in (a node's network is ready once a Cilium agent pod is Ready on it);
 *  - the local-path stand-in for k3s's local-path-provisioner (StorageClass and volumes);
 *  - status stand-ins for cert-manager, External Secrets, Cilium's Gateway API
 *    controller and the Prometheus Operator (the Ready/Accepted/Available conditions
 *    those controllers write; Argo CD's health checks read them);
 *  - no admission webhooks: the API server runs without the webhook admission
 *    plugins, since every webhook (cert-manager, External Secrets, Vault's injector,
 *    the Prometheus Operator, Kyverno) points at a pod without a network. Nothing
 *    the webhooks would refuse is asserted here.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../src/config/load.js';
import { desiredState } from '../../src/desired/index.js';
import type { K8sObject } from '../../src/model/k8s.js';
import { platformNamespaces } from '../../src/ops/down-common.js';
import { helmRenderer } from '../../src/ops/render.js';
import { helmSetup } from '../support/charts.js';
import { runCli, tempDir } from '../support/cli.js';
import { type RunningArgoCd, startArgoCd } from './harness/argocd.js';
import { useE2eCluster } from './harness/cluster.js';
import { freePort } from './harness/control-plane.js';
import { until } from './harness/procs.js';
import { LocalPathStandIn, StatusStandIn } from './harness/stand-ins.js';

const NO_WEBHOOK_ADMISSION = '--disable-admission-plugins=MutatingAdmissionWebhook,ValidatingAdmissionWebhook';
const cluster = useE2eCluster({ network: 'waits-for-network', extraArgs: { 'kube-apiserver': [NO_WEBHOOK_ADMISSION] } });

const APP = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application' };
const NS = 'argocd';
const PLINTH = fileURLToPath(new URL('../../bin/plinth.js', import.meta.url));
/** Components removed by the last test; each has a namespace, CRDs or a volume that must stay. */
const DISABLED = ['jenkins', 'trivy-operator'];

interface AppStatus {
  sync?: { status?: string; revision?: string };
  health?: { status?: string; message?: string };
  operationState?: { startedAt?: string; finishedAt?: string; phase?: string; message?: string };
  history?: { deployStartedAt?: string; deployedAt?: string }[];
  resources?: { group?: string; kind: string; namespace?: string; name: string }[];
  conditions?: { type: string; message: string }[];
}

const statusOf = (a: K8sObject) => ((a as { status?: AppStatus }).status ?? {}) as AppStatus;
const time = (s: string | undefined) => (s ? Date.parse(s) : Number.NaN);

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 'plinth e2e', GIT_AUTHOR_EMAIL: 'e2e@plinth.invalid', GIT_COMMITTER_NAME: 'plinth e2e', GIT_COMMITTER_EMAIL: 'e2e@plinth.invalid' } });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

/** The Applications plan wrote (what the root Application syncs and `check` reads), by name. */
function plannedApplications(repo: string): Map<string, K8sObject> {
  const out = new Map<string, K8sObject>();
  const dir = join(repo, 'bootstrap/root/applications');
  for (const stack of readdirSync(dir)) {
    for (const f of readdirSync(join(dir, stack))) {
      const app = parse(readFileSync(join(dir, stack, f), 'utf8')) as K8sObject;
      out.set(app.metadata.name, app);
    }
  }
  return out;
}

/** dependsOn of every unit, from its component.json. */
function dependencies(repo: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const stack of readdirSync(join(repo, 'platform'))) {
    for (const unit of readdirSync(join(repo, 'platform', stack))) {
      const file = join(repo, 'platform', stack, unit, 'component.json');
      if (!existsSync(file)) continue;
      const c = JSON.parse(readFileSync(file, 'utf8')) as { name: string; dependsOn: string[] };
      out.set(c.name, c.dependsOn);
    }
  }
  return out;
}

describe('the real Argo CD on the generated repository (edge platform)', () => {
  let cwd: string;
  let repo: string;
  let argo: RunningArgoCd | undefined;
  const localPath = { standIn: undefined as LocalPathStandIn | undefined };
  let status: StatusStandIn | undefined;
  /** First sync start per Application, as Argo CD recorded it. */
  const firstStart = new Map<string, number>();
  let recorder: NodeJS.Timeout | undefined;
  let planned: Map<string, K8sObject>;

  afterAll(async () => {
    if (recorder) clearInterval(recorder);
    status?.stop();
    localPath.standIn?.stop();
    await argo?.stop();
  });

  async function record(): Promise<K8sObject[]> {
    const apps = await cluster.get().client.list(APP.apiVersion, APP.kind, { namespace: NS });
    for (const a of apps) {
      const st = statusOf(a);
      const starts = [time(st.operationState?.startedAt), ...(st.history ?? []).map((h) => time(h.deployStartedAt))].filter((t) => !Number.isNaN(t));
      if (starts.length === 0) continue;
      const min = Math.min(...starts);
      const had = firstStart.get(a.metadata.name);
      if (had === undefined || min < had) firstStart.set(a.metadata.name, min);
    }
    return apps;
  }

  const refreshRoot = () => cluster.get().client.patch({ ...APP, namespace: NS, name: 'plinth-root' }, { metadata: { annotations: { 'argocd.argoproj.io/refresh': 'normal' } } }, 'merge');

  async function allSyncedAndHealthy(names: Set<string>, what: string, timeoutMs: number): Promise<K8sObject[]> {
    return until(what, timeoutMs, async () => {
      argo?.assertRunning();
      const apps = (await record()).filter((a) => names.has(a.metadata.name));
      const done = apps.length === names.size && apps.every((a) => statusOf(a).sync?.status === 'Synced' && statusOf(a).health?.status === 'Healthy');
      if (done) return apps;
      // eslint-disable-next-line complexity -- one Application as a line of the timeout message: the count is the optional chains of its sync and health status
      const pending = [...names].map((n) => {
        const a = apps.find((x) => x.metadata.name === n);
        if (!a) return `${n}: not created`;
        const st = statusOf(a);
        return st.sync?.status === 'Synced' && st.health?.status === 'Healthy' ? undefined : `${n}: ${st.sync?.status}/${st.health?.status} ${st.health?.message ?? ''} ${st.operationState?.phase ?? ''} ${(st.operationState?.message ?? '').slice(0, 200)} ${(st.conditions ?? []).map((c) => c.message).join('; ').slice(0, 200)}`;
      });
      const standInErrors = [...(status?.errors ?? [])].map(([k, e]) => `stand-in for ${k}: ${e}`);
      throw new Error([...pending.filter(Boolean), ...standInErrors].join('\n'));
    }, 2_000);
  }

  // eslint-disable-next-line complexity -- the Argo CD scenario in the order a user runs it (chart mirror, repository, plan, up, root sync, each Application); split, the steps would lose their order
  it('root Application → exactly the planned Applications, each Synced and Healthy', { timeout: 1_800_000 }, async () => {
    const { cp, client } = cluster.get();
    const { cache } = await helmSetup();
    cwd = await tempDir('plinth-e2e-argocd-');
    repo = join(cwd, 'gitops');
    const mirrorPort = await freePort();

    // The chart mirror: the product's command, on loopback.
    const mirror = cp.procs.start('plinth-charts-serve', process.execPath, [PLINTH, 'charts', 'serve', '--port', String(mirrorPort), '--charts', cache.dir], { cwd });
    const mirrorUrl = `http://127.0.0.1:${mirrorPort}`;
    await until('plinth charts serve to answer', 120_000, async () => {
      cp.procs.assertRunning(mirror);
      const res = await fetch(`${mirrorUrl}/index.yaml`, { signal: AbortSignal.timeout(2_000) }).catch(() => undefined);
      return res?.ok ? true : undefined;
    });

    // plinth.yaml: the edge starter, its repository this local one, its charts from the mirror.
    expect((await runCli(['init'], cwd)).code).toBe(0);
    const config = readFileSync(join(cwd, 'plinth.yaml'), 'utf8');
    expect(config).toContain('url: https://git.example.com/platform/gitops.git');
    writeFileSync(join(cwd, 'plinth.yaml'), `${config.replace('url: https://git.example.com/platform/gitops.git', `url: file://${repo}`)}\ncharts:\n  mirror: ${mirrorUrl}\n`);
    const plan = await runCli(['plan'], cwd);
    expect(plan.code, plan.stderr).toBe(0);
    git(cwd, 'init', '-q', '-b', 'main', repo);
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'plinth plan: edge');
    planned = plannedApplications(repo);
    expect(planned.size).toBe(18);
    // Every source names this repository or the mirror: nothing is fetched from the internet.
    for (const app of planned.values()) {
      for (const s of (app.spec as { sources: { repoURL: string }[] }).sources) expect([`file://${repo}`, mirrorUrl].some((p) => s.repoURL.startsWith(p)), s.repoURL).toBe(true);
    }

    localPath.standIn = new LocalPathStandIn(client);
    await localPath.standIn.install();
    localPath.standIn.start();
    status = new StatusStandIn(cp);
    status.start();

    // plinth up: every phase to the root Application; no Argo CD runs yet, so it stops at wave 0.
    const up = await runCli(['up', '--kubeconfig', cp.kubeconfig, '--timeout', '5s', '--step-timeout', '4m'], cwd);
    expect(up.stdout + up.stderr).toContain('[9/9] Applications, wave by wave');
    expect(await client.get({ ...APP, namespace: NS, name: 'plinth-root' })).toBeDefined();

    // The real Argo CD, configured from the product's render of the pinned chart.
    const loaded = await loadConfigFile(join(cwd, 'plinth.yaml'));
    const state = desiredState(loaded);
    const unit = state.units.find((u) => u.name === 'argocd')!;
    const rendered = await helmRenderer(process.env).render(unit, state.units);
    argo = await startArgoCd({ procs: cp.procs, rendered, binary: cp.binaries.argocd, kubeconfig: cp.kubeconfig, dir: cp.dir });
    recorder = setInterval(() => void record().catch(() => undefined), 1_000);
    recorder.unref();

    const started = Date.now();
    const apps = await allSyncedAndHealthy(new Set(planned.keys()), 'every planned Application Synced and Healthy', 1_500_000);
    const seconds = Math.round((Date.now() - started) / 1000);

    // Exactly the planned Applications, as plan wrote them, at the commit.
    const head = git(repo, 'rev-parse', 'HEAD');
    const live = await client.list(APP.apiVersion, APP.kind, { namespace: NS });
    expect(live.map((a) => a.metadata.name).filter((n) => n !== 'plinth-root').sort()).toEqual([...planned.keys()].sort());
    for (const [name, want] of planned) {
      const got = live.find((a) => a.metadata.name === name)!;
      expect(got.metadata.annotations?.['argocd.argoproj.io/sync-wave'], name).toBe(want.metadata.annotations?.['argocd.argoproj.io/sync-wave']);
      expect(got.metadata.finalizers ?? [], name).toEqual(want.metadata.finalizers ?? []);
      expect((got.spec as { project: string }).project, name).toBe((want.spec as { project: string }).project);
      expect((got.spec as { sources: unknown }).sources, name).toEqual((want.spec as { sources: unknown }).sources);
      const sync = statusOf(got).sync as { revision?: string; revisions?: string[] };
      const fromRepo = (want.spec as { sources: { repoURL: string }[] }).sources.map((src, i) => (src.repoURL === `file://${repo}` ? i : -1)).filter((i) => i >= 0);
      for (const i of fromRepo) expect(sync.revisions?.[i], `${name}: source ${i}`).toBe(head);
    }
    // The root created the tenants' ApplicationSet; it generates nothing until a golden path adds a service.
    const appset = await client.get({ apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', namespace: NS, name: 'apps' });
    expect(appset).toBeDefined();
    const appsetConditions = ((appset!.status as { conditions?: { type: string; status: string; message: string }[] })?.conditions ?? []);
    expect(appsetConditions.filter((c) => c.type === 'ErrorOccurred' && c.status === 'True').map((c) => c.message)).toEqual([]);
    expect(live.filter((a) => a.metadata.labels?.['plinth.dev/team'])).toEqual([]);

    const synced = apps.filter((a) => statusOf(a).sync?.status === 'Synced').length;
    const healthy = apps.filter((a) => statusOf(a).health?.status === 'Healthy').length;
    const standIns = [
      `network (${cluster.get().network?.madeReady.length ?? 0} nodes)`,
      `local-path-provisioner (${localPath.standIn.provisioned.length} volumes)`,
      ...status.summary(),
      'no webhook admission',
    ];
    console.log(`e2e argocd: ${synced}/${planned.size} Applications Synced, ${healthy}/${planned.size} Healthy, in ${seconds}s after Argo CD started; stand-ins: ${standIns.join(', ')}`);
  });

  it('enforces every dependsOn edge: no Application is created or syncs before its dependencies are synced', async () => {
    expect(planned?.size, 'the first test must have run').toBe(18);
    const apps = await record();
    const deps = dependencies(repo);
    // When a dependency was in place, by Argo CD's own record: the end of its first successful sync, or, for an
    // Application that never needed one (plinth up had installed what it holds: the CRDs, Cilium), when it turned Healthy.
    const readyAt = new Map(
      apps.map((a) => {
        const st = statusOf(a) as AppStatus & { health?: { lastTransitionTime?: string } };
        const deployed = (st.history ?? []).map((h) => time(h.deployedAt)).filter((t) => !Number.isNaN(t));
        return [a.metadata.name, deployed.length ? Math.min(...deployed) : time(st.health?.lastTransitionTime)];
      }),
    );
    const created = new Map(apps.map((a) => [a.metadata.name, time(a.metadata.creationTimestamp as string)]));
    let edges = 0;
    let syncEdges = 0;
    const broken: string[] = [];
    for (const [name, on] of deps) {
      const start = firstStart.get(name);
      for (const dep of on) {
        edges++;
        const ready = readyAt.get(dep)!;
        expect(Number.isFinite(ready), `${dep}: no record of when it was synced`).toBe(true);
        // Argo CD's timestamps have second resolution: "not before" is >=.
        if (!(created.get(name)! >= ready)) broken.push(`${name} was created at ${new Date(created.get(name)!).toISOString()}, before ${dep} was in place (${new Date(ready).toISOString()})`);
        if (start === undefined) continue;
        syncEdges++;
        if (!(start >= ready)) broken.push(`${name} started syncing at ${new Date(start).toISOString()}, before ${dep} was in place (${new Date(ready).toISOString()})`);
      }
    }
    expect(broken).toEqual([]);
    expect(edges).toBeGreaterThan(40);
    expect(syncEdges).toBeGreaterThan(30);
    console.log(`e2e argocd: ${edges} dependsOn edges held (${syncEdges} against a recorded sync start)`);
  });

  it('heals drift: a managed field changed on the server is restored', { timeout: 300_000 }, async () => {
    const { client } = cluster.get();
    const apps = await record();
    // A Deployment of an Application with self-heal that owns it (not the engine itself).
    const target = apps
      .filter((a) => a.metadata.name !== 'argocd')
      .flatMap((a) => (statusOf(a).resources ?? []).filter((r) => r.kind === 'Deployment').map((r) => ({ app: a.metadata.name, ...r })))
      .sort((x, y) => `${x.app}/${x.name}`.localeCompare(`${y.app}/${y.name}`))[0];
    expect(target, 'no Application manages a Deployment').toBeDefined();
    const ref = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: target!.namespace!, name: target!.name };
    const want = ((await client.get(ref))!.spec as { replicas: number }).replicas;
    const changedAt = Date.now();
    await client.patch(ref, { spec: { replicas: want + 2 } }, 'merge');
    const seen = await until(`Argo CD to restore ${target!.namespace}/${target!.name} replicas to ${want}`, 240_000, async () => {
      const d = await client.get(ref);
      const app = await client.get({ ...APP, namespace: NS, name: target!.app });
      const st = statusOf(app!);
      return (d!.spec as { replicas: number }).replicas === want && time(st.operationState?.startedAt) >= Math.floor(changedAt / 1000) * 1000 ? st : undefined;
    }, 1_000);
    expect(seen.operationState?.phase).toBe('Succeeded');
  });

  it('removes a disabled component, keeping its namespace, CRDs and volumes', { timeout: 900_000 }, async () => {
    const { client } = cluster.get();
    const before = new Map<string, string[]>();
    for (const name of DISABLED) {
      const app = await client.get({ ...APP, namespace: NS, name });
      expect(app, name).toBeDefined();
      before.set(name, (statusOf(app!).resources ?? []).map((r) => `${r.kind}/${r.namespace ?? ''}/${r.name}`));
    }
    const crds = (await client.list('apiextensions.k8s.io/v1', 'CustomResourceDefinition')).filter((c) => c.metadata.name.endsWith('.aquasecurity.github.io')).map((c) => c.metadata.name);
    expect(crds.length).toBeGreaterThan(0);
    const pvcs = (await client.list('v1', 'PersistentVolumeClaim', { namespace: 'jenkins' })).map((p) => p.metadata.name);
    expect(pvcs).toContain('jenkins');
    const workloads = async (ns: string) => [...(await client.list('apps/v1', 'Deployment', { namespace: ns })), ...(await client.list('apps/v1', 'StatefulSet', { namespace: ns }))];
    expect((await workloads('jenkins')).length).toBeGreaterThan(0);

    // plinth.yaml with the components disabled; plan; commit; Argo CD is told of the push.
    const text = readFileSync(join(cwd, 'plinth.yaml'), 'utf8').replace('components: {}', `components:\n${DISABLED.map((n) => `  ${n}:\n    enabled: false`).join('\n')}`);
    expect(text).toContain('enabled: false');
    writeFileSync(join(cwd, 'plinth.yaml'), text);
    const plan = await runCli(['plan'], cwd);
    expect(plan.code, plan.stderr).toBe(0);
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', `plinth plan: ${DISABLED.join(', ')} disabled`);
    const remaining = plannedApplications(repo);
    for (const n of DISABLED) expect(remaining.has(n)).toBe(false);
    await refreshRoot();

    await until(`the Applications ${DISABLED.join(', ')} to be deleted, with what they deployed`, 600_000, async () => {
      argo?.assertRunning();
      for (const n of DISABLED) if (await client.get({ ...APP, namespace: NS, name: n })) throw new Error(`Application ${n} still exists`);
      const left = [...(await workloads('jenkins')), ...(await workloads('trivy-system'))].map((w) => `${w.kind} ${w.metadata.namespace}/${w.metadata.name}`);
      if (left.length > 0) throw new Error(`still there: ${left.join(', ')}`);
      return true;
    }, 2_000);
    // What must outlive them is still there.
    for (const ns of ['jenkins', 'trivy-system']) expect((await client.get({ apiVersion: 'v1', kind: 'Namespace', name: ns }))?.metadata.deletionTimestamp, ns).toBeUndefined();
    const crdsAfter = (await client.list('apiextensions.k8s.io/v1', 'CustomResourceDefinition')).map((c) => c.metadata.name);
    for (const c of crds) expect(crdsAfter, c).toContain(c);
    const pvcsAfter = await client.list('v1', 'PersistentVolumeClaim', { namespace: 'jenkins' });
    expect(pvcsAfter.filter((p) => !p.metadata.deletionTimestamp).map((p) => p.metadata.name)).toEqual(expect.arrayContaining(pvcs));
    // The rest stays Synced and Healthy at the new revision.
    await allSyncedAndHealthy(new Set(remaining.keys()), 'the remaining Applications Synced and Healthy after the commit', 300_000);
  });
  it('down: Argo CD prunes the Applications wave by wave, releases the AppProjects, then the engine goes; what must outlive it stays', { timeout: 900_000 }, async () => {
    const { client, cp } = cluster.get();
    expect(planned?.size, 'the first test must have run').toBe(18);
    const pvcs = (await client.list('v1', 'PersistentVolumeClaim')).filter((p) => !p.metadata.deletionTimestamp).map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
    expect(pvcs.length).toBeGreaterThan(0);
    const crds = (await client.list('apiextensions.k8s.io/v1', 'CustomResourceDefinition')).map((c) => c.metadata.name);
    const run = await runCli(['down', '--kubeconfig', cp.kubeconfig, '--timeout', '10m'], cwd);
    const out = run.stdout + run.stderr;
    console.log(`e2e argocd: plinth down said:\n${out}`);
    expect(run.code, out).toBe(0);
    for (const step of ['[1/5] volumes', '[2/5] root Application and ApplicationSets', '[3/5] Applications', '[4/5] GitOps engine', '[5/5] namespaces and data']) expect(out).toContain(step);
    expect(out).toMatch(/\b\d+ Applications pruned and deleted/);
    expect(out).toMatch(/\b\d+ objects of Argo CD deleted \(its CRDs are kept\)/);
    // Argo CD itself removed its finalizers: no Application and no AppProject is left.
    expect(await client.list(APP.apiVersion, APP.kind, { namespace: NS })).toEqual([]);
    expect(await client.list('argoproj.io/v1alpha1', 'AppProject', { namespace: NS })).toEqual([]);
    // The workloads of pruned units are gone (Jenkins and Trivy went with the previous commit).
    for (const ns of ['observability', 'kyverno', 'cert-manager']) {
      const left = [...(await client.list('apps/v1', 'Deployment', { namespace: ns })), ...(await client.list('apps/v1', 'StatefulSet', { namespace: ns }))].filter((w) => !w.metadata.deletionTimestamp);
      expect(left.map((w) => `${w.kind}/${w.metadata.name}`), ns).toEqual([]);
    }
    expect((await client.list('apps/v1', 'Deployment', { namespace: NS })).filter((d) => !d.metadata.deletionTimestamp)).toEqual([]);
    // What must outlive down: the CRDs, the claims and their volumes, the namespaces, the network plugin.
    const crdsAfter = new Set((await client.list('apiextensions.k8s.io/v1', 'CustomResourceDefinition')).map((c) => c.metadata.name));
    for (const c of crds) expect(crdsAfter.has(c), c).toBe(true);
    const pvcsAfter = (await client.list('v1', 'PersistentVolumeClaim')).filter((p) => !p.metadata.deletionTimestamp).map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
    expect(pvcsAfter).toEqual(expect.arrayContaining(pvcs));
    // The platform's volumes are switched to Retain. Jenkins's namespace outlived its component (the previous
    // test) and is no longer the platform's: down leaves it, its claim and its volume as they were.
    const platformNs = new Set(platformNamespaces(desiredState(await loadConfigFile(join(cwd, 'plinth.yaml')))));
    expect(platformNs.has('jenkins')).toBe(false);
    const volumes = await client.list('v1', 'PersistentVolume');
    const policyOf = (ns: string) => volumes.filter((pv) => (pv.spec as { claimRef?: { namespace?: string } }).claimRef?.namespace === ns).map((pv) => (pv.spec as { persistentVolumeReclaimPolicy?: string }).persistentVolumeReclaimPolicy);
    const platformVolumes = [...platformNs].flatMap(policyOf);
    expect(platformVolumes.length).toBeGreaterThan(0);
    expect(platformVolumes.every((p) => p === 'Retain'), platformVolumes.join(', ')).toBe(true);
    expect(policyOf('jenkins')).toEqual(['Delete']);
    for (const ns of ['argocd', 'observability', 'vault']) expect((await client.get({ apiVersion: 'v1', kind: 'Namespace', name: ns }))?.metadata.deletionTimestamp, ns).toBeUndefined();
    expect((await client.list('apps/v1', 'DaemonSet', { namespace: 'kube-system' })).map((d) => d.metadata.name)).toContain('cilium');
  });
});
