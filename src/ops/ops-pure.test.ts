import bcrypt from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import { appState } from './argo.js';
import { formatElapsed, parseDuration } from './context.js';
import { sortForApply } from './order.js';
import { MIN_SECRET_LENGTH, Redactor } from './redact.js';
import { retrying, transientReason } from './vault/api.js';
import { fillSecret } from './vault/secrets.js';

describe('Redactor', () => {
  it('replaces registered values and their base64 form, longest first', () => {
    const r = new Redactor();
    r.add('hunter2hunter2');
    r.add('hunter2hunter2-and-more');
    r.add('hunt3r'); // the shortest value matched
    expect(r.redact('a hunter2hunter2-and-more b hunter2hunter2 c aHVudGVyMmh1bnRlcjI= d hunt3r')).toBe('a [redacted] b [redacted] c [redacted] d [redacted]');
  });

  it('does not match values shorter than MIN_SECRET_LENGTH: the marks would give them away in ordinary text', () => {
    const r = new Redactor();
    r.add('12345');
    expect(MIN_SECRET_LENGTH).toBe(6);
    expect(r.redact('waited 12345 ms for 3 nodes')).toBe('waited 12345 ms for 3 nodes');
  });
});

describe('durations', () => {
  it('parses and formats', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('30')).toBe(1_800_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('soon')).toBeUndefined();
    expect(formatElapsed(65_000)).toBe('1m05s');
    expect(formatElapsed(3_725_000)).toBe('1h02m');
  });
});

describe('apply order', () => {
  it('puts what others need first and custom resources last', () => {
    const o = (apiVersion: string, kind: string) => ({ apiVersion, kind, metadata: { name: kind } });
    const sorted = sortForApply([o('example.com/v1', 'Widget'), o('apps/v1', 'Deployment'), o('admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration'), o('v1', 'ServiceAccount'), o('v1', 'Namespace'), o('v1', 'Service')]);
    expect(sorted.map((x) => x.kind)).toEqual(['Namespace', 'ServiceAccount', 'Service', 'Deployment', 'ValidatingWebhookConfiguration', 'Widget']);
  });
});

describe('Application state', () => {
  it("quotes Argo CD's message and the failing resources", () => {
    const s = appState({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'loki' },
      status: {
        sync: { status: 'OutOfSync' },
        health: { status: 'Missing' },
        operationState: { phase: 'Failed', message: 'one or more objects failed to apply', syncResult: { resources: [{ kind: 'StatefulSet', namespace: 'observability', name: 'loki', status: 'SyncFailed', message: 'field is immutable' }] } },
      },
    });
    expect(s).toEqual({ name: 'loki', sync: 'OutOfSync', health: 'Missing', message: 'one or more objects failed to apply', failing: [{ kind: 'StatefulSet', namespace: 'observability', name: 'loki', message: 'field is immutable' }], syncFailed: true });
    expect(appState(undefined, 'x')).toMatchObject({ sync: 'Missing', health: 'Missing' });
  });
});

describe('platform secrets', () => {
  const secret = {
    path: 'platform/argocd',
    keys: [
      { name: 'hash', generate: { bcryptOf: 'password' } },
      { name: 'password', generate: 'password' as const },
      { name: 'user', generate: { value: 'admin' } },
      { name: 'token', generate: 'token' as const },
    ],
  };

  it('generates what is missing, and the bcrypt of the key it names', () => {
    const filled = fillSecret(secret, {});
    expect(filled.created).toEqual(['hash', 'password', 'user', 'token']);
    expect(filled.fixed).toEqual(['user']); // set to the declared value: not generated, not secret
    expect(filled.data.password).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(filled.data.token).toMatch(/^[0-9a-f]{64}$/);
    expect(bcrypt.compareSync(filled.data.password!, filled.data.hash!)).toBe(true);
  });

  it('never changes an existing key', () => {
    const filled = fillSecret(secret, { password: 'kept-as-it-was', user: 'root' });
    expect(filled.data.password).toBe('kept-as-it-was');
    expect(filled.data.user).toBe('root');
    expect(filled.created).toEqual(['hash', 'token']);
    expect(filled.fixed).toEqual([]);
    expect(bcrypt.compareSync('kept-as-it-was', filled.data.hash!)).toBe(true);
    expect(fillSecret(secret, filled.data).created).toEqual([]);
  });

  it('takes a provided key (a tunnel token) from the environment, and stops saying which variable to set when it is not there', () => {
    const tunnel = { path: 'platform/cloudflare-tunnel', keys: [{ name: 'token', generate: { provided: { env: 'PLINTH_CLOUDFLARE_TUNNEL_TOKEN', what: 'the Cloudflare Tunnel token' } } }] };
    expect(fillSecret(tunnel, {}, { PLINTH_CLOUDFLARE_TUNNEL_TOKEN: 'eyJh-given' })).toEqual({ data: { token: 'eyJh-given' }, created: ['token'], fixed: [] });
    expect(fillSecret(tunnel, { token: 'already-there' }, {}).created).toEqual([]);
    expect(() => fillSecret(tunnel, {}, {})).toThrow(
      'Vault secret platform/cloudflare-tunnel: key token is the Cloudflare Tunnel token, which Vault does not hold yet and only you can give: set PLINTH_CLOUDFLARE_TUNNEL_TOKEN in the environment of plinth up (it goes into Vault, never into Git or the output) and run it again, or switch the component off in plinth.yaml',
    );
  });

  it('refuses a bcrypt of an undeclared key', () => {
    expect(() => fillSecret({ path: 'p', keys: [{ name: 'h', generate: { bcryptOf: 'nope' } }] }, {})).toThrow(/key h is the bcrypt of nope, which the secret does not declare/);
  });
});

describe('Vault calls worth asking again', () => {
  const status = (code: number, message: string) => ({ status: code, body: { kind: 'Status', apiVersion: 'v1', status: 'Failure', message, reason: 'ServiceUnavailable', code } });
  it('are those that never reached Vault, and a KV v2 mount still upgrading; never Vault’s own refusals', () => {
    expect(transientReason(status(503, 'error trying to reach service: dial tcp 10.42.0.7:8200: connect: connection refused'))).toBe('the Vault pod does not accept connections yet');
    expect(transientReason(status(400, 'address not allowed'))).toBe('the Vault pod does not accept connections yet');
    expect(transientReason({ status: 400, body: { errors: ['Upgrading from non-versioned to versioned data. This backend will be unavailable for a brief period and will resume service shortly.'] } })).toBe(
      'the KV engine is still upgrading to version 2',
    );
    // The request may have reached Vault (sys/init must not be sent twice), or Vault itself answered.
    expect(transientReason(status(503, 'error trying to reach service: EOF'))).toBeUndefined();
    expect(transientReason({ status: 503, body: { errors: ['Vault is sealed'] } })).toBeUndefined();
    expect(transientReason({ status: 400, body: { errors: ['Vault is already initialized'] } })).toBeUndefined();
  });

  it('are asked again a bounded number of times, with a doubling delay', async () => {
    const delays: number[] = [];
    let calls = 0;
    const vault = retrying(
      { name: 'vault/vault-0', call: async () => (calls++, status(503, 'dial tcp 10.42.0.7:8200: connect: connection refused')) },
      { attempts: 5, firstDelayMs: 100, maxDelayMs: 300 },
      async (ms) => void delays.push(ms),
    );
    expect((await vault.call('GET', 'sys/init')).status).toBe(503);
    expect(calls).toBe(5);
    expect(delays).toEqual([100, 200, 300, 300]);
  });
});
