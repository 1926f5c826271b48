/**
 * `plinth images` of the built-in edge platform, counted against the real
 * renders: this test walks the rendered objects itself (every `containers`,
 * `initContainers` and `ephemeralContainers` list anywhere in an object, of
 * any kind) and normalises the images with its own small rule set, so a pod
 * spec the collector misses, or a wrong normalisation, shows here.
 */
import YAML from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load.js';
import { starterConfig } from '../src/config/starter.js';
import { desiredState } from '../src/desired/index.js';
import { platformImages, type PlatformImages } from '../src/images/index.js';
import type { K8sObject } from '../src/model/k8s.js';
import { helmSetup } from './support/charts.js';
import { runCli, tempDir } from './support/cli.js';

/** Docker Hub short names in full, written again here rather than imported. */
// eslint-disable-next-line complexity -- the test's own oracle: the reference normalisation rules written again (tag or digest, registry or not, index.docker.io, library/), not imported
function normalise(ref: string): string {
  const [name, digest] = ref.split('@') as [string, string | undefined];
  const lastSlash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  const hasTag = colon > lastSlash;
  let path = hasTag ? name.slice(0, colon) : name;
  const tag = hasTag ? name.slice(colon + 1) : digest ? undefined : 'latest';
  const first = path.split('/')[0]!;
  if (!path.includes('/') || !(first.includes('.') || first.includes(':') || first === 'localhost')) path = `docker.io/${path.includes('/') ? path : `library/${path}`}`;
  path = path.replace(/^index\.docker\.io\//, 'docker.io/');
  if (path.startsWith('docker.io/') && path.split('/').length === 2) path = path.replace('docker.io/', 'docker.io/library/');
  return `${path}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`;
}

function walk(value: unknown, out: Set<string>): void {
  if (Array.isArray(value)) return value.forEach((v) => walk(v, out));
  if (value === null || typeof value !== 'object') return;
  for (const [k, v] of Object.entries(value)) {
    if (CONTAINER_LISTS.includes(k) && Array.isArray(v)) addImages(v, out);
    walk(v, out);
  }
}

const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'];

function addImages(containers: readonly unknown[], out: Set<string>): void {
  for (const c of containers) if (typeof (c as { image?: unknown }).image === 'string') out.add(normalise((c as { image: string }).image));
}

describe('plinth images (edge platform, real renders)', () => {
  let result: PlatformImages;
  beforeAll(async () => {
    const { helm, cache } = await helmSetup();
    result = await platformImages(desiredState(parseConfig(starterConfig(), 'edge')), { helm, cache });
  });

  it('lists exactly the images of the rendered pod specs, plus what operators start', () => {
    expect(result.failures).toEqual([]);
    const independent = new Set<string>();
    let testHooks = 0;
    for (const r of result.rendered) {
      for (const o of [...r.chartObjects, ...r.glue] as K8sObject[]) {
        if (o.kind === 'CustomResourceDefinition') continue;
        if (['test', 'test-success'].includes(o.metadata.annotations?.['helm.sh/hook'] ?? '')) {
          testHooks++;
          continue;
        }
        walk(o, independent);
      }
    }
    const inPods = result.list.images.filter((i) => i.uses.some((u) => u.how !== 'reference')).map((i) => i.full);
    expect(inPods).toEqual([...independent].sort());
    expect(inPods.length).toBeGreaterThan(30);
    expect(result.list.skippedTests).toHaveLength(testHooks);
    expect(result.list.invalid).toEqual([]);

    // Images the operators start, named in custom resources, flags and config.
    const references = result.list.images.filter((i) => i.uses.every((u) => u.how === 'reference')).map((i) => i.full);
    expect(references).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^quay\.io\/prometheus\/prometheus:v3\./),
        expect.stringMatching(/^quay\.io\/prometheus\/alertmanager:/),
        expect.stringMatching(/^quay\.io\/prometheus-operator\/prometheus-config-reloader:/),
        expect.stringMatching(/^quay\.io\/argoproj\/argoexec:/),
        expect.stringMatching(/^quay\.io\/jetstack\/cert-manager-acmesolver:/),
        expect.stringMatching(/^mirror\.gcr\.io\/aquasec\/trivy:\d/),
      ]),
    );
    // Docker Hub images in full form: the Vault and SonarQube charts write short names.
    expect(result.list.images.map((i) => i.full)).toEqual(expect.arrayContaining([expect.stringMatching(/^docker\.io\/hashicorp\/vault:/), expect.stringMatching(/^docker\.io\/library\/sonarqube:/)]));
  });

  it('names the units using each image', () => {
    const argocd = result.list.images.find((i) => i.repository === 'argoproj/argocd')!;
    expect(argocd.units).toEqual(['argocd']);
    expect(argocd.uses.map((u) => u.kind)).toEqual(expect.arrayContaining(['Deployment', 'StatefulSet']));
  });

  it('writes a k3s registries.yaml naming every registry of the list', async () => {
    const run = await runCli(['images', '--format', 'k3s-registries', '--mirror', 'registry.edge.local:5000'], await tempDir());
    expect(run.code, run.stderr).toBe(0);
    const file = YAML.parse(run.stdout) as { mirrors: Record<string, { endpoint: string[]; rewrite: Record<string, string> }> };
    const registries = [...new Set(result.list.images.map((i) => i.registry))].sort();
    expect(Object.keys(file.mirrors).sort()).toEqual(registries);
    expect(file.mirrors['docker.io']).toEqual({ endpoint: ['https://registry.edge.local:5000'], rewrite: { '^(.*)$': 'docker.io/$1' } });
    const usage = await runCli(['images', '--format', 'k3s-registries'], await tempDir());
    expect(usage).toMatchObject({ code: 2 });
    expect(usage.stderr).toContain('--format k3s-registries needs --mirror');
  });

  it('prints JSON with the mirror name of each image', async () => {
    const run = await runCli(['images', '--format', 'json', '--mirror', 'registry.edge.local:5000'], await tempDir());
    expect(run.code, run.stderr).toBe(0);
    const json = JSON.parse(run.stdout) as { images: { image: string; mirror: string; units: string[] }[] };
    expect(json.images.map((i) => i.image)).toEqual(result.list.images.map((i) => i.full));
    expect(json.images.every((i) => i.mirror === `registry.edge.local:5000/${i.image}`)).toBe(true);
  });
});
