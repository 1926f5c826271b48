/**
 * `plinth seal` as a user runs it: a manifest or literals in, a SealedSecret
 * out (stdout or --out), the certificate from --cert or the per-cluster file,
 * and files Plinth did not write left alone. No value is ever printed.
 */
import { constants, createDecipheriv, privateDecrypt } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import type { ClusterClient, ProxyRequest } from '../src/cluster/index.js';
import type { K8sObject } from '../src/model/k8s.js';
import { defaultSealingCertFile, fetchSealingCert, saveSealingCert } from '../src/ops/sealed-secrets.js';
import { SEALED_HEADER } from '../src/secrets/out-file.js';
import { encryptionLabel, scopeOfAnnotations } from '../src/secrets/seal.js';
import { testSealingKeys } from '../src/secrets/test-cert.js';
import { runCli, tempDir } from './support/cli.js';

const keys = testSealingKeys();

function unsealValue(sealed: K8sObject, key: string): string {
  const label = encryptionLabel(scopeOfAnnotations(sealed.metadata.annotations), sealed.metadata.namespace!, sealed.metadata.name);
  const blob = Buffer.from((sealed.spec as { encryptedData: Record<string, string> }).encryptedData[key]!, 'base64');
  const n = blob.readUInt16BE(0);
  const session = privateDecrypt({ key: keys.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256', oaepLabel: label }, blob.subarray(2, 2 + n));
  const body = blob.subarray(2 + n);
  const d = createDecipheriv('aes-256-gcm', session, Buffer.alloc(12));
  d.setAuthTag(body.subarray(body.length - 16));
  return Buffer.concat([d.update(body.subarray(0, body.length - 16)), d.final()]).toString('utf8');
}

async function setup() {
  const dir = await tempDir('plinth-seal-');
  await writeFile(join(dir, 'cert.pem'), keys.certPem);
  return dir;
}

describe('plinth seal', () => {
  it('seals literals and files to stdout, printing no value', async () => {
    const dir = await setup();
    await writeFile(join(dir, 'app.ini'), 'token = t0p-s3cret\n');
    const run = await runCli(['seal', '--cert', 'cert.pem', '--name', 'app', '--namespace', 'shop', '--from-literal', 'password=hunter2-pw', '--from-file', 'app.ini'], dir);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.startsWith(SEALED_HEADER)).toBe(true);
    for (const v of ['hunter2-pw', 't0p-s3cret']) expect(run.stdout + run.stderr).not.toContain(v);
    const sealed = YAML.parse(run.stdout) as K8sObject;
    expect(unsealValue(sealed, 'password')).toBe('hunter2-pw');
    expect(unsealValue(sealed, 'app.ini')).toBe('token = t0p-s3cret\n');
  });

  it('writes --out atomically, over its own file or a SealedSecret, never over anything else', async () => {
    const dir = await setup();
    await writeFile(join(dir, 'secret.yaml'), 'apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: data}\nstringData: {pw: plain-pw}\n');
    const seal = (out: string, ...extra: string[]) => runCli(['seal', 'secret.yaml', '--cert', 'cert.pem', '--out', out, ...extra], dir);
    const first = await seal('sealed/db.yaml', '--scope', 'namespace-wide');
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain('Sealed data/db (1 key: pw) into sealed/db.yaml');
    expect(first.stdout).toBe('');
    const sealed = YAML.parse(await readFile(join(dir, 'sealed/db.yaml'), 'utf8')) as K8sObject;
    expect(sealed.metadata.annotations).toEqual({ 'sealedsecrets.bitnami.com/namespace-wide': 'true' });
    expect(unsealValue(sealed, 'pw')).toBe('plain-pw');
    expect((await seal('sealed/db.yaml')).code).toBe(0);

    // A SealedSecret someone else wrote (kubeseal) may be replaced; other files may not.
    await writeFile(join(dir, 'kubeseal.yaml'), '---\napiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata: {name: db, namespace: data}\nspec: {encryptedData: {pw: AgA=}}\n');
    expect((await seal('kubeseal.yaml')).code).toBe(0);
    await writeFile(join(dir, 'notes.yaml'), 'my: notes\n');
    const refused = await seal('notes.yaml');
    expect(refused).toMatchObject({ code: 2 });
    expect(refused.stderr).toContain('--out notes.yaml: the file exists and is not a SealedSecret Plinth wrote; refusing to overwrite it');
    expect(await readFile(join(dir, 'notes.yaml'), 'utf8')).toBe('my: notes\n');
    // Sealing a plaintext Secret over itself is the same refusal.
    expect((await seal('secret.yaml')).code).toBe(2);
    expect(await readFile(join(dir, 'secret.yaml'), 'utf8')).toContain('plain-pw');
  });

  it("reads the cluster's certificate file by default, and says how to get it when it is missing", async () => {
    const dir = await setup();
    const env = { ...process.env, XDG_CONFIG_HOME: join(dir, 'config') };
    const args = ['seal', '--name', 'a', '--namespace', 'b', '--from-literal', 'k=v'];
    const missing = await runCli(args, dir, env);
    expect(missing.code).toBe(2);
    const file = defaultSealingCertFile('edge-idp', env);
    expect(missing.stderr).toContain(`error: no certificate at ${file}`);
    expect(missing.stderr).toContain('`plinth up` saves');
    await saveSealingCert(file, keys.certPem);
    const ok = await runCli(args, dir, env);
    expect(ok.code, ok.stderr).toBe(0);
    expect(unsealValue(YAML.parse(ok.stdout) as K8sObject, 'k')).toBe('v');
  });

  it('refuses bad usage with exit 2', async () => {
    const dir = await setup();
    expect((await runCli(['seal', '--cert', 'cert.pem'], dir)).stderr).toContain('nothing to seal');
    expect((await runCli(['seal', '--cert', 'cert.pem', '--name', 'a', '--namespace', 'b', '--from-literal', 'k=v', '--scope', 'global'], dir)).stderr).toContain(
      '--scope: got "global"; expected one of: strict, namespace-wide, cluster-wide',
    );
    const notFound = await runCli(['seal', 'nope.yaml', '--cert', 'cert.pem'], dir);
    expect(notFound).toMatchObject({ code: 2, stderr: 'error: Secret manifest nope.yaml: file not found\n' });
  });

  it('warns when the plaintext manifest sits in a Git work tree', async () => {
    const dir = await setup();
    await mkdir(join(dir, '.git'));
    await writeFile(join(dir, 's.yaml'), 'apiVersion: v1\nkind: Secret\nmetadata: {name: a, namespace: b}\nstringData: {k: v}\n');
    const run = await runCli(['seal', 's.yaml', '--cert', 'cert.pem'], dir);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('warning: the plaintext Secret s.yaml is inside the Git work tree');
  });
});

describe('fetchSealingCert', () => {
  /** A stand-in for the API server: answers the Service read and the service-proxy GET only. */
  function apiStandIn(opts: { service?: K8sObject; reply?: { status: number; body: string } }) {
    const requests: ProxyRequest[] = [];
    const client = {
      context: 'test',
      server: 'https://127.0.0.1:1',
      get: async () => opts.service,
      proxy: async (r: ProxyRequest) => {
        requests.push(r);
        return opts.reply ?? { status: 200, body: keys.certPem };
      },
    } as unknown as ClusterClient;
    return { client, requests };
  }
  const service: K8sObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'sealed-secrets-controller', namespace: 'sealed-secrets' }, spec: { ports: [{ name: 'http', port: 8080 }] } };

  it("reads /v1/cert.pem through the service proxy on the Service's first port, as kubeseal does", async () => {
    const { client, requests } = apiStandIn({ service });
    expect(await fetchSealingCert(client)).toBe(keys.certPem);
    expect(requests).toEqual([expect.objectContaining({ namespace: 'sealed-secrets', target: 'service', name: 'sealed-secrets-controller', port: 8080, scheme: 'http', method: 'GET', path: '/v1/cert.pem' })]);
  });

  it('plinth up saves it once the controller of the platform is ready, where plinth seal reads it by default', async () => {
    const { saveSealingCertOnce } = await import('../src/ops/up/sealing-cert.js');
    const { mkdtemp, readFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const file = join(await mkdtemp(join(tmpdir(), 'plinth-cert-')), 'c', 'sealed-secrets-cert.pem');
    const lines: string[] = [];
    const run = { dryRun: false, client: apiStandIn({ service }).client, options: { sealingCertFile: file }, ops: { report: { line: (l: string) => lines.push(l), warn: (l: string) => lines.push(`warning: ${l}`) } } };
    await saveSealingCertOnce(run as never, [{ name: 'vault' } as never]);
    expect(lines).toEqual([]);
    await saveSealingCertOnce(run as never, [{ name: 'sealed-secrets' } as never]);
    expect(await readFile(file, 'utf8')).toBe(keys.certPem);
    expect(lines).toEqual([`      Sealed Secrets certificate saved to ${file} (plinth seal uses it)`]);
  });

  it('says what is missing', async () => {
    await expect(fetchSealingCert(apiStandIn({}).client)).rejects.toThrow('Service sealed-secrets/sealed-secrets-controller does not exist');
    await expect(fetchSealingCert(apiStandIn({ service, reply: { status: 503, body: 'no endpoints available' } }).client)).rejects.toThrow('answered 503: no endpoints available');
    await expect(fetchSealingCert(apiStandIn({ service, reply: { status: 200, body: '<html>' } }).client)).rejects.toThrow('without a PEM certificate');
  });
});
