import bcrypt from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import { appState } from './argo.js';
import { formatElapsed, parseDuration } from './context.js';
import { sortForApply } from './order.js';
import { Redactor } from './redact.js';
import { fillSecret } from './vault/secrets.js';

describe('Redactor', () => {
  it('replaces registered values and their base64 form, longest first', () => {
    const r = new Redactor();
    r.add('hunter2hunter2');
    r.add('hunter2hunter2-and-more');
    r.add('abc'); // too short to be a secret worth matching
    expect(r.redact('a hunter2hunter2-and-more b hunter2hunter2 c aHVudGVyMmh1bnRlcjI= abc')).toBe('a [redacted] b [redacted] c [redacted] abc');
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
    expect(filled.data.password).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(filled.data.token).toMatch(/^[0-9a-f]{64}$/);
    expect(bcrypt.compareSync(filled.data.password!, filled.data.hash!)).toBe(true);
  });

  it('never changes an existing key', () => {
    const filled = fillSecret(secret, { password: 'kept-as-it-was', user: 'root' });
    expect(filled.data.password).toBe('kept-as-it-was');
    expect(filled.data.user).toBe('root');
    expect(filled.created).toEqual(['hash', 'token']);
    expect(bcrypt.compareSync('kept-as-it-was', filled.data.hash!)).toBe(true);
    expect(fillSecret(secret, filled.data).created).toEqual([]);
  });

  it('refuses a bcrypt of an undeclared key', () => {
    expect(() => fillSecret({ path: 'p', keys: [{ name: 'h', generate: { bcryptOf: 'nope' } }] }, {})).toThrow(/key h is the bcrypt of nope, which the secret does not declare/);
  });
});
