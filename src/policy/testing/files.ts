/**
 * Reading Kyverno CLI tests from disk: find `kyverno-test.yaml` files under
 * directories, then load each test's policy, resource, exception, param,
 * values and user files (paths relative to the test file).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { ConfigError } from '../../lib/errors.js';
import { isPlainObject } from '../../lib/values.js';
import { parseYamlStream } from '../../lib/yaml.js';
import type { K8sObject } from '../../model/k8s.js';
import type { Operation } from '../types.js';
import { type KyvernoTest, parseKyvernoTest, TEST_FILE_NAME } from './manifest.js';
import type { LoadedTest } from './run.js';

/** Every `kyverno-test.yaml` under the given directories (or the files themselves), sorted. */
export async function findTestFiles(paths: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  const walk = async (path: string): Promise<void> => {
    const info = await stat(path);
    if (info.isFile()) return void found.push(path);
    for (const entry of await readdir(path, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === '.git') continue;
      const child = join(path, entry.name);
      if (entry.isDirectory()) await walk(child);
      else if (entry.name === TEST_FILE_NAME) found.push(child);
    }
  };
  for (const p of paths) await walk(p);
  return [...new Set(found)].sort();
}

/** Kubernetes objects of a YAML file (List kinds flattened), each remembered with its file. */
export class DocumentReader {
  readonly #files = new WeakMap<object, string>();

  constructor(readonly cwd: string) {}

  fileOf = (o: K8sObject): string | undefined => this.#files.get(o);

  async read(path: string): Promise<K8sObject[]> {
    const shown = relative(this.cwd, path) || basename(path);
    let docs: unknown[];
    try {
      docs = parseYamlStream(await readFile(path, 'utf8'));
    } catch (cause) {
      throw new ConfigError([{ file: shown, message: `cannot read: ${(cause as Error).message}` }], { cause });
    }
    const objects = docs.flatMap((d) => (isPlainObject(d) && d.kind === 'List' && Array.isArray(d.items) ? d.items : [d]));
    return objects.map((o, i) => {
      if (!isPlainObject(o) || typeof o.kind !== 'string' || typeof o.apiVersion !== 'string' || !isPlainObject(o.metadata) || typeof o.metadata.name !== 'string') {
        throw new ConfigError([{ file: shown, path: `document ${i + 1}`, message: 'expected a Kubernetes object with apiVersion, kind and metadata.name' }]);
      }
      this.#files.set(o, shown);
      return o as K8sObject;
    });
  }

  async readAll(paths: readonly string[]): Promise<K8sObject[]> {
    return (await Promise.all(paths.map((p) => this.read(p)))).flat();
  }
}

function namespacesFromValues(values: Record<string, unknown> | undefined): K8sObject[] {
  if (!values) return [];
  const listed = (Array.isArray(values.namespaces) ? values.namespaces : []).filter((n): n is K8sObject => isPlainObject(n) && isPlainObject(n.metadata));
  const selectors = (Array.isArray(values.namespaceSelector) ? values.namespaceSelector : []).flatMap((s: unknown) =>
    isPlainObject(s) && typeof s.name === 'string' ? [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: s.name, labels: (s.labels ?? {}) as Record<string, string> } }] : [],
  );
  return [...listed.map((n) => ({ ...n, apiVersion: 'v1', kind: 'Namespace' })), ...selectors];
}

async function yamlDocument(path: string): Promise<Record<string, unknown> | undefined> {
  const [doc] = parseYamlStream(await readFile(path, 'utf8'));
  return isPlainObject(doc) ? doc : undefined;
}

// eslint-disable-next-line complexity -- reads the files a Kyverno test names (variables, userinfo, policies, resources, params); the count is its optional files and fields
export async function loadTest(file: string, cwd: string): Promise<LoadedTest> {
  const shown = relative(cwd, file) || basename(file);
  const [doc] = parseYamlStream(await readFile(file, 'utf8'));
  const test: KyvernoTest = parseKyvernoTest(doc, shown);
  const dir = dirname(file);
  const at = (p: string) => resolve(dir, p);
  const reader = new DocumentReader(cwd);
  const values = test.variables ? await yamlDocument(at(test.variables)) : undefined;
  const user = test.userinfo ? await yamlDocument(at(test.userinfo)) : undefined;
  const userInfo = isPlainObject(user?.userInfo) ? (user.userInfo as { username?: string; groups?: string[] }) : undefined;
  const global = { ...(isPlainObject(values?.globalValues) ? values.globalValues : {}), ...(test.values?.globalValues ?? {}) };
  const operation = global['request.operation'];
  return {
    test,
    file: shown,
    policies: [...(await reader.readAll(test.policies.map(at))), ...(await reader.readAll(test.exceptions.map(at)))],
    resources: await reader.readAll(test.resources.map(at)),
    namespaces: [...namespacesFromValues(values), ...namespacesFromValues(test.values as Record<string, unknown> | undefined)],
    params: await reader.readAll(test.paramResources.map(at)),
    ...(userInfo ? { userInfo: { username: userInfo.username ?? '', groups: userInfo.groups ?? [] } } : {}),
    ...(typeof operation === 'string' ? { operation: operation as Operation } : {}),
    fileOf: reader.fileOf,
  };
}
