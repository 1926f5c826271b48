/**
 * Tenant services (apps/<team>/<service>/) inside `plinth check`: a service
 * written the golden-path way passes every checker and policy; one reaching
 * into another team's namespace, or without probes, is reported.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { checkPlatform } from '../src/checks/platform.js';
import { parseConfig } from '../src/config/load.js';
import { starterConfig } from '../src/config/starter.js';
import { desiredState, SHARED_REFS } from '../src/desired/index.js';
import { RenderCache } from '../src/helm/index.js';
import { toYamlStream } from '../src/lib/yaml.js';
import { parseYamlStream } from '../src/lib/yaml.js';
import type { K8sObject } from '../src/model/k8s.js';
import { readTenantUnits, tenantServiceFiles } from '../src/tenants/service.js';
import { synthesize } from '../src/synth/index.js';
import { helmSetup, type HelmSetup } from './support/charts.js';

const config = starterConfig().replace('  - name: team-a\n    costCenter: cc-100', '  - name: team-a\n    costCenter: cc-100\n  - name: shop\n    costCenter: cc-200');
const loaded = parseConfig(config, 'plinth.yaml');
const state = desiredState(loaded);
const repo = { url: loaded.config.gitops.repo.url, branch: 'main' };
const renderCache = new RenderCache();
let setup: HelmSetup;

beforeAll(async () => {
  setup = await helmSetup();
});

function service(team: string, name: string, change?: (objects: K8sObject[]) => void): Map<string, string> {
  const files = tenantServiceFiles(state.platform, SHARED_REFS, repo, { team, name, image: `ghcr.io/${team}/${name}:1.4.2`, port: 8080 });
  if (change) {
    const path = `apps/${team}/${name}/manifests/${name}.yaml`;
    const objects = parseYamlStream(files.get(path)!) as K8sObject[];
    change(objects);
    files.set(path, toYamlStream(objects));
  }
  return files;
}

const check = (files: Map<string, string>) => checkPlatform(loaded, { helm: setup.helm, cache: setup.cache, renderCache, repoFiles: files });

describe('tenant services', () => {
  it('reads apps/<team>/<service>/ back as units after every platform wave', () => {
    const units = readTenantUnits(service('shop', 'cart'), 7);
    expect(units).toHaveLength(1);
    expect(units[0]).toMatchObject({ name: 'shop/cart', namespace: 'shop', stack: 'apps', tier: 3, pool: 'apps', wave: 8 });
    expect(units[0]!.workloads).toEqual([expect.objectContaining({ kind: 'Deployment', name: 'cart', replicas: 1, containers: [{ name: 'cart', resources: expect.objectContaining({ limits: { cpu: '500m', memory: '256Mi' } }) }] })]);
  });

  it('passes every checker and policy when written the golden-path way', async () => {
    const { report } = await check(service('shop', 'cart'));
    expect(report.findings.filter((f) => f.source?.component === 'shop/cart' && f.severity !== 'info')).toEqual([]);
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it("reports an object in another team's namespace, and a Deployment without probes", async () => {
    const files = service('shop', 'cart', (objects) => {
      const svc = objects.find((o) => o.kind === 'Service')!;
      svc.metadata.namespace = 'team-a';
      const deployment = objects.find((o) => o.kind === 'Deployment')! as K8sObject & { spec: { template: { spec: { containers: Record<string, unknown>[] } } } };
      delete deployment.spec.template.spec.containers[0]!.readinessProbe;
    });
    const { report } = await check(files);
    const mine = report.findings.filter((f) => f.source?.component === 'shop/cart');
    expect(mine).toContainEqual(
      expect.objectContaining({ check: 'graph', severity: 'error', object: { apiVersion: 'v1', kind: 'Service', namespace: 'team-a', name: 'cart' }, message: 'is in namespace team-a, which project team-shop does not allow: Argo CD refuses to sync it' }),
    );
    expect(mine).toContainEqual(
      expect.objectContaining({ check: 'policy', severity: 'warning', object: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'cart' }, message: expect.stringMatching(/^require-probes: /) }),
    );
  });

  it('says when the repository on disk is not what plan writes', async () => {
    const written = new Map([...synthesize(state), ...service('shop', 'cart')]);
    expect((await check(written)).report.findings.filter((f) => f.check === 'repo')).toEqual([]);
    written.set('platform/core/vault/values.yaml', `${written.get('platform/core/vault/values.yaml')}# hand edit\n`);
    expect((await check(written)).report.findings.filter((f) => f.check === 'repo')).toEqual([
      expect.objectContaining({ severity: 'warning', message: '1 file of the GitOps repository differs from what plan writes for this plinth.yaml: platform/core/vault/values.yaml' }),
    ]);
  });

  it('counts tenant pods in the apps pool', async () => {
    const { footprint } = await check(new Map([...service('shop', 'cart'), ...service('shop', 'search')]));
    const { footprint: without } = await check(new Map());
    const apps = (f: typeof footprint) => f!.find((r) => r.pool === 'apps')!;
    expect(apps(footprint).pods - apps(without).pods).toBe(2);
    expect(apps(footprint).requests.memory - apps(without).requests.memory).toBe(2 * 64 * 2 ** 20);
  });
});
