/**
 * `plinth up` with `gitops.engine: flux` on the compact platform (seed 002)
 * against the real control plane: preflight, pools, namespaces and
 * PriorityClasses, every CRD Established (the Flux CRDs of the pinned flux2
 * chart among them), Flux from its chart with its Deployments Available
 * (kwok makes their pods Ready), the repository's Secret, then the
 * GitRepository and the root Kustomization, which the real API server
 * validates against those CRDs. No Flux controller runs here (the module
 * proxy does not serve them at the chart's versions, see the README), so the
 * last phase waits for Kustomizations nothing applies: the run is given a
 * short --timeout and must stop there, saying so. A second `up` makes zero
 * writes. No stand-in is used.
 */
import { rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compactTestConfig } from '../../src/config/test-configs.js';
import type { K8sObject } from '../../src/model/k8s.js';
import { runCli, tempDir } from '../support/cli.js';
import { helmSetup } from '../support/charts.js';
import { useE2eCluster } from './harness/cluster.js';
import { platformOf } from './harness/nodes.js';

const CONFIG = compactTestConfig().replace(/\n  engine: \w+\n/, '\n  engine: flux\n');
const cluster = useE2eCluster({ platform: platformOf(CONFIG, 'plinth.yaml') });

const PHASES = [
  'preflight',
  'node pools: labels and taints',
  'namespaces and PriorityClasses',
  'CustomResourceDefinitions',
  'network plugin',
  'GitOps engine (Flux)',
  'repository credentials',
  'the GitRepository and the root Kustomization',
  'Kustomizations, in dependency order',
];

describe('plinth up on the real API server with Flux (compact platform)', () => {
  let cwd: string;
  afterAll(() => cwd && rmSync(cwd, { recursive: true, force: true }));

  const upOnce = async () => {
    const { cp } = cluster.get();
    const run = await runCli(['up', '--config', 'plinth.yaml', '--kubeconfig', cp.kubeconfig, '--timeout', '5s', '--step-timeout', '4m'], cwd);
    return { run, out: run.stdout + run.stderr };
  };

  it('runs every phase up to the root Kustomization, Flux Available, its objects marked for Helm to adopt', async () => {
    await helmSetup();
    const { client } = cluster.get();
    cwd = await tempDir('plinth-e2e-up-flux-');
    await writeFile(join(cwd, 'plinth.yaml'), CONFIG);
    const { run, out } = await upOnce();
    for (const [i, title] of PHASES.entries()) expect(out).toContain(`[${i + 1}/9] ${title}`);
    expect(out.split('\n').filter((l) => l.trimStart().startsWith('=> ')).length, out).toBe(8);
    expect(out).toContain('=> Flux is Available');
    expect(out).toMatch(/error: timed out after 5s waiting for level 0/);
    // A wait that runs out of time is a cluster failure: exit 3 (README, Exit codes).
    expect(run.code).toBe(3);

    const deployments = await client.list('apps/v1', 'Deployment', { namespace: 'flux-system' });
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual(['helm-controller', 'kustomize-controller', 'notification-controller', 'source-controller']);
    for (const d of deployments) {
      expect((d.status as { availableReplicas?: number }).availableReplicas, d.metadata.name).toBeGreaterThanOrEqual(1);
      expect(d.metadata.annotations?.['meta.helm.sh/release-name'], d.metadata.name).toBe('flux');
    }
    const crd = (await client.get({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name: 'helmreleases.helm.toolkit.fluxcd.io' })) as K8sObject;
    expect(crd.metadata.labels?.['app.kubernetes.io/managed-by']).toBe('Helm');
    expect(crd.metadata.annotations?.['meta.helm.sh/release-name']).toBe('flux');
    const source = (await client.get({ apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', namespace: 'flux-system', name: 'flux-system' })) as K8sObject;
    expect((source.spec as { url: string; secretRef: { name: string } }).url).toBe('https://git.example.com/platform/gitops.git');
    expect(await client.get({ apiVersion: 'v1', kind: 'Secret', namespace: 'flux-system', name: (source.spec as { secretRef: { name: string } }).secretRef.name })).toBeDefined();
    const root = (await client.get({ apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', namespace: 'flux-system', name: 'flux-system' })) as K8sObject;
    expect(root.spec).toMatchObject({ path: './clusters/compact-idp', prune: true });
  });

  it('makes zero writes on a second run', async () => {
    const { out } = await upOnce();
    expect(out.split('\n').filter((l) => /^\s+(create|update)\s/.test(l))).toEqual([]);
    expect(out.split('\n').filter((l) => l.trimStart().startsWith('=> ')).length, out).toBe(8);
    expect(out).toMatch(/error: timed out after 5s waiting for level 0/);
  });
});
