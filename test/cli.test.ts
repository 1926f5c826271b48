/** The command line as a user meets it: init, schema, help, usage errors, and bad config writing nothing. */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { starterConfig } from '../src/config/starter.js';
import { runCli, tempDir } from './support/cli.js';

describe('plinth init', () => {
  it('writes the commented starter, which plan accepts', async () => {
    const dir = await tempDir();
    const run = await runCli(['init', '--profile', 'edge'], dir);
    expect(run.code).toBe(0);
    const text = await readFile(join(dir, 'plinth.yaml'), 'utf8');
    expect(text).toBe(starterConfig('edge'));
    expect(text).toContain('# Three nodes as in seed 001');
    const plan = await runCli(['plan'], dir);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stderr).toBe('');
    expect(existsSync(join(dir, 'gitops', 'bootstrap', 'root-app.yaml'))).toBe(true);
  });

  it('refuses to overwrite, and names the profiles there are', async () => {
    const dir = await tempDir();
    await runCli(['init'], dir);
    expect(await runCli(['init'], dir)).toMatchObject({ code: 2, stderr: 'error: plinth.yaml already exists; pass --force to overwrite it\n' });
    expect(await runCli(['init', '--profile', 'huge', '--config', 'other.yaml'], dir)).toMatchObject({
      code: 2,
      stderr: 'error: --profile: got "huge"; expected one of: edge, compact, standard, lab\n',
    });
  });
});

describe('plinth schema', () => {
  it('prints a JSON Schema that accepts the starter and rejects a bad node', async () => {
    const run = await runCli(['schema'], await tempDir());
    expect(run.code).toBe(0);
    const schema = JSON.parse(run.stdout);
    const validate = new Ajv2020({ strict: false, allErrors: true }).compile(schema);
    const starter = YAML.parse(starterConfig());
    expect(validate(starter), JSON.stringify(validate.errors)).toBe(true);
    starter.cluster.nodes[0].role = 'boss';
    expect(validate(starter)).toBe(false);
    expect(validate.errors).toContainEqual(expect.objectContaining({ instancePath: '/cluster/nodes/0/role', keyword: 'enum' }));
  });

  it('tells an editor what plan refuses: quantities without a unit or number, and components not in the catalog', async () => {
    const validate = new Ajv2020({ strict: false, allErrors: true }).compile(JSON.parse((await runCli(['schema'], await tempDir())).stdout));
    const config = () => YAML.parse(starterConfig());
    const errorsOf = (c: unknown) => (validate(c) ? [] : validate.errors!.map((e) => `${e.instancePath} ${e.keyword}`));
    const memory = config();
    memory.cluster.nodes[1].memory = 'lots';
    expect(errorsOf(memory)).toContain('/cluster/nodes/1/memory pattern');
    const cpu = config();
    cpu.cluster.nodes[1].cpu = 'two';
    expect(errorsOf(cpu)).toContain('/cluster/nodes/1/cpu pattern');
    const component = config();
    component.components = { jenkinz: { enabled: false } };
    expect(errorsOf(component)).toContain('/components propertyNames');
    const fine = config();
    fine.cluster.nodes[1].memory = '8Gi';
    fine.cluster.nodes[1].cpu = '1500m';
    fine.components = { jenkins: { enabled: false } };
    expect(errorsOf(fine)).toEqual([]);
  });
});

describe('usage', () => {
  it('lists the commands', async () => {
    const run = await runCli(['--help'], await tempDir());
    expect(run.code).toBe(0);
    for (const c of ['init', 'plan', 'check', 'schema', 'charts', 'simulate']) expect(run.stdout).toMatch(new RegExp(`^  ${c}\\s`, 'm'));
  });

  it('rejects an unknown command and an unknown option with exit code 2', async () => {
    const dir = await tempDir();
    expect(await runCli(['plam'], dir)).toMatchObject({ code: 2, stderr: 'error: unknown command "plam"; run `plinth --help` for the list\n' });
    const bad = await runCli(['plan', '--outt', 'x'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: Unknown option '--outt'/);
    expect(bad.stderr).toContain('usage: plinth plan [--config FILE] [--out DIR]');
  });
});

describe('bad config', () => {
  it('exits 2, names file, path, value and expectation, and writes nothing', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'plinth.yaml'), starterConfig().replace('memory: 4Gi\n  # Where', 'memory: 4GB\n  # Where'));
    const run = await runCli(['plan', '--out', 'out'], dir);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'error: 1 problem found:\n  - plinth.yaml:32:7: cluster.nodes[2].memory: got "4GB"; expected a memory quantity of at least 1Mi with a unit, such as 4Gi or 4096Mi (binary units Ki, Mi, Gi; decimal k, M, G)\n',
    );
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('rejects a values override that is not a quantity, in every component at once, before writing anything', async () => {
    const dir = await tempDir();
    const components = [
      'components:',
      '  policy-reporter:',
      '    values:',
      '      resources:',
      '        limits:',
      '          memory: lots',
      '  vault:',
      '    values:',
      '      server:',
      '        resources:',
      '          requests: {cpu: two, memory: 256Mi}',
    ].join('\n');
    await writeFile(join(dir, 'plinth.yaml'), starterConfig().replace('components: {}', components));
    for (const command of [['plan', '--out', 'out'], ['check']]) {
      const run = await runCli(command, dir);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(
        'error: 2 problems found:\n' +
          '  - plinth.yaml: components.vault.values.server.resources.requests.cpu: got "two"; expected a CPU quantity\n    hint: e.g. 250m or 1\n' +
          '  - plinth.yaml: components.policy-reporter.values.resources.limits.memory: got "lots"; expected a memory quantity\n    hint: e.g. 256Mi or 1Gi\n',
      );
    }
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('reports a missing --config file with exit 2', async () => {
    const run = await runCli(['plan', '--config', 'nope.yaml'], await tempDir());
    expect(run).toMatchObject({ code: 2, stderr: 'error: 1 problem found:\n  - nope.yaml: file not found\n    hint: create one with `plinth init`, or pass another with --config FILE\n' });
  });

  it('keeps an existing repository untouched when the config turns bad', async () => {
    const dir = await tempDir();
    await runCli(['init'], dir);
    expect((await runCli(['plan'], dir)).code).toBe(0);
    const before = await readFile(join(dir, 'gitops', 'README.md'), 'utf8');
    await writeFile(join(dir, 'plinth.yaml'), starterConfig().replace('profile: edge', 'profile: tiny'));
    expect((await runCli(['plan'], dir)).code).toBe(2);
    expect(await readFile(join(dir, 'gitops', 'README.md'), 'utf8')).toBe(before);
  });
});
