import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tgz } from './test-archive.js';
import type { GitSource } from '../model/unit.js';
import type { ChartCache } from './cache.js';
import { upstreamManifests, upstreamManifestText } from './manifests.js';


const crd = (name: string) => `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: ${name}\n`;

let dir: string;
let cache: ChartCache;
const source = (extra: Partial<GitSource>): GitSource => ({ repoUrl: 'https://example.com/charts.git', path: 'charts/x/crds', ref: 'x-1.0.0', cacheFile: 'x-1.0.0.tgz', ...extra });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'plinth-manifests-'));
  cache = { dir, origin: 'PLINTH_CHARTS' };
  await writeFile(
    join(dir, 'x-1.0.0.tgz'),
    tgz({
      'x/Chart.yaml': 'name: x\n',
      'x/charts/crds/crds/b.yaml': `---\n${crd('bs.example.com')}`,
      'x/charts/crds/crds/a.yaml': crd('as.example.com'),
      'x/charts/crds/crds/nested/c.yaml': crd('cs.example.com'),
      'x/charts/crds/crds/README.md': '# not yaml\n',
    }),
  );
  await writeFile(join(dir, 'plain.yaml'), `${crd('ps.example.com')}---\n${crd('qs.example.com')}`);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('upstream manifests from the chart cache', () => {
  it('reads the .yaml files of one folder inside a packaged chart, in name order, not below it', async () => {
    const objects = await upstreamManifests(cache, source({ cacheArchivePath: 'x/charts/crds/crds/' }));
    expect(objects.map((o) => o.metadata.name)).toEqual(['as.example.com', 'bs.example.com']);
  });

  it('reads a plain manifest file as it is', async () => {
    const objects = await upstreamManifests(cache, source({ cacheFile: 'plain.yaml' }));
    expect(objects.map((o) => o.metadata.name)).toEqual(['ps.example.com', 'qs.example.com']);
  });

  it('says which folder holds nothing', async () => {
    await expect(upstreamManifestText(cache, source({ cacheArchivePath: 'x/missing' }))).rejects.toThrow(/no \.yaml file under x\/missing\//);
  });
});
