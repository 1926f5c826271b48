import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ChartCacheError, UsageError } from '../../lib/errors.js';
import type { K8sObject } from '../../model/k8s.js';
import { edgePlatform, seedUnits } from '../../planner/test-fixtures.js';
import type { CliIO } from '../io.js';
import { makeSimulateCommand, type SimulateDeps } from './simulate.js';

const state = { platform: edgePlatform(), units: seedUnits(), graph: new Map() };
const cwd = mkdtempSync(join(tmpdir(), 'plinth-simulate-'));

function io(): CliIO & { out: string; err: string } {
  const o = { cwd, env: {}, out: '', err: '' } as CliIO & { out: string; err: string };
  o.stdout = { write: (t: string) => (o.out += t) };
  o.stderr = { write: (t: string) => (o.err += t) };
  return o;
}

const offline: SimulateDeps = {
  desired: () => state,
  render: () => Promise.reject(new ChartCacheError('chart argo-cd 10.1.1 is not in the chart cache')),
};

async function run(args: Record<string, string | boolean | string[]>, deps: SimulateDeps = offline) {
  const cli = io();
  const code = await makeSimulateCommand(deps).run!(cli, { values: args, positionals: [] });
  return { code, out: cli.out, err: cli.err };
}

describe('plinth simulate', () => {
  it('falls back to the declared budgets when the charts cannot be rendered, and says why', async () => {
    const r = await run({ scenario: 'red' });
    expect(r.code).toBe(0);
    expect(r.err).toContain('Charts not rendered (chart argo-cd 10.1.1 is not in the chart cache); simulating with the budgets the components declare.');
    expect(r.out).toMatch(/^Scheduling simulation: 1 scenario, pods from the budgets the components declare/);
    expect(r.out).toContain('Scenario red (red): all workers lost (k3s-agent-0, k3s-agent-1)');
  });

  it('uses the rendered charts when it can', async () => {
    const deployment: K8sObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'web' },
      spec: { replicas: 2, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', resources: { requests: { cpu: '100m', memory: '64Mi' } } }] } } },
    };
    const r = await run({ scenario: 'green', format: 'json' }, { desired: () => state, render: async () => [{ unit: seedUnits()[0]!, chartObjects: [deployment], glue: [] }] });
    const report = JSON.parse(r.out);
    expect(report.source).toBe('rendered');
    expect(report.scenarios[0].nodes.flatMap((n: { pods: { name: string }[] }) => n.pods.map((p) => p.name)).sort()).toEqual(['web-0', 'web-1']);
  });

  it('runs every scenario by default; --fail adds one; --offline never renders', async () => {
    const never: SimulateDeps = { desired: () => state, render: () => Promise.reject(new Error('must not render')) };
    const all = JSON.parse((await run({ format: 'json', offline: true }, never)).out);
    expect(all.scenarios.map((s: { name: string }) => s.name)).toEqual(['green', 'lost:k3s-server-0', 'lost:k3s-agent-0', 'lost:k3s-agent-1', 'red', 'black']);
    const failed = JSON.parse((await run({ format: 'json', offline: true, fail: ['k3s-server-0,k3s-agent-1'] }, never)).out);
    expect(failed.scenarios.map((s: { name: string; kind: string }) => [s.name, s.kind])).toEqual([
      ['green', 'green'],
      ['lost:k3s-server-0,k3s-agent-1', 'other'],
    ]);
    const yellow = JSON.parse((await run({ format: 'json', offline: true, scenario: 'yellow' }, never)).out);
    expect(yellow.scenarios.map((s: { name: string }) => s.name)).toEqual(['lost:k3s-agent-0', 'lost:k3s-agent-1']);
  });

  it('draws one SVG picture', async () => {
    const r = await run({ format: 'svg', scenario: 'k3s-agent-0', offline: true });
    expect(r.out.startsWith('<svg ')).toBe(true);
    expect(r.out).toContain('>lost:k3s-agent-0 — k3s-agent-0 lost</text>');
  });

  it('refuses unknown formats, scenarios and nodes with a usage error', async () => {
    await expect(run({ format: 'html', offline: true })).rejects.toThrow(new UsageError('--format: got "html"; expected one of: text, json, svg'));
    await expect(run({ scenario: 'redd', offline: true })).rejects.toThrow(/--scenario: got "redd"; expected .*\(did you mean "red"\?\)/);
    await expect(run({ fail: ['k3s-agent-9'], offline: true })).rejects.toThrow('no node named "k3s-agent-9"; nodes: k3s-server-0, k3s-agent-0, k3s-agent-1 (did you mean "k3s-agent-0"?)');
  });
});
