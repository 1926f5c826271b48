/**
 * The portal's protections over plain HTTP (no browser needed): login on
 * every page and API, the session cookie's flags, the Host, Origin and CSRF
 * checks on writes, server-side name validation, symlinks that leave the
 * repository refused, and no Secret value ever shown.
 */
import { symlinkSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningPortal } from '../../src/portal/server.js';
import { git } from '../golden-paths/support.js';
import { login, portalOver } from './support.js';

let portal: RunningPortal;
let repo: string;
const SECRET_VALUE = 'hunter2-do-not-show';

beforeAll(async () => {
  ({ portal, repo } = await portalOver((dir) => {
    mkdirSync(join(dir, 'apps/team-a/legacy/manifests'), { recursive: true });
    writeFileSync(join(dir, 'apps/team-a/legacy/service.json'), JSON.stringify({ name: 'legacy', team: 'team-a', project: 'team-a', namespace: 'team-a', sources: [{ repoURL: 'https://git.example.com/platform.git', targetRevision: 'main', path: 'apps/team-a/legacy/manifests' }] }));
    writeFileSync(join(dir, 'apps/team-a/legacy/manifests/secret.yaml'), `apiVersion: v1\nkind: Secret\nmetadata:\n  name: legacy\n  namespace: team-a\nstringData:\n  password: ${SECRET_VALUE}\n`);
    writeFileSync(join(dir, 'apps/team-a/legacy/manifests/token.yaml'), JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'token', namespace: 'team-a' }, data: { token: Buffer.from(SECRET_VALUE).toString('base64') } }));
    writeFileSync(join(dir, 'apps/team-a/legacy/.env'), `PASSWORD=${SECRET_VALUE}\n`);
    symlinkSync('/etc/passwd', join(dir, 'apps/team-a/legacy/manifests/passwd.yaml'));
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'a hand-written service with a Secret and a symlink');
  }));
});
afterAll(() => portal?.close());

describe('portal security', () => {
  it('requires a login for every page and API, and refuses a wrong token', async () => {
    for (const path of ['/', '/catalog', '/services/team-a/legacy', '/compliance', '/scenarios.svg']) {
      const res = await fetch(`${portal.url}${path}`, { redirect: 'manual' });
      expect(res.status, path).toBe(303);
      expect(res.headers.get('location')).toBe('/login');
    }
    expect((await fetch(`${portal.url}/api/catalog`)).status).toBe(401);
    const wrong = await fetch(`${portal.url}/login`, { method: 'POST', headers: { origin: portal.url, 'content-type': 'application/x-www-form-urlencoded' }, body: 'token=not-the-token', redirect: 'manual' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
  });

  it('sets an HttpOnly, SameSite=Strict session cookie', async () => {
    const res = await fetch(`${portal.url}/login`, { method: 'POST', headers: { origin: portal.url, 'content-type': 'application/x-www-form-urlencoded' }, body: `token=${portal.token!}`, redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('set-cookie')).toMatch(/^plinth_session=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=\//);
  });

  it('answers only to its own Host (no DNS rebinding)', async () => {
    const { cookie } = await login(portal);
    const http = await import('node:http');
    const status = await new Promise<number>((resolve) => {
      const u = new URL(portal.url);
      http.get({ host: u.hostname, port: u.port, path: '/', headers: { host: 'evil.example:80', cookie } }, (r) => resolve(r.statusCode!)).end();
    });
    expect(status).toBe(421);
  });

  it('refuses a write without the CSRF token or from another origin', async () => {
    const { cookie, csrf } = await login(portal);
    const post = (headers: Record<string, string>) => fetch(`${portal.url}/api/proposals`, { method: 'POST', headers: { cookie, 'content-type': 'application/json', ...headers }, body: JSON.stringify({ template: 'service', values: { team: 'team-a', name: 'x' } }) });
    const noToken = await post({ origin: portal.url });
    expect(noToken.status).toBe(403);
    expect(((await noToken.json()) as { error: string }).error).toContain('CSRF');
    const crossSite = await post({ origin: 'http://evil.example', 'x-csrf-token': csrf });
    expect(crossSite.status).toBe(403);
    expect(((await crossSite.json()) as { error: string }).error).toContain('cross-site request refused');
    const noOrigin = await post({ 'x-csrf-token': csrf });
    expect(noOrigin.status).toBe(403);
    const good = await post({ origin: portal.url, 'x-csrf-token': csrf });
    expect(good.status).toBe(422); // past every guard: the values themselves are incomplete
  });

  it('validates names and paths on the server', async () => {
    const { cookie, csrf } = await login(portal);
    for (const path of ['/services/..%2F..%2Fetc/passwd', '/services/team-a/..', '/entities/component/%2e%2e', '/services/Team_A/x']) {
      const res = await fetch(`${portal.url}${path}`, { headers: { cookie } });
      expect(res.status, path).toBe(400);
    }
    const res = await fetch(`${portal.url}/api/proposals`, { method: 'POST', headers: { cookie, origin: portal.url, 'x-csrf-token': csrf, 'content-type': 'application/json' }, body: JSON.stringify({ template: 'service', values: { team: 'team-a', name: '../../etc', image: 'ghcr.io/a/b:1.0', port: '8080' } }) });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { problems: unknown[] }).problems).toContainEqual(expect.objectContaining({ field: 'name', message: expect.stringContaining('is not a DNS-1123 label') }));
  });

  it('never follows a symlink out of the repository, and never shows a Secret value', async () => {
    const { cookie } = await login(portal);
    const overview = await (await fetch(`${portal.url}/`, { headers: { cookie } })).text();
    expect(overview).toContain('Refused: apps/team-a/legacy/manifests/passwd.yaml is a symlink to /etc/passwd, outside the repository');
    const page = await (await fetch(`${portal.url}/services/team-a/legacy`, { headers: { cookie } })).text();
    expect(page).toContain('Not read: apps/team-a/legacy/manifests/passwd.yaml is a symlink to /etc/passwd, outside the repository');
    expect(page).not.toContain('root:x:0:0');
    expect(page).not.toContain(SECRET_VALUE);
    const secret = await (await fetch(`${portal.url}/services/team-a/legacy/file?path=${encodeURIComponent('apps/team-a/legacy/manifests/secret.yaml')}`, { headers: { cookie } })).text();
    expect(secret).toContain('password: (hidden)');
    expect(secret).not.toContain(SECRET_VALUE);
    for (const file of ['apps/team-a/legacy/manifests/token.yaml', 'apps/team-a/legacy/.env']) {
      const text = await (await fetch(`${portal.url}/services/team-a/legacy/file?path=${encodeURIComponent(file)}`, { headers: { cookie } })).text();
      expect(text, file).not.toContain(SECRET_VALUE);
      expect(text, file).not.toContain(Buffer.from(SECRET_VALUE).toString('base64'));
    }
    // Only the service's own files can be named: the symlink and anything outside are not there.
    for (const path of ['apps/team-a/legacy/manifests/passwd.yaml', '/etc/passwd', '../../../etc/passwd', 'platform/core/vault/values.yaml']) {
      const res = await fetch(`${portal.url}/services/team-a/legacy/file?path=${encodeURIComponent(path)}`, { headers: { cookie } });
      expect(res.status, path).toBe(404);
      expect(await res.text()).not.toContain('root:x:0:0');
    }
    expect(git(repo, 'status', '--porcelain')).toBe('');
  });
});
