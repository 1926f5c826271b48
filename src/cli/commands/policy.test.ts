import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toYaml, toYamlStream } from '../../lib/yaml.js';
import type { K8sObject } from '../../model/k8s.js';
import { pod, vpol } from '../../policy/test-helpers.js';
import { main } from '../main.js';

function io(cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { cwd, env: {}, stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => err.push(t) } }, out: () => out.join(''), err: () => err.join('') };
}

const policy = vpol('no-bad', { validations: [{ expression: "object.metadata.name != 'bad'", message: 'bad' }] });
const exception = (namespace: string): K8sObject => ({
  apiVersion: 'policies.kyverno.io/v1',
  kind: 'PolicyException',
  metadata: { name: 'let-bad', namespace },
  spec: { policyRefs: [{ kind: 'ValidatingPolicy', name: 'no-bad' }], matchConditions: [{ name: 'bad', expression: "object.metadata.name == 'bad'" }], expiresAt: '2026-01-01T00:00:00Z' },
});

async function suite(exceptionNamespace: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'plinth-policy-cli-'));
  await writeFile(join(dir, 'policy.yaml'), toYamlStream([policy, exception(exceptionNamespace)]));
  await writeFile(join(dir, 'resources.yaml'), toYaml(pod('bad')));
  const results = [{ policy: 'no-bad', kind: 'Pod', resources: ['bad'], result: 'skip' }];
  await writeFile(join(dir, 'kyverno-test.yaml'), toYaml({ apiVersion: 'cli.kyverno.io/v1alpha1', kind: 'Test', metadata: { name: 'demo' }, policies: ['policy.yaml'], resources: ['resources.yaml'], results }));
  return dir;
}

const evalArgs = ['policy', 'eval', '--policy', 'policy.yaml', '--resource', 'resources.yaml'];

describe('plinth policy eval and test: which PolicyExceptions count', () => {
  it('an expired exception does not except (--now, default the current time)', async () => {
    const dir = await suite('kyverno');
    const before = io(dir);
    expect(await main([...evalArgs, '--now', '2025-12-31T00:00:00Z'], before.io)).toBe(0);
    expect(before.out()).toMatch(/skip\s+Audit\s+no-bad\/exception\s+Pod\/team-a\/bad\s+skipped by policy exception kyverno\/let-bad/);
    const after = io(dir);
    await main([...evalArgs, '--now', '2026-01-02T00:00:00Z'], after.io);
    expect(after.out()).toMatch(/fail\s+Audit\s+no-bad\s+Pod\/team-a\/bad\s+bad/);
    // without --now the exception, expired since 2026-01-01, counts only if the clock says so
    const today = io(dir);
    await main(evalArgs, today.io);
    expect(today.out()).toContain(Date.now() >= Date.parse('2026-01-01T00:00:00Z') ? 'fail ' : 'skip ');

    const test = io(dir);
    expect(await main(['policy', 'test', '.', '--now', '2026-01-02T00:00:00Z'], test.io)).toBe(1);
    expect(test.out()).toContain('FAIL  no-bad  Pod/team-a/bad  expected skip, got fail');
  });

  it('an exception outside --exception-namespace does not except', async () => {
    const dir = await suite('team-a');
    const now = ['--now', '2025-06-01T00:00:00Z'];
    const anywhere = io(dir);
    expect(await main(['policy', 'test', '.', ...now], anywhere.io)).toBe(0);
    const scoped = io(dir);
    expect(await main(['policy', 'test', '.', ...now, '--exception-namespace', 'kyverno'], scoped.io)).toBe(1);
    expect(scoped.out()).toContain('expected skip, got fail');
    const evaluated = io(dir);
    await main([...evalArgs, ...now, '--exception-namespace', 'kyverno'], evaluated.io);
    expect(evaluated.out()).toMatch(/fail\s+Audit\s+no-bad/);
  });

  it('refuses a --now that is not an RFC 3339 instant', async () => {
    const dir = await suite('kyverno');
    const t = io(dir);
    expect(await main([...evalArgs, '--now', 'tomorrow'], t.io)).toBe(2);
    expect(t.err()).toContain('--now: expected an RFC 3339 instant');
  });
});
