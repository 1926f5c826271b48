import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/load.js';
import { starterConfig } from '../../config/starter.js';
import { resolvePlatform } from '../../desired/resolve.js';
import { buildUnit, componentContext } from '../../desired/units.js';
import { getIn } from '../../lib/values.js';
import { CATALOG } from '../index.js';
import { RENDER_PEAK_MIB } from '../render-peaks.js';
import { APPLICATION_HEALTH_KEY, APPLICATION_HEALTH_LUA, argocd, REPO_SERVER_PARALLELISM, repoServerNeeds } from './argocd.js';

const unit = () => {
  const platform = resolvePlatform(parseConfig(starterConfig(), 'plinth.yaml'), CATALOG);
  return buildUnit(argocd, componentContext(platform, CATALOG));
};

/** Runs the health check in a real Lua VM (fengari: Lua 5.3 in JavaScript; Argo CD runs gopher-lua, 5.1: the script uses what both have). */
function health(app: unknown): { status: string; message: string } {
  const { lua, lauxlib, lualib, to_luastring: s } = createRequire(import.meta.url)('fengari') as Record<string, any>;
  const L = lauxlib.luaL_newstate();
  lualib.luaL_openlibs(L);
  const toLua = (v: unknown): string =>
    v === null || v === undefined ? 'nil' : typeof v === 'string' ? JSON.stringify(v) : typeof v !== 'object' ? String(v) : Array.isArray(v) ? `{${v.map(toLua).join(',')}}` : `{${Object.entries(v as object).map(([k, x]) => `[${JSON.stringify(k)}]=${toLua(x)}`).join(',')}}`;
  const code = `local obj = ${toLua(app)}\nlocal function check()\n${APPLICATION_HEALTH_LUA}\nend\nlocal hs = check()\nreturn hs.status, hs.message`;
  if (lauxlib.luaL_dostring(L, s(code)) !== lua.LUA_OK) throw new Error(lua.lua_tojsstring(L, -1));
  return { status: lua.lua_tojsstring(L, -2), message: lua.lua_tojsstring(L, -1) };
}

describe('argocd', () => {
  it('restores the health of Applications, so the root waves wait for each wave to be Synced and Healthy', () => {
    expect(getIn(unit().values, ['configs', 'cm', APPLICATION_HEALTH_KEY])).toBe(APPLICATION_HEALTH_LUA);
    const sources = [{ repoURL: 'https://charts.example', chart: 'c', targetRevision: '1.0.0' }];
    const app = (status: object) => ({ spec: { sources }, status });
    expect(health({ spec: { sources } }).status).toBe('Progressing');
    expect(health(app({ health: { status: 'Missing' }, sync: { status: 'OutOfSync', comparedTo: { sources } } })).status).toBe('Progressing');
    expect(health(app({ health: { status: 'Healthy' }, sync: { status: 'OutOfSync', comparedTo: { sources } } }))).toEqual({ status: 'Progressing', message: 'sync status OutOfSync' });
    expect(health(app({ health: { status: 'Healthy' }, sync: { status: 'Synced', comparedTo: { sources } }, operationState: { phase: 'Running' } })).status).toBe('Progressing');
    expect(health(app({ health: { status: 'Degraded', message: 'CrashLoopBackOff' }, sync: { status: 'Synced', comparedTo: { sources } } }))).toEqual({ status: 'Degraded', message: 'CrashLoopBackOff' });
    expect(health(app({ health: { status: 'Healthy' }, sync: { status: 'Synced', comparedTo: { sources } } })).status).toBe('Healthy');
    // Cannot compare (a chart version that is not there): Degraded, so the root's sync fails and retries at the newest revision.
    expect(health(app({ health: { status: 'Healthy' }, sync: { status: 'Unknown' }, conditions: [{ type: 'ComparisonError', message: 'chart not found' }] }))).toEqual({ status: 'Degraded', message: 'ComparisonError: chart not found' });
    // A verdict about the spec before the root changed it does not count.
    const before = [{ ...sources[0]!, targetRevision: '0.9.0' }];
    expect(health(app({ health: { status: 'Healthy' }, sync: { status: 'Synced', comparedTo: { sources: before } } }))).toEqual({ status: 'Progressing', message: 'the current spec is not compared yet' });
  });

  it('sizes the repo-server from the measured Helm render peaks and limits its parallel renders', () => {
    const u = unit();
    expect(getIn(u.values, ['configs', 'params', 'reposerver.parallelism.limit'])).toBe(REPO_SERVER_PARALLELISM);
    expect(getIn(u.values, ['configs', 'params', 'controller.sync.timeout.seconds'])).toBe(1800);
    expect(getIn(u.values, 'configs.params')).not.toHaveProperty(['applicationsetcontroller.enable.progressive.syncs']);
    const repo = u.workloads.find((w) => w.name === 'argocd-repo-server')!.containers[0]!;
    const needs = repoServerNeeds(CATALOG.flatMap((c) => (c.chart && u.name && c.profiles.includes('edge') && (c.serves?.engine ?? ['argocd']).includes('argocd') ? [c.chart] : [])));
    expect(repo.needs).toEqual(needs);
    expect(needs.why).toContain(`${RENDER_PEAK_MIB['kyverno@3.9.0']}Mi, the measured peak of kyverno@3.9.0`);
    const limit = parseInt(String(repo.resources.limits?.memory), 10) * 2 ** 20;
    expect(limit).toBeGreaterThanOrEqual(needs.memoryBytes);
    expect(limit % (64 * 2 ** 20)).toBe(0);
  });
});
