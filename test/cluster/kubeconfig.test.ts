/** Kubeconfig errors name the file and the position, never its content (it holds tokens and keys). */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { selectKubeconfig } from '../../src/cluster/index.js';
import { main } from '../../src/cli/main.js';
import { capture } from './harness.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'plinth-kubeconfig-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

const TOKEN = 'kubeadmin-static-token-9f8e7d';

/** A kubeconfig broken right on the token's line (a stray `: x` after it), as a hand edit leaves it. */
const BROKEN = [
  'apiVersion: v1',
  'kind: Config',
  'clusters:',
  '  - name: c',
  '    cluster:',
  '      server: https://127.0.0.1:6443',
  'users:',
  '  - name: u',
  '    user:',
  `      token: ${TOKEN}: x`,
  '     username: admin',
  'contexts:',
  '  - name: x',
  '    context: {cluster: c, user: u}',
  'current-context: x',
  '',
].join('\n');

/** Every message and cause of an error, and its own enumerable fields: all a printer could reach. */
function everythingIn(error: unknown): string {
  const parts: string[] = [];
  for (let e = error as { message?: unknown; cause?: unknown; stack?: unknown } | undefined, depth = 0; e && depth < 10; e = e.cause as typeof e, depth++) {
    parts.push(String(e.message), String(e.stack), JSON.stringify(e));
  }
  return parts.join('\n');
}

describe('a broken kubeconfig', () => {
  it('is reported with its line and column, and its token appears nowhere', async () => {
    const file = join(dir, 'config');
    await writeFile(file, BROKEN, { mode: 0o600 });
    let error: unknown;
    try {
      selectKubeconfig({ file, env: {} });
    } catch (e) {
      error = e;
    }
    expect((error as Error).message).toBe(`cannot read the kubeconfig ${file}: not valid YAML (line 10, column 43)`);
    expect(everythingIn(error)).not.toContain(TOKEN);
    expect(everythingIn(error)).not.toContain('9f8e7d');

    // Through the CLI, as a user sees it.
    const cap = capture({ KUBECONFIG: file }, dir);
    // A kubeconfig that cannot be read is bad input: exit 2.
    expect(await main(['status'], cap.io)).toBe(2);
    expect(cap.err()).toContain('not valid YAML (line 10, column 43)');
    expect(cap.all()).not.toContain('9f8e7d');
  });

  it('that is not a kubeconfig at all, or lacks a field, says so without quoting it', async () => {
    const empty = join(dir, 'empty');
    await writeFile(empty, `# ${TOKEN}\n`);
    expect(() => selectKubeconfig({ file: empty, env: {} })).toThrow(`cannot read the kubeconfig ${empty}: not a kubeconfig (expected clusters, users and contexts)`);
    const noServer = join(dir, 'no-server');
    await writeFile(noServer, `clusters:\n  - name: c\n    cluster: {certificate-authority-data: ${TOKEN}}\nusers: []\ncontexts: []\n`);
    expect(() => selectKubeconfig({ file: noServer, env: {} })).toThrow(`cannot read the kubeconfig ${noServer}: clusters[0].cluster.server is missing`);
  });
});
