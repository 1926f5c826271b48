/**
 * Small desired states for the cluster tests, built through the real
 * pipeline (plinth.yaml → platform → units with waves) from a catalog of test
 * components, so the tests do not depend on which catalog components exist
 * today. Plus a renderer that returns fixed chart objects, for fast runs.
 */
import { CHARTS } from '../../src/catalog/charts.js';
import type { Component } from '../../src/catalog/component.js';
import { parseConfig } from '../../src/config/load.js';
import { buildDesiredState, type DesiredState, resolvePlatform } from '../../src/desired/index.js';
import type { K8sObject } from '../../src/model/k8s.js';
import type { UnitRenderer } from '../../src/ops/render.js';

export const NODES = [
  { name: 'k3s-server-0', role: 'control-plane' as const },
  { name: 'k3s-agent-0', role: 'worker' as const },
  { name: 'k3s-agent-1', role: 'worker' as const },
];

export function plinthYaml(components: Record<string, boolean> = {}, engine?: 'argocd' | 'flux'): string {
  const comps = Object.entries(components).map(([n, on]) => `  ${n}:\n    enabled: ${on}`);
  return `apiVersion: plinth.dev/v1alpha1
kind: Platform
cluster:
  name: test-edge
  domain: idp.test
  nodes:
    - { name: k3s-server-0, role: control-plane, pool: control-plane, cpu: 2, memory: 4Gi }
    - { name: k3s-agent-0, role: worker, pool: infra, cpu: 2, memory: 4Gi }
    - { name: k3s-agent-1, role: worker, pool: apps, cpu: 2, memory: 4Gi }
gitops:${engine ? `\n  engine: ${engine}` : ''}
  repo:
    url: https://git.example.com/platform/gitops.git
components:${comps.length ? `\n${comps.join('\n')}` : ' {}'}
teams:
  - name: team-a
    costCenter: cc-100
`;
}

const STORE = {
  apiVersion: 'external-secrets.io/v1',
  kind: 'ClusterSecretStore',
  metadata: { name: 'vault' },
  spec: {
    provider: {
      vault: {
        server: 'https://vault.vault.svc:8200',
        path: 'secret',
        version: 'v2',
        auth: { kubernetes: { mountPath: 'kubernetes', role: 'external-secrets', serviceAccountRef: { name: 'external-secrets', namespace: 'external-secrets' } } },
      },
    },
  },
};

export const TEST_CATALOG: readonly Component[] = [
  {
    name: 'cilium',
    description: 'test: the network plugin',
    stack: 'networking',
    tier: 0,
    pool: 'control-plane',
    namespace: 'kube-system',
    chart: CHARTS.cilium,
    dependsOn: [],
    profiles: [],
    build: () => ({ values: { kubeProxyReplacement: true, k8sServiceHost: 'k3s-server-0', k8sServicePort: 6443, operator: { replicas: 1 } } }),
  },
  {
    name: 'argocd',
    description: 'test: the GitOps engine',
    stack: 'core',
    tier: 1,
    pool: 'infra',
    namespace: 'argocd',
    chart: CHARTS.argoCd,
    dependsOn: [],
    crdGroups: ['argoproj.io'],
    profiles: ['edge'],
    serves: { engine: ['argocd'] },
    build: () => ({
      values: { crds: { install: true, keep: true }, dex: { enabled: false }, configs: { params: { 'server.insecure': true } } },
      endpoints: [{ name: 'argocd', title: 'Argo CD', service: 'argocd-server', port: 80 }],
      secrets: [
        {
          path: 'platform/argocd',
          keys: [
            { name: 'admin-password', generate: 'password' },
            { name: 'admin-password-bcrypt', generate: { bcryptOf: 'admin-password' } },
          ],
        },
      ],
    }),
  },
  {
    name: 'flux',
    description: 'test: the GitOps engine, Flux',
    stack: 'core',
    tier: 1,
    pool: 'infra',
    namespace: 'flux-system',
    chart: CHARTS.flux2,
    dependsOn: [],
    crdGroups: ['source.toolkit.fluxcd.io', 'kustomize.toolkit.fluxcd.io', 'helm.toolkit.fluxcd.io'],
    profiles: ['edge'],
    serves: { engine: ['flux'] },
    build: () => ({ values: { installCRDs: true, policies: { create: false } } }),
  },
  {
    name: 'widgets',
    description: 'test: a component with its own CRD and a custom resource as glue',
    stack: 'core',
    tier: 2,
    pool: 'infra',
    namespace: 'widgets',
    dependsOn: [],
    crdGroups: ['widgets.example.com'],
    profiles: ['edge'],
    build: () => ({ manifests: [{ apiVersion: 'widgets.example.com/v1', kind: 'Widget', metadata: { name: 'sprocket', namespace: 'widgets' }, spec: { size: 3 } }] }),
  },
  {
    name: 'vault',
    description: 'test: secrets',
    stack: 'security',
    tier: 2,
    pool: 'infra',
    namespace: 'vault',
    chart: CHARTS.vault,
    dependsOn: [],
    profiles: [],
    build: () => ({ values: { global: { tlsDisable: false }, injector: { enabled: false } } }),
  },
  {
    name: 'external-secrets',
    description: 'test: secrets from Vault',
    stack: 'security',
    tier: 2,
    pool: 'infra',
    namespace: 'external-secrets',
    dependsOn: ['vault'],
    crdGroups: ['external-secrets.io'],
    profiles: [],
    build: () => ({ manifests: [STORE] }),
  },
  {
    name: 'dashboards',
    description: 'test: a UI with an endpoint and a generated admin password',
    stack: 'observability',
    tier: 3,
    pool: 'apps',
    namespace: 'observability',
    dependsOn: [],
    profiles: [],
    build: () => ({
      endpoints: [{ name: 'grafana', title: 'Grafana', service: 'grafana', port: 80 }],
      secrets: [{ path: 'platform/grafana', keys: [{ name: 'admin-password', generate: 'password' }, { name: 'admin-user', generate: { value: 'admin' } }] }],
      manifests: [
        {
          apiVersion: 'external-secrets.io/v1',
          kind: 'ExternalSecret',
          metadata: { name: 'grafana-admin', namespace: 'observability' },
          spec: { secretStoreRef: { kind: 'ClusterSecretStore', name: 'vault' }, target: { name: 'grafana-admin' }, data: [{ secretKey: 'password', remoteRef: { key: 'platform/grafana', property: 'admin-password' } }] },
        },
      ],
    }),
  },
];

/** The same platform managed by Flux. */
export function fluxTestState(enable: string[] = []): DesiredState {
  const loaded = parseConfig(plinthYaml(Object.fromEntries(enable.map((n) => [n, true])), 'flux'), 'plinth.yaml');
  return buildDesiredState(resolvePlatform(loaded, TEST_CATALOG), TEST_CATALOG);
}

/** A desired state over the test catalog; `enable` switches on components off by default. */
export function testState(enable: string[] = []): DesiredState {
  const loaded = parseConfig(plinthYaml(Object.fromEntries(enable.map((n) => [n, true]))), 'plinth.yaml');
  return buildDesiredState(resolvePlatform(loaded, TEST_CATALOG), TEST_CATALOG);
}

export const loadedTestConfig = (enable: string[] = []) => parseConfig(plinthYaml(Object.fromEntries(enable.map((n) => [n, true]))), 'plinth.yaml');

// eslint-disable-next-line max-params -- a CRD fixture called as one table row per custom resource type (group, kind, plural, scope, version), scope and version defaulted
const crd = (group: string, kind: string, plural: string, scope = 'Namespaced', version = group === 'argoproj.io' ? 'v1alpha1' : 'v1'): K8sObject => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `${plural}.${group}`, creationTimestamp: null },
  spec: { group, scope, names: { kind, plural, singular: kind.toLowerCase(), listKind: `${kind}List` }, versions: [{ name: version, served: true, storage: true, subresources: { status: {} } }] },
  status: { acceptedNames: { kind: '', plural: '' }, storedVersions: [] },
});

const deployment = (name: string, namespace?: string): K8sObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, ...(namespace ? { namespace } : {}), labels: { 'app.kubernetes.io/name': name } },
  spec: {
    replicas: 1,
    selector: { matchLabels: { 'app.kubernetes.io/name': name } },
    template: { metadata: { labels: { 'app.kubernetes.io/name': name } }, spec: { containers: [{ name: 'main', image: `example.org/${name}:1.0`, resources: { requests: { cpu: 0.1, memory: '64Mi' } } }] } },
  },
});

/** Chart objects as a chart would render them (a few of each kind that matters), without Helm. */
export const FAKE_CHARTS: Record<string, () => K8sObject[]> = {
  argocd: () => [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'argocd-server', namespace: 'argocd' } },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'argocd-secret', namespace: 'argocd' }, type: 'Opaque', stringData: { 'server.secretkey': `generated-${Math.random()}` } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-cm', namespace: 'argocd' }, data: { 'admin.enabled': 'true' } },
    crd('argoproj.io', 'Application', 'applications'),
    crd('argoproj.io', 'ApplicationSet', 'applicationsets'),
    crd('argoproj.io', 'AppProject', 'appprojects'),
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'argocd-server' }, rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['get', 'list', 'watch'] }] },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'argocd-server' }, spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 }], selector: { 'app.kubernetes.io/name': 'argocd-server' } } },
    deployment('argocd-server'),
    deployment('argocd-repo-server', 'argocd'),
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'argocd-application-controller', namespace: 'argocd' },
      spec: { replicas: 1, serviceName: 'x', selector: { matchLabels: { app: 'c' } }, template: { metadata: { labels: { app: 'c' } }, spec: { containers: [{ name: 'c', image: 'example.org/c:1' }] } } },
    },
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'argocd-redis-secret-init', namespace: 'argocd', annotations: { 'helm.sh/hook': 'pre-install,pre-upgrade' } },
      spec: { ttlSecondsAfterFinished: 60, template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'init', image: 'example.org/init:1' }] } } },
    },
    { apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: 'argocd-server', namespace: 'argocd' }, spec: { endpoints: [{ port: 'metrics' }] } },
    { apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: { name: 'argocd', namespace: 'argocd' }, spec: { groups: [] } },
  ],
  flux: () => [
    crd('source.toolkit.fluxcd.io', 'GitRepository', 'gitrepositories'),
    crd('source.toolkit.fluxcd.io', 'HelmRepository', 'helmrepositories'),
    crd('kustomize.toolkit.fluxcd.io', 'Kustomization', 'kustomizations'),
    crd('helm.toolkit.fluxcd.io', 'HelmRelease', 'helmreleases', 'Namespaced', 'v2'),
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'kustomize-controller', namespace: 'flux-system' } },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'cluster-reconciler-flux-system' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'ServiceAccount', name: 'kustomize-controller', namespace: 'flux-system' }] },
    deployment('source-controller', 'flux-system'),
    deployment('kustomize-controller', 'flux-system'),
    deployment('helm-controller', 'flux-system'),
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'flux-flux-check', namespace: 'flux-system', annotations: { 'helm.sh/hook': 'pre-install' } },
      spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'flux-cli', image: 'ghcr.io/fluxcd/flux-cli:v2.8.5' }] } } },
    },
  ],
  widgets: () => [crd('widgets.example.com', 'Widget', 'widgets')],
  cilium: () => [
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'cilium-ca', namespace: 'kube-system' }, data: { 'ca.crt': Buffer.from(`random-${Math.random()}`).toString('base64') } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cilium-config', namespace: 'kube-system' }, data: { 'kube-proxy-replacement': 'true' } },
    {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'cilium', namespace: 'kube-system' },
      spec: { selector: { matchLabels: { 'k8s-app': 'cilium' } }, template: { metadata: { labels: { 'k8s-app': 'cilium' } }, spec: { containers: [{ name: 'cilium-agent', image: 'quay.io/cilium/cilium:v1.20.0' }] } } },
    },
    deployment('cilium-operator', 'kube-system'),
    // A custom resource whose CRD comes later in the run (with dashboards), as the real chart's ServiceMonitors.
    { apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: 'cilium-agent', namespace: 'kube-system' }, spec: { endpoints: [{ port: 'metrics' }] } },
  ],
  vault: () => [
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'vault', namespace: 'vault' },
      spec: { replicas: 1, serviceName: 'vault-internal', selector: { matchLabels: { app: 'vault' } }, template: { metadata: { labels: { app: 'vault' } }, spec: { containers: [{ name: 'vault', image: 'hashicorp/vault:2.0.4' }] } } },
    },
  ],
  'external-secrets': () => [crd('external-secrets.io', 'ExternalSecret', 'externalsecrets'), crd('external-secrets.io', 'ClusterSecretStore', 'clustersecretstores', 'Cluster')],
  // The monitoring CRDs come with the observability stack (kube-prometheus-stack in the catalog); PrometheusRules are not among them here.
  dashboards: () => [crd('monitoring.coreos.com', 'ServiceMonitor', 'servicemonitors')],
};

/** Renders from FAKE_CHARTS, freshly each call (as Helm does: generated values change). */
export const fakeRenderer: UnitRenderer = {
  async render(unit) {
    return (FAKE_CHARTS[unit.name] ?? (() => []))();
  },
};
