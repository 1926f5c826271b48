/**
 * Kyverno CLI test manifests (`kyverno-test.yaml`, cli.kyverno.io/v1alpha1 Test):
 * the policies, resources, exceptions and params to load (paths relative to the
 * file), optional values (namespace labels, namespaces, the operation) and the
 * expected results per policy / rule / kind / resource.
 */
import { ConfigError, type ErrorDetail } from '../../lib/errors.js';
import { isPlainObject } from '../../lib/values.js';
import type { ResultStatus } from '../report/result.js';
import type { Operation } from '../types.js';

export const TEST_API_VERSION = 'cli.kyverno.io/v1alpha1';
export const TEST_FILE_NAME = 'kyverno-test.yaml';

export interface TestExpectation {
  policy: string;
  rule?: string;
  kind: string;
  /** Resource names, or `namespace/name`. */
  resources: string[];
  result: ResultStatus;
  operation?: Operation;
}

export interface TestValues {
  namespaceSelector?: { name: string; labels: Record<string, string> }[];
  namespaces?: unknown[];
  globalValues?: Record<string, unknown>;
}

export interface KyvernoTest {
  name: string;
  policies: string[];
  resources: string[];
  exceptions: string[];
  paramResources: string[];
  variables?: string;
  userinfo?: string;
  values?: TestValues;
  results: TestExpectation[];
}

const RESULTS: readonly ResultStatus[] = ['pass', 'fail', 'warn', 'error', 'skip'];
const OPERATIONS: readonly Operation[] = ['CREATE', 'UPDATE', 'DELETE'];

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

// eslint-disable-next-line complexity -- one check per field of a cli.kyverno.io Test, collected so that one ConfigError lists them all; the optional fields are left out when unset
export function parseKyvernoTest(doc: unknown, file: string): KyvernoTest {
  const problems: ErrorDetail[] = [];
  const problem = (path: string, message: string) => problems.push({ file, path, message });
  if (!isPlainObject(doc)) throw new ConfigError([{ file, message: 'expected a cli.kyverno.io/v1alpha1 Test document' }]);
  if (doc.kind !== undefined && doc.kind !== 'Test') problem('kind', `expected Test, got ${JSON.stringify(doc.kind)}`);
  const meta = isPlainObject(doc.metadata) ? doc.metadata : {};
  const results: TestExpectation[] = [];
  // eslint-disable-next-line complexity -- one check per field of a test's expected result (policy, kind, result, operation, resources), collected with the rest
  (Array.isArray(doc.results) ? doc.results : []).forEach((r: unknown, i: number) => {
    const at = `results[${i}]`;
    if (!isPlainObject(r)) return void problem(at, 'expected a mapping');
    if (typeof r.policy !== 'string' || !r.policy) problem(`${at}.policy`, 'a policy name is required');
    if (typeof r.kind !== 'string' || !r.kind) problem(`${at}.kind`, 'the kind of the resources is required');
    if (!RESULTS.includes(r.result as ResultStatus)) problem(`${at}.result`, `expected one of ${RESULTS.join(', ')}, got ${JSON.stringify(r.result)}`);
    if (r.operation !== undefined && !OPERATIONS.includes(r.operation as Operation)) problem(`${at}.operation`, `expected one of ${OPERATIONS.join(', ')}`);
    const resources = [...strings(r.resources), ...(Array.isArray(r.resourceSpecs) ? r.resourceSpecs : []).flatMap((s: unknown) => (isPlainObject(s) && typeof s.name === 'string' ? [s.namespace ? `${String(s.namespace)}/${s.name}` : s.name] : []))];
    if (resources.length === 0) problem(`${at}.resources`, 'name at least one resource');
    results.push({
      policy: String(r.policy),
      ...(typeof r.rule === 'string' && r.rule ? { rule: r.rule } : {}),
      kind: String(r.kind),
      resources,
      result: r.result as ResultStatus,
      ...(r.operation ? { operation: r.operation as Operation } : {}),
    });
  });
  if (results.length === 0) problem('results', 'a test needs at least one expected result');
  if (!strings(doc.policies).length) problem('policies', 'a test needs at least one policy file');
  if (problems.length) throw new ConfigError(problems);
  return {
    name: typeof meta.name === 'string' ? meta.name : typeof doc.name === 'string' ? doc.name : file,
    policies: strings(doc.policies),
    resources: strings(doc.resources),
    exceptions: strings(doc.exceptions),
    paramResources: strings(doc.paramResources),
    ...(typeof doc.variables === 'string' ? { variables: doc.variables } : {}),
    ...(typeof doc.userinfo === 'string' ? { userinfo: doc.userinfo } : {}),
    ...(isPlainObject(doc.values) ? { values: doc.values as TestValues } : {}),
    results,
  };
}
