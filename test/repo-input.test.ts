/**
 * Files `check --repo` reads back from a GitOps repository (issue 18): a
 * broken service.json, manifest or kustomization.yaml under apps/ is a
 * ConfigError naming the file, line, column and path (exit 2), never a stack
 * trace; every problem of every file in one pass.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load.js';
import { starterConfig } from '../src/config/starter.js';
import { desiredState } from '../src/desired/index.js';
import { parseWrittenRepo } from '../src/gitops/read.js';
import { ConfigError } from '../src/lib/errors.js';
import { synthesize } from '../src/synth/index.js';
import { readTenantUnits } from '../src/tenants/service.js';
import { runCli, tempDir } from './support/cli.js';

const GOOD_SERVICE = JSON.stringify({ name: 'cart', team: 'team-a', project: 'team-a', namespace: 'team-a', sources: [{ repoURL: 'https://git.example/p.git', targetRevision: 'main', path: 'apps/team-a/cart/manifests' }] });
const GOOD_MANIFEST = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: cart\n  namespace: team-a\nspec:\n  ports: [{port: 80}]\n';

function problemsOf(files: Record<string, string>): ConfigError {
  try {
    readTenantUnits(new Map(Object.entries(files)), 5);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('check --repo on a broken tenant service', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir();
    expect((await runCli(['init'], dir)).code).toBe(0);
    expect((await runCli(['plan'], dir)).code).toBe(0);
  }, 60_000);

  it('a service.json that is not JSON: exit 2, the file with line and column, no stack trace', async () => {
    await mkdir(join(dir, 'gitops/apps/team-a/cart/manifests'), { recursive: true });
    await writeFile(join(dir, 'gitops/apps/team-a/cart/service.json'), '{\n  "name": "cart",\n  "team": \n');
    await writeFile(join(dir, 'gitops/apps/team-a/cart/manifests/cart.yaml'), GOOD_MANIFEST);
    const run = await runCli(['check', '--repo', 'gitops'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('apps/team-a/cart/service.json:4:1: not valid JSON');
    expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
  }, 60_000);

  it('a manifest byte that is not UTF-8 is refused with its offset, not read as U+FFFD', async () => {
    await writeFile(join(dir, 'gitops/apps/team-a/cart/service.json'), GOOD_SERVICE);
    await writeFile(join(dir, 'gitops/apps/team-a/cart/manifests/cart.yaml'), Buffer.concat([Buffer.from('apiVersion: v1\nkind: Service\nmetadata:\n  name: caf'), Buffer.from([0xe9]), Buffer.from('\n')]));
    const run = await runCli(['check', '--repo', 'gitops'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('apps/team-a/cart/manifests/cart.yaml:4:12: byte 0xE9 at offset 50 is not UTF-8');
  }, 60_000);
});

describe('reading tenant services back', () => {
  it('reports schema and cross-field problems of service.json together, each with its path', () => {
    const e = problemsOf({
      'apps/team-a/cart/service.json': JSON.stringify({ name: 'cart', team: 'team-b', project: 'team-b', namespace: 'team-a', sources: [] }, null, 2),
      'apps/team-a/cart/manifests/cart.yaml': GOOD_MANIFEST,
    });
    expect(e.exitCode).toBe(2);
    expect(e.details.map((d) => [d.file, d.line, d.path, d.message.split(';')[1]?.trim()])).toEqual([
      ['apps/team-a/cart/service.json', 6, 'sources', 'expected at least one source (the service manifests)'],
      ['apps/team-a/cart/service.json', 3, 'team', 'expected "team-a", the name of the team\'s folder'],
      ['apps/team-a/cart/service.json', 4, 'project', 'expected "team-a", the AppProject of team team-a'],
    ]);
  });

  it('collects the problems of every file of every service in one error', () => {
    const e = problemsOf({
      'apps/team-a/cart/service.json': '[1, 2]',
      'apps/team-a/cart/manifests/cart.yaml': 'kind: Service\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: cart}\nspec: {replicas: -1}\n',
      'apps/team-b/shop/kustomization.yaml': 'resources: manifests/shop.yaml\n',
    });
    expect(e.details.map((d) => `${d.file}${d.line ? `:${d.line}` : ''} ${d.path ?? ''}`.trim())).toEqual([
      'apps/team-a/cart/manifests/cart.yaml:1 apiVersion',
      'apps/team-a/cart/manifests/cart.yaml:1 metadata',
      'apps/team-a/cart/manifests/cart.yaml:6 spec.replicas',
      'apps/team-a/cart/manifests/cart.yaml:6 spec.template',
      'apps/team-a/cart/service.json:1',
      'apps/team-b/shop/kustomization.yaml:1 resources',
    ]);
  });

  it('refuses a manifest whose aliases make it contain itself, or nest past the limit', () => {
    const cyclic = problemsOf({ 'apps/team-a/cart/service.json': GOOD_SERVICE, 'apps/team-a/cart/manifests/cart.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: &m\n  name: x\n  self: *m\n' });
    expect(cyclic.details[0]).toMatchObject({ file: 'apps/team-a/cart/manifests/cart.yaml', line: 5, path: 'metadata.self' });
    expect(cyclic.details[0]!.message).toContain('contain itself');
    const deep = problemsOf({ 'apps/team-a/cart/service.json': GOOD_SERVICE, 'apps/team-a/cart/manifests/cart.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: ${'['.repeat(5000)}${']'.repeat(5000)}\n` });
    expect(deep.details[0]!.message).toMatch(/nested/);
  });
});

describe('component.json: one contract for writer and reader', () => {
  it.each(['edge', 'compact', 'standard', 'lab'] as const)('what plan writes for the %s starter reads back through the contract', (profile) => {
    const files = synthesize(desiredState(parseConfig(starterConfig(profile), 'plinth.yaml')));
    const repo = parseWrittenRepo(files);
    expect(repo.components.length).toBe([...files.keys()].filter((p) => p.endsWith('/component.json')).length);
    expect(repo.components.every((c) => c.descriptor.workloads.every((w) => Number.isInteger(w.replicas)))).toBe(true);
  });

  it('reports schema and cross-field problems of a hand-edited component.json together, each located', () => {
    const files = synthesize(desiredState(parseConfig(starterConfig('edge'), 'plinth.yaml')));
    const path = [...files.keys()].find((p) => p.endsWith('/component.json') && JSON.parse(files.get(p)!).chart)!;
    const d = JSON.parse(files.get(path)!);
    d.wave = -1;
    d.workloads[0].replicas = 'two';
    d.name = 'renamed';
    delete d.valuesFile;
    files.set(path, JSON.stringify(d, null, 2));
    let error: unknown;
    try {
      parseWrittenRepo(files);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const details = (error as ConfigError).details;
    expect(details.map((x) => x.path)).toEqual(['wave', 'workloads[0].replicas', 'name', 'chart']);
    expect(details.every((x) => x.file === path && typeof x.line === 'number')).toBe(true);
    expect(details[2]!.message).toContain("the name of the component's folder");
  });

  it('a component.json that is not JSON is a located error, not a SyntaxError', () => {
    const files = synthesize(desiredState(parseConfig(starterConfig('edge'), 'plinth.yaml')));
    const path = [...files.keys()].find((p) => p.endsWith('/component.json'))!;
    files.set(path, files.get(path)!.slice(0, 40));
    expect(() => parseWrittenRepo(files)).toThrow(/component\.json:\d+:\d+: not valid JSON/);
  });
});
