/**
 * The GitOps repository's local clone, through the real `git` command (no
 * shell). Golden paths never touch its working tree: a commit is built from
 * the base branch's tree with a temporary index, and becomes visible only
 * when the new branch's ref is created, atomically and only if it did not
 * exist. A failure anywhere before that leaves every ref as it was; a dry run
 * writes its objects to a quarantine folder that is thrown away.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { PlinthError } from '../lib/errors.js';
import { withRepoLock } from './lock.js';

export class GitError extends PlinthError {}

export interface Identity {
  name: string;
  email: string;
}

export interface TreeFiles {
  files: Map<string, string>;
  /** Symbolic links in the tree: never followed; `escapes` when the target leaves the repository. */
  symlinks: { path: string; target: string; escapes: boolean }[];
}

export interface Change {
  /** Files to add or replace, by repository path. */
  set: ReadonlyMap<string, string>;
  /** Files to remove. */
  remove?: readonly string[];
}

export interface CommitRequest extends Change {
  base: string;
  branch: string;
  message: string;
  author: Identity;
}

export interface CommitResult {
  commit: string;
  branch: string;
  tree: string;
  diff: string;
}

const MAX_OUTPUT = 512 * 1024 * 1024;

/** A repository path Plinth may write: relative, no `..`, no `.git`, no control characters. */
export function assertRepoPath(path: string): void {
  const segments = path.split('/');
  if (path === '' || isAbsolute(path) || path.includes('\\') || /[\u0000-\u001f]/.test(path) || segments.some((s) => s === '' || s === '.' || s === '..' || s.toLowerCase() === '.git')) {
    throw new GitError(`refusing to write ${JSON.stringify(path)}: not a plain path inside the repository`);
  }
}

export class GitRepo {
  private constructor(
    readonly dir: string,
    readonly gitDir: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** Opens the clone at `dir`; a folder that is not a git repository is a clear error. */
  static async open(dir: string, env: NodeJS.ProcessEnv = process.env): Promise<GitRepo> {
    const abs = resolve(dir);
    const clean: NodeJS.ProcessEnv = { PATH: env.PATH, HOME: env.HOME, LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0', ...(env.GIT_CONFIG_GLOBAL ? { GIT_CONFIG_GLOBAL: env.GIT_CONFIG_GLOBAL } : {}), ...(env.GIT_CONFIG_NOSYSTEM ? { GIT_CONFIG_NOSYSTEM: env.GIT_CONFIG_NOSYSTEM } : {}) };
    let gitDir: string;
    try {
      gitDir = (await git(abs, clean, ['rev-parse', '--absolute-git-dir'])).toString('utf8').trim();
    } catch (cause) {
      throw new GitError(`${dir} is not a git repository (${(cause as Error).message.split('\n')[0]}); clone the GitOps repository there, or pass --repo DIR`, { cause });
    }
    return new GitRepo(abs, gitDir, clean);
  }

  run(args: readonly string[], opts: { input?: string | Buffer; env?: NodeJS.ProcessEnv } = {}): Promise<Buffer> {
    return git(this.dir, { ...this.env, ...opts.env }, args, opts.input);
  }

  /** The commit a ref names, or undefined. */
  async resolveCommit(ref: string): Promise<string | undefined> {
    try {
      return (await this.run(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])).toString('utf8').trim() || undefined;
    } catch {
      return undefined;
    }
  }

  /** Local branches under `prefix` (e.g. `plinth/`), with their commits. */
  async branches(prefix = ''): Promise<Map<string, string>> {
    const out = (await this.run(['for-each-ref', '--format=%(objectname) %(refname)', `refs/heads/${prefix}`])).toString('utf8');
    const map = new Map<string, string>();
    for (const line of out.split('\n')) {
      const [sha, ref] = line.split(' ');
      if (sha && ref) map.set(ref.slice('refs/heads/'.length), sha);
    }
    return map;
  }

  /** Every regular file of a commit's tree (text), and its symbolic links (never followed). */
  async readTree(commit: string, under?: string): Promise<TreeFiles> {
    const listing = (await this.run(['ls-tree', '-r', '-z', '--full-tree', commit, ...(under ? ['--', under] : [])])).toString('utf8');
    const entries = listing
      .split('\0')
      .filter((e) => e !== '')
      .map((e) => {
        const tab = e.indexOf('\t');
        const [mode, type, sha] = e.slice(0, tab).split(' ');
        return { mode: mode!, type: type!, sha: sha!, path: e.slice(tab + 1) };
      })
      .filter((e) => e.type === 'blob');
    const contents = await this.catBlobs(entries.map((e) => e.sha));
    const files = new Map<string, string>();
    const symlinks: TreeFiles['symlinks'] = [];
    for (const e of entries) {
      const text = contents.get(e.sha)!;
      if (e.mode === '120000') {
        const target = resolve('/repo', e.path, '..', text);
        symlinks.push({ path: e.path, target: text, escapes: isAbsolute(text) || !(target === '/repo' || target.startsWith('/repo/')) });
        continue;
      }
      files.set(e.path, text);
    }
    return { files, symlinks };
  }

  private async catBlobs(shas: readonly string[]): Promise<Map<string, string>> {
    const unique = [...new Set(shas)];
    const out = new Map<string, string>();
    if (unique.length === 0) return out;
    const buf = await this.run(['cat-file', '--batch'], { input: `${unique.join('\n')}\n` });
    let at = 0;
    while (at < buf.length) {
      const nl = buf.indexOf(10, at);
      const [sha, , size] = buf.subarray(at, nl).toString('utf8').split(' ');
      const n = Number(size);
      out.set(sha!, buf.subarray(nl + 1, nl + 1 + n).toString('utf8'));
      at = nl + 1 + n + 1;
    }
    return out;
  }

  /** The user as git knows them in this clone (user.name, user.email), or undefined when unset. */
  async identity(): Promise<Identity | undefined> {
    try {
      const text = (await this.run(['var', 'GIT_AUTHOR_IDENT'])).toString('utf8').trim();
      const m = /^(.*) <([^>]*)> \d+ [-+]\d{4}$/.exec(text);
      return m && m[1] && m[2] ? { name: m[1], email: m[2] } : undefined;
    } catch {
      return undefined;
    }
  }

  async validBranchName(name: string): Promise<boolean> {
    try {
      await this.run(['check-ref-format', '--branch', name]);
      return !name.startsWith('-');
    } catch {
      return false;
    }
  }

  /** The tree of `base` with `change` applied, in a temporary index; objects go where `env` says. */
  private async buildTree(base: string, change: Change, env: NodeJS.ProcessEnv, scratch: string): Promise<{ baseTree: string; tree: string }> {
    for (const p of [...change.set.keys(), ...(change.remove ?? [])]) assertRepoPath(p);
    const indexEnv = { ...env, GIT_INDEX_FILE: join(scratch, 'index') };
    const baseTree = (await this.run(['rev-parse', `${base}^{tree}`], { env })).toString('utf8').trim();
    await this.run(['read-tree', baseTree], { env: indexEnv });
    const lines: string[] = [];
    for (const [path, content] of [...change.set].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const sha = (await this.run(['hash-object', '-w', '--stdin'], { input: content, env })).toString('utf8').trim();
      lines.push(`100644 ${sha}\t${path}`);
    }
    const zero = '0'.repeat(baseTree.length);
    for (const path of change.remove ?? []) lines.push(`0 ${zero}\t${path}`);
    if (lines.length > 0) await this.run(['update-index', '--index-info'], { input: `${lines.join('\n')}\n`, env: indexEnv });
    const tree = (await this.run(['write-tree'], { env: indexEnv })).toString('utf8').trim();
    return { baseTree, tree };
  }

  private diffOf(a: string, b: string, env: NodeJS.ProcessEnv): Promise<string> {
    return this.run(['diff', '--no-color', '--no-ext-diff', '--no-textconv', '--stat', '--patch', a, b], { env }).then((o) => o.toString('utf8'));
  }

  /** The diff `change` would make on `base`, with nothing written to the repository. */
  async dryRun(base: string, change: Change): Promise<{ diff: string; changed: boolean }> {
    const scratch = await mkdtemp(join(tmpdir(), 'plinth-git-'));
    try {
      const env = { GIT_OBJECT_DIRECTORY: join(scratch, 'objects'), GIT_ALTERNATE_OBJECT_DIRECTORIES: join(this.gitDir, 'objects') };
      await mkdir(env.GIT_OBJECT_DIRECTORY);
      const { baseTree, tree } = await this.buildTree(base, change, env, scratch);
      return { diff: tree === baseTree ? '' : await this.diffOf(baseTree, tree, env), changed: tree !== baseTree };
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }

  /**
   * Commits `change` on top of `base` as a new branch, authored by the user.
   * Serialized with every other Plinth writer of this clone; the branch must
   * not exist yet. Returns undefined when the change changes nothing.
   */
  async commitOnNewBranch(req: CommitRequest): Promise<CommitResult | undefined> {
    if (!(await this.validBranchName(req.branch))) throw new GitError(`${JSON.stringify(req.branch)} is not a valid branch name`);
    return withRepoLock(this.gitDir, async () => {
      const baseCommit = await this.resolveCommit(req.base);
      if (!baseCommit) throw new GitError(`the base ${req.base} does not exist in ${this.dir}`);
      if (await this.resolveCommit(`refs/heads/${req.branch}`)) throw new GitError(`branch ${req.branch} already exists in ${this.dir}`);
      const scratch = await mkdtemp(join(tmpdir(), 'plinth-git-'));
      try {
        const { baseTree, tree } = await this.buildTree(baseCommit, req, {}, scratch);
        if (tree === baseTree) return undefined;
        const committer = (await this.identity()) ?? req.author;
        const env = { GIT_AUTHOR_NAME: req.author.name, GIT_AUTHOR_EMAIL: req.author.email, GIT_COMMITTER_NAME: committer.name, GIT_COMMITTER_EMAIL: committer.email };
        const commit = (await this.run(['commit-tree', tree, '-p', baseCommit, '-F', '-'], { input: req.message, env })).toString('utf8').trim();
        await this.run(['update-ref', '-m', `plinth: ${req.message.split('\n')[0]}`, `refs/heads/${req.branch}`, commit, '0'.repeat(commit.length)]);
        return { commit, branch: req.branch, tree, diff: await this.diffOf(baseTree, tree, {}) };
      } finally {
        await rm(scratch, { recursive: true, force: true });
      }
    });
  }
}

function git(cwd: string, env: NodeJS.ProcessEnv, args: readonly string[], input?: string | Buffer): Promise<Buffer> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('git', args, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'], shell: false });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    child.stdout.on('data', (d: Buffer) => {
      size += d.length;
      if (size > MAX_OUTPUT) child.kill();
      else out.push(d);
    });
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e) => reject(new GitError(`cannot run git (${e.message}); install git`, { cause: e })));
    child.on('close', (code) => {
      if (code === 0) resolvePromise(Buffer.concat(out));
      else reject(new GitError(`git ${args[0]} failed (exit ${code}): ${Buffer.concat(err).toString('utf8').trim()}`));
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(input ?? '');
  });
}
