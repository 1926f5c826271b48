/**
 * Backstage descriptors of the platform, so a team can move to Backstage
 * later: one `catalog-info.yaml` per component (a Component when it runs
 * workloads, a Resource when it is only objects such as CRDs or the
 * Gateway), a System per stack and a Group per owner (`catalog/`), and
 * `catalog/all.yaml`, the Location that lists them all, tenant services
 * (`apps/<team>/<service>/catalog-info.yaml`) included.
 */
import type { DesiredState } from '../desired/state.js';
import { toYaml, toYamlStream } from '../lib/yaml.js';
import type { Unit } from '../model/unit.js';
import type { RepoFiles } from './files.js';
import { APPS_DIR, CATALOG_DIR, unitDir } from './layout.js';

export { CATALOG_DIR };
export const CATALOG_LOCATION = `${CATALOG_DIR}/all.yaml`;
export const CATALOG_INFO = 'catalog-info.yaml';
const API = 'backstage.io/v1alpha1';

export const systemOf = (stack: string): string => `platform-${stack}`;

export function entityKind(unit: Unit): 'Component' | 'Resource' {
  return unit.workloads.length > 0 ? 'Component' : 'Resource';
}

export function entityRef(unit: Unit): string {
  return `${entityKind(unit).toLowerCase()}:default/${unit.name}`;
}

function resourceType(unit: Unit): string {
  if (unit.crdGroups.length > 0 && unit.manifests.every((m) => m.kind === 'CustomResourceDefinition')) return 'kubernetes-crds';
  if (unit.manifests.some((m) => m.kind === 'Gateway')) return 'gateway';
  if (unit.manifests.every((m) => m.kind === 'Namespace' || m.kind === 'PriorityClass')) return 'kubernetes-namespaces';
  return 'kubernetes-manifests';
}

export function componentEntity(unit: Unit, units: ReadonlyMap<string, Unit>, owner: string): Record<string, unknown> {
  const kind = entityKind(unit);
  const dependsOn = unit.dependsOn.flatMap((d) => (units.has(d) ? [entityRef(units.get(d)!)] : []));
  const links = unit.endpoints.map((e) => ({ url: `https://${e.host}`, title: e.title }));
  return {
    apiVersion: API,
    kind,
    metadata: {
      name: unit.name,
      description: unit.description,
      annotations: {
        'backstage.io/kubernetes-id': unit.name,
        'backstage.io/kubernetes-namespace': unit.namespace,
        'plinth.dev/tier': String(unit.tier),
        'plinth.dev/wave': String(unit.wave),
        ...(unit.chart ? { 'plinth.dev/chart': `${unit.chart.chart}@${unit.chart.version}` } : {}),
      },
      tags: [unit.stack, `tier-${unit.tier}`],
      ...(links.length > 0 ? { links } : {}),
    },
    spec: {
      type: kind === 'Component' ? 'service' : resourceType(unit),
      ...(kind === 'Component' ? { lifecycle: 'production' } : {}),
      owner: `group:default/${owner}`,
      system: systemOf(unit.stack),
      ...(dependsOn.length > 0 ? { dependsOn } : {}),
    },
  };
}

export function catalogFiles(state: DesiredState): RepoFiles {
  const p = state.platform;
  const owner = p.config.platformOwner.team;
  const byName = new Map(state.units.map((u) => [u.name, u]));
  const files: RepoFiles = new Map();
  const targets: string[] = ['./groups.yaml', './systems.yaml'];
  for (const u of state.units) {
    const path = `${unitDir(u)}/${CATALOG_INFO}`;
    files.set(path, toYaml(componentEntity(u, byName, owner)));
    targets.push(`../${path}`);
  }
  targets.push(`../${APPS_DIR}/*/*/${CATALOG_INFO}`);
  const stacks = [...new Set(state.units.map((u) => u.stack))].sort();
  files.set(
    `${CATALOG_DIR}/systems.yaml`,
    toYamlStream(stacks.map((s) => ({ apiVersion: API, kind: 'System', metadata: { name: systemOf(s), description: `the ${s} stack of platform ${p.name}` }, spec: { owner: `group:default/${owner}` } }))),
  );
  const groups = [
    { name: owner, description: `owner of platform ${p.name}` },
    ...p.teams.filter((t) => t.name !== owner).map((t) => ({ name: t.name, description: `team ${t.name} (cost center ${t.costCenter}; namespaces ${t.namespaces.join(', ')})` })),
  ];
  files.set(`${CATALOG_DIR}/groups.yaml`, toYamlStream(groups.map((g) => ({ apiVersion: API, kind: 'Group', metadata: { name: g.name, description: g.description }, spec: { type: 'team', children: [] } }))));
  files.set(CATALOG_LOCATION, toYaml({ apiVersion: API, kind: 'Location', metadata: { name: `plinth-${p.name}`, description: `every entity of platform ${p.name}, written by plinth plan` }, spec: { type: 'url', targets } }));
  return files;
}
