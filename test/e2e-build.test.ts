/**
 * The e2e build script and binary lookup, without Go: a machine without the `go`
 * command gets one clear line naming it (no stack trace), and a missing cache
 * says which binaries are missing and the command that builds them.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { locateBinaries, readVersions } from '../scripts/e2e/cache.js';

const dirs: string[] = [];
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'plinth-e2e-build-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('scripts/e2e/build.ts', () => {
  it('names the missing tool when Go is not on PATH', () => {
    const bin = temp();
    symlinkSync(process.execPath, join(bin, 'node'));
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/e2e/build.ts', '--only', 'kwok'], {
      encoding: 'utf8',
      env: { PATH: bin, HOME: temp(), PLINTH_E2E_CACHE: temp() },
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^error: .*the `go` command was not found on PATH/);
    expect(r.stderr).toContain('npm test` does not need it');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses an unknown component', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/e2e/build.ts', '--only', 'kubelet'], { encoding: 'utf8', env: { ...process.env, PLINTH_E2E_CACHE: temp() } });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('--only: unknown component kubelet (known: etcd, kubernetes, kwok, argocd)');
  });
});

describe('locateBinaries', () => {
  it('lists every missing component with its version and the build command', () => {
    const v = readVersions();
    expect(() => locateBinaries({ PLINTH_E2E_CACHE: temp() })).toThrow(
      new RegExp(`etcd ${v.etcd.version} .*kubernetes ${v.kubernetes.version} .*kwok ${v.kwok.version} .*npm run e2e:build`, 's'),
    );
  });
});
