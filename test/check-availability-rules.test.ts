/**
 * The availability rules of the standard profile (seed 003), each shown by a
 * seeded fault a platform engineer could really make in plinth.yaml: the
 * finding's checker, object, path and message, the same in the text, JSON and
 * SARIF outputs; and the built-in standard platform passes them all.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../src/checks/finding.js';
import { checkPlatform } from '../src/checks/platform.js';
import { parseConfig } from '../src/config/load.js';
import { starterConfig } from '../src/config/starter.js';
import { RenderCache } from '../src/helm/index.js';
import { helmSetup, type HelmSetup } from './support/charts.js';
import { expectFindingInEveryFormat, type ExpectedFinding } from './support/formats.js';
import { runCli, tempDir } from './support/cli.js';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

let setup: HelmSetup;
const renderCache = new RenderCache();
beforeAll(async () => {
  setup = await helmSetup();
});

const standard = starterConfig('standard');
const withComponents = (yaml: string) => standard.replace('components: {}', yaml);

async function check(config = standard) {
  return checkPlatform(parseConfig(config, 'plinth.yaml'), { helm: setup.helm, cache: setup.cache, renderCache });
}

async function expectInEveryFormat(config: string, expected: ExpectedFinding): Promise<Finding> {
  return expectFindingInEveryFormat(await check(config), expected);
}

describe('availability rules of the standard profile, each shown by a seeded fault', () => {
  it('quorum: two Vault replicas', async () => {
    await expectInEveryFormat(withComponents('components:\n  vault:\n    values:\n      server:\n        ha:\n          replicas: 2'), {
      check: 'availability',
      severity: 'error',
      object: { apiVersion: 'apps/v1', kind: 'StatefulSet', namespace: 'vault', name: 'vault' },
      source: { component: 'vault' },
      path: 'spec.replicas',
      message: /^the Vault raft quorum has 2 members: a majority of 2 survives no member lost; a quorum needs an odd number, at least 3$/,
    });
  });

  it('quorum: Ceph MONs that can land on one node', async () => {
    const config = withComponents('components:\n  rook-ceph-cluster:\n    values:\n      cephClusterSpec:\n        mon:\n          allowMultiplePerNode: true\n        placement:\n          mon:\n            podAntiAffinity: null');
    await expectInEveryFormat(config, {
      check: 'availability',
      severity: 'error',
      object: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'rook-ceph', name: 'rook-ceph-mon-a' },
      source: { component: 'rook-ceph-cluster' },
      path: 'spec.template.spec.affinity.podAntiAffinity',
      message: /^members of the Ceph MON quorum can land on one node: Deployment rook-ceph-mon-a does not require anti-affinity on kubernetes\.io\/hostname against the other members, so one node loss can take 2 of 3 and the quorum with them$/,
    });
  });

  it('budgets: a PodDisruptionBudget with maxUnavailable 0 blocks every drain', async () => {
    const config = withComponents('components:\n  cert-manager:\n    values:\n      webhook:\n        podDisruptionBudget:\n          minAvailable: null\n          maxUnavailable: 0');
    await expectInEveryFormat(config, {
      check: 'availability',
      severity: 'error',
      object: { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', namespace: 'cert-manager', name: 'cert-manager-webhook' },
      source: { component: 'cert-manager' },
      path: 'spec.maxUnavailable',
      message: /^PodDisruptionBudget cert-manager-webhook allows no disruption of Deployment cert-manager-webhook \(maxUnavailable 0 of 2 pods\): draining any node that runs one of them blocks for ever$/,
    });
  });

  it('dedicated pools: a pod other than Kong that could schedule onto the gateway nodes', async () => {
    const config = withComponents('components:\n  kube-prometheus-stack:\n    values:\n      grafana:\n        tolerations:\n          - operator: Exists\n        affinity: null');
    const f = await expectInEveryFormat(config, {
      check: 'availability',
      severity: 'error',
      object: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'observability', name: 'kube-prometheus-stack-grafana' },
      source: { component: 'kube-prometheus-stack' },
      path: 'spec.template.spec.tolerations',
      message: /^Deployment kube-prometheus-stack-grafana of kube-prometheus-stack can schedule onto the dedicated gateway pool \(gw-0, gw-1, gw-2\): it tolerates \{node\.kong\.gateway: true\}/,
    });
    expect(f.hint).toContain('drop the toleration');
  });

  it('storage: a volume that names no storage class on a Ceph platform', async () => {
    await expectInEveryFormat(withComponents('components:\n  loki:\n    values:\n      singleBinary:\n        persistence:\n          storageClass: null'), {
      check: 'availability',
      severity: 'error',
      object: { apiVersion: 'apps/v1', kind: 'StatefulSet', namespace: 'observability', name: 'loki' },
      path: 'spec.volumeClaimTemplates',
      message: /^StatefulSet loki mounts claim storage of no storage class \(the cluster default: local-path on k3s\); storage\.class is rook-ceph, whose class is rook-ceph-block$/,
    });
  });

  it('the built-in standard platform passes every availability rule, with no error or warning of any checker', async () => {
    const { report, footprint } = await check();
    expect(report.findings.filter((f) => f.check === 'availability')).toEqual([]);
    expect(report.findings.filter((f) => f.severity !== 'info').map((f) => `${f.check}: ${f.message}`)).toEqual([]);
    expect(footprint?.map((r) => [r.pool, r.nodes])).toEqual([
      ['control-plane', 3],
      ['gateway', 3],
      ['storage', 3],
      ['workers', 3],
    ]);
  });

  it('exits 1 from the command line on a seeded error, with the finding in the SARIF output', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'plinth.yaml'), withComponents('components:\n  vault:\n    values:\n      server:\n        ha:\n          replicas: 2'));
    const run = await runCli(['check', '--format', 'sarif'], dir);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).runs[0].results).toContainEqual(expect.objectContaining({ ruleId: 'availability', level: 'error', message: { text: expect.stringContaining('the Vault raft quorum has 2 members') } }));
  });
});
