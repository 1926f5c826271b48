/**
 * `plinth charts serve`: the chart cache as a Helm repository, and the
 * upstream manifests as Git repositories, on one local address.
 *
 *   GET /index.yaml                 the Helm repository index (helm-index.ts)
 *   GET /<chart>-<version>.tgz      the packaged charts of the index
 *   GET /<file>.yaml                plain manifest files of the cache (the Gateway API CRDs)
 *   /git/<host>/<path>.git/...      Git smart HTTP (clone, fetch), through `git http-backend`
 *
 * Read-only: every other path and method is refused. The Git repositories are
 * built into a temporary folder, removed on close.
 */
import { spawn } from 'node:child_process';
import { createReadStream, existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChartCache } from '../helm/cache.js';
import type { GitSource } from '../model/unit.js';
import { buildGitMirrors, type GitMirrorBuild } from './git-repos.js';
import { buildHelmIndex, type HelmIndex } from './helm-index.js';

export interface MirrorOptions {
  cache: ChartCache;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Upstream manifest sources to serve as Git repositories. */
  gitSources?: readonly GitSource[];
  git?: string;
  /** Called per request, for a log line. */
  onRequest?: (method: string, path: string, status: number) => void;
}

export interface RunningMirror {
  url: string;
  index: HelmIndex;
  git: GitMirrorBuild;
  /** Plain manifest files served. */
  manifests: string[];
  close(): Promise<void>;
}

const PLAIN_FILE = /^[A-Za-z0-9][A-Za-z0-9._-]*\.(?:ya?ml)$/;

export async function startChartMirror(opts: MirrorOptions): Promise<RunningMirror> {
  const index = await buildHelmIndex(opts.cache.dir);
  const packages = new Set(index.charts.map((c) => c.file));
  const manifests = (await readdir(opts.cache.dir)).filter((f) => PLAIN_FILE.test(f) && f !== 'index.yaml').sort();
  const root = await mkdtemp(join(tmpdir(), 'plinth-mirror-'));
  let server: Server | undefined;
  try {
    const git = await buildGitMirrors(opts.cache, opts.gitSources ?? [], root, opts.git);
    const gitRepos = new Set(git.repos.map((r) => r.path));
    server = createServer((req, res) => {
      const done = (status: number) => opts.onRequest?.(req.method ?? '', req.url ?? '', status);
      handle(req, res, { index, packages, manifests, gitRepos, root, cacheDir: opts.cache.dir, git: opts.git ?? 'git' })
        .then(done, (e: Error) => {
          if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(`internal error: ${e.message}\n`);
          done(500);
        });
    });
    const host = opts.host ?? '127.0.0.1';
    await new Promise<void>((resolveListen, reject) => {
      server!.once('error', reject);
      server!.listen(opts.port ?? 8879, host, () => resolveListen());
    });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : opts.port;
    const shown = host.includes(':') ? `[${host}]` : host;
    const s = server;
    return {
      url: `http://${shown}:${port}`,
      index,
      git,
      manifests,
      close: async () => {
        await new Promise<void>((r) => s.close(() => r()));
        s.closeAllConnections?.();
        await rm(root, { recursive: true, force: true });
      },
    };
  } catch (e) {
    server?.close();
    await rm(root, { recursive: true, force: true });
    throw e;
  }
}

interface Served {
  index: HelmIndex;
  packages: Set<string>;
  manifests: string[];
  gitRepos: Set<string>;
  root: string;
  cacheDir: string;
  git: string;
}

function text(res: ServerResponse, status: number, body: string): number {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(body);
  return status;
}

async function handle(req: IncomingMessage, res: ServerResponse, s: Served): Promise<number> {
  const url = new URL(req.url ?? '/', 'http://mirror');
  const path = decodeURIComponent(url.pathname);
  if (path.startsWith('/git/')) return gitBackend(req, res, s, { path, query: url.search.slice(1) });
  if (req.method !== 'GET' && req.method !== 'HEAD') return text(res, 405, 'read-only mirror: GET and HEAD only\n');
  const name = path.slice(1);
  if (name === 'index.yaml') {
    res.writeHead(200, { 'content-type': 'application/x-yaml', 'content-length': Buffer.byteLength(s.index.text) });
    res.end(req.method === 'HEAD' ? undefined : s.index.text);
    return 200;
  }
  if (s.packages.has(name) || s.manifests.includes(name)) return serveFile(req, res, join(s.cacheDir, name));
  return text(res, 404, `not in the chart mirror: ${name || '/'}\n`);
}

/** A chart package or manifest of the cache, streamed (headers only for HEAD). */
async function serveFile(req: IncomingMessage, res: ServerResponse, file: string): Promise<number> {
  const size = (await stat(file)).size;
  res.writeHead(200, { 'content-type': file.endsWith('.tgz') ? 'application/gzip' : 'application/x-yaml', 'content-length': size });
  if (req.method === 'HEAD') {
    res.end();
    return 200;
  }
  await new Promise<void>((resolveStream, reject) => createReadStream(file).on('error', reject).on('end', resolveStream).pipe(res));
  return 200;
}

/** Why the mirror refuses a git request (status and text): a repository it did not build, a method or a push. */
function gitRefusal(req: IncomingMessage, s: Served, path: string, query: string): [number, string] | undefined {
  const repo = /^\/(git\/.+?\.git)(\/.*)?$/.exec(path);
  if (!repo || path.includes('..') || !s.gitRepos.has(repo[1]!) || !existsSync(join(s.root, repo[1]!))) return [404, `no such repository in the mirror: ${path}\n`];
  if (req.method !== 'GET' && req.method !== 'POST') return [405, 'GET and POST only\n'];
  if (req.method === 'POST' && !/\/git-upload-pack$/.test(path)) return [403, 'read-only mirror: fetch only\n'];
  if (/service=git-receive-pack/.test(query)) return [403, 'read-only mirror: fetch only\n'];
  return undefined;
}

/** The CGI environment of `git http-backend` for one request. */
function cgiEnvironment(req: IncomingMessage, s: Served, path: string, query: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GIT_PROJECT_ROOT: s.root,
    GIT_HTTP_EXPORT_ALL: '1',
    PATH_INFO: path,
    QUERY_STRING: query,
    REQUEST_METHOD: req.method,
    CONTENT_TYPE: req.headers['content-type'] ?? '',
    REMOTE_ADDR: req.socket.remoteAddress ?? '',
    ...(req.headers['content-length'] ? { CONTENT_LENGTH: req.headers['content-length'] } : {}),
    ...(req.headers['content-encoding'] ? { HTTP_CONTENT_ENCODING: String(req.headers['content-encoding']) } : {}),
    ...(req.headers['git-protocol'] ? { GIT_PROTOCOL: String(req.headers['git-protocol']) } : {}),
  };
}

/** The CGI response head: its `Status:` (200 when none) and the other headers. */
function cgiHead(head: string): { status: number; headers: Record<string, string> } {
  let status = 200;
  const headers: Record<string, string> = {};
  for (const line of head.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon === -1) continue;
    const k = line.slice(0, colon).trim();
    const v = line.slice(colon + 1).trim();
    if (k.toLowerCase() === 'status') status = Number(v.split(' ')[0]) || 200;
    else headers[k] = v;
  }
  return { status, headers };
}

/** Git smart HTTP through `git http-backend` (CGI), for the repositories this mirror built only. */
async function gitBackend(req: IncomingMessage, res: ServerResponse, s: Served, at: { path: string; query: string }): Promise<number> {
  const { path, query } = at;
  const refusal = gitRefusal(req, s, path, query);
  if (refusal) return text(res, ...refusal);
  const env = cgiEnvironment(req, s, path, query);
  const child = spawn(s.git, ['http-backend'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  req.pipe(child.stdin);
  let status = 200;
  let head = Buffer.alloc(0);
  let headersDone = false;
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.on('data', (chunk: Buffer) => {
    if (headersDone) {
      res.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n');
    const endLf = end === -1 ? head.indexOf('\n\n') : -1;
    if (end === -1 && endLf === -1) return;
    const split = end !== -1 ? end : endLf;
    const sep = end !== -1 ? 4 : 2;
    const parsed = cgiHead(head.subarray(0, split).toString('latin1'));
    status = parsed.status;
    res.writeHead(status, parsed.headers);
    headersDone = true;
    const rest = head.subarray(split + sep);
    if (rest.length > 0) res.write(rest);
  });
  const code = await new Promise<number>((r) => child.on('close', (c) => r(c ?? 1)));
  if (!headersDone) return text(res, 500, `git http-backend failed (${code}): ${stderr.trim()}\n`);
  res.end();
  return status;
}
