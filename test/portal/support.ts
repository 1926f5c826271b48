/** A portal over a real temporary GitOps repository, started in-process on 127.0.0.1 (a free port). */
import { parseConfig } from '../../src/config/load.js';
import { starterConfig } from '../../src/config/starter.js';
import { checkPlatform } from '../../src/checks/platform.js';
import { desiredState, SHARED_REFS } from '../../src/desired/index.js';
import { GitRepo } from '../../src/gitops/git.js';
import type { GoldenContext } from '../../src/golden/workflow.js';
import { RenderCache } from '../../src/helm/index.js';
import { startPortal, type RunningPortal } from '../../src/portal/server.js';
import type { OidcLogin } from '../../src/portal/oidc.js';
import { helmSetup } from '../support/charts.js';
import { DEVELOPER, plannedRepo } from '../golden-paths/support.js';

export async function portalOver(prepare?: (repo: string) => void, extra: { oidc?: OidcLogin } = {}): Promise<{ portal: RunningPortal; repo: string }> {
  const { repo } = await plannedRepo();
  prepare?.(repo);
  const loaded = parseConfig(starterConfig(), '(built-in edge example)');
  const state = desiredState(loaded);
  const setup = await helmSetup();
  const renderCache = new RenderCache();
  const golden: GoldenContext = {
    platform: state.platform,
    refs: SHARED_REFS,
    repoLocation: { url: loaded.config.gitops.repo.url, branch: 'main' },
    repo: await GitRepo.open(repo),
    base: 'main',
    check: (files) => checkPlatform(loaded, { helm: setup.helm, cache: setup.cache, renderCache, repoFiles: files }),
  };
  const portal = await startPortal({ loaded, golden, user: DEVELOPER, port: 0, ...extra });
  return { portal, repo };
}

/** Logs in over HTTP; returns the session cookie and the CSRF token of the overview page. */
export async function login(portal: RunningPortal): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(`${portal.url}/login`, { method: 'POST', headers: { origin: portal.url, 'content-type': 'application/x-www-form-urlencoded' }, body: `token=${encodeURIComponent(portal.token!)}`, redirect: 'manual' });
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  const page = await (await fetch(`${portal.url}/catalog`, { headers: { cookie } })).text();
  const csrf = /<meta name="csrf-token" content="([^"]+)">/.exec(page)![1]!;
  return { cookie, csrf };
}
