/**
 * `plinth new service` and `plinth upgrade service` on a real temporary git
 * repository: the files, the branch, the commit's author and message,
 * idempotence, and nothing written when the input is bad or the check fails.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { runCli } from '../support/cli.js';
import { helmSetup } from '../support/charts.js';
import { DEVELOPER, git, plannedRepo, refs } from './support.js';
import { GitRepo } from '../../src/gitops/git.js';
import { parseConfig } from '../../src/config/load.js';
import { starterConfig } from '../../src/config/starter.js';
import { desiredState, SHARED_REFS } from '../../src/desired/index.js';
import { checkPlatform } from '../../src/checks/platform.js';
import { RenderCache } from '../../src/helm/index.js';
import { commitProposal, proposeNew, type GoldenContext } from '../../src/golden/workflow.js';

const NEW = ['new', 'service', '--team', 'team-a', '--name', 'cart', '--image', 'ghcr.io/team-a/cart:1.4.2', '--port', '8080', '--expose', '--secret', 'DB_PASSWORD=vault/apps/team-a/cart#password'];

beforeAll(async () => {
  await helmSetup(); // fails loudly when the chart cache is missing
});

describe('plinth new service', () => {
  it('commits the service on a new branch, authored by the user, after plinth check passed', async () => {
    const { dir, repo } = await plannedRepo();
    const main = git(repo, 'rev-parse', 'main');
    const r = await runCli(NEW, dir);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('plinth check: 0 errors');
    expect(r.stdout).toMatch(/Committed [0-9a-f]{12} on branch plinth\/new\/team-a\/cart \(author Dana Developer <dana@example.com>\)/);

    const branch = 'plinth/new/team-a/cart';
    expect(git(repo, 'rev-parse', 'main')).toBe(main);
    expect(git(repo, 'rev-parse', `${branch}^`)).toBe(main);
    expect(git(repo, 'log', '-1', '--format=%an <%ae>', branch)).toBe('Dana Developer <dana@example.com>');
    expect(git(repo, 'log', '-1', '--format=%B', branch)).toMatch(/^Add service team-a\/cart \(golden path service@2\)\n\nImage: ghcr.io\/team-a\/cart:1.4.2\n/);
    expect(git(repo, 'diff', '--name-only', main, branch).split('\n')).toEqual([
      'apps/team-a/cart/catalog-info.yaml',
      'apps/team-a/cart/golden-path.json',
      'apps/team-a/cart/manifests/cart.yaml',
      'apps/team-a/cart/service.json',
    ]);
    expect(git(repo, 'status', '--porcelain')).toBe('');

    const manifests = YAML.parseAllDocuments(git(repo, 'show', `${branch}:apps/team-a/cart/manifests/cart.yaml`)).map((d) => d.toJS());
    expect(manifests.map((m) => m.kind)).toEqual(['Deployment', 'Service', 'HTTPRoute', 'ServiceMonitor', 'ExternalSecret', 'ConfigMap']);
    for (const m of manifests) expect(m.metadata.annotations['plinth.dev/template']).toBe('service@2');
    const container = manifests[0].spec.template.spec.containers[0];
    expect(container.env).toEqual([{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'cart-secrets', key: 'DB_PASSWORD' } } }]);
    expect(manifests[2].spec.hostnames).toEqual(['cart-team-a.idp.local']);
    const record = JSON.parse(git(repo, 'show', `${branch}:apps/team-a/cart/golden-path.json`));
    expect(record).toMatchObject({ template: 'service', version: 2, values: { team: 'team-a', name: 'cart', image: 'ghcr.io/team-a/cart:1.4.2', port: 8080, expose: true, replicas: 1 } });
    expect(JSON.parse(git(repo, 'show', `${branch}:apps/team-a/cart/service.json`)).template).toBe('service@2');
  });

  it('is idempotent: the same request again changes nothing', async () => {
    const { dir, repo } = await plannedRepo();
    expect((await runCli(NEW, dir)).code).toBe(0);
    const before = refs(repo);
    const again = await runCli(NEW, dir);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('branch plinth/new/team-a/cart already proposes this service; nothing to do');
    expect(refs(repo)).toBe(before);
    // A different request for the same name is refused, and the branch is kept.
    const other = await runCli([...NEW.slice(0, 7), 'ghcr.io/team-a/cart:2.0.0', '--port', '8080'], dir);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('branch plinth/new/team-a/cart already proposes a different team-a/cart');
    expect(refs(repo)).toBe(before);
  });

  it('refuses bad input with every problem named, writing nothing', async () => {
    const { dir, repo } = await plannedRepo();
    const before = refs(repo);
    const r = await runCli(['new', 'service', '--team', 'nobody', '--name', '../../etc', '--image', 'quay.evil.example/x:latest', '--port', '80', '--secret', 'TOKEN=vault/platform/argocd#admin-password'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('team: no team nobody');
    expect(r.stderr).toContain('name: "../../etc" is not a DNS-1123 label');
    expect(r.stderr).toContain('image: quay.evil.example/x:latest is not pinned');
    expect(r.stderr).toContain('port: 80 is outside 1024..65535');
    expect(r.stderr).toContain("secrets: \"vault/platform/argocd#admin-password\" is outside the team's own Vault entries");
    expect(r.stderr).toContain('Nothing written.');
    expect(refs(repo)).toBe(before);
    const registry = await runCli(['new', 'service', '--team', 'team-a', '--name', 'x', '--image', 'quay.evil.example/x:1.0', '--port', '8080'], dir);
    expect(registry.stderr).toContain('is from a registry outside the allowed ones');
  });

  it('writes nothing when plinth check fails (more replicas than the apps pool holds)', async () => {
    const { dir, repo } = await plannedRepo();
    const before = refs(repo);
    const objects = git(repo, 'count-objects', '-v');
    const r = await runCli(['new', 'service', '--team', 'team-a', '--name', 'big', '--image', 'ghcr.io/team-a/big:1.0.0', '--port', '8080', '--replicas', '20'], dir);
    expect(r.code).toBe(1);
    // 3 of the 20 do not fit: the apps node also runs sonarqube's own PostgreSQL (a glue StatefulSet the planner schedules).
    expect(r.stdout).toMatch(/error +plan +Deployment team-a\/big: with all nodes healthy, 3 pods of Deployment team-a\/big \(tier 3\) stay pending/);
    expect(r.stderr).toContain('plinth check found errors; nothing written.');
    expect(refs(repo)).toBe(before);
    expect(git(repo, 'count-objects', '-v')).toBe(objects);
  });

  it('shows the diff with --dry-run and writes nothing, not even objects', async () => {
    const { dir, repo } = await plannedRepo();
    const before = refs(repo);
    const objects = git(repo, 'count-objects', '-v');
    const r = await runCli([...NEW, '--dry-run'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Would commit on branch plinth/new/team-a/cart (dry run: nothing written)');
    expect(r.stdout).toContain('+++ b/apps/team-a/cart/manifests/cart.yaml');
    expect(r.stdout).toContain('+  image: ghcr.io/team-a/cart:1.4.2'.replace('+  ', '+          '));
    expect(refs(repo)).toBe(before);
    expect(git(repo, 'count-objects', '-v')).toBe(objects);
  });
});

describe('plinth upgrade service', () => {
  /** A service written with the older service@1, merged into main. */
  async function withV1Service() {
    const { dir, repo } = await plannedRepo();
    const loaded = parseConfig(starterConfig(), 'plinth.yaml');
    const state = desiredState(loaded);
    const setup = await helmSetup();
    const renderCache = new RenderCache();
    const ctx: GoldenContext = {
      platform: state.platform,
      refs: SHARED_REFS,
      repoLocation: { url: loaded.config.gitops.repo.url, branch: 'main' },
      repo: await GitRepo.open(repo),
      base: 'main',
      check: (files) => checkPlatform(loaded, { helm: setup.helm, cache: setup.cache, renderCache, repoFiles: files }),
    };
    const outcome = await proposeNew(ctx, 'service', { team: 'team-a', name: 'cart', image: 'ghcr.io/team-a/cart:1.4.2', port: '9090', replicas: '2' }, { version: 1 });
    expect(outcome.status).toBe('ready');
    if (outcome.status !== 'ready') throw new Error('not ready');
    const done = await commitProposal(ctx, outcome.proposal, DEVELOPER);
    git(repo, 'merge', '-q', '--ff-only', done.branch);
    return { dir, repo };
  }

  it('re-renders with the newest template version, keeping the chosen values, on a branch', async () => {
    const { dir, repo } = await withV1Service();
    const main = git(repo, 'rev-parse', 'main');
    const r = await runCli(['upgrade', 'service', 'team-a/cart'], dir);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    const branch = 'plinth/upgrade/team-a/cart/service-v2';
    expect(r.stdout).toContain(`on branch ${branch} (author Dana Developer <dana@example.com>)`);
    expect(git(repo, 'rev-parse', `${branch}^`)).toBe(main);
    expect(git(repo, 'log', '-1', '--format=%an', branch)).toBe('Dana Developer');
    expect(git(repo, 'log', '-1', '--format=%B', branch)).toContain('Upgrade team-a/cart to service@2\n\nteam-a/cart: service@1 -> @2\n\nservice@2: a ServiceMonitor and a Grafana dashboard');
    const manifests = YAML.parseAllDocuments(git(repo, 'show', `${branch}:apps/team-a/cart/manifests/cart.yaml`)).map((d) => d.toJS());
    expect(manifests.map((m) => m.kind)).toEqual(['Deployment', 'Service', 'ServiceMonitor', 'ConfigMap']);
    const deployment = manifests[0];
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.template.spec.containers[0]).toMatchObject({ image: 'ghcr.io/team-a/cart:1.4.2', ports: [{ name: 'http', containerPort: 9090 }] });
    expect(deployment.spec.template.spec.automountServiceAccountToken).toBe(false);
    expect(JSON.parse(git(repo, 'show', `${branch}:apps/team-a/cart/golden-path.json`))).toMatchObject({ version: 2, values: { port: 9090, replicas: 2, metricsPath: '/metrics' } });

    // Asked again before the merge: the branch already proposes it.
    const proposed = refs(repo);
    const twice = await runCli(['upgrade', 'service', 'team-a/cart'], dir);
    expect(twice.code).toBe(0);
    expect(twice.stdout).toContain(`branch ${branch} already proposes this upgrade; nothing to do`);
    expect(refs(repo)).toBe(proposed);

    // Merged, the service is up to date: nothing more to do.
    git(repo, 'merge', '-q', '--ff-only', branch);
    const before = refs(repo);
    const again = await runCli(['upgrade', 'service', '--all'], dir);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('every service is up to date with its template');
    expect(refs(repo)).toBe(before);
  });

  it('never overwrites a file changed by hand, unless forced', async () => {
    const { dir, repo } = await withV1Service();
    const file = 'apps/team-a/cart/manifests/cart.yaml';
    const edited = git(repo, 'show', `main:${file}`).replace('replicas: 2', 'replicas: 3');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(`${repo}/${file}`, `${edited}\n`);
    git(repo, 'commit', '-q', '-am', 'hand edit');
    const before = refs(repo);
    const r = await runCli(['upgrade', 'service', 'team-a/cart'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`team-a/cart: changed by hand since the golden path wrote them: ${file}`);
    expect(refs(repo)).toBe(before);
    const dry = await runCli(['upgrade', 'service', 'team-a/cart', '--force', '--dry-run'], dir);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('-  replicas: 3');
    expect(refs(repo)).toBe(before);
  });

  it('says which services it cannot upgrade', async () => {
    const { dir } = await plannedRepo();
    const r = await runCli(['upgrade', 'service', 'team-a/nothing'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no service team-a/nothing on main');
    expect((await runCli(['upgrade', 'service', '../x'], dir)).code).toBe(2);
  });
});
