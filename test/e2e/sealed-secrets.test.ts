/**
 * e2e: what `plinth seal` writes is unsealed by the Sealed Secrets
 * controller's own code. test/e2e/sealed-secrets/unseal.go calls
 * `SealedSecret.Unseal` of the module github.com/bitnami-labs/sealed-secrets
 * at the version the pinned chart deploys (its appVersion in the chart
 * cache); it is built once into the user cache (Go and the Go module proxy
 * needed), never into the repository. Runs in the e2e suite only
 * (only in `npm run test:e2e`, which needs Go: `npm test` works without it).
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import YAML from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { locateChartCache, userCacheDir } from '../../src/helm/index.js';
import type { K8sObject } from '../../src/model/k8s.js';
import { testSealingKeys } from '../../src/secrets/test-cert.js';
import { runCli, tempDir } from '../support/cli.js';

const run = promisify(execFile);
const HERE = dirname(fileURLToPath(import.meta.url));
const MODULE = 'github.com/bitnami-labs/sealed-secrets';

/** The controller version the pinned chart deploys: its appVersion in the chart cache's index. */
function controllerVersion(): string {
  const index = JSON.parse(readFileSync(join(locateChartCache(process.env).dir, 'index.json'), 'utf8')) as { name: string; appVersion: string }[];
  const chart = index.find((c) => c.name === 'sealed-secrets');
  if (!chart) throw new Error('the chart cache has no sealed-secrets chart');
  return `v${chart.appVersion.replace(/^v/, '')}`;
}

async function buildUnseal(): Promise<string> {
  const version = controllerVersion();
  const dir = join(userCacheDir(process.env), 'e2e', `sealed-secrets-unseal-${version}`);
  const binary = join(dir, 'unseal');
  const source = join(HERE, 'sealed-secrets', 'unseal.go');
  if (existsSync(binary) && existsSync(join(dir, 'unseal.go')) && readFileSync(join(dir, 'unseal.go'), 'utf8') === readFileSync(source, 'utf8')) return binary;
  await mkdir(dir, { recursive: true });
  await copyFile(source, join(dir, 'unseal.go'));
  await writeFile(join(dir, 'go.mod'), 'module plinth.test/unseal\n\ngo 1.26\n');
  const go = (...args: string[]) => run('go', args, { cwd: dir, env: { ...process.env, GOFLAGS: '-mod=mod' }, maxBuffer: 16 << 20 });
  await go('get', `${MODULE}@${version}`);
  await go('mod', 'tidy');
  await go('build', '-o', binary, '.');
  return binary;
}

describe('plinth seal against the controller code', () => {
  let unseal: string;
  const keys = testSealingKeys();
  let dir: string;
  beforeAll(async () => {
    unseal = await buildUnseal();
    dir = await tempDir('plinth-seal-e2e-');
    await writeFile(join(dir, 'cert.pem'), keys.certPem);
    await writeFile(join(dir, 'key.pem'), keys.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  }, 900_000);

  async function sealed(scope: string): Promise<K8sObject> {
    await writeFile(join(dir, 's.yaml'), 'apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: shop, labels: {app: db}}\ntype: kubernetes.io/basic-auth\nstringData: {username: app, password: "p@ss word"}\n');
    const r = await runCli(['seal', 's.yaml', '--cert', 'cert.pem', '--scope', scope], dir);
    expect(r.code, r.stderr).toBe(0);
    return YAML.parse(r.stdout) as K8sObject;
  }

  async function controllerUnseal(o: K8sObject): Promise<{ ok: true; secret: Record<string, unknown> } | { ok: false; error: string }> {
    return new Promise((resolveRun) => {
      const child = execFile(unseal, [join(dir, 'key.pem')], (error, stdout, stderr) =>
        resolveRun(error ? { ok: false, error: stderr } : { ok: true, secret: JSON.parse(stdout) as Record<string, unknown> }),
      );
      child.stdin!.end(JSON.stringify(o));
    });
  }

  for (const scope of ['strict', 'namespace-wide', 'cluster-wide']) {
    it(`is unsealed by SealedSecret.Unseal (${scope})`, async () => {
      const result = await controllerUnseal(await sealed(scope));
      expect(result).toMatchObject({ ok: true, secret: { name: 'db', namespace: 'shop', type: 'kubernetes.io/basic-auth', labels: { app: 'db' }, data: { username: 'app', password: 'p@ss word' } } });
    });
  }

  it('is refused by the controller code where its scope does not allow it', async () => {
    const strict = await sealed('strict');
    expect(await controllerUnseal({ ...strict, metadata: { ...strict.metadata, name: 'other' } })).toMatchObject({ ok: false });
    const nsWide = await sealed('namespace-wide');
    expect(await controllerUnseal({ ...nsWide, metadata: { ...nsWide.metadata, name: 'renamed' } })).toMatchObject({ ok: true });
    expect(await controllerUnseal({ ...nsWide, metadata: { ...nsWide.metadata, namespace: 'other' } })).toMatchObject({ ok: false });
    const clusterWide = await sealed('cluster-wide');
    expect(await controllerUnseal({ ...clusterWide, metadata: { ...clusterWide.metadata, namespace: 'other' } })).toMatchObject({ ok: true });
  });
});
