/**
 * The portal in real headless Chromium (Debian chromium + playwright-core):
 * log in, scaffold a service through the form (a bad name refused with a
 * message first), see the check's findings and progress, commit, find the
 * commit on a branch of the real local git repository and the service in the
 * catalog; a wrong token and a cross-site POST are refused. Screenshots of the
 * overview, the catalog and a failure scenario go to test-artifacts/portal/.
 * Without chromium the suite fails under CI and is skipped, saying why, elsewhere.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningPortal } from '../../src/portal/server.js';
import { DEVELOPER, git } from '../golden-paths/support.js';
import { portalOver } from './support.js';

const CHROMIUM = process.env.PLINTH_CHROMIUM ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ARTIFACTS = resolve('test-artifacts/portal');
const available = existsSync(CHROMIUM);
if (!available && process.env.CI) throw new Error(`browser tests need Debian chromium at ${CHROMIUM} (apt-get install -y chromium); CI must have it`);
if (!available) console.warn(`skipping the browser tests: no chromium at ${CHROMIUM} (apt-get install -y chromium, or set PLINTH_CHROMIUM)`);

describe.skipIf(!available)('portal in a real browser', () => {
  let portal: RunningPortal;
  let repo: string;
  let context: BrowserContext;
  let page: Page;
  let attacker: Server;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    ({ portal, repo } = await portalOver());
    context = await chromium.launchPersistentContext(await mkdtemp(join(tmpdir(), 'plinth-chromium-')), { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 1400, height: 1000 } });
    page = await context.newPage();
    // A page on another origin that posts to the portal on load.
    attacker = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<!doctype html><form id="f" method="post" action="${portal.url}/logout"><input name="_csrf" value="guess"></form><script>document.getElementById('f').submit()</script>`);
    });
    await new Promise<void>((r) => attacker.listen(0, '127.0.0.1', () => r()));
  });

  afterAll(async () => {
    await context?.close();
    await portal?.close();
    attacker?.close();
  });

  it('refuses a wrong token', async () => {
    await page.goto(`${portal.url}/`);
    expect(page.url()).toBe(`${portal.url}/login`);
    await page.fill('#token', 'not-the-token');
    await page.click('button[type=submit]');
    await page.locator('.error').waitFor();
    expect(await page.locator('.error').textContent()).toBe('Wrong token: nothing opened.');
  });

  it('logs in and shows the platform overview', async () => {
    await page.goto(`${portal.url}/login`);
    await page.fill('#token', portal.token!);
    await page.click('button[type=submit]');
    await page.waitForURL(`${portal.url}/`);
    expect(await page.locator('h1').textContent()).toBe('Platform overview');
    expect(await page.locator('table.units td:first-child a').allTextContents()).toContain('argocd');
    expect(await page.locator('header .user').textContent()).toBe(`${DEVELOPER.name} <${DEVELOPER.email}>`);
    await page.screenshot({ path: join(ARTIFACTS, 'overview.png'), fullPage: true });
  });

  it('refuses the service name ../../etc with a message', async () => {
    await page.goto(`${portal.url}/new/service`);
    await page.fill('#f-name', '../../etc');
    await page.fill('#f-image', 'ghcr.io/team-a/cart:1.4.2');
    await page.click('#check-button');
    const error = page.locator('[data-error-for="name"]');
    await error.waitFor({ state: 'visible' });
    expect(await error.textContent()).toContain('"../../etc" is not a DNS-1123 label');
    expect(git(repo, 'branch', '--list', 'plinth/*')).toBe('');
  });

  it('scaffolds a service: check progress and findings, then a commit on a branch of the real repository', async () => {
    await page.goto(`${portal.url}/new/service`);
    await page.fill('#f-name', 'cart');
    await page.fill('#f-image', 'ghcr.io/team-a/cart:1.4.2');
    await page.check('#f-expose');
    await page.fill('#f-secrets', 'DB_PASSWORD=vault/apps/team-a/cart#password');
    await page.click('#check-button');
    await page.locator('#scaffold-progress').waitFor({ state: 'visible' });
    await page.locator('#steps li', { hasText: 'running plinth check' }).waitFor({ timeout: 60_000 });
    await page.locator('#commit-button').waitFor({ state: 'visible', timeout: 180_000 });
    expect(await page.locator('#verdict').textContent()).toMatch(/^plinth check: 0 errors, \d+ warnings\. Ready to commit on branch plinth\/new\/team-a\/cart\.$/);
    expect(await page.locator('#findings').textContent()).toContain('no finding about this service: it meets every platform policy');
    expect(await page.locator('#diff').textContent()).toContain('+++ b/apps/team-a/cart/manifests/cart.yaml');
    expect(git(repo, 'branch', '--list', 'plinth/*')).toBe('');
    await page.click('#commit-button');
    await page.locator('#committed a').waitFor({ timeout: 30_000 });
    expect(await page.locator('#committed').textContent()).toMatch(/^Committed [0-9a-f]{12} on branch plinth\/new\/team-a\/cart \(author Dana Developer <dana@example.com>\)/);
    expect(git(repo, 'log', '-1', '--format=%an <%ae>|%s', 'plinth/new/team-a/cart')).toBe('Dana Developer <dana@example.com>|Add service team-a/cart (golden path service@2)');
    expect(git(repo, 'rev-parse', 'plinth/new/team-a/cart^')).toBe(git(repo, 'rev-parse', 'main'));

    await page.click('#committed a');
    await page.waitForURL(`${portal.url}/services/team-a/cart`);
    expect(await page.locator('dd.image').textContent()).toBe('ghcr.io/team-a/cart:1.4.2');
    expect(await page.locator('.proposed').textContent()).toContain('plinth/new/team-a/cart');
  });

  it('finds the service in the catalog, beside the platform components', async () => {
    await page.goto(`${portal.url}/catalog`);
    const row = page.locator('tr[data-entity="component:cart"]');
    expect(await row.locator('td').nth(3).textContent()).toBe('group:default/team-a');
    expect(await row.textContent()).toContain('proposed on plinth/new/team-a/cart');
    expect(await page.locator('tr[data-entity="component:argocd"]').count()).toBe(1);
    expect(await page.locator('tr[data-entity="system:platform-core"]').count()).toBe(1);
    await page.screenshot({ path: join(ARTIFACTS, 'catalog.png'), fullPage: true });
  });

  it('shows the failure scenarios as a picture', async () => {
    await page.goto(`${portal.url}/scenarios`);
    const img = page.locator('figure.scenario img');
    await img.waitFor();
    await page.waitForFunction("(() => { const i = document.querySelector('figure.scenario img'); return i !== null && i.complete && i.naturalWidth > 0; })()");
    expect(await page.locator('table.scenarios tbody tr').count()).toBeGreaterThanOrEqual(4);
    await img.screenshot({ path: join(ARTIFACTS, 'failure-scenarios.png') });
    await page.screenshot({ path: join(ARTIFACTS, 'scenarios-page.png'), fullPage: true });
  });

  it('refuses a cross-site POST', async () => {
    const refused = page.waitForResponse((r) => r.url() === `${portal.url}/logout`);
    await page.goto(`http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`);
    const res = await refused;
    expect(res.status()).toBe(403);
    expect(await res.text()).toContain('cross-site request refused');
    // Still signed in: the forged logout did nothing.
    await page.goto(`${portal.url}/catalog`);
    expect(page.url()).toBe(`${portal.url}/catalog`);
  });
});
