/**
 * `plinth plan` end to end on the built-in edge platform: the layout of the
 * written GitOps repository, byte-identical reruns, and the soundness of what
 * was written, read back from disk (not from memory).
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import YAML from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkGraph } from '../src/checks/graph.js';
import { checkHygiene } from '../src/checks/hygiene.js';
import { readRepo } from '../src/gitops/writer.js';
import { parseWrittenRepo, unitsOf } from '../src/gitops/read.js';
import type { Unit } from '../src/model/unit.js';
import { parseYamlStream } from '../src/lib/yaml.js';
import { runCli, tempDir } from './support/cli.js';

let work: string;
let out: string;
let files: Map<string, string>;

beforeAll(async () => {
  work = await tempDir();
  out = join(work, 'gitops');
  const run = await runCli(['plan', '--out', out], work);
  expect(run.stderr).toContain('using the built-in edge example');
  expect(run.code, run.stderr).toBe(0);
  files = await readRepo(out);
});

const yamlAt = (path: string) => YAML.parse(files.get(path)!) as Record<string, any>;
const componentDirs = () => [...files.keys()].filter((p) => p.endsWith('/component.json'));

describe('plinth plan on the edge platform', () => {
  it('writes at least 16 components under platform/, one folder each', () => {
    expect(componentDirs().length).toBeGreaterThanOrEqual(16);
    for (const p of componentDirs()) expect(p).toMatch(/^platform\/(core|networking|security|observability|cicd)\/[a-z0-9-]+\/component\.json$/);
  });

  it('writes bootstrap/ with the Argo CD values, AppProjects and the root Application', () => {
    const root = yamlAt('bootstrap/root-app.yaml');
    expect(root).toMatchObject({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'plinth-root', namespace: 'argocd' } });
    expect(root.spec.source).toMatchObject({ path: 'bootstrap/root', repoURL: 'https://git.example.com/platform/gitops.git', targetRevision: 'main' });
    expect(files.has('bootstrap/argocd/values.yaml')).toBe(true);
    const projects = YAML.parseAllDocuments(files.get('bootstrap/root/appprojects.yaml')!).map((d) => d.toJS());
    expect(projects.map((p) => p.metadata.name)).toContain('plinth-bootstrap');
    expect(projects.map((p) => p.metadata.name)).toContain('team-a');
  });

  it('writes one Application per component, in the sync wave of its unit, synced by the root Application', () => {
    const root = yamlAt('bootstrap/root-app.yaml');
    expect(root.spec.source).toMatchObject({ path: 'bootstrap/root', directory: { recurse: true } });
    expect(root.metadata.finalizers).toBeUndefined();
    for (const c of componentDirs()) {
      const d = JSON.parse(files.get(c)!);
      const app = yamlAt(`bootstrap/root/applications/${d.stack}/${d.name}.yaml`);
      expect(app.kind).toBe('Application');
      expect(app.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe(String(d.wave));
      expect(app.spec.project).toBe(`platform-${d.stack}`);
      expect(app.spec.sources).toEqual(d.sources);
      // Automated with self-heal (no RollingSync switching it off), retried without a limit.
      expect(app.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
      expect(app.spec.syncPolicy.retry.limit).toBe(-1);
      expect(app.spec.syncPolicy.syncOptions).toContain('ServerSideApply=true');
    }
    // No ApplicationSet per stack any more: the tenants' one only.
    expect([...files.keys()].filter((f) => f.startsWith('bootstrap/root/applicationsets/'))).toEqual(['bootstrap/root/applicationsets/apps.yaml']);
    const values = YAML.parse(files.get('bootstrap/argocd/values.yaml')!);
    expect(values.configs.cm['resource.customizations.health.argoproj.io_Application']).toContain('comparedTo');
  });

  it('puts every dependency in an earlier wave than its dependant, and the AppProjects before all', () => {
    const waveOf = new Map(componentDirs().map((c) => [JSON.parse(files.get(c)!).name, JSON.parse(files.get(c)!).wave as number]));
    for (const c of componentDirs()) {
      const d = JSON.parse(files.get(c)!);
      for (const dep of d.dependsOn) expect(waveOf.get(dep)!, `${d.name} after ${dep}`).toBeLessThan(d.wave);
    }
    expect(waveOf.get('cilium')!).toBeGreaterThan(waveOf.get('gateway-api-crds')!);
    for (const p of parseYamlStream(files.get('bootstrap/root/appprojects.yaml')!) as { metadata: { annotations: Record<string, string> } }[]) {
      expect(p.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('-1');
    }
    const apps = yamlAt('bootstrap/root/applicationsets/apps.yaml');
    for (const dep of ['platform-base', 'platform-gateway', 'external-secrets', 'prometheus-operator-crds']) {
      expect(Number(apps.metadata.annotations['argocd.argoproj.io/sync-wave']), `tenants after ${dep}`).toBeGreaterThan(waveOf.get(dep)!);
    }
  });

  it('gives the tenants ApplicationSet template parameters that every service.json has (goTemplate missingkey=error)', () => {
    const set = yamlAt('bootstrap/root/applicationsets/apps.yaml');
    const text = JSON.stringify(set.spec.template) + set.spec.templatePatch;
    const params = [...new Set([...text.matchAll(/\{\{-?\s*(?:if\s+|toJson\s+)?\.([A-Za-z]+)/g)].map((m) => m[1]!))].sort();
    expect(params).toEqual(['name', 'namespace', 'project', 'sources', 'team']);
  });

  it('keeps the engine, tier 0 and CRD-only units when their Application is deleted: no resources finalizer, written so', () => {
    const finalizerOf = (c: string) => {
      const d = JSON.parse(files.get(c)!);
      return yamlAt(`bootstrap/root/applications/${d.stack}/${d.name}.yaml`).metadata.finalizers as string[] | undefined;
    };
    const preserved = componentDirs().filter((c) => JSON.parse(files.get(c)!).preserveOnDelete);
    expect(preserved.map((c) => c.split('/')[2]).sort()).toEqual(['argocd', 'cilium', 'gateway-api-crds', 'platform-base', 'prometheus-operator-crds']);
    for (const c of preserved) expect(finalizerOf(c), c).toBeUndefined();
    for (const c of componentDirs().filter((x) => !preserved.includes(x))) expect(finalizerOf(c), c).toEqual(['resources-finalizer.argocd.argoproj.io']);
  });

  it('gives every chart-based component multi-source Application sources: chart, values from the repo, glue', async () => {
    const certManager = JSON.parse(files.get('platform/core/cert-manager/component.json')!);
    expect(certManager.sources).toEqual([
      { repoURL: 'https://charts.jetstack.io', chart: 'cert-manager', targetRevision: 'v1.21.1', helm: { releaseName: 'cert-manager', valueFiles: ['$values/platform/core/cert-manager/values.yaml'] } },
      { repoURL: 'https://git.example.com/platform/gitops.git', targetRevision: 'main', ref: 'values' },
      { repoURL: 'https://git.example.com/platform/gitops.git', targetRevision: 'main', path: 'platform/core/cert-manager/manifests' },
    ]);
    const argocd = JSON.parse(files.get('platform/core/argocd/component.json')!);
    expect(argocd.valuesFile).toBe('bootstrap/argocd/values.yaml');
  });

  it('writes byte-identical files on a second run', async () => {
    const again = await runCli(['plan', '--out', out], work);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('(no change)');
    const second = await readRepo(out);
    expect([...second.keys()]).toEqual([...files.keys()]);
    for (const [path, text] of files) expect(second.get(path), path).toBe(text);
  });

  it('keeps what it does not own (.git, tenant services, a file of its own in platform/) and lists that file', async () => {
    const dir = join(await tempDir(), 'gitops');
    await runCli(['plan', '--out', dir], work);
    await writeFile(join(dir, 'platform', 'stale.txt'), 'old');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(dir, '.git'), { recursive: true });
    await writeFile(join(dir, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    await mkdir(join(dir, 'apps', 'team-a', 'web'), { recursive: true });
    await writeFile(join(dir, 'apps', 'team-a', 'web', 'service.json'), '{}\n');
    const again = await runCli(['plan', '--out', dir], work);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('Kept 1 file Plinth did not write: platform/stale.txt.');
    expect(await readFile(join(dir, 'platform', 'stale.txt'), 'utf8')).toBe('old');
    expect(await readFile(join(dir, '.git', 'HEAD'), 'utf8')).toBe('ref: refs/heads/main\n');
    expect(existsSync(join(dir, 'apps', 'team-a', 'web', 'service.json'))).toBe(true);
  });

  it('prints components per stack and tier, and requests and limits per pool against capacity', async () => {
    const run = await runCli(['plan', '--out', join(await tempDir(), 'g')], work);
    expect(run.stdout).toMatch(/stack\s+tier 0\s+tier 1\s+tier 2\s+tier 3\s+components/);
    expect(run.stdout).toMatch(/^infra\s+1\s+\d+\s+\d+m? \(\d+%\)/m);
    expect(run.stdout).toContain('1900m cpu, 3840Mi');
  });
});

describe('the written repository is sound (read back from disk)', () => {
  let units: Unit[];
  beforeAll(() => {
    units = unitsOf(parseWrittenRepo(files));
  });
  const errors = (us: Unit[]) => [...checkGraph({ units: us }), ...checkHygiene({ units: us })].filter((f) => f.severity === 'error');
  const mutate = (fn: (us: Unit[]) => void): Unit[] => {
    const copy = structuredClone(units);
    fn(copy);
    return copy;
  };
  const manifest = (us: Unit[], kind: string, name?: string) => us.flatMap((u) => u.manifests).find((m) => m.kind === kind && (name === undefined || m.metadata.name === name))!;

  it('has no error as written', () => {
    expect(errors(units)).toEqual([]);
  });

  it('would fail if a Certificate named an issuer that does not exist', () => {
    const bad = mutate((us) => ((manifest(us, 'Certificate').spec as any).issuerRef.name = 'no-such-issuer'));
    expect(errors(bad)).toContainEqual(
      expect.objectContaining({ check: 'graph', path: 'spec.issuerRef.name', message: 'refers to ClusterIssuer.cert-manager.io no-such-issuer, which nothing in the platform creates' }),
    );
  });

  it('would fail if an ExternalSecret named a store that does not exist', () => {
    const bad = mutate((us) => ((manifest(us, 'ExternalSecret').spec as any).secretStoreRef.name = 'nowhere'));
    expect(errors(bad)).toContainEqual(expect.objectContaining({ check: 'graph', path: 'spec.secretStoreRef.name', message: 'refers to ClusterSecretStore.external-secrets.io nowhere, which nothing in the platform creates' }));
  });

  it('would fail if an HTTPRoute named a Gateway that does not exist', () => {
    const bad = mutate((us) => ((manifest(us, 'HTTPRoute', 'argocd').spec as any).parentRefs[0].name = 'public'));
    expect(errors(bad)).toContainEqual(
      expect.objectContaining({ check: 'graph', object: { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', namespace: 'argocd', name: 'argocd' }, path: 'spec.parentRefs[0].name' }),
    );
  });

  it('would fail if a namespace lacked a required label', () => {
    const bad = mutate((us) => delete manifest(us, 'Namespace', 'vault').metadata.labels!['cost-center']);
    expect(errors(bad)).toContainEqual(
      expect.objectContaining({ check: 'hygiene', object: { apiVersion: 'v1', kind: 'Namespace', name: 'vault' }, path: 'metadata.labels', message: 'namespace lacks the required label cost-center' }),
    );
  });

  it('would fail if a component synced before one it depends on', () => {
    const bad = mutate((us) => (us.find((u) => u.name === 'external-secrets')!.wave = 0));
    expect(errors(bad)).toContainEqual(expect.objectContaining({ check: 'graph', source: { component: 'external-secrets' }, path: 'wave' }));
  });

  it('would fail if a container lacked requests or limits', () => {
    const bad = mutate((us) => {
      const c = us.find((u) => u.name === 'argocd')!.workloads[0]!.containers[0]!;
      delete (c.resources.limits as Partial<typeof c.resources.limits>).memory;
    });
    expect(errors(bad)).toContainEqual(
      expect.objectContaining({ check: 'hygiene', source: { component: 'argocd' }, message: 'container application-controller has no limits.memory' }),
    );
  });

  it('orders every unit after each unit it depends on', () => {
    const wave = new Map(units.map((u) => [u.name, u.wave]));
    for (const u of units) for (const d of u.dependsOn) expect(wave.get(d)!, `${u.name} after ${d}`).toBeLessThan(u.wave);
  });
});

describe('disabling a component in plinth.yaml', () => {
  // Argo CD deletes only what the AppProject still permits: a project narrowed by the commit that
  // disables a component would leave that component's workloads running. The real Argo CD run
  // (test/e2e/argocd.test.ts) shows the removal; this is the offline half.
  it('keeps every destination the platform AppProjects allowed before', async () => {
    const dir = await tempDir();
    expect((await runCli(['init', '--profile', 'edge'], dir)).code).toBe(0);
    const projectsOf = async (): Promise<Map<string, unknown[]>> => {
      const run = await runCli(['plan'], dir);
      expect(run.code, run.stderr).toBe(0);
      const docs = parseYamlStream(await readFile(join(dir, 'gitops/bootstrap/root/appprojects.yaml'), 'utf8')) as { metadata: { name: string }; spec: { destinations: unknown[] } }[];
      return new Map(docs.filter((p) => p.metadata.name.startsWith('platform-')).map((p) => [p.metadata.name, p.spec.destinations]));
    };
    const before = await projectsOf();
    const config = join(dir, 'plinth.yaml');
    const text = await readFile(config, 'utf8');
    expect(text).toContain('components: {}');
    await writeFile(config, text.replace('components: {}', 'components:\n  jenkins:\n    enabled: false\n  trivy-operator:\n    enabled: false'));
    const after = await projectsOf();
    expect(after.size).toBeGreaterThan(0);
    for (const [name, destinations] of before) {
      if (!after.has(name)) continue;
      expect(after.get(name), name).toEqual(expect.arrayContaining(destinations));
    }
  });
});
