/**
 * `plinth up` on the built-in edge platform against the real control plane, whose
 * nodes start as a k3s without flannel registers them (NotReady, "network plugin
 * not ready"). Phases 1 to 8 run for real: preflight, pool labels and taints,
 * namespaces and PriorityClasses, CRDs Established, then Cilium (its agents
 * scheduled by the real DaemonSet controller and scheduler, made Ready by kwok;
 * its Hubble pods name a tier PriorityClass, its operator looks for the Gateway
 * API CRDs only at start), Argo CD's Deployments Available, AppProjects and the
 * root Application. No Argo CD
 * controller runs here (see the README), so phase 9 waits for Applications that
 * nothing syncs: the run is given a short --timeout and must stop there, saying so.
 * A second `up` makes zero writes (checked on the server: no field owned by `plinth`
 * changes).
 *
 * Stand-in used: the network stand-in (harness/nodes.ts) marks a node's network
 * ready once a Cilium agent pod is Ready on it, as the real agent would.
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { K8sObject } from '../../src/model/k8s.js';
import { runCli, tempDir } from '../support/cli.js';
import { helmSetup } from '../support/charts.js';
import { useE2eCluster } from './harness/cluster.js';
import { hasNotReadyTaint } from './harness/nodes.js';
import { until } from './harness/procs.js';

const cluster = useE2eCluster({ network: 'waits-for-network' });

const PHASES = [
  'preflight',
  'node pools: labels and taints',
  'namespaces and PriorityClasses',
  'CustomResourceDefinitions',
  'network plugin',
  'GitOps engine (Argo CD)',
  'repository credentials',
  'AppProjects and the root Application',
];

/** Every object's `plinth`-owned field sets with the time of their last change, keyed by object. */
async function plinthWrites(kinds: [string, string][]): Promise<Map<string, string>> {
  const { client } = cluster.get();
  const out = new Map<string, string>();
  for (const [apiVersion, kind] of kinds) {
    for (const o of await client.list(apiVersion, kind)) {
      const entries = ((o.metadata as { managedFields?: { manager: string; operation: string; time?: string; subresource?: string }[] }).managedFields ?? []).filter(
        (m) => m.manager === 'plinth',
      );
      if (entries.length === 0) continue;
      out.set(`${kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`, entries.map((m) => `${m.operation}:${m.subresource ?? ''}:${m.time}`).join(','));
    }
  }
  return out;
}

const WATCHED: [string, string][] = [
  ['v1', 'Node'],
  ['v1', 'Namespace'],
  ['v1', 'ServiceAccount'],
  ['v1', 'ConfigMap'],
  ['v1', 'Service'],
  ['v1', 'Secret'],
  ['apps/v1', 'Deployment'],
  ['apps/v1', 'DaemonSet'],
  ['apps/v1', 'StatefulSet'],
  ['rbac.authorization.k8s.io/v1', 'ClusterRole'],
  ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding'],
  ['scheduling.k8s.io/v1', 'PriorityClass'],
  ['apiextensions.k8s.io/v1', 'CustomResourceDefinition'],
  ['argoproj.io/v1alpha1', 'AppProject'],
  ['argoproj.io/v1alpha1', 'Application'],
];

describe('plinth up on the real API server (edge platform)', () => {
  let cwd: string;
  let env: NodeJS.ProcessEnv;
  afterAll(() => cwd && rmSync(cwd, { recursive: true, force: true }));

  // eslint-disable-next-line complexity -- the `plinth up` scenario in the order a user runs it (each phase up to the root Application); split, the steps would lose their order
  it('runs every phase up to the root Application', async () => {
    await helmSetup(); // the chart cache must be there (fails loudly under CI)
    const { cp, client, platform } = cluster.get();
    cwd = await tempDir('plinth-e2e-up-');
    env = { ...process.env };
    // Nodes start NotReady, waiting for a network plugin, as k3s without flannel leaves them.
    const before = await client.list('v1', 'Node');
    expect(before.every((n) => ((n.status as { conditions?: { type: string; status: string }[] }).conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'False'))).toBe(true);

    const run = await runCli(['up', '--kubeconfig', cp.kubeconfig, '--timeout', '5s', '--step-timeout', '4m'], cwd, env);
    const out = run.stdout + run.stderr;
    for (const [i, title] of PHASES.entries()) expect(out).toContain(`[${i + 1}/9] ${title}`);
    // Each of phases 1 to 8 finished with its summary line.
    const summaries = out.split('\n').filter((l) => l.trimStart().startsWith('=> '));
    expect(summaries.length, out).toBe(8);
    expect(out).toContain('=> Kubernetes v1.36.3, all 3 nodes of plinth.yaml present');
    expect(out).toContain('no network plugin (k3s-agent-0, k3s-agent-1, k3s-server-0 wait for one): Cilium first');
    expect(out).toContain('=> Argo CD is Available');
    // Phase 9 waits for Argo CD to sync wave 0, which no controller does here.
    expect(out).toContain('[9/9] Applications, wave by wave');
    expect(out).toMatch(/error: timed out after 5s waiting for wave 0/);
    // A wait that runs out of time is a cluster failure: exit 3 (README, Exit codes).
    expect(run.code).toBe(3);

    // What the real server holds now (once the controller-manager has lifted the not-ready taints).
    const nodes = await until('the not-ready taints lifted', 60_000, async () => {
      const all = await client.list('v1', 'Node');
      return all.some(hasNotReadyTaint) ? undefined : all;
    });
    for (const want of platform.nodes) {
      const node = nodes.find((n) => n.metadata.name === want.name)!;
      for (const [k, v] of Object.entries(want.labels)) expect(node.metadata.labels?.[k]).toBe(v);
      const taints = ((node.spec as { taints?: { key: string; effect: string }[] }).taints ?? []).map((t) => `${t.key}:${t.effect}`);
      for (const t of want.taints) expect(taints).toContain(`${t.key}:${t.effect}`);
    }
    // The order on the server: every namespace, PriorityClass and CRD existed before the network
    // plugin's workloads, which name them (tier PriorityClass; the Gateway API the operator
    // discovers only when it starts).
    const created = (o: K8sObject) => Date.parse(String(o.metadata.creationTimestamp));
    const cilium = [...(await client.list('apps/v1', 'Deployment', { namespace: 'kube-system' })), ...(await client.list('apps/v1', 'DaemonSet', { namespace: 'kube-system' }))].filter((o) => /cilium|hubble/.test(o.metadata.name));
    expect(cilium.length).toBeGreaterThan(2);
    const firstCilium = Math.min(...cilium.map(created));
    const named = [
      ...(await client.list('scheduling.k8s.io/v1', 'PriorityClass')).filter((p) => p.metadata.name.startsWith('plinth-')),
      ...(await client.list('apiextensions.k8s.io/v1', 'CustomResourceDefinition')).filter((c) => c.metadata.name.endsWith('.gateway.networking.k8s.io')),
    ];
    expect(named.length).toBeGreaterThan(5);
    for (const o of named) expect(created(o), `${o.kind} ${o.metadata.name}`).toBeLessThanOrEqual(firstCilium);
    const operatorPods = await client.list('v1', 'Pod', { namespace: 'kube-system', labelSelector: 'io.cilium/app=operator' });
    const gatewayEstablished = Math.max(...named.filter((o) => o.kind === 'CustomResourceDefinition').map(created));
    for (const p of operatorPods) expect(Date.parse(String((p.status as { startTime?: string }).startTime)), p.metadata.name).toBeGreaterThanOrEqual(gatewayEstablished);
    // The network came up only after Cilium's agents ran: each node was released by a Ready agent pod.
    expect(cluster.get().network?.madeReady.sort()).toEqual(platform.nodes.map((n) => n.name).sort());
    const deployments = await client.list('apps/v1', 'Deployment', { namespace: 'argocd' });
    expect(deployments.length).toBeGreaterThan(0);
    for (const d of deployments) expect((d.status as { availableReplicas?: number }).availableReplicas, d.metadata.name).toBeGreaterThanOrEqual(1);
    const root = await client.get({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', namespace: 'argocd', name: 'plinth-root' });
    expect(root).toBeDefined();
    expect(((root as K8sObject).spec as { source?: { repoURL?: string } }).source?.repoURL).toBe(platform.config.gitops.repo.url);
    const projects = await client.list('argoproj.io/v1alpha1', 'AppProject', { namespace: 'argocd' });
    expect(projects.length).toBe(7);
  });

  it('makes zero writes on a second run', async () => {
    const { cp } = cluster.get();
    const before = await plinthWrites(WATCHED);
    expect(before.size).toBeGreaterThan(100);
    const run = await runCli(['up', '--kubeconfig', cp.kubeconfig, '--timeout', '5s', '--step-timeout', '2m'], cwd, env);
    const out = run.stdout + run.stderr;
    expect(out.split('\n').filter((l) => /^\s+(create|update)\s/.test(l))).toEqual([]);
    expect(out.split('\n').filter((l) => l.trimStart().startsWith('=> ')).length, out).toBe(8);
    const after = await plinthWrites(WATCHED);
    const changed = [...after].filter(([k, v]) => before.get(k) !== v).map(([k]) => k);
    expect(changed).toEqual([]);
  });
});
