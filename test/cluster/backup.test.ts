/**
 * `plinth backup` and `plinth restore` against the API test double, with a
 * stand-in for Velero's server (FakeVelero): what Plinth creates, how it
 * picks the backup to restore from, how it follows, and its exit codes.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { backupCommandWith, restoreCommandWith } from '../../src/cli/commands/backup.js';
import type { CommandSpec } from '../../src/cli/command.js';
import { main } from '../../src/cli/main.js';
import { parseConfig } from '../../src/config/load.js';
import { starterConfig } from '../../src/config/starter.js';
import { desiredState, type DesiredState } from '../../src/desired/index.js';
import { DEFAULT_DEPS, type OpsDeps } from '../../src/ops/session.js';
import { FakeVelero, type FakeVeleroOptions } from '../double/fake-velero.js';
import { KubeApiTestDouble } from '../double/kube-api-double.js';
import { capture } from './harness.js';

const lab = desiredState(parseConfig(starterConfig('lab'), 'plinth.yaml'));
const edge = desiredState(parseConfig(starterConfig('edge'), 'plinth.yaml'));

let double: KubeApiTestDouble | undefined;
let velero: FakeVelero | undefined;
afterEach(async () => {
  velero?.stop();
  await double?.close();
  double = undefined;
  velero = undefined;
});

async function cluster(o: FakeVeleroOptions = {}, serve = true) {
  double = await KubeApiTestDouble.start();
  if (serve) velero = new FakeVelero(double, o).start();
  const dir = await mkdtemp(join(tmpdir(), 'plinth-backup-'));
  return { kubeconfig: await double.writeKubeconfig(dir), dir };
}

const deps = (state: DesiredState, t0 = Date.parse('2026-03-04T05:06:07Z')): OpsDeps => {
  let t = t0;
  return { ...DEFAULT_DEPS, desired: () => state, pollMs: 10, now: () => (t += 1) };
};

async function run(command: CommandSpec, kubeconfig: string, values: Record<string, string | boolean | string[]>) {
  const cap = capture();
  const code = await command.run!(cap.io, { values: { kubeconfig, ...values }, positionals: [] });
  return { code, out: cap.out(), err: cap.err() };
}

describe('plinth backup', () => {
  it('creates a Velero Backup of the daily Schedule\'s namespaces with file-system volume backup, and follows it to Completed', async () => {
    const c = await cluster();
    const r = await run(backupCommandWith(deps(lab)), c.kubeconfig, {});
    expect(r.code).toBe(0);
    const backups = double!.list('velero.io/v1', 'Backup', 'velero');
    expect(backups).toHaveLength(1);
    const b = backups[0]!;
    expect(b.metadata).toMatchObject({ name: 'plinth-backup-20260304-050607', namespace: 'velero', labels: { 'app.kubernetes.io/managed-by': 'plinth' } });
    const schedule = (lab.units.find((u) => u.name === 'velero')!.values as { schedules: { daily: { template: { includedNamespaces: string[] } } } }).schedules.daily.template.includedNamespaces;
    expect(b.spec).toEqual({ includedNamespaces: schedule, storageLocation: 'default', defaultVolumesToFsBackup: true, snapshotVolumes: false, ttl: '720h' });
    expect(schedule).toEqual(expect.arrayContaining(['team-a', 'vault', 'jenkins', 'observability']));
    expect(schedule).not.toContain('minio');
    expect(r.out).toContain('Backup velero/plinth-backup-20260304-050607 of ');
    expect(r.out).toMatch(/Backup plinth-backup-20260304-050607: InProgress, 6\/12 items/);
    expect(r.out).toContain('Backup velero/plinth-backup-20260304-050607 Completed.');
  });

  it('backs up the namespaces named, and exits 3 (a cluster failure) when Velero ends PartiallyFailed', async () => {
    const c = await cluster({ backupPhase: 'PartiallyFailed' });
    const r = await run(backupCommandWith(deps(lab)), c.kubeconfig, { namespace: ['team-a', 'vault,jenkins'] });
    expect(r.code).toBe(3);
    expect(velero!.seen[0]!.spec.includedNamespaces).toEqual(['jenkins', 'team-a', 'vault']);
    expect(r.out).toMatch(/PartiallyFailed \(1 warnings, 2 errors\)\.\n$/);
  });

  it('says what is missing when Velero is not installed, or not part of the platform', async () => {
    const c = await cluster({}, false);
    await expect(run(backupCommandWith(deps(lab)), c.kubeconfig, {})).rejects.toThrow(/does not serve velero\.io\/v1 Backup: Velero is not installed yet/);
    await expect(run(backupCommandWith(deps(edge)), c.kubeconfig, {})).rejects.toThrow(/velero is not part of this platform/);
    await expect(run(backupCommandWith(deps(lab)), c.kubeconfig, { namespace: ['Team_A'] })).rejects.toThrow(/--namespace: got "Team_A"; expected a namespace name/);
  });

  it('times out with the command to look further', async () => {
    const c = await cluster({ stepMs: 60_000 });
    await expect(run(backupCommandWith(deps(lab)), c.kubeconfig, { timeout: '300ms' })).rejects.toThrow(/waiting for Velero to finish Backup velero\/plinth-backup-\d{8}-\d{6}[\s\S]*kubectl -n velero get backup/);
  });
});

describe('plinth restore', () => {
  it('restores one namespace from the newest completed backup that holds it, volumes included', async () => {
    const c = await cluster();
    velero!.existingBackup('velero', 'velero-daily-20260301030000', ['team-a', 'vault'], 'Completed', '2026-03-01T03:10:00Z');
    velero!.existingBackup('velero', 'velero-daily-20260302030000', ['team-a', 'vault'], 'Completed', '2026-03-02T03:10:00Z');
    velero!.existingBackup('velero', 'velero-daily-20260303030000', ['team-a', 'vault'], 'PartiallyFailed', '2026-03-03T03:10:00Z');
    velero!.existingBackup('velero', 'plinth-backup-vault-only', ['vault'], 'Completed', '2026-03-04T01:00:00Z');
    const r = await run(restoreCommandWith(deps(lab)), c.kubeconfig, { namespace: 'team-a' });
    expect(r.code).toBe(0);
    const restores = double!.list('velero.io/v1', 'Restore', 'velero');
    expect(restores).toHaveLength(1);
    expect(restores[0]!.spec).toEqual({ backupName: 'velero-daily-20260302030000', includedNamespaces: ['team-a'], restorePVs: true });
    expect(r.out).toContain('from Backup velero-daily-20260302030000 (2026-03-02T03:10:00Z)');
    expect(r.out).toMatch(/Restore velero\/plinth-restore-team-a-20260304-050607 Completed\.\n$/);
  });

  it('restores from the backup named, refusing one that does not hold the namespace or did not complete', async () => {
    const c = await cluster({ restorePhase: 'Failed' });
    velero!.existingBackup('velero', 'a', ['team-a'], 'Completed', '2026-03-01T03:10:00Z');
    velero!.existingBackup('velero', 'b', ['vault'], 'Completed', '2026-03-02T03:10:00Z');
    velero!.existingBackup('velero', 'c', ['team-a'], 'InProgress', '');
    const r = await run(restoreCommandWith(deps(lab)), c.kubeconfig, { namespace: 'team-a', from: 'a' });
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/Failed\.\n$/);
    await expect(run(restoreCommandWith(deps(lab)), c.kubeconfig, { namespace: 'team-a', from: 'b' })).rejects.toThrow(/Backup b does not hold namespace team-a \(it covers vault\)/);
    await expect(run(restoreCommandWith(deps(lab)), c.kubeconfig, { namespace: 'team-a', from: 'c' })).rejects.toThrow(/Backup c is InProgress, not Completed/);
    await expect(run(restoreCommandWith(deps(lab)), c.kubeconfig, { namespace: 'team-a', from: 'zz' })).rejects.toThrow(/no Backup velero\/zz; backups: a, b, c/);
  });

  it('needs exactly one namespace, and a backup holding it', async () => {
    const c = await cluster();
    await expect(run(restoreCommandWith(deps(lab)), c.kubeconfig, {})).rejects.toThrow(/--namespace: expected exactly one namespace to restore/);
    await expect(run(restoreCommandWith(deps(lab)), c.kubeconfig, { namespace: 'team-a' })).rejects.toThrow(/no completed backup holds namespace team-a; run `plinth backup --namespace team-a` first/);
  });

  it('both are listed by plinth --help', async () => {
    const cap = capture();
    await main(['--help'], cap.io);
    expect(cap.out()).toMatch(/\n  backup +\S/);
    expect(cap.out()).toMatch(/\n  restore +\S/);
  });
});
