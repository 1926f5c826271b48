/**
 * The catalog against the chart cache: every chart is pinned to the version
 * the cache holds (index.json) and installed from that chart's public Helm
 * repository; every upstream manifest source is a tag of its repository.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOG } from '../src/catalog/index.js';
import { locateChartCache } from '../src/helm/index.js';

interface IndexEntry {
  name: string;
  version: string;
  file: string;
  helmRepoUrl?: string;
  type: string;
}

describe('pinned charts', () => {
  const cache = locateChartCache(process.env);
  const index = JSON.parse(readFileSync(join(cache.dir, 'index.json'), 'utf8')) as IndexEntry[];

  it.each(CATALOG.filter((c) => c.chart).map((c) => [c.name, c.chart!] as const))('%s is pinned to a chart in the cache, from its public repository', (_name, chart) => {
    const entry = index.find((e) => e.file === `${chart.chart}-${chart.version}.tgz`);
    expect(entry, `${chart.chart}-${chart.version}.tgz in index.json`).toBeDefined();
    expect(entry!.name).toBe(chart.chart);
    expect(entry!.version).toBe(chart.version);
    // The index may add a note after the URL: `oci://registry-1.docker.io/bitnamicharts (formerly ...)`.
    expect(chart.repoUrl).toBe(entry!.helmRepoUrl!.split(' ')[0]);
  });

  it('uses the community OSS Loki chart', () => {
    expect(CATALOG.find((c) => c.name === 'loki')!.chart).toMatchObject({ chart: 'loki', version: '18.11.0', repoUrl: 'https://grafana-community.github.io/helm-charts' });
  });

  it('takes upstream manifests at release tags that the cache holds', () => {
    for (const c of CATALOG.filter((x) => x.git)) {
      expect(c.git!.ref, c.name).toMatch(/^(v\d+\.\d+\.\d+|[a-z-]+-\d+\.\d+\.\d+)$/);
      const file = c.git!.cacheFile;
      expect(index.some((e) => e.file === file), `${file} in index.json`).toBe(true);
    }
  });

  it('covers everything seeds 000 and 001 name', () => {
    const names = CATALOG.map((c) => c.name);
    for (const n of ['cilium', 'gateway-api-crds', 'platform-gateway', 'cert-manager', 'vault', 'external-secrets', 'argocd', 'kyverno', 'policy-reporter', 'kube-prometheus-stack', 'loki', 'fluent-bit', 'trivy-operator', 'argo-workflows', 'sonarqube', 'jenkins']) {
      expect(names).toContain(n);
    }
  });
});
