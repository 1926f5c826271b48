/**
 * OpenID Connect login for the portal, when configured (instead of the
 * printed token): the authorization code flow with PKCE, state and nonce;
 * the ID token's signature checked against the provider's published keys
 * (RS256 or ES256), its issuer, audience, expiry and nonce checked; the
 * user's name and email become the author of the commits they make.
 */
import { createHash, createPublicKey, randomBytes, verify, type JsonWebKey } from 'node:crypto';
import type { Identity } from '../gitops/git.js';

export interface OidcSettings {
  issuer: string;
  clientId: string;
  /** Confidential clients only; from the environment, never a flag. */
  clientSecret?: string;
}

interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
}

export interface PendingLogin {
  state: string;
  nonce: string;
  verifier: string;
  expires: number;
}

export class OidcError extends Error {}

const b64url = (b: Buffer) => b.toString('base64url');
const PENDING_MS = 10 * 60 * 1000;
const CLOCK_SKEW_S = 60;
const JWKS_TTL_MS = 10 * 60 * 1000;

type Fetch = (input: string, init?: { method?: string; headers?: Record<string, string>; body?: string }) => Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>;

export class OidcLogin {
  private keys?: { at: number; jwks: (JsonWebKey & { kid?: string; alg?: string; use?: string })[] };
  private readonly pending = new Map<string, PendingLogin>();

  private constructor(
    readonly settings: OidcSettings,
    private readonly meta: Discovery,
    private readonly fetchFn: Fetch,
  ) {}

  /** Reads the provider's discovery document; its issuer must be the one configured. */
  static async discover(settings: OidcSettings, fetchFn: Fetch = fetch as unknown as Fetch): Promise<OidcLogin> {
    const issuer = settings.issuer.replace(/\/$/, '');
    const url = `${issuer}/.well-known/openid-configuration`;
    const res = await fetchFn(url).catch((e: unknown) => {
      throw new OidcError(`cannot reach the OIDC provider at ${url}: ${(e as Error).message}`);
    });
    if (!res.ok) throw new OidcError(`the OIDC provider answered ${res.status} for ${url}`);
    const meta = (await res.json()) as Partial<Discovery>;
    if (meta.issuer?.replace(/\/$/, '') !== issuer) throw new OidcError(`the OIDC discovery document names issuer ${JSON.stringify(meta.issuer)}, not ${issuer}`);
    for (const k of ['authorization_endpoint', 'token_endpoint', 'jwks_uri'] as const) if (typeof meta[k] !== 'string') throw new OidcError(`the OIDC discovery document has no ${k}`);
    return new OidcLogin({ ...settings, issuer }, meta as Discovery, fetchFn);
  }

  /** Where to send the browser, and what to remember until it comes back. */
  begin(redirectUri: string): { url: string; state: string } {
    const now = Date.now();
    for (const [k, p] of this.pending) if (p.expires < now) this.pending.delete(k);
    const p: PendingLogin = { state: b64url(randomBytes(24)), nonce: b64url(randomBytes(24)), verifier: b64url(randomBytes(48)), expires: now + PENDING_MS };
    this.pending.set(p.state, p);
    const q = new URLSearchParams({
      response_type: 'code',
      client_id: this.settings.clientId,
      redirect_uri: redirectUri,
      scope: 'openid email profile',
      state: p.state,
      nonce: p.nonce,
      code_challenge: b64url(createHash('sha256').update(p.verifier).digest()),
      code_challenge_method: 'S256',
    });
    return { url: `${this.meta.authorization_endpoint}?${q}`, state: p.state };
  }

  /** The provider sent the browser back: exchange the code, verify the ID token, return the user. */
  async complete(state: string, code: string, redirectUri: string): Promise<Identity> {
    const p = this.pending.get(state);
    this.pending.delete(state);
    if (!p || p.expires < Date.now()) throw new OidcError('this login is unknown or expired: start again');
    const body = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: this.settings.clientId, code_verifier: p.verifier, ...(this.settings.clientSecret ? { client_secret: this.settings.clientSecret } : {}) });
    const res = await this.fetchFn(this.meta.token_endpoint, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: body.toString() });
    if (!res.ok) throw new OidcError(`the OIDC provider refused the code (${res.status})`);
    const tokens = (await res.json()) as { id_token?: string };
    if (typeof tokens.id_token !== 'string') throw new OidcError('the OIDC provider returned no ID token');
    const claims = await this.verifyIdToken(tokens.id_token, p.nonce);
    const email = typeof claims.email === 'string' ? claims.email : undefined;
    if (!email || claims.email_verified === false) throw new OidcError('the ID token has no verified email: the portal needs one for the commit author');
    const name = [claims.name, claims.preferred_username, email].find((v) => typeof v === 'string' && v.trim() !== '') as string;
    return { name: name.replace(/[<>\n]/g, ''), email: email.replace(/[<>\s]/g, '') };
  }

  private async jwks(refresh: boolean) {
    if (!this.keys || refresh || Date.now() - this.keys.at > JWKS_TTL_MS) {
      const res = await this.fetchFn(this.meta.jwks_uri);
      if (!res.ok) throw new OidcError(`cannot read the OIDC provider's keys (${res.status})`);
      const doc = (await res.json()) as { keys?: unknown[] };
      this.keys = { at: Date.now(), jwks: (doc.keys ?? []) as (JsonWebKey & { kid?: string })[] };
    }
    return this.keys.jwks;
  }

  // eslint-disable-next-line complexity -- the ID token checks of OpenID Connect Core 3.1.3.7 in order (JWT shape, alg, key by kid, signature, iss, aud, exp, nonce), each with its own refusal
  async verifyIdToken(token: string, nonce: string): Promise<Record<string, unknown>> {
    const parts = token.split('.');
    if (parts.length !== 3) throw new OidcError('the ID token is not a JWT');
    const [h, c, sig] = parts as [string, string, string];
    let header: { alg?: string; kid?: string };
    let claims: Record<string, unknown>;
    try {
      header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as { alg?: string; kid?: string };
      claims = JSON.parse(Buffer.from(c, 'base64url').toString('utf8')) as Record<string, unknown>;
    } catch {
      throw new OidcError('the ID token is not a JWT');
    }
    if (header.alg !== 'RS256' && header.alg !== 'ES256') throw new OidcError(`the ID token is signed with ${JSON.stringify(header.alg)}; only RS256 and ES256 are accepted`);
    const pick = (keys: (JsonWebKey & { kid?: string; alg?: string; use?: string })[]) => keys.filter((k) => (header.kid === undefined || k.kid === header.kid) && (k.use === undefined || k.use === 'sig') && (header.alg === 'RS256' ? k.kty === 'RSA' : k.kty === 'EC'));
    let candidates = pick(await this.jwks(false));
    if (candidates.length === 0) candidates = pick(await this.jwks(true));
    const data = Buffer.from(`${h}.${c}`);
    const signature = Buffer.from(sig, 'base64url');
    const ok = candidates.some((jwk) => {
      try {
        const key = createPublicKey({ key: jwk, format: 'jwk' });
        return header.alg === 'RS256' ? verify('RSA-SHA256', data, key, signature) : verify('SHA256', data, { key, dsaEncoding: 'ieee-p1363' }, signature);
      } catch {
        return false;
      }
    });
    if (!ok) throw new OidcError('the ID token signature does not verify with the provider\'s keys');
    const now = Math.floor(Date.now() / 1000);
    const aud = claims.aud;
    if (claims.iss !== this.settings.issuer && claims.iss !== `${this.settings.issuer}/`) throw new OidcError(`the ID token was issued by ${JSON.stringify(claims.iss)}, not ${this.settings.issuer}`);
    if (!(aud === this.settings.clientId || (Array.isArray(aud) && aud.includes(this.settings.clientId)))) throw new OidcError('the ID token is not meant for this portal (aud)');
    if (typeof claims.exp !== 'number' || claims.exp + CLOCK_SKEW_S < now) throw new OidcError('the ID token has expired');
    if (claims.nonce !== nonce) throw new OidcError('the ID token does not answer this login (nonce)');
    return claims;
  }
}
