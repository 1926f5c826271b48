/** Vault bootstrap through the API server's pod proxy, against the Vault test double. */
import { rmSync } from 'node:fs';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { afterEach, describe, expect, it } from 'vitest';
import { vaultCommandWith } from '../../src/cli/commands/vault.js';
import { DEFAULT_DEPS } from '../../src/ops/session.js';
import { bootstrapVault } from '../../src/ops/vault/bootstrap.js';
import { defaultKeysFile, resolveKeysFile } from '../../src/ops/vault/keys-file.js';
import { loadedTestConfig, testState } from './fixtures.js';
import { capture, startCluster, type TestCluster, testOps, up, vaultPod } from './harness.js';

let cluster: TestCluster | undefined;
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

const ENABLE = ['vault', 'external-secrets', 'dashboards'];

/** Every secret value the Vault double handed out or holds. */
function secretsOf(c: TestCluster): string[] {
  return [...c.vault.unsealKeys(), c.vault.rootToken, ...[...c.vault.kv.values()].flatMap((e) => Object.values(e.data))].filter((v) => v.length >= 6);
}

describe('Vault bootstrap during plinth up', () => {
  it('initialises, writes the keys only to a 0600 file, unseals, configures auth and creates the platform secrets', async () => {
    const state = testState(ENABLE);
    cluster = await startCluster(state);
    const { cap } = await up(cluster, state);
    const { vault } = cluster;
    const keysFile = join(cluster.dir, 'keys', 'vault-keys.json');

    expect(vault.initialized).toBe(true);
    expect(vault.sealed.get('vault-0')).toBe(false);
    expect((await stat(keysFile)).mode & 0o777).toBe(0o600);
    expect((await stat(join(cluster.dir, 'keys'))).mode & 0o777).toBe(0o700);
    const saved = JSON.parse(await readFile(keysFile, 'utf8')) as { unsealKeys: string[]; rootToken: string; threshold: number };
    expect(saved.unsealKeys).toEqual(vault.unsealKeys());
    expect(saved.rootToken).toBe(vault.rootToken);
    expect(saved.threshold).toBe(3);

    expect(vault.mounts.get('secret/')).toEqual({ type: 'kv', options: { version: '2' } });
    expect(vault.auth.get('kubernetes/')).toEqual({ type: 'kubernetes' });
    expect(vault.authConfig.get('kubernetes')).toEqual({ kubernetes_host: 'https://kubernetes.default.svc:443' });
    expect(vault.roles.get('kubernetes/external-secrets')).toEqual({
      bound_service_account_names: ['external-secrets'],
      bound_service_account_namespaces: ['external-secrets'],
      token_policies: ['external-secrets'],
      token_ttl: 3600,
    });
    expect(vault.policies.get('external-secrets')).toContain('path "secret/data/*"');

    const argocd = vault.kv.get('secret/platform/argocd')!.data;
    expect(argocd['admin-password']).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(bcrypt.compareSync(argocd['admin-password']!, argocd['admin-password-bcrypt']!)).toBe(true);
    expect(vault.kv.get('secret/platform/grafana')!.data).toMatchObject({ 'admin-user': 'admin' });

    // Through the API server's proxy to the pod, over TLS (the unit turns TLS on).
    expect(cluster.double.proxyCalls.every((c) => c.target === 'vault/pod/vault-0:8200' && c.scheme === 'https')).toBe(true);

    const out = cap.all();
    expect(out).toContain('Vault vault/vault-0: initialised (5 key shares, 3 unseal)');
    expect(out).toContain('Vault: secret/platform/argocd: generated admin-password, admin-password-bcrypt (argocd)');
    expect(out).toContain('Vault: secret/platform/grafana: generated admin-password; set admin-user to its fixed value (dashboards)');
    expect(out).toContain(`warning: Vault's unseal keys and root token are in ${keysFile} (mode 0600), and nowhere else.`);
    expect(out).toContain('Move them to safe storage');
    for (const s of secretsOf(cluster)) expect(out).not.toContain(s);
  });

  it('re-running only unseals: no second init, existing secrets kept, missing keys added', async () => {
    const state = testState(ENABLE);
    cluster = await startCluster(state);
    await up(cluster, state);
    const { vault } = cluster;
    const before = JSON.stringify([...vault.kv.entries()]);
    const rootToken = vault.rootToken;

    vault.restart('vault-0');
    const { cap } = await up(cluster, state);
    expect(vault.rootToken).toBe(rootToken);
    expect(vault.sealed.get('vault-0')).toBe(false);
    expect(JSON.stringify([...vault.kv.entries()])).toBe(before);
    expect(cap.out()).toContain('Vault vault/vault-0: unsealed');
    expect(cap.out()).not.toContain('initialised');
    expect(vault.calls.filter((c) => c.startsWith('PUT sys/init'))).toHaveLength(1);

    // A key someone removed comes back; the other one is kept as it was.
    const grafana = vault.kv.get('secret/platform/grafana')!;
    const password = grafana.data['admin-password'];
    vault.kv.set('secret/platform/grafana', { version: grafana.version, data: { 'admin-password': password! } });
    await up(cluster, state);
    expect(vault.kv.get('secret/platform/grafana')).toEqual({ version: grafana.version + 1, data: { 'admin-password': password, 'admin-user': 'admin' } });
  });

  it('refuses to guess when Vault is sealed and the keys file is missing', async () => {
    const state = testState(ENABLE);
    cluster = await startCluster(state);
    await up(cluster, state);
    cluster.vault.restart('vault-0');
    const cap = capture();
    await expect(bootstrapVault(testOps(cluster.client, cap), state, { keysFile: join(cluster.dir, 'elsewhere.json'), waitMs: 1000 })).rejects.toThrow(
      /Vault vault\/vault-0 is sealed and there are no unseal keys in .*elsewhere\.json; run `plinth vault unseal --vault-keys FILE`/,
    );
  });

  it('takes the keys file first: where it cannot be written, Vault is not initialised and nothing is lost', async () => {
    const state = testState(ENABLE);
    cluster = await startCluster(state);
    await writeFile(join(cluster.dir, 'not-a-folder'), '');
    const unwritable = join(cluster.dir, 'not-a-folder', 'keys', 'vault-keys.json');
    const err = await up(cluster, state, { vaultKeysFile: unwritable }).catch((e: Error) => e);
    expect((err as Error).message).toBe(
      `cannot write Vault's keys file ${unwritable} (ENOTDIR); Vault was not initialised. Choose a writable place outside the repository with --vault-keys FILE or bootstrap.vaultKeysFile in plinth.yaml`,
    );
    expect(cluster.vault.initialized).toBe(false);
    expect(cluster.vault.calls).not.toContain('PUT sys/init');
    // With a writable place the next run initialises, and leaves no partial file behind.
    await up(cluster, state);
    expect(cluster.vault.initialized).toBe(true);
    expect(await readdir(join(cluster.dir, 'keys'))).toEqual(['vault-keys.json']);
  });

  it('writes the keys to a 0600 fallback file, and says so loudly, when the file cannot be written after Vault was initialised', async () => {
    const state = testState(ENABLE);
    cluster = await startCluster(state);
    const c = cluster;
    c.double.put(vaultPod('vault'));
    const keysDir = join(c.dir, 'keys');
    const fallback = join(c.dir, 'fallback');
    await mkdir(fallback);
    // The folder goes away between taking the place and writing the keys (a removable disk, a cleanup job).
    c.vault.onInit = () => rmSync(keysDir, { recursive: true, force: true });
    const cap = capture();
    await bootstrapVault(testOps(c.client, cap), state, { keysFile: join(keysDir, 'vault-keys.json'), waitMs: 2000, fallbackDirs: [join(c.dir, 'missing'), fallback] });
    expect(c.vault.initialized).toBe(true);
    expect(c.vault.sealed.get('vault-0')).toBe(false);
    const [saved] = await readdir(fallback);
    expect(saved).toMatch(/^plinth-vault-keys-test-edge-\d+\.json$/);
    const file = join(fallback, saved!);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ unsealKeys: c.vault.unsealKeys(), rootToken: c.vault.rootToken });
    expect(cap.err()).toContain(`warning: COULD NOT WRITE ${join(keysDir, 'vault-keys.json')} (`);
    expect(cap.err()).toContain(`Vault's unseal keys and root token are in ${file} INSTEAD, and nowhere else.`);
    for (const s of secretsOf(c)) expect(cap.all()).not.toContain(s);
  });

  it('asks again, with backoff, while the pod does not listen yet and while a fresh KV v2 mount upgrades', async () => {
    const state = testState(ENABLE);
    cluster = await startCluster(state);
    cluster.vault.unreachable = 3;
    cluster.vault.kvUpgradeRefusals = 2;
    const { cap } = await up(cluster, state);
    expect(cluster.vault.refused).toEqual(['GET sys/init', 'GET sys/init', 'GET sys/init', 'GET secret/data/platform/argocd', 'GET secret/data/platform/argocd']);
    expect(cluster.vault.initialized).toBe(true);
    expect(cluster.vault.kv.get('secret/platform/grafana')!.data).toMatchObject({ 'admin-user': 'admin' });
    expect(cap.out()).toContain('every component is Synced and Healthy');
  });

  it('gives up after a bounded number of attempts, saying why', async () => {
    const state = testState(ENABLE);
    cluster = await startCluster(state);
    cluster.double.put(vaultPod('vault'));
    cluster.vault.unreachable = 1000;
    const err = await bootstrapVault(testOps(cluster.client, capture()), state, { keysFile: join(cluster.dir, 'keys.json'), waitMs: 1000 }).catch((e: Error) => e);
    expect((err as Error).message).toBe(
      'Vault vault/vault-0: reading the init status failed: error trying to reach service: dial tcp 10.42.1.7:8200: connect: connection refused (the Vault pod does not accept connections yet, still after retrying)',
    );
    expect(cluster.vault.refused).toHaveLength(8);
    expect(cluster.vault.initialized).toBe(false);
  });

  it('keeps an older keys file instead of overwriting it', async () => {
    const state = testState(ENABLE);
    cluster = await startCluster(state);
    const keysFile = join(cluster.dir, 'keys', 'vault-keys.json');
    await mkdir(join(cluster.dir, 'keys'), { recursive: true });
    await writeFile(keysFile, '{"old": true}', { mode: 0o600 });
    const { cap } = await up(cluster, state);
    expect(await readFile(`${keysFile}.1.previous`, 'utf8')).toBe('{"old": true}');
    expect(cap.err()).toContain(`an older keys file was kept as ${keysFile}.1.previous`);
  });
});

describe('plinth vault unseal', () => {
  it('unseals the restarted pods with the keys file, printing no key', async () => {
    const state = testState(ENABLE);
    cluster = await startCluster(state);
    await up(cluster, state);
    cluster.vault.restart('vault-0');
    const command = vaultCommandWith({ ...DEFAULT_DEPS, desired: () => state, pollMs: 10 }).subcommands![0]!;
    const cap = capture({}, cluster.dir);
    const code = await command.run!(cap.io, { values: { kubeconfig: cluster.kubeconfig, 'vault-keys': join(cluster.dir, 'keys', 'vault-keys.json') }, positionals: [] });
    expect(code).toBe(0);
    expect(cluster.vault.sealed.get('vault-0')).toBe(false);
    expect(cap.out()).toContain('Vault: unsealed 1 of 1 server pod.');
    for (const s of secretsOf(cluster)) expect(cap.all()).not.toContain(s);
    const again = capture({}, cluster.dir);
    await command.run!(again.io, { values: { kubeconfig: cluster.kubeconfig, 'vault-keys': join(cluster.dir, 'keys', 'vault-keys.json') }, positionals: [] });
    expect(again.out()).toContain('Vault: 1 server pod, none sealed.');
  });
});

describe('the keys file location', () => {
  it('is the flag, else bootstrap.vaultKeysFile, else the user config folder outside the repository', () => {
    const env = { HOME: '/home/ops' };
    const config = loadedTestConfig().config;
    expect(resolveKeysFile({ config, cluster: 'edge', env, cwd: '/repo' })).toBe('/home/ops/.config/plinth/edge/vault-keys.json');
    expect(defaultKeysFile('edge', { XDG_CONFIG_HOME: '/xdg' })).toBe('/xdg/plinth/edge/vault-keys.json');
    expect(resolveKeysFile({ flag: 'keys.json', config, cluster: 'edge', env, cwd: '/secure' })).toBe('/secure/keys.json');
    expect(resolveKeysFile({ config: { ...config, bootstrap: { vaultKeysFile: '~/vault/edge.json' } }, cluster: 'edge', env, cwd: '/repo' })).toBe('/home/ops/vault/edge.json');
  });
});
