import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { parseConfig } from '../config/load.js';
import { starterConfig } from '../config/starter.js';
import { desiredState, SHARED_REFS } from '../desired/index.js';
import { routeKind, workloadKind } from './choices.js';
import { TEMPLATES, templateNamed } from './index.js';
import { renderServiceFiles } from './render.js';
import { imageProblem, parseSecret, validateValues } from './validate.js';

const platform = desiredState(parseConfig(starterConfig(), 'plinth.yaml')).platform;
const service = templateNamed('service')!;
const repo = { url: 'https://git.example.com/platform/gitops.git', branch: 'main' };
const base = { team: 'team-a', name: 'cart', image: 'ghcr.io/team-a/cart:1.4.2', port: '8080' };

describe('golden-path validation', () => {
  it('takes images pinned by tag or digest, from the allowed registries only', () => {
    const allowed = ['ghcr.io', 'docker.io'];
    expect(imageProblem('ghcr.io/acme/cart:1.4.2', allowed)).toBeUndefined();
    expect(imageProblem(`ghcr.io/acme/cart@sha256:${'a'.repeat(64)}`, allowed)).toBeUndefined();
    expect(imageProblem('nginx:1.27.0', allowed)).toBeUndefined(); // docker.io/library/nginx
    expect(imageProblem('ghcr.io/acme/cart', allowed)?.message).toContain('is not pinned: no tag means latest');
    expect(imageProblem('ghcr.io/acme/cart:latest', allowed)?.message).toContain('latest moves');
    expect(imageProblem('quay.io/acme/cart:1.0', allowed)?.message).toContain('outside the allowed ones (ghcr.io, docker.io)');
    expect(imageProblem('ghcr.io/acme/../cart:1.0', allowed)?.message).toContain('is not an image reference');
    expect(imageProblem('ghcr.io/Acme/cart:1.0', allowed)?.message).toContain('is not a valid image name');
    expect(imageProblem('ghcr.io.evil.example/acme/cart:1.0', allowed)?.message).toContain('outside the allowed ones');
  });

  it('follows plinth.yaml policy.allowedRegistries when set', () => {
    const own = desiredState(parseConfig(starterConfig().replace('# policy:\n#   allowedRegistries: [ghcr.io, registry.example.com]', 'policy:\n  allowedRegistries: [registry.example.com/team-a]'), 'plinth.yaml')).platform;
    expect(validateValues(service, own, base).problems).toEqual([expect.objectContaining({ field: 'image', message: expect.stringContaining('outside the allowed ones (registry.example.com/team-a)') })]);
    expect(validateValues(service, own, { ...base, image: 'registry.example.com/team-a/cart:2.0.0' }).problems).toEqual([]);
  });

  it("reads secrets only from the team's own Vault entries", () => {
    expect(parseSecret('DB_PASSWORD=vault/apps/team-a/cart#password', 'team-a').secret).toEqual({ env: 'DB_PASSWORD', provider: 'vault', path: 'apps/team-a/cart', key: 'password' });
    expect(parseSecret('X=vault/apps/team-b/cart#password', 'team-a').problem?.message).toContain("outside the team's own Vault entries");
    expect(parseSecret('X=vault/apps/team-a/../x#k', 'team-a').problem?.message).toContain('is not a Vault path');
    expect(parseSecret('X=sops/apps/team-a/x#k', 'team-a').problem?.message).toContain('must be vault');
    expect(parseSecret('1X=vault/apps/team-a/x#k', 'team-a').problem?.message).toContain('is not an environment variable name');
  });

  it('keeps names unique across teams and apart from platform components', () => {
    expect(validateValues(service, platform, base, { existing: [{ team: 'team-b', name: 'cart' }] }).problems).toEqual([expect.objectContaining({ field: 'name', message: 'a service cart already exists (team team-b)' })]);
    expect(validateValues(service, platform, { ...base, name: 'vault' }, { componentNames: ['vault'] }).problems[0]!.message).toBe("vault is a platform component's name");
    expect(validateValues(service, platform, { ...base, name: 'a'.repeat(54) }).problems[0]!.message).toContain('at most 53');
    expect(validateValues(service, platform, { ...base, color: 'blue' } as never).problems[0]!.message).toBe('template service has no parameter color');
  });

  it('checks cron schedules', () => {
    const cron = templateNamed('cronjob')!;
    const v = (schedule: string) => validateValues(cron, platform, { team: 'team-a', name: 'nightly', image: 'ghcr.io/team-a/nightly:1.0.0', schedule }).problems;
    expect(v('0 3 * * *')).toEqual([]);
    expect(v('*/15 1-5 * * mon-fri')).toEqual([]);
    expect(v('@daily')).toEqual([]);
    expect(v('0 3 * *')[0]!.message).toContain('is not a cron schedule');
    expect(v('0 3 * * * ; rm -rf /')[0]!.field).toBe('schedule');
  });
});

describe('golden-path templates', () => {
  it('decide the route and the workload kind from the platform, in one place', () => {
    expect(routeKind(platform)).toBe('HTTPRoute');
    expect(workloadKind(platform)).toBe('Deployment');
    const withRollouts = { ...platform, enabled: [...platform.enabled, 'argo-rollouts'].sort() };
    expect(workloadKind(withRollouts)).toBe('Rollout');
    const values = validateValues(service, platform, { ...base, expose: true }).values!;
    const files = renderServiceFiles({ platform: withRollouts, refs: SHARED_REFS, repo, template: service, version: 2, values });
    const objects = YAML.parseAllDocuments(files.get('apps/team-a/cart/manifests/cart.yaml')!).map((d) => d.toJS());
    expect(objects[0]).toMatchObject({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', spec: { strategy: { canary: { steps: expect.any(Array) } } } });
    expect(objects.find((o) => o.kind === 'HTTPRoute').spec.parentRefs[0]).toMatchObject({ name: 'platform', namespace: 'gateway', sectionName: 'https' });
  });

  it('render the same bytes for the same input, and record name, version, values and digests', () => {
    for (const t of TEMPLATES) {
      const raw = { team: 'team-a', name: `x-${t.name}`, image: 'ghcr.io/team-a/x:1.0.0', ...(t.name === 'cronjob' ? { schedule: '@daily' } : { port: '8080' }) };
      const values = validateValues(t, platform, raw).values!;
      const a = renderServiceFiles({ platform, refs: SHARED_REFS, repo, template: t, version: t.versions.at(-1)!.version, values });
      const b = renderServiceFiles({ platform, refs: SHARED_REFS, repo, template: t, version: t.versions.at(-1)!.version, values });
      expect([...a]).toEqual([...b]);
      const record = JSON.parse(a.get(`apps/team-a/x-${t.name}/golden-path.json`)!);
      expect(record).toMatchObject({ template: t.name, version: t.versions.at(-1)!.version, values: { name: `x-${t.name}` } });
      expect(Object.keys(record.files).sort()).toEqual([...a.keys()].filter((p) => !p.endsWith('golden-path.json')).sort());
      for (const o of YAML.parseAllDocuments(a.get(`apps/team-a/x-${t.name}/manifests/x-${t.name}.yaml`)!).map((d) => d.toJS())) {
        expect(o.metadata.annotations['plinth.dev/template']).toBe(`${t.name}@${t.versions.at(-1)!.version}`);
      }
    }
  });
});
