/**
 * Integration: `plinth up` with the real charts (Argo CD, Cilium) rendered by
 * Helm from the chart cache, on the API test double. Needs Helm and the chart
 * cache: under CI a missing cache fails this file; elsewhere it says so loudly.
 */
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { CHARTS } from '../../src/catalog/charts.js';
import { chartFile, locateChartCache, manifestFile } from '../../src/helm/index.js';
import { main } from '../../src/cli/main.js';
import { parseConfig } from '../../src/config/load.js';
import { starterConfig } from '../../src/config/starter.js';
import { desiredState } from '../../src/desired/index.js';
import { cachedRenderer, helmRenderer } from '../../src/ops/render.js';
import { testState } from './fixtures.js';
import { capture, startCluster, type TestCluster, up } from './harness.js';

const cache = locateChartCache(process.env);
const starter = desiredState(parseConfig(starterConfig(), 'plinth.yaml'));
const needed = [
  ...[CHARTS.argoCd, CHARTS.cilium].map((c) => chartFile(cache, c)),
  ...starter.units.flatMap((u) => [...(u.chart ? [chartFile(cache, u.chart)] : []), ...(u.git ? [manifestFile(cache, u.git)] : [])]),
];
const missing = needed.filter((f) => !existsSync(f));
if (missing.length > 0 && !process.env.CI) console.warn(`up-helm.test.ts NOT RUN: the chart cache ${cache.dir} lacks ${missing.join(', ')}`);

let cluster: TestCluster | undefined;
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

describe('plinth up with charts rendered by Helm', () => {
  it.runIf(missing.length > 0 && process.env.CI)('has the chart cache (CI)', () => {
    throw new Error(`the chart cache ${cache.dir} (${cache.origin}) lacks ${missing.join(', ')}; CI must provide it (PLINTH_CHARTS)`);
  });

  it.skipIf(missing.length > 0)('installs Cilium and Argo CD from their charts, then changes nothing on a second run', async () => {
    const state = testState(['cilium']);
    cluster = await startCluster(state, { cni: false });
    const renderer = cachedRenderer(helmRenderer(process.env));

    const plan = await up(cluster, state, { dryRun: true, renderer });
    expect(cluster.double.writes).toEqual([]);
    for (const line of ['create    DaemonSet/kube-system/cilium', 'create    Deployment/kube-system/cilium-operator', 'create    CustomResourceDefinition/applications.argoproj.io', 'create    StatefulSet/argocd/argocd-application-controller', 'create    Deployment/argocd/argocd-server', 'create    Job/argocd/argocd-redis-secret-init']) {
      expect(plan.cap.out()).toContain(line);
    }

    const first = await up(cluster, state, { renderer, waitMs: 20_000 });
    expect(first.cap.out()).toContain('every component is Synced and Healthy');
    expect(cluster.double.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'argocd', name: 'argocd-repo-server' })).toBeDefined();
    expect(cluster.double.get({ apiVersion: 'v1', kind: 'Secret', namespace: 'kube-system', name: 'cilium-ca' })).toBeDefined();
    const writes = cluster.double.writes.length;

    // Helm renders Cilium's CA anew each time: the Secret is created once and kept; nothing else differs.
    const second = await up(cluster, state, { renderer: cachedRenderer(helmRenderer(process.env)) });
    expect(cluster.double.writes.slice(writes)).toEqual([]);
    expect(second.cap.out()).toMatch(/Done: 0 created, 0 updated/);
  }, 300_000);

  it.skipIf(missing.length > 0)('plinth up --dry-run of the built-in edge example prints the full ordered plan', async () => {
    cluster = await startCluster(starter, { cni: false });
    const cap = capture({ ...process.env, KUBECONFIG: cluster.kubeconfig }, cluster.dir);
    const code = await main(['up', '--dry-run'], cap.io);
    expect(cap.err()).not.toContain('error:');
    expect(code).toBe(0);
    expect(cluster.double.writes).toEqual([]);
    const out = cap.out();
    const order = [
      '[1/9] preflight',
      'k3s-server-0: label plinth.dev/pool=control-plane, taint node-role.kubernetes.io/control-plane:NoSchedule',
      '[3/9] namespaces and PriorityClasses',
      'create    Namespace/vault',
      'create    PriorityClass/plinth-tier-2-important',
      '[4/9] CustomResourceDefinitions',
      'create    CustomResourceDefinition/gateways.gateway.networking.k8s.io',
      'create    CustomResourceDefinition/certificates.cert-manager.io',
      '[5/9] network plugin',
      'create    DaemonSet/kube-system/cilium',
      'create    Deployment/kube-system/hubble-relay',
      '[6/9] GitOps engine (Argo CD)',
      'create    Deployment/argocd/argocd-server',
      '[7/9] repository credentials',
      '[8/9] AppProjects and the root Application',
      'create    Application/argocd/plinth-root (once its CRD is established)',
      '[9/9] Applications, wave by wave',
      'then Vault: initialise once',
      'Would create',
      'Endpoints, once healthy:',
      'https://grafana.idp.local',
    ];
    let at = 0;
    for (const line of order) {
      const i = out.indexOf(line, at);
      expect(i, `${line} after position ${at}`).toBeGreaterThanOrEqual(0);
      at = i;
    }
  }, 300_000);

  it.skipIf(missing.length > 0)('plinth up of the built-in edge example: installs, bootstraps Vault, and a second run writes nothing', async () => {
    cluster = await startCluster(starter, { cni: false });
    const env = { ...process.env, KUBECONFIG: cluster.kubeconfig, XDG_CONFIG_HOME: cluster.dir };
    const first = capture(env, cluster.dir);
    const code = await main(['up', '--timeout', '60s'], first.io);
    expect(first.err()).not.toContain('error:');
    expect(code).toBe(0);
    expect(first.out()).toContain('every component is Synced and Healthy');
    expect(cluster.vault.sealed.get('vault-0')).toBe(false);
    expect([...cluster.vault.kv.keys()].sort()).toEqual(['secret/platform/argocd', 'secret/platform/grafana', 'secret/platform/jenkins', 'secret/platform/sonarqube', 'secret/platform/sonarqube-postgresql']);
    expect(first.err()).toContain(`${cluster.dir}/plinth/edge-idp/vault-keys.json (mode 0600)`);
    const writes = cluster.double.writes.length;
    const second = capture(env, cluster.dir);
    expect(await main(['up'], second.io)).toBe(0);
    expect(cluster.double.writes.slice(writes)).toEqual([]);
  }, 300_000);
});
