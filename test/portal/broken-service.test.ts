/**
 * A tenant service whose service.json breaks its contract (no sources: the apps
 * ApplicationSet would make an Application with nothing to sync) does not take
 * the portal down: the overview and the catalog name the file, line and path,
 * and the other services are still shown.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningPortal } from '../../src/portal/server.js';
import { git } from '../golden-paths/support.js';
import { login, portalOver } from './support.js';

let portal: RunningPortal;

beforeAll(async () => {
  ({ portal } = await portalOver((dir) => {
    mkdirSync(join(dir, 'apps/team-a/broken/manifests'), { recursive: true });
    writeFileSync(join(dir, 'apps/team-a/broken/service.json'), JSON.stringify({ name: 'broken', team: 'team-a', project: 'team-a', namespace: 'team-a', sources: [] }));
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'a service.json without sources');
  }));
});
afterAll(() => portal?.close());

it('shows the broken file on the overview and the catalog instead of failing them', async () => {
  const { cookie } = await login(portal);
  for (const path of ['/', '/catalog']) {
    const res = await fetch(`${portal.url}${path}`, { headers: { cookie } });
    const page = await res.text();
    expect(res.status, path).toBe(200);
    expect(page, path).toContain('1 problem in the repository');
    expect(page, path).toContain('apps/team-a/broken/service.json:1:');
    expect(page, path).toContain('at least one source');
  }
});
