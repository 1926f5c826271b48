import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
    expect((err as Error).message).toContain('bad.yaml is not valid YAML');
    expect((err as Error).message).not.toContain('s3cret');
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
