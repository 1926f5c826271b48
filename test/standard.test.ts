/**
 * The standard profile (seed 003) end to end, offline: the generated
 * repository keeps the tunnel token out of Git, and `plinth init`, `plan`,
 * `check` and `simulate` on the starter it writes. Its golden files (every
 * file plan writes) are pinned by test/golden.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseConfig } from '../src/config/load.js';
import { starterConfig } from '../src/config/starter.js';
import { desiredState } from '../src/desired/index.js';
import { synthesize } from '../src/synth/index.js';
import { runCli, tempDir } from './support/cli.js';

const files = synthesize(desiredState(parseConfig(starterConfig('standard'), 'plinth.yaml')));

describe('the generated repository of the standard platform', () => {
  it('has no secret value: the tunnel token comes from Vault', () => {
    const tunnel = [...files].filter(([p]) => p.startsWith('platform/networking/cloudflare-tunnel/')).map(([, t]) => t).join('\n');
    expect(tunnel).toContain('kind: ExternalSecret');
    expect(tunnel).toContain('key: platform/cloudflare-tunnel');
    expect(tunnel).not.toMatch(/TUNNEL_TOKEN\s*\n\s*value:/);
  });
});

describe('the standard starter on the command line', () => {
  it('init writes it; plan and check exit 0; simulate shows every single-node loss survived and what a pool costs', async () => {
    const dir = await tempDir();
    expect(await runCli(['init', '--profile', 'standard'], dir)).toMatchObject({ code: 0 });
    expect(await readFile(join(dir, 'plinth.yaml'), 'utf8')).toBe(starterConfig('standard'));

    const plan = await runCli(['plan'], dir);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(/^gateway\s+3\s+9\s/m);
    expect(plan.stdout).toMatch(/^storage\s+3\s+20\s/m);

    const check = await runCli(['check'], dir);
    expect(check.stderr).toBe('');
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/^availability\s+0\s+0\s+0$/m);
    expect(check.stdout).toContain('pool:storage (pool storage lost (ceph-0, ceph-1, ceph-2)) costs down:');

    const simulate = await runCli(['simulate', '--scenario', 'all'], dir);
    expect(simulate.code).toBe(0);
    const summary = simulate.stdout.slice(simulate.stdout.indexOf('Summary:'));
    const row = (name: string) => summary.split('\n').find((l) => l.startsWith(`${name} `))!.trim().split(/\s{2,}/);
    for (const node of ['cp-0', 'cp-1', 'cp-2', 'gw-0', 'gw-1', 'gw-2', 'ceph-0', 'ceph-1', 'ceph-2', 'worker-0', 'worker-1', 'worker-2']) {
      const [, t0, t1, t2, , quorums] = row(`lost:${node}`);
      for (const v of [t0, t1, t2]) expect(['ok', 'degraded'], `lost:${node}`).toContain(v);
      expect(quorums).toBe('all hold');
    }
    for (const zone of ['zone-a', 'zone-b', 'zone-c']) expect(row(`zone:${zone}`).slice(1)).toEqual(['degraded', 'degraded', 'degraded', 'ok', 'all hold']);
    expect(row('pool:gateway').slice(1)).toEqual(['ok', 'down', 'ok', 'ok', 'all hold']);
    expect(row('pool:storage').slice(1)).toEqual(['down', 'down', 'down', 'ok', 'lost: Ceph MON quorum, Ceph OSD data, Vault raft quorum']);
    expect(row('pool:control-plane').slice(-1)).toEqual(['lost: etcd quorum (Kubernetes API)']);
    // Ceph's CSI node plugin tolerates no taint: with the workers gone, Prometheus lands on the control plane and cannot mount its volume.
    expect(simulate.stdout).toMatch(/prometheus-kube-prometheus-stack-prometheus-\d +cp-\d +its rook-ceph-block volume cannot be mounted on cp-\d/);
  }, 240_000);
});
