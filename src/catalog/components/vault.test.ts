import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/load.js';
import { starterConfig } from '../../config/starter.js';
import { getIn } from '../../lib/values.js';
import { resolvePlatform } from '../../desired/resolve.js';
import { buildUnit, componentContext } from '../../desired/units.js';
import { certManager } from './cert-manager.js';
import { reloaderScript, vault, VAULT_TLS_SECRET } from './vault.js';

const CATALOG = [certManager, vault];

function unitFor(monitored: boolean) {
  const platform = resolvePlatform(parseConfig(starterConfig(), 'plinth.yaml'), CATALOG);
  return buildUnit(vault, { ...componentContext(platform, CATALOG), enabled: () => monitored });
}

describe('vault', () => {
  it('runs raft in HA mode with one replica, without the injector nor a disruption budget that would block drains', () => {
    const u = unitFor(false);
    expect(u.values).toMatchObject({
      injector: { enabled: false },
      server: { ha: { enabled: true, replicas: 1, raft: { enabled: true }, disruptionBudget: { enabled: false } }, dataStorage: { size: '2Gi' } },
    });
    expect(u.workloads).toMatchObject([{ kind: 'StatefulSet', name: 'vault', replicas: 1, tier: 2 }]);
  });

  it('serves TLS with a platform-CA certificate valid for its Services and raft peers', () => {
    const u = unitFor(false);
    const cert = u.manifests.find((m) => m.kind === 'Certificate')!;
    expect(cert.metadata).toEqual({ name: 'vault-tls', namespace: 'vault' });
    const spec = cert.spec as { secretName: string; dnsNames: string[]; ipAddresses: string[]; issuerRef: { kind: string; name: string } };
    expect(spec.secretName).toBe(VAULT_TLS_SECRET);
    expect(spec.issuerRef).toMatchObject({ kind: 'ClusterIssuer', name: 'plinth-ca' });
    // The address External Secrets uses, and the raft leader address of the config.
    expect(spec.dnsNames).toEqual(expect.arrayContaining(['vault.vault.svc', 'vault-active.vault.svc', '*.vault-internal']));
    expect(spec.ipAddresses).toEqual(['127.0.0.1']);
    const config = getIn(u.values, 'server.ha.raft.config') as string;
    expect(config).toContain('tls_cert_file = "/vault/userconfig/vault-tls/tls.crt"');
    expect(config).not.toContain('tls_disable');
    expect(getIn(u.values, 'server.extraVolumes')).toEqual([{ type: 'secret', name: VAULT_TLS_SECRET }]);
    expect(getIn(u.values, 'global.tlsDisable')).toBe(false);
  });

  it('exposes unauthenticated metrics and a ServiceMonitor verifying the CA only with kube-prometheus-stack', () => {
    const off = unitFor(false);
    expect(getIn(off.values, 'server.ha.raft.config')).not.toContain('unauthenticated_metrics_access');
    expect(getIn(off.values, 'serverTelemetry.serviceMonitor.enabled')).toBe(false);
    expect(off.usesGroups).toEqual([]);
    const on = unitFor(true);
    expect(getIn(on.values, 'server.ha.raft.config')).toContain('unauthenticated_metrics_access = true');
    expect(getIn(on.values, 'serverTelemetry.serviceMonitor')).toMatchObject({ enabled: true, tlsConfig: { ca: { secret: { name: VAULT_TLS_SECRET, key: 'ca.crt' } } } });
    expect(on.usesGroups).toEqual(['monitoring.coreos.com']);
  });

  it('has no endpoint: the Gateway cannot trust Vault\'s certificate without a CA ConfigMap', () => {
    expect(unitFor(false).endpoints).toEqual([]);
  });

  it('reloads a renewed certificate without a restart: a SIGHUP sidecar in a shared process namespace', () => {
    const u = unitFor(false);
    expect(getIn(u.values, 'server.shareProcessNamespace')).toBe(true);
    const [sidecar] = getIn(u.values, 'server.extraContainers') as Record<string, any>[];
    expect(sidecar!.name).toBe('tls-reloader');
    // The same image as the server, as Vault's own user, with no capabilities.
    expect(sidecar!.image).toBe(`${getIn(u.values, 'server.image.repository')}:${getIn(u.values, 'server.image.tag')}`);
    expect(sidecar!.securityContext).toMatchObject({ runAsUser: 100, runAsNonRoot: true, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true });
    expect(sidecar!.command.join(' ')).toMatch(/pkill -HUP -f "\^vault server"/);
    expect(sidecar!.volumeMounts).toEqual([{ name: `userconfig-${VAULT_TLS_SECRET}`, mountPath: `/vault/userconfig/${VAULT_TLS_SECRET}`, readOnly: true }]);
    expect(sidecar!.resources).toEqual({ requests: { cpu: '5m', memory: '8Mi' }, limits: { cpu: '50m', memory: '32Mi' } });
    expect(u.reloadsCertificates).toEqual([{ secret: VAULT_TLS_SECRET, how: expect.stringContaining('SIGHUP') }]);
  });

  it('the reloader signals the server process, at start and when the files change, and nothing else', async () => {
    const { mkdtemp, writeFile, readFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { spawn } = await import('node:child_process');
    const dir = await mkdtemp(join(tmpdir(), 'plinth-reloader-'));
    await writeFile(join(dir, 'tls.crt'), 'cert-1');
    await writeFile(join(dir, 'tls.key'), 'key-1');
    // A stand-in for Vault: a process whose command line reads `vault server ...`, counting SIGHUPs; and one like the probe's `vault status`.
    const fake = (title: string, log: string) =>
      spawn('perl', ['-e', `$0 = "${title}"; $SIG{HUP} = sub { open(my $f, ">>", "${log}"); print $f "HUP\n"; close $f }; sleep 1 while 1;`], { stdio: 'ignore' });
    const server = fake('vault server -config=/tmp/x.hcl', join(dir, 'server.log'));
    const probe = fake('vault status -tls-skip-verify', join(dir, 'probe.log'));
    const reloader = spawn('sh', ['-c', reloaderScript(dir, 1)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const hups = async (f: string) => (await readFile(join(dir, f), 'utf8').catch(() => '')).split('\n').filter(Boolean).length;
    const until = async (cond: () => Promise<boolean>) => {
      for (let i = 0; i < 100 && !(await cond()); i++) await new Promise((r) => setTimeout(r, 100));
    };
    try {
      await until(async () => (await hups('server.log')) >= 1);
      expect(await hups('server.log')).toBe(1);
      await writeFile(join(dir, 'tls.crt'), 'cert-2');
      await until(async () => (await hups('server.log')) >= 2);
      expect(await hups('server.log')).toBe(2);
      expect(await hups('probe.log')).toBe(0);
    } finally {
      for (const p of [reloader, server, probe]) p.kill('SIGKILL');
    }
  }, 30_000);
});
