/**
 * `plinth check` on the edge platform, and seeded faults: each a fault a
 * platform engineer could really make, each asserting the exact finding
 * (checker, object, path). Charts render once per process (RenderCache).
 */
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import AjvDraft04Module from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { CATALOG, type Component } from '../src/catalog/index.js';
import type { Finding } from '../src/checks/finding.js';
import { checkPlatform, type PlatformCheckOptions } from '../src/checks/platform.js';
import { parseConfig } from '../src/config/load.js';
import { starterConfig } from '../src/config/starter.js';
import { RenderCache } from '../src/helm/index.js';
import { checkJson } from '../src/report/check-json.js';
import { checkMarkdown } from '../src/report/check-markdown.js';
import { checkSarif } from '../src/report/check-sarif.js';
import { helmSetup, type HelmSetup } from './support/charts.js';
import { runCli, tempDir } from './support/cli.js';

const addFormats = addFormatsModule as unknown as (ajv: never) => void;
// The package is CommonJS with a default export; under NodeNext the class sits on `.default`.
const AjvDraft04 = ((AjvDraft04Module as unknown as { default?: unknown }).default ?? AjvDraft04Module) as new (opts: object) => { compile(schema: object): ((data: unknown) => boolean) & { errors?: unknown[] } };
let setup: HelmSetup;
const renderCache = new RenderCache();

beforeAll(async () => {
  setup = await helmSetup();
});

async function check(config = starterConfig(), opts: Partial<PlatformCheckOptions> = {}) {
  return checkPlatform(parseConfig(config, 'plinth.yaml'), { helm: setup.helm, cache: setup.cache, renderCache, ...opts });
}

const errors = (findings: readonly Finding[]) => findings.filter((f) => f.severity === 'error');

/** The catalog with one component's build changed. */
function catalogWith(name: string, change: (c: Component) => Component): Component[] {
  return CATALOG.map((c) => (c.name === name ? change(c) : c));
}

function withConfig(extra: string): string {
  return starterConfig().replace('components: {}', extra);
}

describe('plinth check on the edge platform', () => {
  it('exits 0, prints per-checker counts and the footprint per pool', async () => {
    const run = await runCli(['check'], await tempDir());
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/^checker\s+errors\s+warnings\s+infos$/m);
    for (const c of ['render', 'values', 'budget', 'schema', 'graph', 'hygiene', 'footprint', 'policy']) expect(run.stdout).toMatch(new RegExp(`^${c}\\s+0\\s+0\\s+\\d+$`, 'm'));
    // Losing k3s-agent-0 strands Vault and Loki with their local-path volumes (tier 2): warnings, not errors.
    expect(run.stdout).toMatch(/^plan\s+0\s+2\s+\d+$/m);
    expect(run.stdout).toMatch(/^infra\s+1\s+\d+\s+\d+m \(\d+%\)\s+\d+Mi \(\d+%\)/m);
    expect(run.stdout).toMatch(/^0 errors, 2 warnings, \d+ info/m);
  });

  it('lists policy results per component, with exceptions shown as such', async () => {
    const { report, policy } = await check();
    expect(policy!.find((r) => r.component === 'fluent-bit')).toMatchObject({ fail: 0, excepted: 6 });
    expect(policy!.every((r) => r.fail === 0 && r.error === 0)).toBe(true);
    expect(report.findings).toContainEqual(
      expect.objectContaining({
        check: 'policy',
        severity: 'info',
        object: { apiVersion: 'apps/v1', kind: 'DaemonSet', namespace: 'observability', name: 'fluent-bit' },
        message: 'pss-baseline-host-path: excepted by kyverno/fluent-bit-node-logs',
      }),
    );
  });

  it('has no error and a footprint that fits every pool', async () => {
    const { report, footprint } = await check();
    expect(errors(report.findings)).toEqual([]);
    expect(report.findings.filter((f) => f.severity === 'warning').map((f) => [f.check, f.object?.name, f.message.split(': ')[0]])).toEqual([
      ['plan', 'loki', 'lost:k3s-agent-0 (k3s-agent-0 lost)'],
      ['plan', 'vault', 'lost:k3s-agent-0 (k3s-agent-0 lost)'],
    ]);
    // Red keeps the lifeboat only once the lost Node objects are gone: said as info, with the command.
    expect(report.findings.filter((f) => f.check === 'plan' && f.severity === 'info').map((f) => f.object?.name)).toEqual([
      'argocd-application-controller',
      'prometheus-kube-prometheus-stack-prometheus',
    ]);
    expect(footprint!.map((f) => f.pool)).toEqual(['control-plane', 'infra', 'apps']);
    for (const f of footprint!) expect(f.requests.memory).toBeLessThanOrEqual(f.allocatable.memory);
  });
});

describe('seeded faults', () => {
  it('a values key the chart never reads, with the real key as hint', async () => {
    const { report } = await check(withConfig('components:\n  kyverno:\n    values:\n      resources:\n        limits:\n          memory: 512Mi'));
    expect(errors(report.findings)).toEqual([
      expect.objectContaining({
        check: 'values',
        source: { component: 'kyverno', file: 'platform/security/kyverno/values.yaml' },
        path: 'values.resources',
        message: 'chart kyverno 3.9.0 never reads resources: Helm ignores it',
        hint: expect.stringMatching(/^did you mean admissionController\.container\.resources, /),
      }),
    ]);
  });

  it('an unknown field in a Certificate', async () => {
    const catalog = catalogWith('platform-gateway', (c) => ({
      ...c,
      build: (ctx) => {
        const built = c.build(ctx);
        const cert = built.manifests!.find((m) => m.kind === 'Certificate')!;
        (cert.spec as Record<string, unknown>).renewBeforePercentag = 30;
        return built;
      },
    }));
    const { report } = await check(starterConfig(), { catalog });
    expect(errors(report.findings)).toEqual([
      {
        check: 'schema',
        severity: 'error',
        object: { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', namespace: 'gateway', name: 'platform-wildcard' },
        source: { component: 'platform-gateway', file: 'platform/networking/platform-gateway/manifests/certificate-platform-wildcard.yaml' },
        path: 'spec.renewBeforePercentag',
        message: 'unknown field "renewBeforePercentag"',
      },
    ]);
  });

  it('a custom resource whose CRD comes later', async () => {
    const { report } = await check(starterConfig(), {
      mutate: (state) => ({
        ...state,
        units: state.units.map((u) => (u.name === 'platform-gateway' ? { ...u, wave: 1, dependsOn: u.dependsOn.filter((d) => d !== 'cert-manager') } : u)),
      }),
    });
    const certManagerWave = report.context!.state.units.find((u) => u.name === 'cert-manager')!.wave;
    expect(errors(report.findings)).toContainEqual(
      expect.objectContaining({
        check: 'graph',
        object: { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', namespace: 'gateway', name: 'platform-wildcard' },
        path: 'apiVersion',
        message: `Certificate is in platform-gateway (wave 1), but its CRD comes from cert-manager in wave ${certManagerWave}`,
      }),
    );
  });

  it('a dependency cycle', async () => {
    const catalog = catalogWith('vault', (c) => ({ ...c, dependsOn: [...c.dependsOn, 'external-secrets'] }));
    const { report } = await check(starterConfig(), { catalog });
    expect(report.findings).toEqual([
      expect.objectContaining({ check: 'graph', severity: 'error', source: { component: 'external-secrets' }, path: 'dependsOn', message: 'dependency cycle: external-secrets -> vault -> external-secrets' }),
    ]);
  });

  it('a plaintext Secret', async () => {
    const catalog = catalogWith('vault', (c) => ({
      ...c,
      build: (ctx) => {
        const built = c.build(ctx);
        built.manifests = [...(built.manifests ?? []), { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'vault-unseal', namespace: 'vault' }, stringData: { key: 'not-a-real-key' } }];
        return built;
      },
    }));
    const { report } = await check(starterConfig(), { catalog });
    expect(errors(report.findings)).toEqual([
      expect.objectContaining({ check: 'hygiene', object: { apiVersion: 'v1', kind: 'Secret', namespace: 'vault', name: 'vault-unseal' }, path: 'stringData', message: 'a Secret with its data is committed to Git' }),
    ]);
  });

  it('an image on latest', async () => {
    const { report } = await check(withConfig('components:\n  policy-reporter:\n    values:\n      image:\n        tag: latest'));
    expect(errors(report.findings)).toEqual([
      expect.objectContaining({
        check: 'hygiene',
        object: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'policy-reporter', name: 'policy-reporter' },
        path: 'spec.template.spec.containers[0].image',
        message: 'container policy-reporter: image ghcr.io/kyverno/policy-reporter:latest uses the latest tag',
      }),
    ]);
  });

  it('a chart object in a namespace no component declares', async () => {
    const catalog = catalogWith('cilium', (c) => ({ ...c, extraNamespaces: [] }));
    const { report } = await check(starterConfig(), { catalog });
    expect(errors(report.findings)).toContainEqual(
      expect.objectContaining({
        check: 'graph',
        object: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', namespace: 'cilium-secrets', name: expect.any(String) },
        path: 'metadata.namespace',
        message: 'is in namespace cilium-secrets, which no component declares: Plinth creates only declared namespaces, and Argo CD syncs with CreateNamespace=false, so the sync fails',
      }),
    );
  });

  it('a Secret a pod needs that nothing creates', async () => {
    const { report } = await check(withConfig('components:\n  jenkins:\n    values:\n      controller:\n        admin:\n          existingSecret: jenkins-login'));
    expect(errors(report.findings)).toContainEqual(
      expect.objectContaining({
        check: 'graph',
        object: { apiVersion: 'apps/v1', kind: 'StatefulSet', namespace: 'jenkins', name: 'jenkins' },
        message: 'uses Secret jenkins/jenkins-login, which nothing in the platform creates',
      }),
    );
  });

  it('Certificates a chart renders, before cert-manager and its webhook', async () => {
    // Cilium's Hubble TLS through cert-manager: the chart renders Certificates whose Secrets its pods mount.
    const tls = 'hubble:\n        tls:\n          enabled: true\n          auto:\n            enabled: true\n            method: certmanager\n            certManagerIssuerRef: {group: cert-manager.io, kind: ClusterIssuer, name: plinth-ca}';
    const { report } = await check(withConfig(`components:\n  cilium:\n    values:\n      ${tls}`));
    const certificate = (name: string) => ({ apiVersion: 'cert-manager.io/v1', kind: 'Certificate', namespace: 'kube-system', name });
    const source = { component: 'cilium' };
    const wave = (name: string) => report.context!.state.units.find((u) => u.name === name)!.wave;
    // The Secrets they produce count as created: no finding for hubble-relay-client-certs, which the relay mounts.
    expect(errors(report.findings).filter((f) => f.check === 'graph')).toEqual(
      ['hubble-relay-client-certs', 'hubble-server-certs'].flatMap((name) => [
        { check: 'graph', severity: 'error', object: certificate(name), source, path: 'apiVersion', message: 'Certificate is admitted by webhook webhook.cert-manager.io of cert-manager, which is not running before it', hint: 'cilium must depend on cert-manager' },
        {
          check: 'graph',
          severity: 'error',
          object: certificate(name),
          source,
          path: 'apiVersion',
          message: `Certificate is in cilium (wave ${wave('cilium')}), but its CRD comes from cert-manager in wave ${wave('cert-manager')}`,
          hint: 'cilium must depend on cert-manager: its chart renders Certificate, so declare cert-manager.io in the component\'s `usesGroups`',
        },
      ]),
    );
  });

  it('a pool over capacity', async () => {
    const small = starterConfig().replace(/(- name: k3s-agent-0\n(?: {6}.*\n){3} {6}memory: )4Gi/, '$12560Mi');
    expect(small).toContain('memory: 2560Mi');
    const { report } = await check(small);
    const found = errors(report.findings);
    expect(found.filter((f) => f.check === 'footprint')).toEqual([
      expect.objectContaining({ source: { component: 'pool infra' }, path: 'pools.infra', message: expect.stringMatching(/^pool infra is over capacity: memory requests \d+Mi > 2304Mi allocatable on 1 node$/) }),
    ]);
    // The planner says which pods that leaves out, tier 3 first.
    expect(found.filter((f) => f.check === 'plan').map((f) => f.message)).toContainEqual(
      expect.stringMatching(/^with all nodes healthy, 1 pod of Deployment trivy-system\/trivy-operator \(tier 3\) stays pending: 0\/3 nodes are available: 1 Insufficient memory, /),
    );
  });
});

describe('values of the GitOps engine', () => {
  it('are located in bootstrap/argocd/values.yaml, where plan writes them', async () => {
    const { report } = await check(withConfig('components:\n  argocd:\n    values:\n      serverr:\n        replicas: 2'));
    expect(errors(report.findings)).toEqual([
      expect.objectContaining({ check: 'values', source: { component: 'argocd', file: 'bootstrap/argocd/values.yaml' }, path: 'values.serverr', hint: expect.stringMatching(/^did you mean server\b/) }),
    ]);
  });
});

describe('machine-readable reports', () => {
  it('--format json is one valid document with every finding', async () => {
    const { report, footprint } = await check(withConfig('components:\n  policy-reporter:\n    values:\n      image:\n        tag: latest'));
    const doc = JSON.parse(checkJson(report, footprint));
    expect(doc.summary.error).toBe(1);
    expect(doc.findings).toHaveLength(report.findings.length);
    expect(doc.findings.filter((f: { severity: string }) => f.severity === 'error')).toEqual([
      expect.objectContaining({ checker: 'hygiene', object: expect.objectContaining({ kind: 'Deployment', name: 'policy-reporter' }), source: { component: 'policy-reporter' } }),
    ]);
    expect(doc.findings.some((f: object) => 'check' in f)).toBe(false);
    expect(doc.footprint.map((f: { pool: string }) => f.pool)).toEqual(['control-plane', 'infra', 'apps']);
  });

  it('--format markdown is a readable report: checkers, footprint with limits, findings per component', async () => {
    const { report, footprint } = await check(withConfig('components:\n  policy-reporter:\n    values:\n      image:\n        tag: latest'));
    const md = checkMarkdown(report, 'edge', footprint);
    expect(md).toMatch(/^# plinth check: platform edge\n\n\*\*1 error, \d+ warnings?, \d+ info/);
    expect(md).toMatch(/^\| hygiene \| 1 \| 0 \| \d+ \|$/m);
    expect(md).toContain('| pool | nodes | pods | cpu requests | memory requests | cpu limits | memory limits | allocatable |');
    expect(md).toMatch(/^\| infra \| 1 \| \d+ \| \d+m \| \d+Mi \| \d+m \| \d+Mi \| 1900m cpu, 3840Mi \|$/m);
    expect(md).toMatch(/^### policy-reporter\n\n\| severity \| checker \| object \| path \| message \| hint \|\n\|---\|---\|---\|---\|---\|---\|\n(\|.*\n)*\| error \| hygiene \| Deployment\/policy-reporter\/policy-reporter \|/m);
  });

  it('--format sarif validates against the SARIF 2.1.0 schema', async () => {
    const { report } = await check(withConfig('components:\n  policy-reporter:\n    values:\n      image:\n        tag: latest'));
    const schemaFile = createRequire(import.meta.url).resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
    // The schema's patterns are ECMAScript without the unicode flag; its formats are the standard ones.
    const ajv = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv as never);
    const validate = ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')));
    const sarif = JSON.parse(checkSarif(report, '0.1.0'));
    const valid = validate(sarif);
    expect(valid ? [] : validate.errors?.slice(0, 3)).toEqual([]);
    const errorsInSarif = sarif.runs[0].results.filter((r: { level: string }) => r.level === 'error');
    expect(errorsInSarif).toHaveLength(1);
    expect(errorsInSarif[0]).toMatchObject({ ruleId: 'hygiene', level: 'error' });
    // The same image also fails the audit policy disallow-latest-tag: a warning, not an error.
    expect(sarif.runs[0].results).toContainEqual(expect.objectContaining({ ruleId: 'policy', level: 'warning', message: { text: expect.stringContaining('disallow-latest-tag') } }));
  });

  it('--format sarif from the command line, located in the repository and the config the user named', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'cfg'));
    await writeFile(join(dir, 'cfg', 'platform.yaml'), starterConfig());
    const run = await runCli(['check', '--format', 'sarif', '--config', 'cfg/platform.yaml'], dir);
    expect(run.code).toBe(0);
    const sarif = JSON.parse(run.stdout);
    expect(sarif.version).toBe('2.1.0');
    const located = (component: string) =>
      new Set(sarif.runs[0].results.filter((r: { properties: { component?: string } }) => r.properties.component === component).map((r: { locations: { physicalLocation?: { artifactLocation: { uri: string } } }[] }) => r.locations[0]!.physicalLocation?.artifactLocation.uri));
    // Findings on what a chart renders point at the component's values; Argo CD's live in bootstrap/.
    expect(located('fluent-bit')).toEqual(new Set(['gitops/platform/observability/fluent-bit/values.yaml']));
    expect(located('argocd')).toEqual(new Set(['gitops/bootstrap/argocd/values.yaml']));
    for (const r of sarif.runs[0].results) expect(r.locations[0].physicalLocation.artifactLocation.uri).toMatch(/^(gitops\/|cfg\/platform\.yaml$)/);
  });
});
