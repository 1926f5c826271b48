/**
 * The rules that catch what would stop a real install (issue: nine defects
 * `plinth check` passed). Each is shown by a seeded fault a platform
 * engineer could really make, asserting checker, object, path and message,
 * and the finding in the text, JSON and SARIF outputs alike.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../src/checks/finding.js';
import { checkPlatform, type PlatformCheckOptions } from '../src/checks/platform.js';
import { parseConfig } from '../src/config/load.js';
import { starterConfig } from '../src/config/starter.js';
import type { DesiredState } from '../src/desired/state.js';
import { RenderCache } from '../src/helm/index.js';
import { parseYamlStream, toYaml } from '../src/lib/yaml.js';
import type { K8sObject } from '../src/model/k8s.js';
import { helmSetup, type HelmSetup } from './support/charts.js';
import { expectFindingInEveryFormat, type ExpectedFinding } from './support/formats.js';
import { runCli, tempDir } from './support/cli.js';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

let setup: HelmSetup;
const renderCache = new RenderCache();
beforeAll(async () => {
  setup = await helmSetup();
});

const withComponents = (extra: string) => starterConfig().replace('components: {}', extra);

async function check(opts: { config?: string } & Partial<PlatformCheckOptions> = {}) {
  const { config, ...rest } = opts;
  return checkPlatform(parseConfig(config ?? starterConfig(), 'plinth.yaml'), { helm: setup.helm, cache: setup.cache, renderCache, ...rest });
}

/** A repository file, changed as YAML. */
function editYaml(files: Map<string, string>, path: string, change: (o: K8sObject) => void): Map<string, string> {
  const o = parseYamlStream(files.get(path)!)[0] as K8sObject;
  change(o);
  files.set(path, toYaml(o));
  return files;
}

async function expectInEveryFormat(opts: Parameters<typeof check>[0], expected: ExpectedFinding): Promise<Finding> {
  return expectFindingInEveryFormat(await check(opts), expected);
}

describe('rules for a real install, each shown by a seeded fault', () => {
  it('gitops: without the Application health check, the root waves wait for nothing', async () => {
    const f = await expectInEveryFormat(
      { config: withComponents('components:\n  argocd:\n    values:\n      configs:\n        cm:\n          resource.customizations.health.argoproj.io_Application: null') },
      { check: 'gitops', severity: 'error', source: { component: 'argocd', file: 'bootstrap/argocd/values.yaml' }, path: 'configs.cm["resource.customizations.health.argoproj.io_Application"]', message: /^Argo CD assesses no health of Applications .* none of the \d+ dependency edges is enforced$/ },
    );
    expect(f.object).toMatchObject({ kind: 'Application', name: 'plinth-root' });
  });

  it('gitops: an Application in a wave no later than a dependency', async () => {
    await expectInEveryFormat(
      { mutateRepo: (files) => editYaml(files, 'bootstrap/root/applications/core/external-secrets.yaml', (o) => (o.metadata.annotations!['argocd.argoproj.io/sync-wave'] = '1')) },
      {
        check: 'gitops',
        severity: 'error',
        object: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', namespace: 'argocd', name: 'external-secrets' },
        path: 'metadata.annotations["argocd.argoproj.io/sync-wave"]',
        message: /^Application external-secrets syncs in wave 1, not after vault \(wave \d+\), which it depends on/,
      },
    );
  });

  it('gitops: a volume the Application cascade would delete', async () => {
    await expectInEveryFormat(
      { config: withComponents('components:\n  jenkins:\n    values:\n      persistence:\n        annotations: null') },
      {
        check: 'gitops',
        severity: 'error',
        object: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: 'jenkins', name: 'jenkins' },
        source: { component: 'jenkins', file: 'bootstrap/root/applications/cicd/jenkins.yaml' },
        path: 'metadata.annotations',
        message: /^PersistentVolumeClaim jenkins is a volume, and Argo CD deletes it with Application jenkins \(resources finalizer\)/,
      },
    );
  });

  it('gitops: a templatePatch that empties finalizers, evaluated as the strategic merge the controller applies', async () => {
    const service = JSON.stringify({ name: 'web', team: 'team-a', project: 'team-a', namespace: 'team-a', keep: true, sources: [] });
    const mutateRepo = (files: Map<string, string>) => {
      files.set('apps/team-a/web/service.json', service);
      return editYaml(files, 'bootstrap/root/applicationsets/apps.yaml', (o) => {
        (o.spec as { templatePatch: string }).templatePatch = '{{- if .keep }}\nmetadata:\n  finalizers: []\n{{- end }}\nspec:\n  sources: {{ toJson .sources }}\n';
      });
    };
    await expectInEveryFormat(
      { mutateRepo },
      {
        check: 'gitops',
        severity: 'error',
        object: { apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', namespace: 'argocd', name: 'apps' },
        path: 'spec.templatePatch',
        message: /^the templatePatch of ApplicationSet apps sets metadata\.finalizers to \[\] for apps\/team-a\/web\/service\.json, but the controller applies it as a strategic merge patch, where finalizers merge: the Application gets \["resources-finalizer\.argocd\.argoproj\.io"\], and deleting it deletes what it synced$/,
      },
    );
  });

  it('bootstrap: a pod of the network plugin naming a PriorityClass nothing creates', async () => {
    await expectInEveryFormat(
      { config: withComponents('components:\n  cilium:\n    values:\n      hubble:\n        relay:\n          priorityClassName: plinth-tier-9-none') },
      {
        check: 'bootstrap',
        severity: 'error',
        object: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'kube-system', name: 'hubble-relay' },
        path: 'spec.template.spec.priorityClassName',
        message: /^plinth up applies Deployment hubble-relay in phase 5 \(network plugin\), naming PriorityClass plinth-tier-9-none, which nothing creates/,
      },
    );
  });

  it('bootstrap: a controller that discovers CRDs at start-up, in a wave no later than their owner', async () => {
    await expectInEveryFormat(
      { mutateRepo: (files) => editYaml(files, 'bootstrap/root/applications/networking/cilium.yaml', (o) => (o.metadata.annotations!['argocd.argoproj.io/sync-wave'] = '0')) },
      {
        check: 'bootstrap',
        severity: 'error',
        source: { component: 'cilium', file: 'bootstrap/root/applications/networking/cilium.yaml' },
        message: /^Application cilium syncs in wave 0, not after gateway-api-crds \(wave 0\), which installs the gateway\.networking\.k8s\.io CRDs cilium discovers only at start-up/,
      },
    );
  });

  it('hygiene: a mounted Certificate nothing reloads', async () => {
    const mutate = (state: DesiredState): DesiredState => ({ ...state, units: state.units.map((u) => (u.name === 'vault' ? { ...u, reloadsCertificates: [] } : u)) });
    await expectInEveryFormat(
      { mutate },
      {
        check: 'hygiene',
        severity: 'warning',
        object: { apiVersion: 'apps/v1', kind: 'StatefulSet', namespace: 'vault', name: 'vault' },
        path: 'spec.template.spec.volumes',
        message: /^StatefulSet vault mounts Secret vault-tls of Certificate vault-tls, and vault declares no way to reload it: after cert-manager renews it \(duration 8760h\)/,
      },
    );
  });

  it('footprint: a repo-server limit below what its parallel Helm renders need', async () => {
    await expectInEveryFormat(
      { config: withComponents('components:\n  argocd:\n    values:\n      repoServer:\n        resources:\n          limits:\n            memory: 384Mi') },
      {
        check: 'footprint',
        severity: 'warning',
        object: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'argocd', name: 'argocd-repo-server' },
        path: 'repoServer.resources.limits.memory',
        message: /^container repo-server of Deployment argocd-repo-server has a memory limit of 384Mi, below the \d+Mi its work needs \(\d+Mi for the repo-server and its checkouts \+ 2 parallel Helm renders \(reposerver\.parallelism\.limit\) x \d+Mi, the measured peak of kyverno@3\.9\.0\)/,
      },
    );
  });

  it('gitops: the tenants ApplicationSet in a wave before what tenant services use', async () => {
    await expectInEveryFormat(
      { mutateRepo: (files) => editYaml(files, 'bootstrap/root/applicationsets/apps.yaml', (o) => (o.metadata.annotations!['argocd.argoproj.io/sync-wave'] = '2')) },
      { check: 'gitops', severity: 'error', object: { apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', namespace: 'argocd', name: 'apps' }, message: /^the tenants' ApplicationSet syncs in wave 2, not after platform-gateway \(wave \d+\), which tenant services use/ },
    );
  });

  it('gitops: a root Application that does not sync the Applications', async () => {
    await expectInEveryFormat(
      { mutateRepo: (files) => editYaml(files, 'bootstrap/root-app.yaml', (o) => delete (o.spec as { source: { directory?: unknown } }).source.directory) },
      { check: 'gitops', severity: 'error', path: 'spec.source', message: /^the root Application does not sync bootstrap\/root\/ recursively/ },
    );
  });

  it('gitops: a unit without its Application', async () => {
    await expectInEveryFormat(
      { mutateRepo: (files) => (files.delete('bootstrap/root/applications/observability/loki.yaml'), files) },
      { check: 'gitops', severity: 'error', source: { component: 'loki', file: 'bootstrap/root/applications/observability/loki.yaml' }, message: /^no Application for loki: the root Application never syncs it$/ },
    );
  });

  it('gitops: a tier-1 unit waiting behind a tier-3 one it does not need', async () => {
    await expectInEveryFormat(
      { mutateRepo: (files) => editYaml(files, 'bootstrap/root/applications/security/trivy-operator.yaml', (o) => (o.metadata.annotations!['argocd.argoproj.io/sync-wave'] = '1')) },
      {
        check: 'gitops',
        severity: 'error',
        object: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', namespace: 'argocd', name: 'cilium' },
        message: /^Application cilium \(tier 0, needed at tier 0\) syncs in wave \d+, behind trivy-operator \(tier 3, needed at tier 3, wave 1\), which it does not need/,
      },
    );
  });

  it('gitops: a namespace kept on prune but compared as usual holds the root waves for ever', async () => {
    const mutate = (state: DesiredState): DesiredState => ({
      ...state,
      units: state.units.map((u) =>
        u.name !== 'platform-base'
          ? u
          : { ...u, manifests: u.manifests.map((m) => (m.kind === 'Namespace' && m.metadata.name === 'vault' ? { ...m, metadata: { ...m.metadata, annotations: { 'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false' } } } : m)) },
      ),
    });
    await expectInEveryFormat(
      { mutate },
      {
        check: 'gitops',
        severity: 'error',
        object: { apiVersion: 'v1', kind: 'Namespace', name: 'vault' },
        path: 'metadata.annotations["argocd.argoproj.io/compare-options"]',
        message: /^Namespace vault is kept when it leaves Git \(Prune=false\) but compared as usual: once removed from plinth\.yaml it holds Application platform-base OutOfSync for ever/,
      },
    );
  });

  it('the built-in edge platform passes every one of these rules', async () => {
    const { report } = await check();
    expect(report.findings.filter((f) => ['gitops', 'bootstrap'].includes(f.check))).toEqual([]);
    expect(report.findings.filter((f) => f.check === 'footprint' || (f.check === 'hygiene' && f.severity !== 'info'))).toEqual([]);
  });

  it('exits 1 from the command line on a seeded error, with the finding in the SARIF output', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'plinth.yaml'), withComponents('components:\n  jenkins:\n    values:\n      persistence:\n        annotations: null'));
    const run = await runCli(['check', '--format', 'sarif'], dir);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).runs[0].results).toContainEqual(expect.objectContaining({ ruleId: 'gitops', level: 'error', message: { text: expect.stringContaining('PersistentVolumeClaim jenkins is a volume') } }));
  });
});
