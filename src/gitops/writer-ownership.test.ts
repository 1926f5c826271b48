/** What the writer replaces, removes and keeps in a folder it wrote before (ADR 023), and its rollback. */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OutputFolderError } from '../lib/errors.js';
import { OWNED_FILE, renderOwned } from './owned.js';
import { swapIn } from './swap.js';
import { writeRepo } from './writer.js';

const files = (entries: Record<string, string>) => new Map(Object.entries(entries));
const outDir = () => mkdtemp(join(tmpdir(), 'plinth-writer-'));
async function put(dir: string, path: string, text: string): Promise<void> {
  await mkdir(dirname(join(dir, path)), { recursive: true });
  await writeFile(join(dir, path), text);
}

describe('a folder plan wrote before', () => {
  it('removes an owned file it no longer writes, and the folders left empty, but keeps a foreign file beside it', async () => {
    const out = await outDir();
    await writeRepo(out, files({ 'README.md': 'r\n', 'platform/core/x/values.yaml': 'x\n', 'platform/core/y/values.yaml': 'y\n', 'clusters/edge/a.yaml': 'a\n' }));
    await put(out, 'platform/core/x/notes.md', 'ours\n');
    const r = await writeRepo(out, files({ 'README.md': 'r\n', 'platform/core/y/values.yaml': 'y2\n' }));
    expect(r.changed).toEqual(['clusters/edge/a.yaml', 'platform/core/x/values.yaml', 'platform/core/y/values.yaml']);
    expect(r.kept).toEqual(['platform/core/x/notes.md']);
    expect(await readFile(join(out, 'platform/core/x/notes.md'), 'utf8')).toBe('ours\n');
    expect(existsSync(join(out, 'platform/core/x/values.yaml'))).toBe(false);
    expect(existsSync(join(out, 'clusters'))).toBe(false);
    expect(await readFile(join(out, OWNED_FILE), 'utf8')).toBe(renderOwned(['README.md', 'platform/core/y/values.yaml']));
  });

  it('refuses a marker that names a file outside what plan writes, and removes nothing', async () => {
    const out = await outDir();
    await put(out, 'secret.txt', 'keep\n');
    await put(out, OWNED_FILE, renderOwned(['README.md']).replace('"README.md"', '"platform/../secret.txt"'));
    await expect(writeRepo(out, files({ 'README.md': 'r\n' }))).rejects.toThrow(/owned\.json lists "platform\/\.\.\/secret\.txt", which is not a file plan writes/);
    expect(await readFile(join(out, 'secret.txt'), 'utf8')).toBe('keep\n');
    expect(existsSync(join(out, 'README.md'))).toBe(false);
  });

  it('refuses to write through a symlink inside the folder', async () => {
    const out = await outDir();
    await writeRepo(out, files({ 'README.md': 'r\n', 'platform/core/x/values.yaml': 'x\n' }));
    await mkdir(join(out, 'elsewhere'));
    await put(out, 'elsewhere/values.yaml', 'mine\n');
    const { rm } = await import('node:fs/promises');
    await rm(join(out, 'platform/core/x'), { recursive: true });
    await symlink(join(out, 'elsewhere'), join(out, 'platform/core/x'));
    const error = await writeRepo(out, files({ 'README.md': 'r\n', 'platform/core/x/values.yaml': 'x2\n' }), { force: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutputFolderError);
    expect((error as Error).message).toContain('platform/core/x is a symlink, and plan writes platform/core/x/values.yaml there');
    expect(await readFile(join(out, 'elsewhere/values.yaml'), 'utf8')).toBe('mine\n');
  });

  it('keeps a folder that holds only .git as empty, and writes into it', async () => {
    const out = await outDir();
    await put(out, '.git/HEAD', 'ref: refs/heads/main\n');
    const r = await writeRepo(out, files({ 'README.md': 'r\n' }));
    expect(r.kept).toEqual([]);
    expect((await readdir(out)).sort()).toEqual(['.git', '.plinth', 'README.md']);
  });
});

describe('the swap', () => {
  it('puts every file back when a step fails, and removes the folders it made', async () => {
    const root = await outDir();
    await put(root, 'platform/a.yaml', 'old a\n');
    await put(root, 'platform/b.yaml', 'old b\n');
    const staging = await mkdtemp(join(root, '.plinth-staging-'));
    await put(staging, 'new-a', 'new a\n');
    await put(staging, 'new-c', 'new c\n');
    const steps = [
      { path: 'platform/a.yaml', staged: join(staging, 'new-a') },
      { path: 'platform/b.yaml' },
      { path: 'platform/deep/c.yaml', staged: join(staging, 'new-c') },
      { path: 'platform/d.yaml', staged: join(staging, 'missing') },
    ];
    await expect(swapIn(root, staging, steps)).rejects.toThrow(/could not replace the repository in .*; it was left as it was/);
    expect(await readFile(join(root, 'platform/a.yaml'), 'utf8')).toBe('old a\n');
    expect(await readFile(join(root, 'platform/b.yaml'), 'utf8')).toBe('old b\n');
    expect((await readdir(join(root, 'platform'))).sort()).toEqual(['a.yaml', 'b.yaml']);
  });
});
