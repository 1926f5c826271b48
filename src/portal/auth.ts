/**
 * Login and request protection of the portal. A random token printed at
 * start is the login (compared in constant time); a session is an HttpOnly,
 * SameSite=Strict cookie; every write carries the session's CSRF token and
 * an Origin of the portal itself; every request's Host must be the portal's
 * (no DNS rebinding).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Identity } from '../gitops/git.js';

export const SESSION_COOKIE = 'plinth_session';
const SESSION_TTL_MS = 12 * 3600 * 1000;
const MAX_SESSIONS = 10_000;

export interface Session {
  id: string;
  csrf: string;
  user: Identity;
  expires: number;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

export function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

export const newToken = (): string => randomBytes(32).toString('base64url');

export class Sessions {
  private readonly byId = new Map<string, Session>();

  constructor(
    /** undefined: no token login (OIDC only). */
    private readonly loginToken: string | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new session when `token` is the login token. */
  login(token: string, user: Identity): Session | undefined {
    if (this.loginToken === undefined || !sameSecret(token, this.loginToken)) return undefined;
    return this.create(user);
  }

  /** A session for a user an identity provider vouched for (OIDC). */
  create(user: Identity): Session {
    if (this.byId.size >= MAX_SESSIONS) this.expire(true);
    const s: Session = { id: newToken(), csrf: newToken(), user, expires: this.now() + SESSION_TTL_MS };
    this.byId.set(s.id, s);
    return s;
  }

  get(req: IncomingMessage): Session | undefined {
    const id = cookies(req)[SESSION_COOKIE];
    if (!id) return undefined;
    const s = this.byId.get(id);
    if (!s) return undefined;
    if (s.expires < this.now()) {
      this.byId.delete(id);
      return undefined;
    }
    return s;
  }

  logout(s: Session): void {
    this.byId.delete(s.id);
  }

  private expire(oldest: boolean): void {
    const t = this.now();
    for (const [id, s] of this.byId) if (s.expires < t) this.byId.delete(id);
    if (oldest && this.byId.size >= MAX_SESSIONS) this.byId.delete(this.byId.keys().next().value!);
  }
}

export function cookies(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

export function sessionCookie(s: Session): string {
  return `${SESSION_COOKIE}=${s.id}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${SESSION_TTL_MS / 1000}`;
}

export const clearedCookie = `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`;

/** Whether the request is addressed to the portal itself (Host header), so a rebound DNS name cannot reach it. */
export function hostAllowed(req: IncomingMessage, allowed: ReadonlySet<string>): boolean {
  const host = (req.headers.host ?? '').toLowerCase();
  return allowed.has(host);
}

/** A write must come from the portal's own pages: Origin (or, without it, Referer) is the portal's origin. */
export function sameOrigin(req: IncomingMessage, origins: ReadonlySet<string>): boolean {
  const origin = req.headers.origin;
  if (typeof origin === 'string') return origins.has(origin.toLowerCase());
  const referer = req.headers.referer;
  if (typeof referer !== 'string') return false;
  try {
    return origins.has(new URL(referer).origin.toLowerCase());
  } catch {
    return false;
  }
}

export function csrfValid(s: Session, token: string | undefined): boolean {
  return typeof token === 'string' && token.length > 0 && sameSecret(token, s.csrf);
}

export const OIDC_COOKIE = 'plinth_oidc';
/** The pending OIDC login's state, bound to this browser; Lax, since the provider sends the browser back cross-site. */
export const oidcCookie = (state: string): string => `${OIDC_COOKIE}=${state}; HttpOnly; SameSite=Lax; Path=/login; Max-Age=600`;
export const clearedOidcCookie = `${OIDC_COOKIE}=; HttpOnly; SameSite=Lax; Path=/login; Max-Age=0`;
