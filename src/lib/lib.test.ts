import { describe, expect, it } from 'vitest';
import { cpuMillis, formatCpu, formatMemory, memoryBytes, parseQuantity } from './quantity.js';
import { getIn, mergeValues, pathText, setIn } from './values.js';
import { toJson, toYaml } from './yaml.js';
import { closest } from './suggest.js';

describe('quantities', () => {
  it('parses Kubernetes quantities', () => {
    expect(cpuMillis('250m')).toBe(250);
    expect(cpuMillis(2)).toBe(2000);
    expect(cpuMillis('1.5')).toBe(1500);
    expect(memoryBytes('512Mi')).toBe(512 * 2 ** 20);
    expect(memoryBytes('1G')).toBe(1e9);
    expect(memoryBytes('1e3')).toBe(1000);
    expect(parseQuantity('4GB')).toBeUndefined();
    expect(parseQuantity('')).toBeUndefined();
  });
  it('formats amounts', () => {
    expect(formatCpu(1500)).toBe('1500m');
    expect(formatCpu(2000)).toBe('2');
    expect(formatMemory(4 * 2 ** 30)).toBe('4Gi');
    expect(formatMemory(1536 * 2 ** 20)).toBe('1536Mi');
  });
});

describe('values', () => {
  it('merges maps key by key and replaces lists and scalars, null deletes', () => {
    const base = { a: { b: 1, c: [1, 2], d: { e: 1 } }, f: 'x' };
    expect(mergeValues(base, { a: { c: [3], d: null }, g: true })).toEqual({ a: { b: 1, c: [3] }, f: 'x', g: true });
    expect(base.a.c).toEqual([1, 2]);
  });
  it('sets and gets by dotted or array paths', () => {
    const v = setIn({}, ['configs', 'params', 'server.insecure'], true);
    expect(v).toEqual({ configs: { params: { 'server.insecure': true } } });
    expect(getIn(v, ['configs', 'params', 'server.insecure'])).toBe(true);
    expect(getIn(setIn({}, 'a.b', 1), 'a.b')).toBe(1);
    expect(pathText(['configs', 'params', 'server.insecure'])).toBe('configs.params["server.insecure"]');
  });
});

describe('canonical output', () => {
  it('writes apiVersion, kind, metadata first and sorts the rest, whatever the input order', () => {
    const a = toYaml({ spec: { z: 1, a: 2 }, metadata: { namespace: 'n', name: 'x' }, kind: 'K', apiVersion: 'v1' });
    const b = toYaml({ apiVersion: 'v1', kind: 'K', metadata: { name: 'x', namespace: 'n' }, spec: { a: 2, z: 1 } });
    expect(a).toBe(b);
    // `n` is a boolean to YAML 1.1, which Helm, kubectl and Argo CD read: quoted.
    expect(a).toBe('apiVersion: v1\nkind: K\nmetadata:\n  name: x\n  namespace: "n"\nspec:\n  a: 2\n  z: 1\n');
    expect(toJson({ b: undefined, a: [1] })).toBe('{\n  "a": [\n    1\n  ]\n}\n');
  });
  it("quotes strings YAML 1.1 reads as booleans (Kong's env.database: off), and only those", () => {
    expect(toYaml({ database: 'off', on: 'yes', y: 'Y', plain: 'offline', date: '2024-04-01', flag: false })).toBe('database: "off"\ndate: 2024-04-01\nflag: false\n"on": "yes"\nplain: offline\n"y": "Y"\n');
  });

  it('never aliases repeated objects', () => {
    const shared = { x: 1 };
    expect(toYaml({ a: shared, b: shared })).not.toContain('&');
  });
});

describe('suggestions', () => {
  it('suggests a close name and nothing for a far one', () => {
    expect(closest('valut', ['vault', 'loki'])).toBe('vault');
    expect(closest('zzzzzz', ['vault', 'loki'])).toBeUndefined();
  });
});
