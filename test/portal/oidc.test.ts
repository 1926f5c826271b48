/**
 * OIDC login against an OIDC provider TEST DOUBLE (test/portal/oidc-provider-double.ts):
 * the authorization code flow with PKCE ends in a session for the provider's
 * user, who then authors the portal's commits; a login not started in this
 * browser, and ID tokens with the wrong audience, nonce, issuer, signature or
 * expiry, are refused. The token login is off when OIDC is configured.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OidcLogin } from '../../src/portal/oidc.js';
import type { RunningPortal } from '../../src/portal/server.js';
import { oidcProviderDouble, type ProviderDouble } from './oidc-provider-double.js';
import { portalOver } from './support.js';
import { git } from '../golden-paths/support.js';

let provider: ProviderDouble;
let portal: RunningPortal;
let repo: string;

beforeAll(async () => {
  provider = await oidcProviderDouble();
  const oidc = await OidcLogin.discover({ issuer: provider.issuer, clientId: provider.clientId });
  ({ portal, repo } = await portalOver(undefined, { oidc }));
});
afterAll(async () => {
  await portal?.close();
  await provider?.close();
});

/** The browser's part: follow the redirects by hand, carrying the cookies each side set. */
async function signIn(): Promise<{ status: number; cookie?: string; body: string }> {
  const start = await fetch(`${portal.url}/login/oidc`, { redirect: 'manual' });
  expect(start.status).toBe(303);
  const oidcCookie = start.headers.get('set-cookie')!.split(';')[0]!;
  expect(start.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Lax; Path=\/login/);
  const authorize = await fetch(start.headers.get('location')!, { redirect: 'manual' });
  expect(authorize.status).toBe(302);
  const back = authorize.headers.get('location')!;
  expect(back.startsWith(`${portal.url}/login/callback?`)).toBe(true);
  const callback = await fetch(back, { headers: { cookie: oidcCookie }, redirect: 'manual' });
  const session = callback.headers.getSetCookie().find((c) => c.startsWith('plinth_session='));
  return { status: callback.status, ...(session ? { cookie: session.split(';')[0]! } : {}), body: await callback.text() };
}

describe('portal OIDC login', () => {
  it('offers the provider instead of a token, and has no token', async () => {
    expect(portal.token).toBeUndefined();
    const page = await (await fetch(`${portal.url}/login`)).text();
    expect(page).toContain(`Sign in with ${provider.issuer}`);
    expect(page).not.toContain('name="token"');
    const guess = await fetch(`${portal.url}/login`, { method: 'POST', headers: { origin: portal.url, 'content-type': 'application/x-www-form-urlencoded' }, body: 'token=anything', redirect: 'manual' });
    expect(guess.status).toBe(401);
  });

  it('signs the provider\'s user in, who then authors the commits', { timeout: 240_000 }, async () => {
    provider.tamper = 'none';
    const r = await signIn();
    expect(r.status).toBe(200);
    expect(r.cookie).toMatch(/^plinth_session=/);
    const overview = await (await fetch(`${portal.url}/`, { headers: { cookie: r.cookie! } })).text();
    expect(overview).toContain('Olga Oidc &lt;olga@example.com&gt;');
    const csrf = /<meta name="csrf-token" content="([^"]+)">/.exec(overview)![1]!;
    const headers = { cookie: r.cookie!, origin: portal.url, 'x-csrf-token': csrf, 'content-type': 'application/json' };
    const started = await fetch(`${portal.url}/api/proposals`, { method: 'POST', headers, body: JSON.stringify({ template: 'worker', values: { team: 'team-a', name: 'queue', image: 'ghcr.io/team-a/queue:3.1.0', port: '8080' } }) });
    expect(started.status).toBe(202);
    const { job } = (await started.json()) as { job: string };
    let status = 'running';
    for (let i = 0; i < 360 && status === 'running'; i++) {
      await new Promise((w) => setTimeout(w, 500));
      status = ((await (await fetch(`${portal.url}/api/jobs/${job}`, { headers: { cookie: r.cookie! } })).json()) as { status: string }).status;
    }
    expect(status).toBe('done');
    const committed = await fetch(`${portal.url}/api/jobs/${job}/commit`, { method: 'POST', headers, body: '{}' });
    expect(committed.status).toBe(200);
    expect(git(repo, 'log', '-1', '--format=%an <%ae>', 'plinth/new/team-a/queue')).toBe('Olga Oidc <olga@example.com>');
  });

  it.each(['audience', 'nonce', 'issuer', 'signature', 'expired'] as const)('refuses an ID token with the wrong %s', async (tamper) => {
    provider.tamper = tamper;
    const r = await signIn();
    expect(r.status).toBe(401);
    expect(r.cookie).toBeUndefined();
    expect(r.body).toContain('Not signed in:');
    provider.tamper = 'none';
  });

  it('refuses a callback for a login this browser did not start', async () => {
    const start = await fetch(`${portal.url}/login/oidc`, { redirect: 'manual' });
    const authorize = await fetch(start.headers.get('location')!, { redirect: 'manual' });
    const callback = await fetch(authorize.headers.get('location')!, { redirect: 'manual' }); // no oidc cookie: another browser
    expect(callback.status).toBe(400);
    expect(callback.headers.getSetCookie().some((c) => c.startsWith('plinth_session='))).toBe(false);
  });
});
