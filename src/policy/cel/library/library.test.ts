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

  it('IPs: parsing as Go netip does, with the Kubernetes refusals; canonical text; classification', () => {
    expect(run("ip('10.0.0.1').family()")).toBe(4n);
    expect(run("ip('2001:db8::1').family()")).toBe(6n);
    expect(run("string(ip('2001:DB8:0:0:0:0:0:1'))")).toBe('2001:db8::1');
    expect(run("string(ip('1:0:0:1:0:0:0:1'))")).toBe('1:0:0:1::1');
    expect(run("string(ip('::1.2.3.4'))")).toBe('::102:304');
    expect(run("ip.isCanonical('2001:db8::1')")).toBe(true);
    expect(run("ip.isCanonical('2001:db8:0:0:0::1')")).toBe(false);
    expect(() => run("ip.isCanonical('nope')")).toThrow(/parse error/);
    expect(run("isIP('10.0.0.1') && isIP('::1')")).toBe(true);
    for (const bad of ['010.0.0.1', '1.2.3', '256.0.0.1', '::ffff:1.2.3.4', 'fe80::1%eth0', '1::2::3', '12345::1', '']) expect(run(`isIP('${bad}')`)).toBe(false);
    expect(() => run("ip('::ffff:1.2.3.4')")).toThrow(/IPv4-mapped/);
    expect(() => run("ip('fe80::1%eth0')")).toThrow(/zone/);
    expect(run("ip('1.2.3.4') == ip('1.2.3.4') && ip('::1') != ip('::2')")).toBe(true);
    expect(run("[ip('0.0.0.0').isUnspecified(), ip('::').isUnspecified(), ip('10.0.0.1').isUnspecified()]")).toEqual([true, true, false]);
    expect(run("[ip('127.0.0.2').isLoopback(), ip('::1').isLoopback(), ip('128.0.0.1').isLoopback()]")).toEqual([true, true, false]);
    expect(run("[ip('224.0.0.251').isLinkLocalMulticast(), ip('ff02::1').isLinkLocalMulticast(), ip('224.0.1.1').isLinkLocalMulticast()]")).toEqual([true, true, false]);
    expect(run("[ip('169.254.1.1').isLinkLocalUnicast(), ip('fe80::1').isLinkLocalUnicast(), ip('fec0::1').isLinkLocalUnicast()]")).toEqual([true, true, false]);
    // Go's IsGlobalUnicast: private ranges count; broadcast, loopback, multicast, link-local do not
    expect(run("[ip('10.0.0.1'), ip('8.8.8.8'), ip('2001:db8::1')].all(a, a.isGlobalUnicast())")).toBe(true);
    expect(run("[ip('255.255.255.255'), ip('127.0.0.1'), ip('224.0.0.1'), ip('169.254.0.1'), ip('::'), ip('ff02::1')].exists(a, a.isGlobalUnicast())")).toBe(false);
    // the namespace constant does not hide a comprehension variable named ip
    expect(run('object.ips.all(ip, isIP(ip))', { ips: ['10.0.0.1', '::1'] })).toBe(true);
  });

  it('CIDRs: containment, masking, prefix length, text', () => {
    expect(run("cidr('10.0.0.0/8').containsIP('10.1.2.3')")).toBe(true);
    expect(run("cidr('10.0.0.0/8').containsIP(ip('11.0.0.1'))")).toBe(false);
    expect(run("cidr('10.0.0.0/8').containsIP('::1')")).toBe(false);
    expect(run("cidr('0.0.0.0/0').containsIP('203.0.113.9')")).toBe(true);
    expect(run("cidr('2001:db8::/32').containsIP('2001:db8:1::1')")).toBe(true);
    expect(run("cidr('10.0.0.0/8').containsCIDR('10.1.0.0/16')")).toBe(true);
    expect(run("cidr('10.1.0.0/16').containsCIDR(cidr('10.0.0.0/8'))")).toBe(false);
    expect(run("cidr('10.0.0.0/8').containsCIDR('10.0.0.0/8')")).toBe(true);
    expect(run("cidr('192.168.1.5/24').ip() == ip('192.168.1.5')")).toBe(true);
    expect(run("string(cidr('192.168.1.5/24').masked())")).toBe('192.168.1.0/24');
    expect(run("cidr('192.168.1.5/24').masked() == cidr('192.168.1.0/24')")).toBe(true);
    expect(run("cidr('2001:db8::/48').prefixLength()")).toBe(48n);
    expect(run("string(cidr('2001:DB8::/32'))")).toBe('2001:db8::/32');
    expect(run("isCIDR('10.0.0.0/8')")).toBe(true);
    for (const bad of ['10.0.0.0', '10.0.0.0/33', '10.0.0.0/08', '::ffff:1.2.3.4/120', '10.0.0.0/-1']) expect(run(`isCIDR('${bad}')`)).toBe(false);
    expect(() => run("cidr('10.0.0.0/33')")).toThrow(/bad bits/);
    expect(() => run("cidr('10.0.0.0/8').containsIP('x')")).toThrow(/parse error/);
  });

  it('URLs: parsed as Go url.ParseRequestURI does', () => {
    expect(run("url('https://example.com:80/').getHost()")).toBe('example.com:80');
    expect(run("url('https://[::1]:80/').getHost()")).toBe('[::1]:80');
    expect(run("url('https://[::1]:80/').getHostname()")).toBe('::1');
    expect(run("url('https://example.com/path').getHostname()")).toBe('example.com');
    expect(run("url('https://example.com:8443/').getPort()")).toBe('8443');
    expect(run("url('https://example.com/').getPort()")).toBe('');
    expect(run("url('HTTPS://example.com/').getScheme()")).toBe('https');
    expect(run("url('/absolute-path').getHostname()")).toBe('');
    expect(run("url('https://example.com/path with spaces/').getEscapedPath()")).toBe('/path%20with%20spaces/');
    expect(run("url('https://example.com/a%2Fb').getEscapedPath()")).toBe('/a%2Fb');
    expect(run("url('https://example.com/path?k1=a&k2=b&k2=c').getQuery() == {'k1': ['a'], 'k2': ['b', 'c']}")).toBe(true);
    expect(run("url('https://example.com/?q=a+b%21').getQuery()['q']")).toEqual(['a b!']);
    expect(run("url('https://user:pw@example.com/').getHost()")).toBe('example.com');
    expect(run("isURL('https://example.com/') && isURL('/absolute-path') && isURL('mailto:a@b.example')")).toBe(true);
    for (const bad of ['../relative', 'example.com', 'https://a b.example/', 'https://example.com/%zz', '', ':x']) expect(run(`isURL('${bad}')`)).toBe(false);
    expect(() => run("url('relative')")).toThrow(/invalid URI for request/);
  });

  it('format: the strings extension verbs and precision', () => {
    expect(run("'%s is %d years'.format(['Ada', 36])")).toBe('Ada is 36 years');
    expect(run("'%.2f|%f|%.0f'.format([3.14159, 2, 2.5])")).toBe('3.14|2.000000|2');
    expect(run("'%e|%.2e'.format([1234.5678, 0.000123])")).toBe('1.234568e+03|1.23e-04');
    // Go rounds exact ties to even
    expect(run("'%.2f|%.0f|%.0f'.format([0.125, -3.5, 0.5])")).toBe('0.12|-4|0');
    expect(run("'%x %X %o %b'.format([255, 255, 8, 5])")).toBe('ff FF 10 101');
    expect(run("'%x'.format(['hi'])")).toBe('6869');
    expect(run("'%s|%s|%s|%s'.format([true, null, 1.5, [1, 'a']])")).toBe('true|null|1.5|[1, "a"]');
    expect(run("'%s'.format([{'b': 1, 'a': 2}])")).toBe('{"a": 2, "b": 1}');
    expect(run("'100%%'.format([])")).toBe('100%');
    expect(run("'%s'.format([object.name])", { name: 'web' })).toBe('web');
    expect(() => run("'%d'.format([1.5])")).toThrow(/%d takes an integer/);
    expect(() => run("'%s %s'.format(['a'])")).toThrow(/out of range/);
    expect(() => run("'%q'.format(['a'])")).toThrow(/unrecognized/);
  });

  it('semver: strict parsing, normalize, precedence', () => {
    expect(run("semver('1.2.3').major() + semver('1.2.3').minor() + semver('1.2.3').patch()")).toBe(6n);
    expect(run("semver('1.10.0').isGreaterThan(semver('1.9.9'))")).toBe(true);
    expect(run("semver('1.2.3-rc.1').isLessThan(semver('1.2.3'))")).toBe(true);
    expect(run("semver('1.0.0-alpha').compareTo(semver('1.0.0-alpha.1'))")).toBe(-1n);
    expect(run("semver('1.0.0-alpha.2').compareTo(semver('1.0.0-alpha.10'))")).toBe(-1n);
    expect(run("semver('1.0.0-beta').compareTo(semver('1.0.0-alpha.10'))")).toBe(1n);
    expect(run("semver('1.2.3+build.1') == semver('1.2.3+build.2')")).toBe(true);
    expect(run("semver('1.2.3').compareTo(semver('1.2.3'))")).toBe(0n);
    for (const bad of ['v1.2.3', '1.2', '01.2.3', '1.2.3-01', '1.2.3-', 'x']) expect(run(`isSemver('${bad}')`)).toBe(false);
    expect(run("semver('v1.2', true) == semver('1.2.0') && isSemver('01.02.03', true)")).toBe(true);
    expect(() => run("semver('1.2')")).toThrow(/cannot be converted to a semver/);
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
