import { describe, expect, it } from 'vitest';
import { parseCel } from '../environment.js';
import { toCel } from '../values.js';

const run = (expression: string, object: unknown = {}) => {
  const parsed = parseCel('kubernetes', expression);
  const checked = parsed.check();
  if (!checked.valid) throw checked.error;
  return parsed({ object: toCel(object), oldObject: null, request: null, namespaceObject: null, params: null, variables: {} });
};

describe('Kubernetes CEL library registered on cel-js', () => {
  it('lists: isSorted, sum, min, max, indexOf, lastIndexOf', () => {
    expect(run('[1, 2, 2, 5].isSorted()')).toBe(true);
    expect(run("['b', 'a'].isSorted()")).toBe(false);
    expect(run('object.ports.isSorted()', { ports: [80, 443, 8080] })).toBe(true);
    expect(run('[1, 2, 3].sum()')).toBe(6n);
    expect(run('[1.5, 2.5].sum()')).toBe(4);
    expect(run('[].sum()')).toBe(0n);
    expect(run('[3, 1, 2].min()')).toBe(1n);
    expect(run("['b', 'c', 'a'].max()")).toBe('c');
    expect(() => run('[].min()')).toThrow(/empty list/);
    expect(run("['a', 'b', 'a'].indexOf('a')")).toBe(0n);
    expect(run("['a', 'b', 'a'].lastIndexOf('a')")).toBe(2n);
    expect(run("['a'].indexOf('z')")).toBe(-1n);
    expect(run('[[1], [2]].indexOf([2])')).toBe(1n);
    // the string overloads of cel-js still work beside the list ones
    expect(run("'banana'.indexOf('an')")).toBe(1n);
  });

  it('sets: contains, intersects, equivalent', () => {
    expect(run("sets.contains(['CHOWN', 'KILL', 'SETUID'], ['KILL'])")).toBe(true);
    expect(run("sets.contains(['CHOWN'], ['KILL'])")).toBe(false);
    expect(run('sets.intersects([1, 2], [2, 3])')).toBe(true);
    expect(run('sets.equivalent([1, 2, 2], [2, 1])')).toBe(true);
    expect(run('sets.equivalent([1], [1, 3])')).toBe(false);
  });

  it('strings: charAt and replace', () => {
    expect(run("'hello'.charAt(1)")).toBe('e');
    expect(run("'hello'.charAt(5)")).toBe('');
    expect(() => run("'hello'.charAt(6)")).toThrow(/out of range/);
    expect(run("'a-b-c'.replace('-', '_')")).toBe('a_b_c');
    expect(run("'a-b-c'.replace('-', '_', 1)")).toBe('a_b-c');
  });

  it('regex: find and findAll', () => {
    expect(run("'image: nginx:1.25'.find('[0-9]+\\\\.[0-9]+')")).toBe('1.25');
    expect(run("'abc'.find('x')")).toBe('');
    expect(run("'a1b22c333'.findAll('[0-9]+')")).toEqual(['1', '22', '333']);
    expect(run("'a1b22c333'.findAll('[0-9]+', 2)")).toEqual(['1', '22']);
    expect(run("'ABC'.find('(?i)b')")).toBe('B');
    // Go's FindAllString: no empty match right after a match
    expect(run("'baaab'.findAll('a*')")).toEqual(['', 'aaa', '']);
    expect(run("'x-aB-y-ab'.findAll('(?i:A)B')")).toEqual(['aB']);
    expect(run("'héllo wörld'.findAll('\\\\pL+')")).toEqual(['héllo', 'wörld']);
  });

  it('regex: matches is RE2, as in the cluster (JavaScript RegExp would say false or throw)', () => {
    expect(run("'abc'.matches('[[:alpha:]]+')")).toBe(true);
    expect(run("'ab1'.matches('^[[:alpha:]]+$')")).toBe(false);
    expect(run("'abc'.matches('^\\\\pL+$')")).toBe(true);
    expect(run("'a.b'.matches('\\\\Qa.b\\\\E')")).toBe(true);
    expect(run("'axb'.matches('^\\\\Qa.b\\\\E$')")).toBe(false);
    expect(run("'ABC'.matches('(?i)abc')")).toBe(true);
    expect(run("'abc'.matches('(?P<x>a)bc')")).toBe(true);
    expect(run("'Abc'.matches('(?i:a)bc')")).toBe(true);
    expect(run("'ABC'.matches('(?i:a)bc')")).toBe(false);
    expect(run("matches('abc', '^a')")).toBe(true);
    expect(run('object.name.matches(\'^[a-z]+$\')', { name: 'nginx' })).toBe(true);
    // lookahead is JavaScript, not RE2: an evaluation error, as cel-go reports
    expect(() => run("'abc'.matches('a(?=b)')")).toThrow(/invalid regular expression/);
    // type errors still name `matches`
    expect(() => run("1.matches('a')")).toThrow(/int\.matches\(string\)/);
  });

  it('quantities: exact comparison across units, arithmetic, conversions', () => {
    expect(run("quantity('1Gi') == quantity('1073741824')")).toBe(true);
    expect(run("quantity('1Gi').compareTo(quantity('1G'))")).toBe(1n);
    expect(run("quantity('500m').isLessThan(quantity('1'))")).toBe(true);
    expect(run("quantity('2').isGreaterThan(quantity('1500m'))")).toBe(true);
    expect(run("quantity('1.5').add(quantity('500m')) == quantity('2')")).toBe(true);
    expect(run("quantity('1k').sub(1).asInteger()")).toBe(999n);
    expect(run("quantity('100m').isInteger()")).toBe(false);
    expect(() => run("quantity('100m').asInteger()")).toThrow(/not an integer/);
    expect(run("quantity('250m').asApproximateFloat()")).toBe(0.25);
    expect(run("quantity('-1Ki').sign()")).toBe(-1n);
    expect(run("quantity('1e3') == quantity('1k')")).toBe(true);
    expect(run("isQuantity('10Mi') && !isQuantity('10 MB')")).toBe(true);
    expect(() => run("quantity('ten')")).toThrow(/quantities must match/);
    expect(run("quantity(string(object.cpu)).isLessThan(quantity('3'))", { cpu: 2 })).toBe(true);
  });

  it('carries the optional syntax Kubernetes policies use', () => {
    const o = { spec: { a: { b: 1 } }, labels: { team: 'x' } };
    expect(run('object.spec.?a.?b.orValue(0)', o)).toBe(1n);
    expect(run('object.spec.?x.?y.orValue(7)', o)).toBe(7n);
    expect(run('object.spec.?x.hasValue()', o)).toBe(false);
    expect(run("object.labels[?'team'].orValue('none')", o)).toBe('x');
    expect(run("object.labels[?'owner'].orValue('none')", o)).toBe('none');
    expect(run('optional.none().or(optional.of(3)).value()', o)).toBe(3n);
  });

  it('reads integers as int, as the API server does', () => {
    expect(run('object.replicas + 1', { replicas: 2 })).toBe(3n);
    expect(run('object.ratio * 2.0', { ratio: 0.5 })).toBe(1);
    expect(run('object.replicas == 2.0', { replicas: 2 })).toBe(true);
  });
});
