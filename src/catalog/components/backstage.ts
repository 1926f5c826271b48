/**
 * Backstage (seed 001, layer 4), optional and off by default: Plinth's own
 * portal serves the catalog and golden paths without costing the cluster
 * anything, and this component is the way out for a team that wants
 * Backstage itself. It reads the catalog `plinth plan` writes
 * (`catalog/all.yaml`, a Location listing every component's
 * catalog-info.yaml and the tenant services' by glob) from the GitOps
 * repository, on `backstage.<domain>`.
 *
 * Image. The chart defaults to Backstage's demo image at `latest`, which the
 * platform's policies refuse; it is pinned here. The demo image carries no
 * plugins beyond the defaults: for real use build your own Backstage app and
 * set `components.backstage.values.backstage.image`.
 *
 * State. The catalog is rebuilt from Git, so the edge profile keeps
 * Backstage's database in memory (SQLite) and the chart's bundled PostgreSQL
 * off; set `backend.database` through the values for a persistent one.
 *
 * Reading the repository. Backstage reads the Location through its URL
 * readers: GitHub and GitLab URLs are derived from `gitops.repo.url`; other
 * hosts get a `backend.reading.allow` entry and a raw-file URL, which a host
 * that needs a token will refuse until an integration is configured
 * (`components.backstage.values.backstage.appConfig.integrations`).
 */
import { res } from '../../model/resources.js';
import type { WorkloadSpec } from '../../model/unit.js';
import { CHARTS } from '../charts.js';
import type { Component, ComponentContext } from '../component.js';

const NAME = 'backstage';
const PORT = 7007;
export const BACKSTAGE_IMAGE = { registry: 'ghcr.io', repository: 'backstage/backstage', tag: '1.42.3', pullPolicy: 'IfNotPresent' };

const workloads: WorkloadSpec[] = [
  {
    kind: 'Deployment',
    name: NAME,
    podLabels: { 'app.kubernetes.io/name': NAME, 'app.kubernetes.io/instance': NAME },
    containers: [{ name: 'backstage-backend', resources: res('100m', '384Mi', '1', '768Mi'), valuesPath: 'backstage.resources' }],
    values: { replicas: 'backstage.replicas', affinity: 'backstage.affinity', tolerations: 'backstage.tolerations' },
  },
];

/** Where Backstage reads `catalog/all.yaml` of the GitOps repository at its branch. */
export function catalogLocationUrl(repoUrl: string, branch: string, path = 'catalog/all.yaml'): { url: string; host: string } {
  const https = repoUrl.replace(/^git@([^:]+):/, 'https://$1/').replace(/^ssh:\/\/(git@)?/, 'https://').replace(/\.git$/, '');
  const host = new URL(https).host;
  if (host === 'github.com') return { url: `${https}/blob/${branch}/${path}`, host };
  if (host === 'gitlab.com' || host.startsWith('gitlab.')) return { url: `${https}/-/blob/${branch}/${path}`, host };
  return { url: `${https}/raw/branch/${branch}/${path}`, host };
}

export const backstage: Component = {
  name: NAME,
  description: 'Backstage developer portal reading the catalog Plinth writes (optional; Plinth has its own portal)',
  stack: 'portal',
  tier: 3,
  pool: 'apps',
  namespace: NAME,
  chart: CHARTS.backstage,
  dependsOn: [],
  profiles: [],
  build(ctx: ComponentContext) {
    const repo = ctx.platform.config.gitops.repo;
    const location = catalogLocationUrl(repo.url, repo.branch);
    const base = `https://${ctx.host(NAME)}`;
    return {
      values: {
        backstage: {
          image: BACKSTAGE_IMAGE,
          appConfig: {
            app: { title: `${ctx.platform.name} developer portal`, baseUrl: base },
            backend: {
              baseUrl: base,
              listen: { port: PORT },
              database: { client: 'better-sqlite3', connection: ':memory:' },
              reading: { allow: [{ host: location.host }] },
            },
            catalog: {
              rules: [{ allow: ['Component', 'System', 'Group', 'Resource', 'Location', 'API', 'User', 'Domain'] }],
              locations: [{ type: 'url', target: location.url }],
            },
          },
          podSecurityContext: { runAsNonRoot: true, runAsUser: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } },
          containerSecurityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: false, capabilities: { drop: ['ALL'] } },
        },
        postgresql: { enabled: false },
        serviceAccount: { create: true, automountServiceAccountToken: false },
      },
      workloads,
      endpoints: [{ name: NAME, title: 'Backstage', service: NAME, port: PORT }],
    };
  },
};
