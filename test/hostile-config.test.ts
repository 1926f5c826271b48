/** Hostile plinth.yaml through the command line: exit code 2, the file and place named, nothing written. */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { starterConfig } from '../src/config/starter.js';
import { runCli, tempDir } from './support/cli.js';

async function plan(contents: string | Buffer): Promise<{ code: number; stderr: string; dir: string }> {
  const dir = await tempDir();
  await writeFile(join(dir, 'plinth.yaml'), contents);
  const run = await runCli(['plan'], dir);
  return { code: run.code, stderr: run.stderr, dir };
}

const C = starterConfig().split('\n').indexOf('components: {}') + 1;
const withComponents = (yaml: string) => starterConfig().replace('components: {}\n', `components:\n${yaml}`);

describe('plinth plan on hostile plinth.yaml', () => {
  it('a cyclic alias: exit 2, no stack trace, nothing written', async () => {
    const run = await plan(withComponents('  argocd: &loop\n    values:\n      server: *loop\n'));
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `error: 1 problem found:\n  - plinth.yaml:${C + 3}:15: components.argocd.values.server: the alias *loop refers to a value it is inside of, which makes the document contain itself; expected an alias of a value outside it\n    hint: write the repeated values out here instead of the alias\n`,
    );
    expect(existsSync(join(run.dir, 'gitops'))).toBe(false);
  });

  it('replicas of .inf: shown as written, exit 2', async () => {
    const run = await plan(withComponents('  argocd:\n    values:\n      server:\n        replicas: .inf\n'));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`plinth.yaml:${C + 4}:19: components.argocd.values.server.replicas: got .inf; expected a finite number`);
    expect(run.stderr).not.toContain('null');
  });

  it('a byte that is not UTF-8: its offset and line, exit 2', async () => {
    const text = withComponents('  argocd:\n    values:\n      server:\n        title: caf\xe9\n');
    const bytes = Buffer.from(text, 'latin1');
    const run = await plan(bytes);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`plinth.yaml:${C + 4}:19: byte 0xE9 at offset ${bytes.indexOf(0xe9)} is not UTF-8; expected a UTF-8 text file`);
  });

  it('a file over 1 MiB: the limit in the message, exit 2', async () => {
    const text = `${starterConfig()}# ${'x'.repeat(1024 * 1024)}\n`;
    const run = await plan(text);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`plinth.yaml: the file is ${Buffer.byteLength(text)} bytes; expected at most 1 MiB (1048576 bytes) for a config file`);
  });

  it('a branch of ../../etc, and negative replicas: exit 2 with the path', async () => {
    const branch = await plan(starterConfig().replace('    branch: main', '    branch: ../../etc'));
    expect(branch.code).toBe(2);
    expect(branch.stderr).toContain('gitops.repo.branch: got "../../etc"; expected a branch name git accepts (git check-ref-format)');
    const replicas = await plan(withComponents('  argocd:\n    values:\n      server:\n        replicas: -1\n'));
    expect(replicas.code).toBe(2);
    expect(replicas.stderr).toContain('plinth.yaml: components.argocd.values.server.replicas: got -1; expected a whole number of replicas from 0 to 2147483647');
  });
});
