/**
 * `plinth portal`: a web server over the same library as the CLI, beside the
 * GitOps repository. 127.0.0.1 by default; every page and API needs a login
 * (the token printed at start); every write needs the session's CSRF token
 * and the portal's own Origin; every name and path from a request is
 * validated before it reaches git or a page; the only writes are golden-path
 * commits on new branches, serialized and checked by `plinth check` first.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PlatformCheck } from '../checks/platform.js';
import type { LoadedConfig } from '../config/load.js';
import type { Identity } from '../gitops/git.js';
import { TEMPLATES, templateNamed } from '../golden/index.js';
import { validateValues, type RawValues } from '../golden/validate.js';
import { commitProposal, type GoldenContext, type Outcome, proposeNew } from '../golden/workflow.js';
import { CATALOG } from '../catalog/index.js';
import { APP_CSS, APP_JS } from './assets.js';
import { clearedCookie, clearedOidcCookie, cookies, csrfValid, hostAllowed, newToken, OIDC_COOKIE, oidcCookie, sameOrigin, type Session, sessionCookie, Sessions } from './auth.js';
import type { OidcLogin } from './oidc.js';
import { Compliance } from './compliance.js';
import { esc, html } from './html.js';
import { Jobs } from './jobs.js';
import { CSRF_PLACEHOLDER, loginPage, page, signedInPage, USER_PLACEHOLDER } from './layout.js';
import { PortalModel, type PortalView } from './model.js';
import { catalogPage, compliancePage, entityHref, entityPage, filePage, type HealthView, overviewPage, PAGE_SIZE, servicePage } from './pages.js';
import { scaffoldPage, templatesPage } from './scaffold-page.js';
import { graphPage, graphSvg, scenariosPage, scenariosSvg } from './views.js';

export interface PortalOptions {
  loaded: LoadedConfig;
  golden: GoldenContext;
  /** Author of the commits made through a token login (the person who started the portal); with OIDC, the signed-in user. */
  user: Identity;
  host?: string;
  port?: number;
  /** Login token; random when not given; none with OIDC. */
  token?: string;
  /** OpenID Connect login instead of the token; commits are authored by the signed-in user. */
  oidc?: OidcLogin;
  health?: () => Promise<HealthView>;
}

export interface RunningPortal {
  url: string;
  /** undefined with OIDC. */
  token?: string;
  server: Server;
  close(): Promise<void>;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const ENTITY_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const JOB_ID = /^[A-Za-z0-9_-]{16}$/;
const MAX_BODY = 64 * 1024;
const PAGE_CACHE = 2000;

const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  // same-origin, not no-referrer: with no-referrer Chromium sends `Origin: null` on the portal's own form posts.
  'referrer-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

/** A cached page as bytes, split where the session's CSRF token and user go. */
interface CachedPage {
  chunks: Buffer[];
  slots: ('csrf' | 'user')[];
}

const PLACEHOLDERS = new RegExp(`(${CSRF_PLACEHOLDER}|${USER_PLACEHOLDER})`);

function splitPage(text: string): CachedPage {
  const pieces = text.split(PLACEHOLDERS);
  const chunks: Buffer[] = [];
  const slots: CachedPage['slots'] = [];
  pieces.forEach((p, i) => {
    if (i % 2 === 0) chunks.push(Buffer.from(p, 'utf8'));
    else slots.push(p === CSRF_PLACEHOLDER ? 'csrf' : 'user');
  });
  return { chunks, slots };
}

function personalize(p: CachedPage, s: Session): Buffer {
  if (p.slots.length === 0) return p.chunks[0]!;
  const user = Buffer.from(esc(`${s.user.name} <${s.user.email}>`), 'utf8');
  const csrf = Buffer.from(s.csrf, 'utf8');
  const parts: Buffer[] = [p.chunks[0]!];
  p.slots.forEach((slot, i) => parts.push(slot === 'csrf' ? csrf : user, p.chunks[i + 1]!));
  return Buffer.concat(parts);
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new HttpError(413, 'request body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function formOrJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const text = await readBody(req);
  const type = req.headers['content-type'] ?? '';
  if (type.startsWith('application/json')) {
    try {
      const v = JSON.parse(text || '{}') as unknown;
      // Caught just below: the request gets a 400.
      if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('not an object');
      return v as Record<string, unknown>;
    } catch {
      throw new HttpError(400, 'the body is not a JSON object');
    }
  }
  return Object.fromEntries(new URLSearchParams(text));
}

/** Job results as the page reads them: the proposal without the internals. */
function publicOutcome(o: Outcome): Record<string, unknown> {
  if (o.status === 'invalid') return { status: o.status, problems: o.problems };
  if (o.status === 'unchanged') return { status: o.status, message: o.message, ...(o.branch ? { branch: o.branch } : {}) };
  const p = o.proposal;
  return { status: o.status, branch: p.branch, errors: p.errors, warnings: p.warnings, own: p.own, errors_list: p.findings.filter((f) => f.severity === 'error').slice(0, 20), diff: p.diff, services: p.services };
}

export async function startPortal(opts: PortalOptions): Promise<RunningPortal> {
  const host = opts.host ?? '127.0.0.1';
  const token = opts.oidc ? undefined : (opts.token ?? newToken());
  const sessions = new Sessions(token);
  const issuer = opts.oidc?.settings.issuer;
  const model = new PortalModel(opts.loaded, opts.golden);
  const jobs = new Jobs();
  const compliance = new Compliance(opts.golden, jobs);
  const pageCache = new Map<string, CachedPage>();
  const committed = new Set<string>();
  let healthCache: { at: number; value: HealthView } | undefined;
  let allowedHosts = new Set<string>();
  let origins = new Set<string>();
  const platformName = opts.loaded.config.cluster.name;

  const health = async (): Promise<HealthView> => {
    if (!opts.health) return { note: 'not connected (start the portal with --context to show sync and health)' };
    if (healthCache && Date.now() - healthCache.at < 15_000) return healthCache.value;
    const value = await opts.health().catch((e: unknown) => ({ note: `not reachable: ${(e as Error).message}` }));
    healthCache = { at: Date.now(), value };
    return value;
  };

  const checkOf = (view: PortalView): { jobId: string; result?: PlatformCheck } => {
    const job = compliance.of(view);
    return { jobId: job.id, ...(job.status === 'done' ? { result: job.result! } : {}) };
  };

  // eslint-disable-next-line max-params -- the one place a response is written: res, status, content type and body are what every one of its calls gives, extra headers a few add
  const send = (res: ServerResponse, status: number, type: string, body: string | Buffer, extra: Record<string, string | string[]> = {}) => {
    res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type, 'cache-control': 'no-store', ...extra });
    res.end(body);
  };
  const sendJson = (res: ServerResponse, status: number, value: unknown) => send(res, status, 'application/json; charset=utf-8', JSON.stringify(value));
  const sendPage = (res: ServerResponse, s: Session, p: string | CachedPage, status = 200) => send(res, status, 'text/html; charset=utf-8', personalize(typeof p === 'string' ? splitPage(p) : p, s));

  /** A page (or any body) rendered once per view and check state, then served from memory as bytes. */
  const cached = (key: string, render: () => string): CachedPage => {
    const hit = pageCache.get(key);
    if (hit !== undefined) return hit;
    const p = splitPage(render());
    if (pageCache.size >= PAGE_CACHE) pageCache.delete(pageCache.keys().next().value!);
    pageCache.set(key, p);
    return p;
  };

  const label = (value: string | undefined, what: string, re = DNS_LABEL): string => {
    const v = value ?? '';
    if (!re.test(v)) throw new HttpError(400, `${what} ${JSON.stringify(v.slice(0, 80))} is not a valid name`);
    return v;
  };

  // eslint-disable-next-line complexity -- the portal's GET router: one case per page (catalog, entities, services and their files, new, scenarios, graph, compliance, api), each checking its own path segments; splitting it scatters the URL table
  async function handleGet(res: ServerResponse, s: Session, url: URL, parts: string[]): Promise<void> {
    const view = await model.current();
    const check = checkOf(view);
    const key = `${view.version}:${check.result ? 1 : 0}:${url.pathname}${url.search}`;
    const [first, second, third] = parts;
    if (parts.length === 0) {
      return sendPage(res, s, page('Platform overview', '/', overviewPage(view, await health(), check), platformName));
    }
    switch (first) {
      case 'catalog': {
        if (parts.length !== 1) break;
        const query = { kind: (url.searchParams.get('kind') ?? '').slice(0, 40), q: (url.searchParams.get('q') ?? '').slice(0, 100), page: Number(url.searchParams.get('page') ?? 1) || 1 };
        return sendPage(res, s, cached(key, () => page('Service catalog', '/catalog', catalogPage(view, query), platformName)));
      }
      case 'entities': {
        const kind = label(second, 'kind');
        const name = label(third, 'entity', ENTITY_NAME);
        const e = view.entities.find((x) => x.kind.toLowerCase() === kind && x.name === name);
        if (!e || parts.length !== 3) throw new HttpError(404, `no ${kind} ${name} in the catalog`);
        if (e.service) return void res.writeHead(302, { location: entityHref(e) }).end();
        return sendPage(res, s, cached(key, () => page(`${e.kind} ${e.name}`, '/catalog', entityPage(view, e, check.result), platformName)));
      }
      case 'services': {
        const team = label(second, 'team');
        const name = label(third, 'service name');
        const svc = view.services.get(`${team}/${name}`);
        if (!svc || parts.length > 4 || (parts.length === 4 && parts[3] !== 'file')) throw new HttpError(404, `no service ${team}/${name} in the repository`);
        if (parts.length === 4) {
          // Only a file the service has, by its exact repository path: nothing else can be named.
          const path = url.searchParams.get('path') ?? '';
          if (!svc.files.has(path)) throw new HttpError(404, `${team}/${name} has no file ${JSON.stringify(path.slice(0, 200))}`);
          return sendPage(res, s, cached(key, () => page(`${team}/${name}: ${path.split('/').pop()}`, '/catalog', filePage(svc, path), platformName)));
        }
        return sendPage(res, s, cached(key, () => page(`Service ${team}/${name}`, '/catalog', servicePage(view, svc, check.result, check.jobId), platformName)));
      }
      case 'new': {
        if (parts.length === 1) return sendPage(res, s, page('Create from a golden path', '/new', templatesPage(TEMPLATES), platformName));
        const t = templateNamed(label(second, 'template'));
        if (!t || parts.length !== 2) throw new HttpError(404, `no golden path ${second}`);
        return sendPage(res, s, page(`New ${t.title.toLowerCase()}`, '/new', scaffoldPage(t, view.state.platform), platformName));
      }
      case 'scenarios':
        return sendPage(res, s, cached(key, () => page('Failure scenarios', '/scenarios', scenariosPage(view, check.result, check.jobId), platformName)));
      case 'scenarios.svg':
        return send(res, 200, 'image/svg+xml', cached(`svg:${key}`, () => scenariosSvg(view, check.result)).chunks[0]!);
      case 'graph':
        return sendPage(res, s, cached(key, () => page('Dependency graph', '/graph', graphPage(view), platformName)));
      case 'graph.svg':
        return send(res, 200, 'image/svg+xml', cached(`svg:${key}`, () => graphSvg(view)).chunks[0]!);
      case 'compliance':
        return sendPage(res, s, cached(key, () => page('Compliance', '/compliance', compliancePage(view, check.result, check.jobId), platformName)));
      case 'api':
        return handleApiGet(res, s, { url, parts: parts.slice(1) }, view);
    }
    throw new HttpError(404, `no page ${url.pathname}`);
  }

  /** GET /api/…: `at.parts` are the path segments after `api`. */
  // eslint-disable-next-line complexity -- the JSON API's GET routes (catalog pages, a job's state, a job's event stream), each checking its own segments and the job's owner
  async function handleApiGet(res: ServerResponse, s: Session, at: { url: URL; parts: string[] }, view: PortalView): Promise<void> {
    const { url, parts } = at;
    const [what, id, sub] = parts;
    if (what === 'catalog' && parts.length === 1) {
      const kind = url.searchParams.get('kind') ?? '';
      const pageNo = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
      const body = cached(`api:${view.version}:${kind}:${pageNo}`, () => {
        const all = view.entities.filter((e) => kind === '' || e.kind === kind);
        return JSON.stringify({ total: all.length, page: pageNo, entities: all.slice((pageNo - 1) * PAGE_SIZE, pageNo * PAGE_SIZE) });
      });
      return send(res, 200, 'application/json; charset=utf-8', body.chunks[0]!);
    }
    if (what === 'jobs' && id && JOB_ID.test(id)) {
      const job = jobs.get(id, s.id);
      if (!job) throw new HttpError(404, 'no such job');
      if (sub === 'events' && parts.length === 3) return jobs.stream(job, res);
      if (parts.length === 2) return sendJson(res, 200, { status: job.status, steps: job.steps, ...(job.error ? { error: job.error } : {}), ...(job.status === 'done' && job.kind === 'proposal' ? { result: publicOutcome(job.result as Outcome) } : {}) });
    }
    throw new HttpError(404, `no API ${url.pathname}`);
  }

  // eslint-disable-next-line complexity -- the portal's POST routes (logout, a new proposal, committing a checked proposal), each with its own refusals (CSRF, unknown template, values, job state, already committed)
  async function handlePost(req: IncomingMessage, res: ServerResponse, s: Session, parts: string[]): Promise<void> {
    const body = await formOrJson(req);
    const token = (req.headers['x-csrf-token'] as string | undefined) ?? (typeof body._csrf === 'string' ? body._csrf : undefined);
    if (!csrfValid(s, token)) throw new HttpError(403, 'missing or wrong CSRF token: reload the page');
    const [first, second, third, fourth] = parts;
    if (first === 'logout' && parts.length === 1) {
      sessions.logout(s);
      res.writeHead(303, { ...SECURITY_HEADERS, location: '/login', 'set-cookie': clearedCookie });
      return void res.end();
    }
    if (first === 'api' && second === 'proposals' && parts.length === 2) {
      const t = typeof body.template === 'string' ? templateNamed(body.template) : undefined;
      if (!t) return sendJson(res, 422, { problems: [{ field: 'template', message: `no golden path ${JSON.stringify(body.template)}` }] });
      const raw = (body.values && typeof body.values === 'object' ? body.values : {}) as RawValues;
      for (const [k, v] of Object.entries(raw)) if (typeof v !== 'string' && typeof v !== 'boolean' && typeof v !== 'number') return sendJson(res, 422, { problems: [{ field: k, message: 'expected text' }] });
      const view = await model.current();
      const existing = [...view.snap.services, ...view.snap.proposed.filter((p) => p.branch !== `plinth/new/${raw.team}/${raw.name}`)];
      const quick = validateValues(t, view.state.platform, raw, { existing, componentNames: CATALOG.map((c) => c.name) });
      if (!quick.values) return sendJson(res, 422, { problems: quick.problems });
      const job = jobs.start('proposal', s.id, (progress) => proposeNew({ ...opts.golden, progress }, t.name, raw));
      return sendJson(res, 202, { job: job.id });
    }
    if (first === 'api' && second === 'jobs' && third && JOB_ID.test(third) && fourth === 'commit' && parts.length === 4) {
      const job = jobs.get(third, s.id);
      if (!job || job.kind !== 'proposal') throw new HttpError(404, 'no such proposal');
      const outcome = job.result as Outcome | undefined;
      if (job.status !== 'done' || !outcome || outcome.status !== 'ready') throw new HttpError(409, 'this proposal has not passed its check');
      if (committed.has(job.id)) throw new HttpError(409, 'already committed');
      committed.add(job.id);
      try {
        const done = await commitProposal(opts.golden, outcome.proposal, s.user);
        pageCache.clear();
        await model.invalidate();
        const svc = outcome.proposal.services[0]!;
        return sendJson(res, 200, { commit: done.commit, branch: done.branch, author: `${s.user.name} <${s.user.email}>`, service: `/services/${svc.team}/${svc.name}` });
      } catch (e) {
        committed.delete(job.id);
        throw new HttpError(409, (e as Error).message);
      }
    }
    throw new HttpError(404, 'no such action');
  }

  // eslint-disable-next-line complexity -- the request's gate in order: allowed host, path decoding and traversal, assets, same origin for writes, the OIDC and token logins, the session; each refusal has its own status
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!hostAllowed(req, allowedHosts)) throw new HttpError(421, 'this portal answers only to its own address');
    const url = new URL(req.url ?? '/', 'http://portal.invalid');
    let parts: string[];
    try {
      parts = url.pathname.split('/').filter((p) => p !== '').map((p) => decodeURIComponent(p));
    } catch {
      throw new HttpError(400, 'malformed path');
    }
    if (parts.some((p) => p === '..' || p === '.' || p.includes('/') || p.includes('\\') || p.includes('\0'))) throw new HttpError(400, 'path traversal refused: names may not contain "/", "\\" or ".."');
    const method = req.method ?? 'GET';
    if (method === 'GET' && parts[0] === 'assets' && parts.length === 2) {
      if (parts[1] === 'app.css') return send(res, 200, 'text/css; charset=utf-8', APP_CSS, { 'cache-control': 'max-age=300' });
      if (parts[1] === 'app.js') return send(res, 200, 'text/javascript; charset=utf-8', APP_JS, { 'cache-control': 'max-age=300' });
      throw new HttpError(404, 'no such asset');
    }
    if (method === 'POST' && !sameOrigin(req, origins)) throw new HttpError(403, 'cross-site request refused: writes come only from the portal\'s own pages');
    if (parts[0] === 'login' && parts.length === 2 && method === 'GET' && opts.oidc) {
      const redirectUri = `${[...origins][0]}/login/callback`;
      if (parts[1] === 'oidc') {
        const { url: to, state } = opts.oidc.begin(redirectUri);
        res.writeHead(303, { ...SECURITY_HEADERS, location: to, 'set-cookie': oidcCookie(state), 'cache-control': 'no-store' });
        return void res.end();
      }
      if (parts[1] === 'callback') {
        const state = url.searchParams.get('state') ?? '';
        const code = url.searchParams.get('code') ?? '';
        const error = url.searchParams.get('error');
        if (error) return send(res, 401, 'text/html; charset=utf-8', loginPage(`The identity provider refused the login: ${error.slice(0, 100)}`, issuer), { 'set-cookie': clearedOidcCookie });
        if (!state || !code || cookies(req)[OIDC_COOKIE] !== state) return send(res, 400, 'text/html; charset=utf-8', loginPage('This login did not start in this browser: start again.', issuer), { 'set-cookie': clearedOidcCookie });
        try {
          const user = await opts.oidc.complete(state, code, redirectUri);
          const session = sessions.create(user);
          res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'set-cookie': [sessionCookie(session), clearedOidcCookie] });
          return void res.end(signedInPage());
        } catch (e) {
          return send(res, 401, 'text/html; charset=utf-8', loginPage(`Not signed in: ${(e as Error).message}`, issuer), { 'set-cookie': clearedOidcCookie });
        }
      }
    }
    if (parts[0] === 'login' && parts.length === 1) {
      if (method === 'GET') return send(res, 200, 'text/html; charset=utf-8', loginPage(undefined, issuer));
      if (method === 'POST') {
        const body = await formOrJson(req);
        const session = typeof body.token === 'string' ? sessions.login(body.token, opts.user) : undefined;
        if (!session) {
          await new Promise((r) => setTimeout(r, 250));
          return send(res, 401, 'text/html; charset=utf-8', loginPage(opts.oidc ? 'Sign in with the identity provider.' : 'Wrong token: nothing opened.', issuer));
        }
        res.writeHead(303, { ...SECURITY_HEADERS, location: '/', 'set-cookie': sessionCookie(session), 'cache-control': 'no-store' });
        return void res.end();
      }
    }
    const s = sessions.get(req);
    if (!s) {
      if (method === 'GET' && parts[0] !== 'api') {
        res.writeHead(303, { ...SECURITY_HEADERS, location: '/login' });
        return void res.end();
      }
      throw new HttpError(401, 'sign in first');
    }
    if (method === 'GET' || method === 'HEAD') return handleGet(res, s, url, parts);
    if (method === 'POST') return handlePost(req, res, s, parts);
    throw new HttpError(405, `method ${method} not allowed`);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      const status = e instanceof HttpError ? e.status : 500;
      const message = e instanceof HttpError ? e.message : `internal error: ${(e as Error).message}`;
      if (res.headersSent) return void res.end();
      const wantsJson = (req.url ?? '').startsWith('/api/') || req.method === 'POST';
      if (wantsJson) sendJson(res, status, { error: message });
      else send(res, status, 'text/html; charset=utf-8', html`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${status} · Plinth</title><link rel="stylesheet" href="/assets/app.css"></head><body><main><h1>${status}</h1><p class="error" role="alert">${message}</p><p><a href="/">Back to the overview</a></p></main></body></html>`.text);
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 7420, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const hostPart = host.includes(':') ? `[${host}]` : host;
  allowedHosts = new Set([`${hostPart}:${port}`, ...(host === '127.0.0.1' || host === '::1' ? [`localhost:${port}`] : [])].map((h) => h.toLowerCase()));
  origins = new Set([...allowedHosts].map((h) => `http://${h}`));
  // Warm: the view and the background check of the base branch.
  void model.current().then((v) => compliance.of(v), () => undefined);
  return {
    url: `http://${hostPart}:${port}`,
    ...(token ? { token } : {}),
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
