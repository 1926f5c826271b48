/**
 * The Flux layout of the compact platform (seed 002, ADR 008), proved by
 * `plinth check` on Flux objects: the repository shape, `dependsOn` from the
 * dependency graph, exact chart versions, what outlives its unit; and seeded
 * faults a platform engineer could really make, each asserting checker,
 * object, path and message.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../src/checks/finding.js';
import { checkPlatform, type PlatformCheckOptions } from '../src/checks/platform.js';
import { parseConfig } from '../src/config/load.js';
import { compactTestConfig } from '../src/config/test-configs.js';
import { desiredState } from '../src/desired/index.js';
import { RenderCache } from '../src/helm/index.js';
import { parseYamlStream, toYamlStream } from '../src/lib/yaml.js';
import type { K8sObject } from '../src/model/k8s.js';
import { synthesize } from '../src/synth/index.js';
import { helmSetup, type HelmSetup } from './support/charts.js';

let setup: HelmSetup;
const renderCache = new RenderCache();
beforeAll(async () => {
  setup = await helmSetup();
});

const fluxConfig = () => compactTestConfig().replace(/\n  engine: \w+\n/, '\n  engine: flux\n');

async function check(opts: Partial<PlatformCheckOptions> = {}) {
  return checkPlatform(parseConfig(fluxConfig(), 'plinth.yaml'), { helm: setup.helm, cache: setup.cache, renderCache, ...opts });
}

/** One object of a repository file (a YAML stream), changed in place. */
function editObject(files: Map<string, string>, at: { path: string; kind: string; name: string }, change: (o: K8sObject) => void): Map<string, string> {
  const { path, kind, name } = at;
  const objects = parseYamlStream(files.get(path)!) as K8sObject[];
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`${path} has no ${kind} ${name}`);
  change(o);
  files.set(path, toYamlStream(objects));
  return files;
}
const gitopsErrors = (findings: readonly Finding[]) => findings.filter((f) => f.check === 'gitops' && f.severity === 'error');

describe('the Flux repository of the compact platform', () => {
  const state = desiredState(parseConfig(fluxConfig(), 'plinth.yaml'));
  const files = synthesize(state);
  const objects = (path: string) => parseYamlStream(files.get(path) ?? '') as K8sObject[];

  it('has the GitRepository of this repository and a root Kustomization applying clusters/<cluster>/', () => {
    const [source] = objects('clusters/compact-idp/flux-system/gitrepository.yaml');
    expect(source).toMatchObject({ apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { name: 'flux-system', namespace: 'flux-system' }, spec: { url: 'https://git.example.com/platform/gitops.git', ref: { branch: 'main' } } });
    const [root] = objects('clusters/compact-idp/flux-system/root.yaml');
    expect(root).toMatchObject({ kind: 'Kustomization', metadata: { name: 'flux-system' }, spec: { path: './clusters/compact-idp', prune: true, sourceRef: { kind: 'GitRepository', name: 'flux-system' } } });
    expect([...files.keys()].filter((p) => p.startsWith('bootstrap/root'))).toEqual([]);
  });

  it('gives every unit a Kustomization whose dependsOn is its dependencies, each waiting until Ready', () => {
    for (const u of state.units) {
      const [k] = objects(`clusters/compact-idp/units/${u.stack}/${u.name}.yaml`).filter((o) => o.kind === 'Kustomization');
      expect(k, u.name).toBeDefined();
      expect((k!.spec as { wait?: boolean }).wait, u.name).toBe(true);
      const deps = ((k!.spec as { dependsOn?: { name: string }[] }).dependsOn ?? []).map((d) => d.name.replace(/-custom-resources$/, ''));
      expect(deps.sort(), u.name).toEqual([...u.dependsOn].sort());
    }
  });

  it('installs every chart with a HelmRelease at the exact version, values from values.yaml', () => {
    for (const u of state.units.filter((x) => x.chart)) {
      const release = objects(`platform/${u.stack}/${u.name}/release.yaml`).find((o) => o.kind === 'HelmRelease')!;
      expect(release.spec, u.name).toMatchObject({ releaseName: u.name, targetNamespace: u.namespace, chart: { spec: { chart: u.chart!.chart, version: u.chart!.version } }, valuesFrom: [{ kind: 'ConfigMap', name: `${u.name}-values`, valuesKey: 'values.yaml' }] });
      expect(files.get(`platform/${u.stack}/${u.name}/values.yaml`), u.name).toBeDefined();
    }
  });

  it('keeps what must outlive its unit: Flux and Sealed Secrets do not prune, namespaces opt out of pruning', () => {
    const prune = (unit: string, stack = 'core') => (objects(`clusters/compact-idp/units/${stack}/${unit}.yaml`).find((o) => o.kind === 'Kustomization')!.spec as { prune: boolean }).prune;
    expect(prune('flux')).toBe(false);
    expect(prune('sealed-secrets')).toBe(false);
    expect(prune('prometheus-operator-crds', 'observability')).toBe(false);
    expect(prune('vault')).toBe(true);
    const ns = objects('platform/core/platform-base/manifests/namespace-vault.yaml')[0]!;
    expect(ns.metadata.annotations?.['kustomize.toolkit.fluxcd.io/prune']).toBe('disabled');
  });

  it("applies a team's services as the team's ServiceAccount, bound in its namespaces only", () => {
    const [k] = objects('clusters/compact-idp/tenants/team-a.yaml');
    expect(k).toMatchObject({ kind: 'Kustomization', metadata: { name: 'tenant-team-a' }, spec: { path: './apps/team-a', serviceAccountName: 'tenant-team-a' } });
    const access = objects('bootstrap/tenants/team-a.yaml');
    expect(access.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`)).toEqual(['ServiceAccount/flux-system/tenant-team-a', 'RoleBinding/team-a/tenant-team-a']);
    expect(files.get('apps/team-a/README.md')).toMatch(/^# Services of team team-a\n/);
  });
});

describe('plinth check on the Flux objects', () => {
  it('passes the repository plan writes: no gitops, schema or bootstrap error', async () => {
    const { report } = await check();
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(report.checkers).toContain('gitops');
  });

  it('a Kustomization whose dependsOn misses a real dependency (External Secrets without Vault)', async () => {
    const { report } = await check({
      mutateRepo: (files) => editObject(files, { path: 'clusters/compact-idp/units/core/external-secrets.yaml', kind: 'Kustomization', name: 'external-secrets' }, (o) => {
        const spec = o.spec as { dependsOn: { name: string }[] };
        spec.dependsOn = spec.dependsOn.filter((d) => d.name !== 'vault');
      }),
    });
    expect(gitopsErrors(report.findings)).toMatchObject([
      {
        object: { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', namespace: 'flux-system', name: 'external-secrets' },
        source: { component: 'external-secrets', file: 'clusters/compact-idp/units/core/external-secrets.yaml' },
        path: 'spec.dependsOn',
        message: 'Kustomization external-secrets does not depend on vault, though external-secrets depends on vault: Flux applies both at once, and external-secrets fails or degrades until vault is Ready',
      },
    ]);
  });

  it('a dependency that does not wait: dependsOn then waits only for the apply', async () => {
    const { report } = await check({ mutateRepo: (files) => editObject(files, { path: 'clusters/compact-idp/units/core/vault.yaml', kind: 'Kustomization', name: 'vault' }, (o) => void ((o.spec as { wait: boolean }).wait = false)) });
    expect(gitopsErrors(report.findings).map((f) => f.message)).toContain('Kustomization external-secrets does not depend on vault, though external-secrets depends on vault: Flux applies both at once, and external-secrets fails or degrades until vault is Ready');
  });

  it('a HelmRelease naming a chart version the cache lacks', async () => {
    const { report } = await check({ mutateRepo: (files) => editObject(files, { path: 'platform/networking/metallb/release.yaml', kind: 'HelmRelease', name: 'metallb' }, (o) => void (((o.spec as { chart: { spec: { version: string } } }).chart.spec.version = '0.99.0'))) });
    expect(gitopsErrors(report.findings)).toMatchObject([
      {
        object: { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', namespace: 'flux-system', name: 'metallb' },
        source: { component: 'metallb', file: 'platform/networking/metallb/release.yaml' },
        path: 'spec.chart.spec.version',
        message: 'HelmRelease metallb installs metallb 0.99.0, not the pinned metallb 0.16.1; the chart cache holds no metallb 0.99.0, so nothing offline proves what it renders',
      },
    ]);
  });

  it('a unit whose resources must outlive it, pruned with its Kustomization', async () => {
    const { report } = await check({ mutateRepo: (files) => editObject(files, { path: 'clusters/compact-idp/units/core/sealed-secrets.yaml', kind: 'Kustomization', name: 'sealed-secrets' }, (o) => void ((o.spec as { prune: boolean }).prune = true)) });
    expect(gitopsErrors(report.findings)).toMatchObject([{ object: { kind: 'Kustomization', name: 'sealed-secrets' }, path: 'spec.prune', message: expect.stringMatching(/^Kustomization sealed-secrets prunes, but sealed-secrets's resources must outlive it \(its CRD/) }]);
  });

  it('a kustomize file naming a manifest that is not there', async () => {
    const { report } = await check({ mutateRepo: (files) => (files.delete('platform/core/vault/manifests/certificate-vault-tls.yaml'), files) });
    expect(gitopsErrors(report.findings)).toMatchObject([{ source: { component: 'vault', file: 'platform/core/vault/kustomization.yaml' }, path: 'resources', message: expect.stringMatching(/names manifests\/certificate-vault-tls\.yaml, which is not in the repository/) }]);
  });

  it('a Flux object the CRDs of the pinned chart reject (schema)', async () => {
    const { report } = await check({ mutateRepo: (files) => editObject(files, { path: 'platform/networking/metallb/release.yaml', kind: 'HelmRelease', name: 'metallb' }, (o) => void ((o.spec as Record<string, unknown>).interval = 'every hour')) });
    const schema = report.findings.filter((f) => f.check === 'schema' && f.severity === 'error');
    expect(schema).toMatchObject([{ object: { kind: 'HelmRelease', name: 'metallb' }, path: expect.stringContaining('spec.interval') }]);
  });
});
