/**
 * A TEST DOUBLE of an OpenID Connect provider (not a real one): discovery,
 * an authorize endpoint that "consents" at once and sends the browser back
 * with a code, a token endpoint that checks the PKCE verifier and returns an
 * RS256-signed ID token, and the JWKS. `tamper` makes it misbehave the ways a
 * real provider or an attacker could, so the portal's checks can be seen to refuse.
 */
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProviderDouble {
  issuer: string;
  clientId: string;
  user: { name: string; email: string };
  tamper: 'none' | 'audience' | 'nonce' | 'signature' | 'expired' | 'issuer';
  close(): Promise<void>;
}

export async function oidcProviderDouble(): Promise<ProviderDouble> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'double-1', use: 'sig', alg: 'RS256' };
  const codes = new Map<string, { nonce: string; challenge: string; redirectUri: string }>();
  const p: ProviderDouble = { issuer: '', clientId: 'plinth-portal', user: { name: 'Olga Oidc', email: 'olga@example.com' }, tamper: 'none', close: async () => undefined };
  // eslint-disable-next-line complexity -- the provider's four endpoints (discovery, JWKS, authorize with PKCE, token), each refusing a bad request as an OpenID provider does
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', p.issuer);
    const json = (status: number, v: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(v));
    };
    if (url.pathname === '/.well-known/openid-configuration') return json(200, { issuer: p.issuer, authorization_endpoint: `${p.issuer}/authorize`, token_endpoint: `${p.issuer}/token`, jwks_uri: `${p.issuer}/jwks` });
    if (url.pathname === '/jwks') return json(200, { keys: [jwk] });
    if (url.pathname === '/authorize') {
      const q = url.searchParams;
      if (q.get('client_id') !== p.clientId || q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge') || q.get('response_type') !== 'code') return json(400, { error: 'invalid_request' });
      const code = randomBytes(16).toString('hex');
      codes.set(code, { nonce: q.get('nonce')!, challenge: q.get('code_challenge')!, redirectUri: q.get('redirect_uri')! });
      res.writeHead(302, { location: `${q.get('redirect_uri')}?code=${code}&state=${encodeURIComponent(q.get('state')!)}` });
      return void res.end();
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      let body = '';
      req.on('data', (c) => (body += c));
      // eslint-disable-next-line complexity -- the token endpoint: the grant and PKCE check, then an ID token with each tampering the tests ask for (issuer, audience, expiry, nonce, signature)
      req.on('end', () => {
        const f = new URLSearchParams(body);
        const grant = codes.get(f.get('code') ?? '');
        codes.delete(f.get('code') ?? '');
        const verifier = f.get('code_verifier') ?? '';
        if (!grant || grant.redirectUri !== f.get('redirect_uri') || createHash('sha256').update(verifier).digest('base64url') !== grant.challenge) return json(400, { error: 'invalid_grant' });
        const now = Math.floor(Date.now() / 1000);
        const claims = {
          iss: p.tamper === 'issuer' ? 'https://evil.example' : p.issuer,
          aud: p.tamper === 'audience' ? 'another-app' : p.clientId,
          sub: 'olga',
          exp: p.tamper === 'expired' ? now - 3600 : now + 300,
          iat: now,
          nonce: p.tamper === 'nonce' ? 'replayed' : grant.nonce,
          name: p.user.name,
          email: p.user.email,
          email_verified: true,
        };
        const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
        const input = `${enc({ alg: 'RS256', kid: 'double-1', typ: 'JWT' })}.${enc(claims)}`;
        let sig = sign('RSA-SHA256', Buffer.from(input), privateKey).toString('base64url');
        if (p.tamper === 'signature') sig = sign('RSA-SHA256', Buffer.from(`${input}x`), privateKey).toString('base64url');
        json(200, { access_token: 'x', token_type: 'Bearer', id_token: `${input}.${sig}` });
      });
      return;
    }
    json(404, { error: 'not_found' });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  p.issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  p.close = () => new Promise((r) => server.close(() => r()));
  return p;
}
