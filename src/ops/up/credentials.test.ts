import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../lib/errors.js';
import { configuredCredentialsFile, readRepoCredentials, repoSecret } from './credentials.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'plinth-creds-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

const url = 'https://git.example.com/platform/gitops.git';
const warnings: string[] = [];
const read = (o: { file?: string; env?: NodeJS.ProcessEnv }) => readRepoCredentials({ file: o.file, env: o.env ?? {}, cwd: dir, repoUrl: url, warn: (w) => warnings.push(w) });

describe('repository credentials', () => {
  it('come from a file (and a loose mode is warned about)', async () => {
    await writeFile(join(dir, 'creds.yaml'), 'username: bot\ntoken: s3cret-token-value\n', { mode: 0o644 });
    expect(await read({ file: 'creds.yaml' })).toEqual({ url, username: 'bot', password: 's3cret-token-value', sshPrivateKey: undefined, origin: 'file creds.yaml' });
    expect(warnings.at(-1)).toContain('chmod 600 creds.yaml');
  });

  it('come from the environment, or are absent', async () => {
    expect(await read({ env: { PLINTH_GIT_TOKEN: 'tok-123456' } })).toMatchObject({ username: 'git', password: 'tok-123456', origin: 'environment' });
    await writeFile(join(dir, 'id'), 'PRIVATE KEY');
    expect(await read({ env: { PLINTH_GIT_SSH_KEY_FILE: 'id' } })).toMatchObject({ sshPrivateKey: 'PRIVATE KEY' });
    expect(await read({})).toBeUndefined();
  });

  it('do not leak into the error of a malformed file', async () => {
    await writeFile(join(dir, 'bad.yaml'), 'password: "unterminated-s3cret\n', { mode: 0o600 });
    const err = await read({ file: 'bad.yaml' }).catch((e: Error) => e);
    expect((err as Error).message).toContain('bad.yaml:2:1: not valid YAML; expected a map with username and password or token');
    expect((err as ConfigError).exitCode).toBe(2);
    expect(JSON.stringify({ m: (err as Error).message, c: String((err as Error).cause ?? '') })).not.toContain('s3cret');
  });

  it('a value of the wrong type or a key file that is missing: a located error (exit 2), the value never shown', async () => {
    await writeFile(join(dir, 'typed.yaml'), 'username: git\npassword: 12345678\n', { mode: 0o600 });
    const typed = await read({ file: 'typed.yaml' }).catch((e: Error) => e);
    expect(typed).toBeInstanceOf(ConfigError);
    expect((typed as Error).message).toContain('typed.yaml:2:11: password: got a number; expected a string');
    expect((typed as Error).message).not.toContain('12345678');
    await writeFile(join(dir, 'keyed.yaml'), 'sshPrivateKeyFile: no-such-key\n', { mode: 0o600 });
    const keyed = await read({ file: 'keyed.yaml' }).catch((e: Error) => e);
    expect(keyed).toBeInstanceOf(ConfigError);
    expect((keyed as Error).message).toContain('no-such-key: cannot read the SSH key that keyed.yaml names (sshPrivateKeyFile) (ENOENT)');
  });

  it('become an Argo CD repository Secret', () => {
    const s = repoSecret({ url, username: 'git', password: 'p4ssword', origin: 'environment' }, 'argocd');
    expect(s.metadata).toMatchObject({ name: 'plinth-gitops-repo', namespace: 'argocd', labels: { 'argocd.argoproj.io/secret-type': 'repository' } });
    expect(Buffer.from((s.data as Record<string, string>).password!, 'base64').toString()).toBe('p4ssword');
  });

  it('may be named in plinth.yaml (bootstrap.repoCredentialsFile)', () => {
    expect(configuredCredentialsFile({ bootstrap: { repoCredentialsFile: '~/.config/plinth/git.yaml' } })).toBe('~/.config/plinth/git.yaml');
    expect(configuredCredentialsFile({})).toBeUndefined();
  });
});
