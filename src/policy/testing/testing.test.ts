import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { toYaml, toYamlStream } from '../../lib/yaml.js';
import { pod, vpol } from '../test-helpers.js';
import { parseKyvernoTest } from './manifest.js';

function io(cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { cwd, env: {}, stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => err.push(t) } }, out: () => out.join(''), err: () => err.join('') };
}

const policy = vpol('no-bad', { validations: [{ expression: "object.metadata.name != 'bad'", message: 'bad' }] });
const pods = [pod('good'), pod('bad')];

async function suite(results: unknown[], extra: Record<string, unknown> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'plinth-policy-'));
  await writeFile(join(dir, 'policy.yaml'), toYaml(policy));
  await writeFile(join(dir, 'resources.yaml'), toYamlStream(pods));
  await writeFile(join(dir, 'kyverno-test.yaml'), toYaml({ apiVersion: 'cli.kyverno.io/v1alpha1', kind: 'Test', metadata: { name: 'demo' }, policies: ['policy.yaml'], resources: ['resources.yaml'], results, ...extra }));
  return dir;
}

describe('kyverno-test.yaml manifests', () => {
  it('reports every problem of a manifest with its path', () => {
    expect(() => parseKyvernoTest({ kind: 'Test', policies: [], results: [{ policy: 'p', result: 'maybe', resources: [] }] }, 'kyverno-test.yaml')).toThrow(
      /results\[0\]\.kind.*results\[0\]\.result: expected one of pass, fail, warn, error, skip.*results\[0\]\.resources.*policies/s,
    );
  });
});

describe('plinth policy test', () => {
  it('prints pass/fail per expectation, a final count, and exits 0 when all pass', async () => {
    const dir = await suite([
      { policy: 'no-bad', isValidatingPolicy: true, kind: 'Pod', resources: ['good'], result: 'pass' },
      { policy: 'no-bad', isValidatingPolicy: true, kind: 'Pod', resources: ['team-a/bad'], result: 'fail' },
    ]);
    const t = io(dir);
    expect(await main(['policy', 'test', '.'], t.io)).toBe(0);
    expect(t.out()).toBe('kyverno-test.yaml (demo)\n  PASS  no-bad  Pod/team-a/good  pass\n  PASS  no-bad  Pod/team-a/bad  fail\n\n2 passed, 0 failed\n');
  });

  it('fails on a wrong expectation, a missing resource, or a policy that does not apply', async () => {
    const dir = await suite([
      { policy: 'no-bad', kind: 'Pod', resources: ['bad'], result: 'pass' },
      { policy: 'no-bad', kind: 'Pod', resources: ['ghost'], result: 'pass' },
      { policy: 'no-bad', kind: 'Pod', resources: ['good'], result: 'pass', operation: 'DELETE' },
      { policy: 'no-bad', kind: 'Pod', resources: ['good'], result: 'skip', operation: 'DELETE' },
    ]);
    const t = io(dir);
    expect(await main(['policy', 'test', dir], t.io)).toBe(1);
    expect(t.out()).toContain('  FAIL  no-bad  Pod/team-a/bad  expected pass, got fail: bad\n');
    expect(t.out()).toContain('  FAIL  no-bad  Pod/ghost  expected pass, got not found: no Pod named ghost');
    expect(t.out()).toContain('  FAIL  no-bad  Pod/team-a/good  expected pass, got none');
    expect(t.out()).toContain('  PASS  no-bad  Pod/team-a/good  skip');
    expect(t.out()).toMatch(/\n1 passed, 3 failed\n$/);
  });

  it('reports a policy that does not compile as a failed suite naming the expression', async () => {
    const dir = await suite([{ policy: 'no-bad', kind: 'Pod', resources: ['good'], result: 'pass' }]);
    await writeFile(join(dir, 'policy.yaml'), toYaml(vpol('no-bad', { validations: [{ expression: 'object.metadata.name !=' }] })));
    const t = io(dir);
    expect(await main(['policy', 'test', dir], t.io)).toBe(1);
    expect(t.out()).toContain('ValidatingPolicy/no-bad: spec.validations[0].expression: expression "object.metadata.name !=" does not compile');
    expect(t.out()).toContain('policy.yaml');
    expect(t.out()).toMatch(/0 passed, 1 failed\n$/);
  });

  it('asks for a directory that holds tests', async () => {
    const t = io(tmpdir());
    expect(await main(['policy', 'test'], t.io)).toBe(2);
    expect(t.err()).toContain('name at least one directory');
  });
});

describe('plinth policy eval', () => {
  it('prints a table and a summary; JSON prints the PolicyReports', async () => {
    const dir = await suite([]);
    const t = io(dir);
    expect(await main(['policy', 'eval', '--policy', 'policy.yaml', '--resource', 'resources.yaml'], t.io)).toBe(0);
    expect(t.out()).toMatch(/^RESULT\s+ACTION\s+POLICY\s+RESOURCE\s+MESSAGE\n/);
    expect(t.out()).toContain('fail    Audit   no-bad  Pod/team-a/bad   bad');
    expect(t.out()).toContain('1 pass, 1 fail, 0 warn, 0 error, 0 skip\n');
    const j = io(dir);
    expect(await main(['policy', 'eval', '--policy', 'policy.yaml', '--resource', 'resources.yaml', '--format', 'json'], j.io)).toBe(0);
    const list = JSON.parse(j.out()) as { kind: string; items: { kind: string; summary: unknown }[] };
    expect(list.kind).toBe('List');
    expect(list.items.map((r) => r.kind)).toEqual(['PolicyReport', 'PolicyReport']);
  });

  it('exits 1 when an Enforce policy would deny a resource', async () => {
    const dir = await suite([]);
    await writeFile(join(dir, 'policy.yaml'), toYaml(vpol('no-bad', { validationActions: ['Deny'], validations: [{ expression: "object.metadata.name != 'bad'" }] })));
    const t = io(dir);
    expect(await main(['policy', 'eval', '--policy', 'policy.yaml', '--resource', 'resources.yaml'], t.io)).toBe(1);
    expect(t.out()).toContain('1 would be denied by Enforce policies');
  });
});
