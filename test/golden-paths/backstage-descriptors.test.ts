/**
 * The Backstage catalog Plinth writes (plan: a catalog-info.yaml per platform
 * component, Systems, Groups and the catalog/all.yaml Location; golden paths:
 * a catalog-info.yaml per tenant service) validated by Backstage's own
 * descriptor validators from @backstage/catalog-model, the oracle: envelope,
 * kind schemas and the catalog's entity policies. Every relation resolves to
 * an entity of the catalog, and every Location target names a written file.
 */
import {
  componentEntityV1alpha1Validator,
  DefaultNamespaceEntityPolicy,
  EntityPolicies,
  entityEnvelopeSchemaValidator,
  FieldFormatEntityPolicy,
  groupEntityV1alpha1Validator,
  locationEntityV1alpha1Validator,
  NoForeignRootFieldsEntityPolicy,
  parseEntityRef,
  resourceEntityV1alpha1Validator,
  SchemaValidEntityPolicy,
  stringifyEntityRef,
  systemEntityV1alpha1Validator,
  type Entity,
} from '@backstage/catalog-model';
import { posix } from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { starterConfig } from '../../src/config/starter.js';
import { desiredState, SHARED_REFS } from '../../src/desired/index.js';
import { TEMPLATES } from '../../src/golden/index.js';
import { renderServiceFiles } from '../../src/golden/render.js';
import { synthesize } from '../../src/synth/index.js';

const loaded = parseConfig(starterConfig(), 'plinth.yaml');
const state = desiredState(loaded);
const files = new Map(synthesize(state));
const repo = { url: loaded.config.gitops.repo.url, branch: 'main' };
const samples = { service: { port: 8080, expose: true, secrets: 'DB_PASSWORD=vault/apps/team-a/svc#password' }, worker: { port: 8081 }, cronjob: { schedule: '0 3 * * *' } } as const;
for (const t of TEMPLATES) {
  const extra = samples[t.name as keyof typeof samples] as Record<string, unknown>;
  const values = { team: 'team-a', name: `my-${t.name}`, image: `ghcr.io/team-a/my-${t.name}:1.0.0`, replicas: 1, ...extra, ...(extra.secrets ? { secrets: [{ env: 'DB_PASSWORD', provider: 'vault' as const, path: 'apps/team-a/svc', key: 'password' }] } : {}) };
  for (const [p, text] of renderServiceFiles({ platform: state.platform, refs: SHARED_REFS, repo, template: t, version: t.versions.at(-1)!.version, values })) files.set(p, text);
}

const policies = EntityPolicies.allOf([new DefaultNamespaceEntityPolicy(), new NoForeignRootFieldsEntityPolicy(), new FieldFormatEntityPolicy(), new SchemaValidEntityPolicy()]);
const kindValidators = [componentEntityV1alpha1Validator, resourceEntityV1alpha1Validator, systemEntityV1alpha1Validator, groupEntityV1alpha1Validator, locationEntityV1alpha1Validator];

/** What Backstage does with a descriptor: the envelope, the policies, then the kind's schema (a known kind must match one). */
async function validate(raw: unknown): Promise<Entity> {
  const envelope = entityEnvelopeSchemaValidator()(raw);
  const entity = (await policies.enforce(envelope as Entity))!;
  const matched = await Promise.all(kindValidators.map((v) => v.check(entity)));
  if (!matched.some(Boolean)) throw new Error(`no Backstage kind validator accepts ${entity.kind}`);
  return entity;
}

const catalogFiles = [...files.keys()].filter((p) => p.endsWith('catalog-info.yaml') || p.startsWith('catalog/'));
const entitiesOf = (path: string) => YAML.parseAllDocuments(files.get(path)!).map((d) => d.toJS() as unknown);

describe('Backstage descriptors', () => {
  it('are written for every platform component, each stack, each team, and every golden path', () => {
    for (const u of state.units) expect(files.has(`platform/${u.stack}/${u.name}/catalog-info.yaml`)).toBe(true);
    expect(catalogFiles).toEqual(expect.arrayContaining(['catalog/all.yaml', 'catalog/groups.yaml', 'catalog/systems.yaml', 'apps/team-a/my-service/catalog-info.yaml', 'apps/team-a/my-cronjob/catalog-info.yaml']));
  });

  it.each(catalogFiles)('%s validates against the Backstage descriptor format', async (path) => {
    for (const raw of entitiesOf(path)) await expect(validate(raw)).resolves.toBeTruthy();
  });

  it('the same validators refuse a descriptor Backstage would refuse (the oracle can fail)', async () => {
    const good = entitiesOf('platform/core/cert-manager/catalog-info.yaml')[0] as Entity;
    await expect(validate({ ...good, metadata: { ...good.metadata, name: 'Cert Manager!' } })).rejects.toThrow();
    await expect(validate({ ...good, spec: { ...good.spec, owner: undefined } })).rejects.toThrow();
    await expect(validate({ ...good, kind: 'Component', spec: { ...good.spec, lifecycle: 7 } })).rejects.toThrow();
  });

  it('resolves every owner, system and dependsOn relation to an entity of the catalog', async () => {
    const entities = (await Promise.all(catalogFiles.flatMap((p) => entitiesOf(p).map(validate)))).filter((e) => e.kind !== 'Location');
    const refs = new Set(entities.map((e) => stringifyEntityRef(e)));
    const dangling: string[] = [];
    for (const e of entities) {
      const spec = (e.spec ?? {}) as { owner?: string; system?: string; dependsOn?: string[] };
      const wanted = [
        ...(spec.owner ? [parseEntityRef(spec.owner, { defaultKind: 'group' })] : []),
        ...(spec.system ? [parseEntityRef(spec.system, { defaultKind: 'system' })] : []),
        ...(spec.dependsOn ?? []).map((d) => parseEntityRef(d)),
      ];
      for (const w of wanted) if (!refs.has(stringifyEntityRef(w))) dangling.push(`${stringifyEntityRef(e)} -> ${stringifyEntityRef(w)}`);
    }
    expect(dangling).toEqual([]);
    const kinds = new Set(entities.map((e) => e.kind));
    expect([...kinds].sort()).toEqual(['Component', 'Group', 'Resource', 'System']);
    const argocd = entities.find((e) => e.metadata.name === 'argocd')!;
    expect(argocd.metadata.annotations).toMatchObject({ 'backstage.io/kubernetes-id': 'argocd' });
    expect(argocd.metadata.links).toEqual([{ url: 'https://argocd.idp.local', title: expect.any(String) }]);
    expect(argocd.spec).toMatchObject({ owner: 'group:default/platform', system: 'platform-core' });
  });

  it('lists every catalog file in the catalog/all.yaml Location (tenant services by glob)', () => {
    const location = YAML.parse(files.get('catalog/all.yaml')!) as { spec: { targets: string[] } };
    const targets = location.spec.targets.map((t) => posix.normalize(posix.join('catalog', t)));
    const glob = (t: string) => new RegExp(`^${t.replace(/\./g, '\\.').replace(/\*/g, '[^/]+')}$`);
    const covered = (p: string) => targets.some((t) => glob(t).test(p));
    expect(catalogFiles.filter((p) => p !== 'catalog/all.yaml' && !covered(p))).toEqual([]);
    for (const t of targets.filter((t) => !t.includes('*'))) expect(files.has(t)).toBe(true);
  });
});
