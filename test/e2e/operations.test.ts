/**
 * `plinth status`, `plinth doctor` and `plinth down` against the real API server,
 * after `plinth up` on the edge platform (as up.test.ts runs it: phases 1 to 8 for
 * real; no Argo CD controller runs, so nothing syncs the Applications). What a user
 * sees: status lists every unit with its tier and wave and the platform's signals
 * as the CRDs on the server allow; doctor explains a pod the real scheduler cannot
 * place, quoting the scheduler's own condition message, and the planner on the live
 * nodes says the same; down deletes the root Application without pruning and then
 * waits for Argo CD to release the AppProjects, which no controller does here: it
 * stops there with the objects it waits for, the engine and everything that must
 * outlive down still in place. (The rest of down, with a real Argo CD releasing the
 * AppProjects and the engine's removal, is the last test of argocd.test.ts.)
 *
 * Stand-in used: the network stand-in (harness/nodes.ts), as in up.test.ts.
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { BUILTIN_EXAMPLE_NAME, starterConfig } from '../../src/config/starter.js';
import { desiredState } from '../../src/desired/index.js';
import type { K8sObject } from '../../src/model/k8s.js';
import { runCli, tempDir } from '../support/cli.js';
import { helmSetup } from '../support/charts.js';
import { useE2eCluster } from './harness/cluster.js';
import { until } from './harness/procs.js';

const cluster = useE2eCluster({ network: 'waits-for-network' });
const state = desiredState(parseConfig(starterConfig('edge'), BUILTIN_EXAMPLE_NAME));

/** A workload no node of the edge platform can hold: the real scheduler leaves its pod Pending. */
const TOO_BIG: K8sObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'too-big', namespace: 'jenkins', labels: { 'plinth.dev/unit': 'jenkins' } },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'too-big' } },
    template: {
      metadata: { labels: { app: 'too-big', 'plinth.dev/unit': 'jenkins' } },
      spec: { priorityClassName: 'plinth-tier-3-workload', containers: [{ name: 'main', image: 'registry.example.com/too-big:1.0.0', resources: { requests: { cpu: '64', memory: '1Gi' } } }] },
    },
  },
} as K8sObject;

describe('status, doctor and down on the real API server after up (edge platform)', () => {
  let cwd: string;
  afterAll(() => cwd && rmSync(cwd, { recursive: true, force: true }));
  const cli = (args: string[]) => runCli([...args, '--kubeconfig', cluster.get().cp.kubeconfig], cwd, { ...process.env });

  it('up runs to the root Application', async () => {
    await helmSetup();
    cwd = await tempDir('plinth-e2e-ops-');
    const run = await cli(['up', '--timeout', '5s', '--step-timeout', '4m']);
    expect(run.stdout + run.stderr).toContain('[8/9] AppProjects and the root Application');
    expect(run.stdout + run.stderr).toMatch(/timed out after 5s waiting for wave 0/);
  });

  it('status: every unit with its tier and wave, nothing synced, the signals the server serves', async () => {
    const run = await cli(['status']);
    const out = run.stdout + run.stderr;
    console.log(`e2e operations: plinth status said:\n${out}`);
    expect(run.code).toBe(1);
    expect(out).toMatch(/^COMPONENT +TIER +WAVE +SYNC +HEALTH +MESSAGE$/m);
    for (const u of state.units) expect(out).toMatch(new RegExp(`^${u.name} +${u.tier} +${u.wave} `, 'm'));
    expect(out).toContain('Not every component is Synced and Healthy: `plinth doctor` explains why.');
    const json = await cli(['status', '--format', 'json']);
    const report = JSON.parse(json.stdout) as { components: { component: string; sync: string; health: string }[]; ready: boolean };
    expect(report.ready).toBe(false);
    expect(report.components.map((c) => c.component)).toEqual(state.units.map((u) => u.name));
  });

  it('doctor: a pod the real scheduler cannot place, explained with the scheduler\'s own message', async () => {
    const { client } = cluster.get();
    await client.apply(TOO_BIG, { force: true });
    const pod = await until('the real scheduler to mark too-big Unschedulable', 60_000, async () => {
      const pods = await client.list('v1', 'Pod', { namespace: 'jenkins', labelSelector: 'app=too-big' });
      const c = (pods[0]?.status as { conditions?: { type: string; reason?: string; message?: string }[] } | undefined)?.conditions?.find((x) => x.type === 'PodScheduled');
      return c?.reason === 'Unschedulable' && c.message ? { name: pods[0]!.metadata.name, message: c.message } : undefined;
    });
    const run = await cli(['doctor']);
    const out = run.stdout + run.stderr;
    console.log(`e2e operations: plinth doctor said:\n${out}`);
    expect(run.code).toBe(1);
    expect(out).toContain(`pod jenkins/${pod.name} is Pending:`);
    expect(out).toContain('Insufficient cpu');
    // The planner, on the live nodes, says what the real scheduler says (kube-scheduler 1.36's words).
    expect(out).toContain(`the scheduler says "${pod.message.trim()}" (the planner finds the same on the live nodes)`);
    await client.delete({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'jenkins', name: 'too-big' });
  });

  it('down: the root Application goes unpruned; with no Argo CD controller to release the AppProjects it stops there, saying so, and the engine stays', async () => {
    const { client, platform } = cluster.get();
    const run = await cli(['down', '--timeout', '20s']);
    const out = run.stdout + run.stderr;
    console.log(`e2e operations: plinth down said:\n${out}`);
    expect(run.code, out).not.toBe(0);
    expect(out).toContain('[1/5] volumes: 0 PersistentVolumes switched to Retain; every platform volume is kept');
    expect(out).toContain('deleted Application/argocd/plinth-root (without pruning)');
    expect(out).toContain('0 Applications pruned and deleted');
    // Each AppProject carries Argo CD's resources finalizer, which only Argo CD's controller removes.
    const projects = await client.list('argoproj.io/v1alpha1', 'AppProject', { namespace: 'argocd' });
    expect(projects.length).toBe(7);
    expect(out).toContain('error: timed out after 20s waiting for the AppProjects to be deleted');
    for (const p of projects) {
      expect(out).toContain(`AppProject ${p.metadata.name} (being deleted)`);
      expect(p.metadata.deletionTimestamp, p.metadata.name).toBeDefined();
      expect(p.metadata.finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
    }
    expect(out).not.toContain('[4/5] GitOps engine');
    expect(await client.get({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', namespace: 'argocd', name: 'plinth-root' })).toBeUndefined();
    // The engine stays while its finalizers are pending; so does what must outlive down.
    expect((await client.list('apps/v1', 'Deployment', { namespace: 'argocd' })).length).toBeGreaterThan(0);
    const crds = (await client.list('apiextensions.k8s.io/v1', 'CustomResourceDefinition')).map((c) => c.metadata.name);
    expect(crds).toContain('applications.argoproj.io');
    expect(crds.some((c) => c.endsWith('.gateway.networking.k8s.io'))).toBe(true);
    const namespaces = (await client.list('v1', 'Namespace')).map((n) => n.metadata.name);
    for (const ns of state.units.find((u) => u.name === 'platform-base')!.manifests.filter((m) => m.kind === 'Namespace').map((m) => m.metadata.name)) expect(namespaces).toContain(ns);
    expect((await client.list('apps/v1', 'DaemonSet', { namespace: 'kube-system' })).map((d) => d.metadata.name)).toContain('cilium');
    for (const want of platform.nodes) {
      const node = (await client.get({ apiVersion: 'v1', kind: 'Node', name: want.name }))!;
      for (const [k, v] of Object.entries(want.labels)) expect(node.metadata.labels?.[k]).toBe(v);
    }
  });
});
