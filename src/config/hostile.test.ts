/**
 * Hostile plinth.yaml inputs a fuzzer and a review found: each ends in a
 * ConfigError (exit code 2) that names the file, the place and what was
 * expected, never a crash, a hang or a silent acceptance.
 */
import { describe, expect, it } from 'vitest';
import { desiredState } from '../desired/index.js';
import { ConfigError, type ErrorDetail } from '../lib/errors.js';
import { parseQuantity } from '../lib/quantity.js';
import { parseConfig, parseConfigBytes } from './load.js';
import { isGitBranchName } from './schema.js';
import { starterConfig } from './starter.js';

const FILE = 'plinth.yaml';

function edited(from: string, to: string): string {
  const text = starterConfig();
  expect(text).toContain(from);
  return text.replace(from, to);
}

/** The starter with `components: {}` replaced by these lines. */
/** The line of `components:`; the lines given to withComponents follow it. */
const C = starterConfig().split('\n').indexOf('components: {}') + 1;
const withComponents = (yaml: string) => edited('components: {}\n', `components:\n${yaml}`);

function refusal(load: () => unknown): ConfigError {
  try {
    load();
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    expect(e.exitCode).toBe(2);
    return e;
  }
  throw new Error('expected a ConfigError');
}

const problems = (text: string): ErrorDetail[] => [...refusal(() => parseConfig(text, FILE)).details];
const planProblems = (text: string): ErrorDetail[] => [...refusal(() => desiredState(parseConfig(text, FILE))).details];

describe('YAML that is not one plain document', () => {
  it('refuses an alias that makes the document contain itself', () => {
    const [p, ...rest] = problems(withComponents('  argocd: &loop\n    values:\n      server: *loop\n'));
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ file: FILE, line: C + 3, column: 15, path: 'components.argocd.values.server' });
    expect(p!.message).toBe('the alias *loop refers to a value it is inside of, which makes the document contain itself; expected an alias of a value outside it');
  });

  it('refuses a cyclic alias inside a list', () => {
    const [p] = problems(withComponents('  argocd:\n    values:\n      server: &l\n        extraArgs: [*l]\n'));
    expect(p).toMatchObject({ path: 'components.argocd.values.server.extraArgs[0]', line: C + 4 });
  });

  it('refuses an unresolved alias', () => {
    const [p] = problems(withComponents('  argocd:\n    values: *nowhere\n'));
    expect(p).toMatchObject({ file: FILE, line: C + 2, column: 13, path: 'components.argocd.values' });
    expect(p!.message).toBe('the alias *nowhere has no anchor &nowhere before it; expected an alias of a value anchored earlier in the file');
  });

  it('refuses an alias bomb', () => {
    const levels = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i <= 8; i++) levels.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
    const [p] = problems(withComponents(`  argocd:\n    values:\n${levels.map((l) => `      ${l}\n`).join('')}`));
    expect(p!.message).toBe('more than 100 alias expansions (*name) in the document; expected at most 100: aliases that expand this often are an alias bomb');
    expect(p!.path).toMatch(/^components\.argocd\.values\.a\d/);
  });

  it('refuses nesting deeper than 64 levels, in flow and block style, before any recursive walk', () => {
    const [flow] = problems(withComponents(`  argocd:\n    values:\n      deep: ${'['.repeat(100)}${']'.repeat(100)}\n`));
    expect(flow!.message).toBe('nested more than 64 levels deep; expected at most 64 levels of maps and lists');
    expect(flow!.path).toMatch(/^components\.argocd\.values\.deep(\[0\])+$/);
    const block = Array.from({ length: 80 }, (_, i) => `${'  '.repeat(i + 3)}k${i}:`).join('\n');
    const [b] = problems(withComponents(`  argocd:\n    values:\n${block} 1\n`));
    expect(b!.message).toBe('nested more than 64 levels deep; expected at most 64 levels of maps and lists');
    const [huge] = problems(`a: ${'['.repeat(20000)}${']'.repeat(20000)}\n`);
    expect(huge).toMatchObject({ file: FILE, message: 'nested too deeply to parse; expected at most 64 levels of maps and lists' });
  });

  it('refuses a second document', () => {
    const [p] = problems(`${starterConfig()}---\napiVersion: plinth.dev/v1alpha1\n`);
    expect(p).toMatchObject({ file: FILE, line: starterConfig().split('\n').length, message: 'a second YAML document starts here; expected one document (one platform) per file' });
  });

  it('refuses a top-level scalar and a top-level list', () => {
    expect(problems('just a string\n')[0]!.message).toBe('got "just a string"; expected a map with apiVersion, kind, cluster and gitops');
    expect(problems('42\n')[0]!.message).toBe('got 42; expected a map with apiVersion, kind, cluster and gitops');
    expect(problems('- a\n')[0]!.message).toBe('got ["a"]; expected a map with apiVersion, kind, cluster and gitops');
  });

  it('refuses a file over 1 MiB, saying so', () => {
    const text = `${starterConfig()}# ${'x'.repeat(1024 * 1024)}\n`;
    const [p] = problems(text);
    expect(p).toMatchObject({ file: FILE, message: `the file is ${Buffer.byteLength(text)} bytes; expected at most 1 MiB (1048576 bytes) for a config file` });
    const [q] = [...refusal(() => parseConfigBytes(Buffer.from(text), FILE)).details];
    expect(q!.message).toBe(p!.message);
  });

  it('refuses a byte that is not UTF-8, with its offset and line, instead of writing U+FFFD', () => {
    const text = withComponents('  argocd:\n    values:\n      server:\n        title: caf\xe9\n');
    const latin1 = Buffer.from(text, 'latin1');
    const offset = latin1.indexOf(0xe9);
    const [p] = [...refusal(() => parseConfigBytes(latin1, FILE)).details];
    expect(p).toMatchObject({ file: FILE, line: C + 4, column: 19, message: `byte 0xE9 at offset ${offset} is not UTF-8; expected a UTF-8 text file` });
    // The same text as UTF-8 is fine.
    expect(() => parseConfigBytes(Buffer.from(text, 'utf8'), FILE)).not.toThrow();
  });
});

describe('numbers', () => {
  it.each([
    ['.nan', '.nan'],
    ['.inf', '.inf'],
    ['-.Inf', '-.Inf'],
    ['1e309', '1e309'],
  ])('refuses replicas of %s, shown as written', (written, shown) => {
    const [p] = problems(withComponents(`  argocd:\n    values:\n      server:\n        replicas: ${written}\n`));
    expect(p).toMatchObject({ file: FILE, line: C + 4, column: 19, path: 'components.argocd.values.server.replicas', message: `got ${shown}; expected a finite number` });
    expect(p!.message).not.toContain('null');
  });

  it('refuses a node CPU of 1e309 as written, never as null', () => {
    const [p] = problems(edited('      cpu: 2\n      memory: 4Gi\n    - name: k3s-agent-1', '      cpu: 1e309\n      memory: 4Gi\n    - name: k3s-agent-1'));
    expect(p).toMatchObject({ path: 'cluster.nodes[1].cpu', message: 'got 1e309; expected a finite number' });
  });

  it('refuses a quantity string whose value is not finite', () => {
    expect(parseQuantity('1e309')).toBeUndefined();
    expect(parseQuantity('9e400Gi')).toBeUndefined();
    const [p] = problems(edited('      memory: 4Gi\n    - name: k3s-agent-0', '      memory: 1e309Gi\n    - name: k3s-agent-0'));
    expect(p).toMatchObject({ path: 'cluster.nodes[0].memory' });
    expect(p!.message).toMatch(/^got "1e309Gi"; expected a memory quantity/);
  });

  it('refuses replicas that are negative, fractional or past an int32', () => {
    for (const [v, shown] of [['-1', '-1'], ['1.5', '1.5'], ['2147483648', '2147483648'], ['"3"', '"3"']]) {
      const [p] = planProblems(withComponents(`  argocd:\n    values:\n      server:\n        replicas: ${v}\n`));
      expect(p).toMatchObject({ file: FILE, path: 'components.argocd.values.server.replicas', message: `got ${shown}; expected a whole number of replicas from 0 to 2147483647` });
    }
    expect(() => desiredState(parseConfig(withComponents('  argocd:\n    values:\n      server:\n        replicas: 2147483647\n'), FILE))).not.toThrow();
  });

  it('refuses negative requests and limits', () => {
    const [p, q] = planProblems(withComponents('  argocd:\n    values:\n      server:\n        resources:\n          requests: {cpu: "-100m", memory: 64Mi}\n          limits: {cpu: 1, memory: -1Gi}\n'));
    expect(p).toMatchObject({ path: 'components.argocd.values.server.resources.requests.cpu', message: 'got "-100m"; expected a CPU quantity of at least 0' });
    expect(q).toMatchObject({ path: 'components.argocd.values.server.resources.limits.memory', message: 'got "-1Gi"; expected a memory quantity of at least 0' });
  });
});

describe('names and strings', () => {
  it('refuses a component named __proto__', () => {
    const [p] = problems(withComponents('  __proto__:\n    enabled: true\n'));
    expect(p).toMatchObject({ file: FILE, line: C + 1, column: 3, path: 'components.__proto__' });
    expect(p!.message).toBe('the key "__proto__" is reserved: it would change the prototype of a JavaScript object; expected another name');
  });

  it('refuses __proto__ as a key inside values', () => {
    const [p] = problems(withComponents('  argocd:\n    values:\n      __proto__: {polluted: true}\n'));
    expect(p).toMatchObject({ path: 'components.argocd.values.__proto__', line: C + 3 });
  });

  it('refuses constructor and prototype as a team or node name, and constructor as a component', () => {
    const [t] = problems(edited('  - name: team-a', '  - name: constructor'));
    expect(t).toMatchObject({ path: 'teams[0].name', message: 'got "constructor"; expected a team name other than constructor or prototype (reserved words of JavaScript objects)' });
    const [n] = problems(edited('- name: k3s-agent-1', '- name: prototype'));
    expect(n).toMatchObject({ path: 'cluster.nodes[2].name' });
    const [c] = planProblems(withComponents('  constructor:\n    enabled: true\n'));
    expect(c).toMatchObject({ path: 'components.constructor' });
    expect(c!.message).toMatch(/^unknown component "constructor"; expected one of: /);
  });

  it('refuses a branch that is not a git ref name', () => {
    const [p] = problems(edited('    branch: main', '    branch: ../../etc'));
    expect(p).toMatchObject({
      file: FILE,
      path: 'gitops.repo.branch',
      message:
        'got "../../etc"; expected a branch name git accepts (git check-ref-format): no "..", "//" or "@{", no part starting with "." or ending with ".lock", not starting with "/" or "-", not ending with "/" or "."',
    });
    for (const bad of ['-x', '/x', 'a//b', 'a/', 'a.', 'a.lock', 'x/.hidden', 'a@{1}', 'a b', 'a~1', 'a^', 'a:b', 'a?', 'a*', 'a[', 'a\\b', '@', '', 'a\u0001']) {
      expect(isGitBranchName(bad), bad).toBe(false);
    }
    for (const good of ['main', 'release/1.2', 'feature/x-y_z', 'v1.0']) expect(isGitBranchName(good), good).toBe(true);
  });

  it('refuses a single string value over 256 KiB in values', () => {
    const [p] = problems(withComponents(`  argocd:\n    values:\n      server:\n        big: ${'x'.repeat(300 * 1024)}\n`));
    expect(p).toMatchObject({ file: FILE, path: 'components.argocd.values.server.big', line: C + 4, message: `got a string of ${300 * 1024} bytes; expected at most 256 KiB in one value` });
  });
});

describe('inputs that used to take quadratic time', () => {
  const bounded = (make: () => unknown, ms: number) => {
    const start = performance.now();
    try {
      make();
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
    }
    expect(performance.now() - start).toBeLessThan(ms);
  };

  it('a values map of 20,000 keys loads in well under the time it took (the yaml library compared every pair of keys)', () => {
    const keys = Array.from({ length: 20000 }, (_, i) => `        k${i}: ${i}\n`).join('');
    bounded(() => parseConfig(withComponents(`  argocd:\n    values:\n      server:\n${keys}`), FILE), 8000);
  });

  it('more than 1000 teams or 5000 nodes are refused with the limit in the message', () => {
    const teams = Array.from({ length: 1001 }, (_, i) => `  - {name: t-${i}, costCenter: cc}\n`).join('');
    const [p] = problems(edited('teams:\n  - name: team-a\n    costCenter: cc-100\n', `teams:\n${teams}`));
    expect(p).toMatchObject({ file: FILE, path: 'teams' });
    expect(p!.message).toMatch(/; expected at most 1000 teams \(each brings namespaces, quotas and policies: the repository grows with every team\)$/);
    const nodes = Array.from({ length: 5001 }, (_, i) => `    - {name: w-${i}, role: worker, pool: apps, cpu: 1, memory: 1Gi}\n`).join('');
    const [n] = problems(edited('  nodes:\n', `  nodes:\n${nodes}`));
    expect(n).toMatchObject({ path: 'cluster.nodes' });
    expect(n!.message).toMatch(/; expected at most 5000 nodes \(the largest cluster Kubernetes supports\)$/);
  });

  it('20,000 unknown keys are each located without a search per key', () => {
    const keys = Array.from({ length: 20000 }, (_, i) => `  k${i}: ${i}\n`).join('');
    const start = performance.now();
    const error = refusal(() => parseConfig(edited('  distribution: k3s\n', `  distribution: k3s\n${keys}`), FILE));
    expect(performance.now() - start).toBeLessThan(10_000);
    expect(error.details).toHaveLength(20000);
    expect(error.details[19999]).toMatchObject({ path: 'cluster.k19999', line: 20012 });
    expect(error.message.split('\n').at(-1)).toBe('  ... and 19950 more; fix these first');
  }, 30_000);

  it('more than 200 components are refused before each is looked up in the catalog', () => {
    const names = Array.from({ length: 201 }, (_, i) => `  comp-${i}: {enabled: true}\n`).join('');
    const [p, ...rest] = problems(withComponents(names));
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ file: FILE, path: 'components', line: C });
    expect(p!.message).toMatch(/; expected at most 200 components \(each key is the name of a component of the catalog, which has fewer\)$/);
  });
});
