import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseYamlStream, toYaml, toYamlStream } from '../../lib/yaml.js';
import { REQUIRED_NAMESPACE_LABELS } from '../../model/labels.js';
import { PolicyDefinitionError } from '../errors.js';
import { compilePolicySet } from '../policy-set.js';
import { findTestFiles, loadTest, runKyvernoTest, type TestCheck } from '../testing/index.js';
import { validatingPolicy } from './build.js';
import { SUITE_EXCEPTIONS, SUITE_REGISTRIES } from './test-fixtures.js';
import { PLATFORM_POLICY_NAMES, platformPolicies, platformPolicyDefinitions, platformPolicyExceptions } from './index.js';

const SUITES = join(dirname(fileURLToPath(import.meta.url)), 'suites');
const UPDATE = process.env.PLINTH_UPDATE_POLICY_FIXTURES === '1';

/** The checked-in copy of a generated file must equal what the code generates (PLINTH_UPDATE_POLICY_FIXTURES=1 rewrites it). */
async function golden(path: string, text: string): Promise<void> {
  if (UPDATE) {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
  }
  expect(await readFile(path, 'utf8'), `${path} is stale: run with PLINTH_UPDATE_POLICY_FIXTURES=1`).toBe(text);
}

describe('platform policy set', () => {
  const definitions = platformPolicyDefinitions(SUITE_REGISTRIES);

  it('holds the seed 001/004 policies: namespace labels enforced, the rest audited', () => {
    const actions = Object.fromEntries(definitions.map((d) => [d.name, d.action]));
    expect(actions['enforce-namespace-labels']).toBe('Enforce');
    expect(Object.entries(actions).filter(([, a]) => a === 'Enforce').map(([n]) => n)).toEqual(['enforce-namespace-labels']);
    for (const name of ['require-requests-limits', 'disallow-latest-tag', 'require-probes', 'restrict-image-registries', 'pss-baseline-privileged', 'pss-restricted-run-as-non-root']) {
      expect(actions[name]).toBe('Audit');
    }
    expect(definitions.filter((d) => d.name.startsWith('pss-baseline-'))).toHaveLength(11);
    expect(definitions.filter((d) => d.name.startsWith('pss-restricted-'))).toHaveLength(6);
    expect(PLATFORM_POLICY_NAMES).toEqual(definitions.map((d) => d.name));
  });

  it('uses the model labels and the registry list it is given', () => {
    const ns = definitions.find((d) => d.name === 'enforce-namespace-labels')!;
    const missing = ns.variables!.find((v) => v.name === 'missing')!.expression;
    for (const l of REQUIRED_NAMESPACE_LABELS) expect(missing).toContain(JSON.stringify(l));
    const reg = platformPolicies({ allowedRegistries: ['quay.io/acme'] }).find((o) => o.metadata.name === 'restrict-image-registries')!;
    expect(JSON.stringify(reg.spec)).toContain('quay.io/acme');
    expect(() => platformPolicies({ allowedRegistries: [] })).toThrow(PolicyDefinitionError);
  });

  it('compiles in the engine, as ValidatingPolicies policies.kyverno.io/v1', () => {
    const objects = platformPolicies({ allowedRegistries: SUITE_REGISTRIES, exceptions: SUITE_EXCEPTIONS });
    expect(new Set(objects.map((o) => `${o.apiVersion} ${o.kind}`))).toEqual(new Set(['policies.kyverno.io/v1 ValidatingPolicy', 'policies.kyverno.io/v1 PolicyException']));
    const set = compilePolicySet(objects);
    expect(set.validatingPolicies).toHaveLength(definitions.length);
    // Pod policies get the cronjobs and defaults autogen variants; the others none.
    const variants = Object.fromEntries(set.validatingPolicies.map((p) => [p.meta.policy, p.variants.length]));
    expect(variants['pss-baseline-privileged']).toBe(3);
    expect(variants['require-probes']).toBe(1);
    expect(variants['enforce-namespace-labels']).toBe(1);
  });

  it('rejects exceptions without reason, with unknown policies, or misusing images', () => {
    const base = SUITE_EXCEPTIONS[2]!;
    const attempt = (e: object) => () => platformPolicyExceptions([{ ...base, ...e }], PLATFORM_POLICY_NAMES);
    expect(attempt({ reason: ' ' })).toThrow(/a reason is required/);
    expect(attempt({ policies: ['pss-baseline-hostpath'] })).toThrow(/did you mean pss-baseline-host-path/);
    expect(attempt({ images: ['x:1'] })).toThrow(/images only narrow restrict-image-registries/);
    expect(attempt({ name: 'Fluent_Bit' })).toThrow(/DNS label/);
  });

  it('documents each exception on the object: component, policies, reason', () => {
    const [cilium] = platformPolicyExceptions(SUITE_EXCEPTIONS.slice(0, 1), PLATFORM_POLICY_NAMES);
    expect(cilium!.metadata).toMatchObject({ name: 'cilium-agent', namespace: 'kyverno', labels: { 'plinth.dev/unit': 'cilium' } });
    expect(cilium!.metadata.annotations!['plinth.dev/exception-reason']).toContain('eBPF');
    expect((cilium!.spec as { policyRefs: unknown[] }).policyRefs).toHaveLength(4);
  });

  it('ships each policy with its suite, whose policy.yaml is the generated policy', async () => {
    for (const d of definitions) await golden(join(SUITES, d.name, 'policy.yaml'), toYaml(validatingPolicy(d)));
    await golden(join(SUITES, 'platform-exceptions', 'exceptions.yaml'), toYamlStream(platformPolicyExceptions(SUITE_EXCEPTIONS, PLATFORM_POLICY_NAMES)));
  });

  it('passes every suite, with good and bad Pods, Deployments and CronJobs for the pod policies', async () => {
    const files = await findTestFiles([SUITES]);
    const checks: TestCheck[] = [];
    const kinds = new Map<string, Set<string>>();
    for (const file of files) {
      const loaded = await loadTest(file, SUITES);
      for (const c of runKyvernoTest(loaded)) {
        checks.push(c);
        const seen = kinds.get(c.policy) ?? new Set<string>();
        seen.add(`${c.resource.split('/')[0]}:${c.expected}`);
        kinds.set(c.policy, seen);
      }
    }
    expect(checks.filter((c) => !c.passed)).toEqual([]);
    for (const d of definitions) {
      expect(files.map((f) => f.split('/').slice(-2, -1)[0])).toContain(d.name);
      const seen = kinds.get(d.name)!;
      const needed = d.subject === 'Pod' ? ['Pod', 'Deployment', 'CronJob'] : [d.subject];
      for (const kind of needed) {
        expect(seen, `${d.name}: ${kind} pass`).toContain(`${kind}:pass`);
        expect(seen, `${d.name}: ${kind} fail`).toContain(`${kind}:fail`);
      }
    }
  });

  it('keeps suite resources valid YAML objects', async () => {
    for (const file of await findTestFiles([SUITES])) {
      const docs = parseYamlStream(await readFile(join(dirname(file), 'resources.yaml'), 'utf8'));
      expect(docs.length).toBeGreaterThan(0);
    }
  });
});
