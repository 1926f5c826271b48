/**
 * The Git repositories the chart mirror serves for upstream manifests: per
 * upstream repository a bare repository at `git/<host>/<path>.git` (see
 * desired/mirror.ts), with one commit per pinned tag holding the cached
 * manifests at the upstream path, tagged with the upstream tag. Commits are
 * made with fixed author, committer and dates, so the same cache gives the
 * same commit ids. Built with the `git` command into a folder the caller
 * owns (the chart cache may be read-only).
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { mirrorGitPath } from '../desired/mirror.js';
import { readArchive } from '../helm/archive.js';
import { type ChartCache, requireManifest } from '../helm/cache.js';
import { ToolError } from '../lib/errors.js';
import type { GitSource } from '../model/unit.js';

const run = promisify(execFile);

export interface MirrorGitRepo {
  /** Below the mirror root: `git/github.com/kubernetes-sigs/gateway-api.git`. */
  path: string;
  upstream: string;
  /** Tag → commit id. */
  tags: Record<string, string>;
}

export interface GitMirrorBuild {
  repos: MirrorGitRepo[];
  skipped: { source: GitSource; reason: string }[];
}

const FIXED_IDENTITY = {
  GIT_AUTHOR_NAME: 'plinth charts serve',
  GIT_AUTHOR_EMAIL: 'mirror@plinth.invalid',
  GIT_COMMITTER_NAME: 'plinth charts serve',
  GIT_COMMITTER_EMAIL: 'mirror@plinth.invalid',
  GIT_AUTHOR_DATE: '2000-01-01T00:00:00Z',
  GIT_COMMITTER_DATE: '2000-01-01T00:00:00Z',
};

/** The files of a source's manifests as they sit in the repository: path → content. */
export async function sourceFiles(cache: ChartCache, git: GitSource): Promise<Map<string, Buffer>> {
  const file = requireManifest(cache, git);
  const base = git.path.replace(/^\/+|\/+$/g, '');
  const at = (name: string) => (base ? `${base}/${name}` : name);
  if (!git.cacheArchivePath) {
    return new Map([[at(basename(git.cacheFile)), await readFile(file)]]);
  }
  const folder = `${git.cacheArchivePath.replace(/\/+$/, '')}/`;
  const files = await readArchive(file, (p) => p.startsWith(folder) && !p.slice(folder.length).includes('/') && /\.ya?ml$/.test(p));
  return new Map([...files].map(([p, data]) => [at(p.slice(folder.length)), data]));
}

/** The files of each source, merged per mirror repository and tag; a source the mirror cannot serve goes to `skipped`. */
async function treesByRepo(cache: ChartCache, sources: readonly GitSource[], skipped: GitMirrorBuild['skipped']): Promise<Map<string, { upstream: string; refs: Map<string, Map<string, Buffer>> }>> {
  const byRepo = new Map<string, { upstream: string; refs: Map<string, Map<string, Buffer>> }>();
  for (const source of sources) {
    if (/^[0-9a-f]{40}$/.test(source.ref)) {
      skipped.push({ source, reason: `ref ${source.ref} is a commit id: the mirror can serve tags only (its commits are its own)` });
      continue;
    }
    let files: Map<string, Buffer>;
    try {
      files = await sourceFiles(cache, source);
    } catch (e) {
      skipped.push({ source, reason: (e as Error).message });
      continue;
    }
    const path = mirrorGitPath(source.repoUrl);
    const repo = byRepo.get(path) ?? { upstream: source.repoUrl, refs: new Map() };
    byRepo.set(path, repo);
    const tree = repo.refs.get(source.ref) ?? new Map<string, Buffer>();
    for (const [p, data] of files) tree.set(p, data);
    repo.refs.set(source.ref, tree);
  }
  return byRepo;
}

export async function buildGitMirrors(cache: ChartCache, sources: readonly GitSource[], root: string, gitBinary = 'git'): Promise<GitMirrorBuild> {
  const skipped: GitMirrorBuild['skipped'] = [];
  const byRepo = await treesByRepo(cache, sources, skipped);

  const repos: MirrorGitRepo[] = [];
  for (const [path, repo] of [...byRepo].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const dir = join(root, path);
    await mkdir(dir, { recursive: true });
    const git = async (args: string[], input?: Buffer, env: Record<string, string> = {}) => {
      try {
        return await gitRun(gitBinary, ['--git-dir', dir, ...args], input, { ...FIXED_IDENTITY, ...env });
      } catch (cause) {
        throw new ToolError(`git ${args[0]} failed while building the mirror of ${repo.upstream}: ${(cause as Error).message}`, { cause });
      }
    };
    await git(['init', '--bare', '--quiet']);
    await git(['config', 'uploadpack.allowReachableSHA1InWant', 'true']);
    await git(['config', 'uploadpack.allowAnySHA1InWant', 'true']);
    const tags: Record<string, string> = {};
    let last = '';
    for (const [ref, files] of [...repo.refs].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const index = join(dir, `plinth-index-${process.pid}`);
      for (const [p, data] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) {
        const blob = (await git(['hash-object', '-w', '--stdin'], data)).trim();
        await git(['update-index', '--add', '--cacheinfo', `100644,${blob},${p}`], undefined, { GIT_INDEX_FILE: index });
      }
      const tree = (await git(['write-tree'], undefined, { GIT_INDEX_FILE: index })).trim();
      const commit = (await git(['commit-tree', tree, '-m', `${repo.upstream} ${ref}, as the Plinth chart cache holds it`])).trim();
      await git(['update-ref', `refs/tags/${ref}`, commit]);
      tags[ref] = commit;
      last = commit;
      await rm(index, { force: true });
    }
    await git(['update-ref', 'refs/heads/main', last]);
    await git(['symbolic-ref', 'HEAD', 'refs/heads/main']);
    repos.push({ path, upstream: repo.upstream, tags });
  }
  return { repos, skipped };
}

async function gitRun(binary: string, args: string[], input: Buffer | undefined, env: Record<string, string>): Promise<string> {
  const child = run(binary, args, { env: { ...process.env, ...env }, maxBuffer: 64 << 20 });
  if (input) {
    child.child.stdin!.end(input);
  } else child.child.stdin?.end();
  const { stdout } = await child;
  return stdout;
}
