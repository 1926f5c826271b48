/**
 * The output folder of `plinth plan` (ADR 023): plan writes only into an
 * empty folder or one it wrote before, replaces only the files it owns,
 * refuses the unsafe folders even with --force, and never follows a symlink
 * out of the folder.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRepo } from '../src/gitops/writer.js';
import { runCli, tempDir } from './support/cli.js';

/** Writes each file (path → content) under `dir`. */
async function put(dir: string, files: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
}

async function contents(dir: string, paths: readonly string[]): Promise<Record<string, string>> {
  return Object.fromEntries(await Promise.all(paths.map(async (p) => [p, await readFile(join(dir, p), 'utf8')])));
}

const FOREIGN = { 'platform/terraform/main.tf': 'resource "null" "x" {}\n', 'README.md': '# Our project\n', 'notes.txt': 'do not lose\n' };

describe('plan into a folder with files it did not write', () => {
  it('exits 2, names the folder, what it found and --force, and touches nothing', async () => {
    const work = await tempDir();
    const out = join(work, 'repo');
    await put(out, FOREIGN);
    const run = await runCli(['plan', '--out', 'repo'], work);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^error: refusing to write the GitOps repository into repo: it is not empty and has no \.plinth\/owned\.json/m);
    expect(run.stderr).toContain('found README.md, notes.txt, platform/terraform/main.tf');
    expect(run.stderr).toContain('--force');
    expect(run.stderr).not.toContain('    at ');
    expect(await contents(out, Object.keys(FOREIGN))).toEqual(FOREIGN);
    expect((await readdir(out)).sort()).toEqual(['README.md', 'notes.txt', 'platform']);
    expect(await readdir(join(out, 'platform'))).toEqual(['terraform']);
  });

  it('with --force replaces only the files plan writes, and keeps and lists every other one', async () => {
    const work = await tempDir();
    const out = join(work, 'repo');
    await put(out, FOREIGN);
    const run = await runCli(['plan', '--out', 'repo', '--force'], work);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Kept 2 files Plinth did not write: notes.txt, platform/terraform/main.tf.');
    expect(await contents(out, ['platform/terraform/main.tf', 'notes.txt'])).toEqual({ 'platform/terraform/main.tf': FOREIGN['platform/terraform/main.tf'], 'notes.txt': FOREIGN['notes.txt'] });
    expect(await readFile(join(out, 'README.md'), 'utf8')).not.toBe(FOREIGN['README.md']);
    expect(existsSync(join(out, 'bootstrap/root-app.yaml'))).toBe(true);
    const owned = JSON.parse(await readFile(join(out, '.plinth/owned.json'), 'utf8')) as { files: string[] };
    expect(owned.files).toContain('README.md');
    expect(owned.files).not.toContain('platform/terraform/main.tf');

    // From now on the folder is plan's: no --force needed, the user's files still kept.
    const again = await runCli(['plan', '--out', 'repo'], work);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('(no change)');
    expect(await readFile(join(out, 'platform/terraform/main.tf'), 'utf8')).toBe(FOREIGN['platform/terraform/main.tf']);
  });

  it('refuses to overwrite a file someone put where plan now writes, unless --force', async () => {
    const work = await tempDir();
    expect((await runCli(['plan', '--out', 'repo'], work)).code).toBe(0);
    const owned = await readFile(join(work, 'repo/.plinth/owned.json'), 'utf8');
    const path = JSON.parse(owned).files.find((f: string) => f.startsWith('platform/')) as string;
    await put(join(work, 'repo'), { '.plinth/owned.json': owned.replace(`"${path}",\n`, '').replace(`,\n    "${path}"`, '') });
    await writeFile(join(work, 'repo', path), 'mine\n');
    const run = await runCli(['plan', '--out', 'repo'], work);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`plan would overwrite 1 file it did not write: ${path}`);
    expect(await readFile(join(work, 'repo', path), 'utf8')).toBe('mine\n');
    expect((await runCli(['plan', '--out', 'repo', '--force'], work)).code).toBe(0);
    expect(await readFile(join(work, 'repo', path), 'utf8')).not.toBe('mine\n');
  });
});

describe('folders plan never writes into, --force or not', () => {
  it('refuses an empty --out, writing nothing into the current folder', async () => {
    const work = await tempDir();
    for (const force of [[], ['--force']]) {
      const run = await runCli(['plan', '--out', '', ...force], work);
      expect(run).toMatchObject({ code: 2, stdout: '' });
      expect(run.stderr).toMatch(/^error: --out is empty; name the folder for the GitOps repository/);
    }
    expect(await readdir(work)).toEqual([]);
  });

  it('refuses the root of the file system', async () => {
    const run = await runCli(['plan', '--out', '/', '--force'], await tempDir());
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toContain('refusing to write the GitOps repository into /: it is the root of the file system');
    expect(existsSync('/.plinth')).toBe(false);
  });

  it('refuses the home folder', async () => {
    const home = await tempDir();
    await put(home, { '.bashrc': 'export A=1\n' });
    for (const force of [[], ['--force']]) {
      const run = await runCli(['plan', '--out', home, ...force], await tempDir(), { ...process.env, HOME: home });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('it is your home folder');
    }
    expect(await readdir(home)).toEqual(['.bashrc']);
  });

  it('refuses the top of the checkout it runs in, and writes a subfolder of it or a GitOps repository of its own', async () => {
    const project = await tempDir();
    await put(project, { '.git/HEAD': 'ref: refs/heads/main\n', 'README.md': '# The project\n', 'src/main.ts': 'export {};\n' });
    for (const out of ['.', project]) {
      const run = await runCli(['plan', '--out', out, '--force'], project);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('it holds the git checkout you run plinth in');
    }
    await mkdir(join(project, 'src/deep'), { recursive: true });
    expect((await runCli(['plan', '--out', '../..', '--force'], join(project, 'src/deep'))).code).toBe(2);
    expect(await readFile(join(project, 'README.md'), 'utf8')).toBe('# The project\n');
    expect(existsSync(join(project, 'bootstrap'))).toBe(false);

    // The usual layout: the GitOps repository is a folder of the checkout, or a git repository of its own planned again from inside it.
    expect((await runCli(['plan'], project)).code).toBe(0);
    await put(join(project, 'gitops'), { '.git/HEAD': 'ref: refs/heads/main\n' });
    const inside = await runCli(['plan', '--out', '.'], join(project, 'gitops'));
    expect(inside.code, inside.stderr).toBe(0);
    expect(inside.stdout).toContain('(no change)');
  });
});

describe('symlinks in the output folder', () => {
  it('refuses one under apps/ or platform/ that leads outside, and leaves its target alone', async () => {
    for (const [link, target] of [['apps', ''], ['platform/core', 'cilium/values.yaml']] as const) {
      const work = await tempDir();
      const outside = await tempDir();
      await put(outside, { 'README.md': 'outside\n', ...(target ? { [target]: 'outside values\n' } : {}) });
      expect((await runCli(['plan', '--out', 'repo'], work)).code).toBe(0);
      const { rm } = await import('node:fs/promises');
      await rm(join(work, 'repo', link), { recursive: true });
      await symlink(outside, join(work, 'repo', link));
      const before = await readRepo(join(work, 'repo'));
      for (const force of [[], ['--force']]) {
        const run = await runCli(['plan', '--out', 'repo', ...force], work);
        expect(run.code, link).toBe(2);
        expect(run.stderr).toContain(`repo: ${link} is a symlink to ${outside}, outside the folder; plan never follows one`);
      }
      expect(await readdir(outside)).toEqual(target ? ['README.md', 'cilium'] : ['README.md']);
      expect(await readFile(join(outside, 'README.md'), 'utf8')).toBe('outside\n');
      if (target) expect(await readFile(join(outside, target), 'utf8')).toBe('outside values\n');
      expect(await readRepo(join(work, 'repo'))).toEqual(before);
    }
  });
});

describe('plan into its own output', () => {
  it('writes byte-identical files again, the marker included, which lists every file it wrote, sorted', async () => {
    const work = await tempDir();
    expect((await runCli(['plan', '--out', 'repo'], work)).code).toBe(0);
    const marker = await readFile(join(work, 'repo/.plinth/owned.json'), 'utf8');
    const first = await readRepo(join(work, 'repo'));
    const data = JSON.parse(marker) as { generator: string; files: string[] };
    expect(data.generator).toBe('plinth plan');
    expect(data.files).toEqual([...first.keys()].sort());
    expect(data.files).toEqual([...data.files].sort());
    const again = await runCli(['plan', '--out', 'repo'], work);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('(no change)');
    expect(again.stdout).not.toContain('Kept');
    expect(await readFile(join(work, 'repo/.plinth/owned.json'), 'utf8')).toBe(marker);
    expect(await readRepo(join(work, 'repo'))).toEqual(first);
    // Another folder, the same plinth.yaml: the same bytes.
    expect((await runCli(['plan', '--out', 'other'], work)).code).toBe(0);
    expect(await readFile(join(work, 'other/.plinth/owned.json'), 'utf8')).toBe(marker);
  });

  it('after a plan killed mid-way: cleans its staging folder and takes the folder as its own', async () => {
    const work = await tempDir();
    expect((await runCli(['plan', '--out', 'repo'], work)).code).toBe(0);
    const first = await readRepo(join(work, 'repo'));
    // Killed during the swap: the staging folder is left, one file not yet moved back in.
    await put(join(work, 'repo'), { '.plinth-staging-abc123/.retired/0': 'parked\n' });
    const { rm } = await import('node:fs/promises');
    await rm(join(work, 'repo/bootstrap/root-app.yaml'));
    const run = await runCli(['plan', '--out', 'repo'], work);
    expect(run.code, run.stderr).toBe(0);
    expect((await readdir(join(work, 'repo'))).filter((n) => n.startsWith('.plinth-staging-'))).toEqual([]);
    expect(await readRepo(join(work, 'repo'))).toEqual(first);
    expect(existsSync(join(work, 'repo/.plinth/owned.json'))).toBe(true);
  });
});
