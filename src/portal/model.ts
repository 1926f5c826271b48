/**
 * What the portal shows, read from the GitOps repository's clone: the base
 * branch (services, Backstage entities, the platform's desired state) and
 * Plinth's branches (services proposed, not merged yet). Built once per state
 * of the refs and re-read at most once a second, so pages are served from
 * memory; the repository is read through git, never through the working tree.
 */
import YAML from 'yaml';
import type { LoadedConfig } from '../config/load.js';
import { desiredState, type DesiredState } from '../desired/index.js';
import { type GoldenContext, snapshot, type Snapshot } from '../golden/workflow.js';
import { RECORD_FILE, parseRecord, type GoldenRecord } from '../golden/record.js';
import type { K8sObject } from '../model/k8s.js';
import { parseYamlStream } from '../lib/yaml.js';
import { readTenantUnitsAndProblems } from '../tenants/service.js';
import type { ErrorDetail } from '../lib/errors.js';

export interface CatalogEntity {
  kind: string;
  name: string;
  title: string;
  description: string;
  type: string;
  owner: string;
  system?: string;
  dependsOn: string[];
  links: { url: string; title: string }[];
  tags: string[];
  annotations: Record<string, string>;
  file: string;
  /** Set when the entity exists only on a Plinth branch (proposed). */
  branch?: string;
  /** `team/name` of a tenant service. */
  service?: string;
}

export interface ServiceView {
  team: string;
  name: string;
  dir: string;
  branch?: string;
  files: Map<string, string>;
  symlinks: { path: string; target: string; escapes: boolean }[];
  record?: GoldenRecord;
  images: string[];
  hosts: string[];
  kinds: string[];
}

export interface PortalView {
  version: number;
  fingerprint: string;
  snap: Snapshot;
  state: DesiredState;
  entities: CatalogEntity[];
  services: Map<string, ServiceView>;
  /** What is wrong with tenant files on the main branch (such a service is left out of the platform's state; `plinth check` refuses the repository). */
  problems: readonly ErrorDetail[];
}

const REFRESH_MS = 1000;

function entitiesOf(text: string, file: string, extra: Partial<CatalogEntity>): CatalogEntity[] {
  let docs: unknown[];
  try {
    docs = YAML.parseAllDocuments(text).map((d) => d.toJS());
  } catch {
    return [];
  }
  // eslint-disable-next-line complexity -- a Backstage entity from parsed YAML: the count is the defaults of its optional fields (title, description, type, owner, system, links, tags)
  return docs.flatMap((d) => {
    const e = d as { kind?: string; metadata?: { name?: string; title?: string; description?: string; links?: { url: string; title?: string }[]; tags?: string[]; annotations?: Record<string, string> }; spec?: Record<string, unknown> };
    if (!e || typeof e.kind !== 'string' || typeof e.metadata?.name !== 'string' || e.kind === 'Location') return [];
    const spec = e.spec ?? {};
    return [
      {
        kind: e.kind,
        name: e.metadata.name,
        title: e.metadata.title ?? e.metadata.name,
        description: e.metadata.description ?? '',
        type: typeof spec.type === 'string' ? spec.type : '',
        owner: typeof spec.owner === 'string' ? spec.owner : '',
        ...(typeof spec.system === 'string' ? { system: spec.system } : {}),
        dependsOn: Array.isArray(spec.dependsOn) ? (spec.dependsOn as string[]) : [],
        links: (e.metadata.links ?? []).map((l) => ({ url: l.url, title: l.title ?? l.url })),
        tags: e.metadata.tags ?? [],
        annotations: e.metadata.annotations ?? {},
        file,
        ...extra,
      },
    ];
  });
}

/** The golden-path record of a service's folder; none when it is missing or does not parse. */
function recordOf(mine: ReadonlyMap<string, string>, dir: string): GoldenRecord | undefined {
  try {
    const text = mine.get(`${dir}/${RECORD_FILE}`);
    return text ? parseRecord(text, `${dir}/${RECORD_FILE}`) : undefined;
  } catch {
    return undefined;
  }
}

/** Entities of the catalog files of a tree: each service's catalog-info.yaml and the files under catalog/. */
function catalogEntities(files: ReadonlyMap<string, string>): CatalogEntity[] {
  const entities: CatalogEntity[] = [];
  for (const [path, text] of files) {
    if (!(path.endsWith('/catalog-info.yaml') || (path.startsWith('catalog/') && path.endsWith('.yaml')))) continue;
    const m = /^apps\/([^/]+)\/([^/]+)\//.exec(path);
    entities.push(...entitiesOf(text, path, m ? { service: `${m[1]}/${m[2]}` } : {}));
  }
  return entities;
}

function serviceView(team: string, name: string, tree: { files: Map<string, string>; symlinks: ServiceView['symlinks'] }, branch?: string): ServiceView {
  const { files, symlinks } = tree;
  const dir = `apps/${team}/${name}`;
  const mine = new Map([...files].filter(([p]) => p.startsWith(`${dir}/`)));
  const record = recordOf(mine, dir);
  const objects = [...mine].filter(([p]) => p.startsWith(`${dir}/manifests/`) && p.endsWith('.yaml')).flatMap(([, t]) => {
    try {
      return parseYamlStream(t) as K8sObject[];
    } catch {
      return [];
    }
  });
  const images = new Set<string>();
  const hosts = new Set<string>();
  const visit = (v: unknown, key?: string): void => {
    if (Array.isArray(v)) v.forEach((x) => visit(x, key));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) visit(x, k);
    else if (key === 'image' && typeof v === 'string') images.add(v);
  };
  for (const o of objects) {
    visit(o.spec);
    if (o.kind === 'HTTPRoute' || o.kind === 'Ingress') for (const h of ((o.spec as { hostnames?: string[] })?.hostnames ?? [])) hosts.add(h);
  }
  return { team, name, dir, ...(branch ? { branch } : {}), files: mine, symlinks: symlinks.filter((s) => s.path.startsWith(`${dir}/`)), ...(record ? { record } : {}), images: [...images], hosts: [...hosts], kinds: objects.map((o) => o.kind) };
}

export class PortalModel {
  private view?: PortalView;
  private checkedAt = 0;
  private loading?: Promise<PortalView>;
  private version = 0;

  constructor(
    private readonly loaded: LoadedConfig,
    private readonly golden: GoldenContext,
  ) {}

  /** The current view; stale for at most a second, and never blocks on a refresh when one exists. */
  async current(): Promise<PortalView> {
    const now = Date.now();
    if (this.view && now - this.checkedAt < REFRESH_MS) return this.view;
    if (!this.loading) {
      this.checkedAt = now;
      const loading = this.refresh().finally(() => {
        if (this.loading === loading) this.loading = undefined;
      });
      this.loading = loading;
    }
    return this.view ?? this.loading;
  }

  /** After the portal itself wrote: waits for a view that sees it. */
  async invalidate(): Promise<PortalView> {
    await this.loading?.catch(() => undefined);
    this.checkedAt = Date.now();
    const loading = this.refresh().finally(() => {
      if (this.loading === loading) this.loading = undefined;
    });
    this.loading = loading;
    return loading;
  }

  private async refresh(): Promise<PortalView> {
    const repo = this.golden.repo;
    const fingerprint = (await repo.run(['for-each-ref', '--format=%(objectname) %(refname)', 'refs/heads/'])).toString('utf8') + ((await repo.resolveCommit(this.golden.base)) ?? '');
    if (this.view && this.view.fingerprint === fingerprint) return this.view;
    const snap = await snapshot(this.golden);
    const base = desiredState(this.loaded);
    const { units: tenants, problems } = readTenantUnitsAndProblems(snap.files, Math.max(...base.units.map((u) => u.wave)));
    const state = { ...base, units: [...base.units, ...tenants] };
    const entities = catalogEntities(snap.files);
    const services = new Map<string, ServiceView>();
    for (const s of snap.services) services.set(`${s.team}/${s.name}`, serviceView(s.team, s.name, snap));
    const branches = await repo.branches();
    for (const p of snap.proposed) {
      const key = `${p.team}/${p.name}`;
      if (services.has(key)) continue;
      const tree = await repo.readTree(branches.get(p.branch)!, `apps/${p.team}/${p.name}/`);
      const view = serviceView(p.team, p.name, tree, p.branch);
      services.set(key, view);
      const info = tree.files.get(`${view.dir}/catalog-info.yaml`);
      if (info) entities.push(...entitiesOf(info, `${view.dir}/catalog-info.yaml`, { branch: p.branch, service: key }));
    }
    entities.sort((a, b) => (a.kind + a.name < b.kind + b.name ? -1 : 1));
    this.view = { version: ++this.version, fingerprint, snap, state, entities, services, problems };
    return this.view;
  }
}
