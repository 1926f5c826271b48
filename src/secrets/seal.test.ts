/**
 * Sealing, proved by unsealing: the test decrypts each value with the private
 * key the way the Sealed Secrets controller does (label from the
 * SealedSecret's own name, namespace and scope annotations; RSA-OAEP SHA-256
 * for the session key, AES-256-GCM with a zero nonce for the value), so a
 * wrong label, key, layout or scope fails here as it would in the cluster.
 */
import { constants, createDecipheriv, privateDecrypt, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { K8sObject } from '../model/k8s.js';
import { literal, secretFromManifest, secretFromValues, fileArgument } from './input.js';
import { replaceable, sealedFileText } from './out-file.js';
import { CLUSTER_WIDE_ANNOTATION, encryptionLabel, NAMESPACE_WIDE_ANNOTATION, scopeOfAnnotations, sealingKeyFromCertificate, sealSecret } from './seal.js';
import { testSealingKeys } from './test-cert.js';

const keys = testSealingKeys();
const key = sealingKeyFromCertificate(keys.certPem, 'cert.pem', new Date());

/** The controller's unsealing, written from its algorithm: throws where the controller would refuse. */
function unseal(sealed: K8sObject, privateKey: KeyObject): Map<string, string> {
  const meta = sealed.metadata;
  const label = encryptionLabel(scopeOfAnnotations(meta.annotations), meta.namespace ?? '', meta.name);
  const out = new Map<string, string>();
  for (const [k, b64] of Object.entries((sealed.spec as { encryptedData: Record<string, string> }).encryptedData)) {
    const blob = Buffer.from(b64, 'base64');
    const rsaLength = blob.readUInt16BE(0);
    const sessionKey = privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256', oaepLabel: label }, blob.subarray(2, 2 + rsaLength));
    const body = blob.subarray(2 + rsaLength);
    const decipher = createDecipheriv('aes-256-gcm', sessionKey, Buffer.alloc(12));
    decipher.setAuthTag(body.subarray(body.length - 16));
    out.set(k, Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString('utf8'));
  }
  return out;
}

const moved = (s: K8sObject, to: { name?: string; namespace?: string }): K8sObject => ({ ...s, metadata: { ...s.metadata, ...to } });

const secret = secretFromValues({ name: 'db', namespace: 'shop' }, [literal('password=s3cr3t-p4ss'), literal('url=postgres://u:p@db:5432/x?a=b')]);

describe('sealSecret', () => {
  it('seals every value so that the private key unseals it, in the strict scope', () => {
    const sealed = sealSecret(secret, key);
    expect(sealed).toMatchObject({
      apiVersion: 'bitnami.com/v1alpha1',
      kind: 'SealedSecret',
      metadata: { name: 'db', namespace: 'shop' },
      spec: { template: { metadata: { name: 'db', namespace: 'shop' }, type: 'Opaque' } },
    });
    expect(sealed.metadata.annotations).toBeUndefined();
    expect(unseal(sealed, keys.privateKey)).toEqual(new Map([['password', 's3cr3t-p4ss'], ['url', 'postgres://u:p@db:5432/x?a=b']]));
  });

  it('lays out each value as length || RSA-OAEP(session key) || AES-GCM(value) with its own session key', () => {
    const twice = secretFromValues({ name: 'a', namespace: 'b' }, [literal('x=same'), literal('y=same')]);
    const data = (sealSecret(twice, key).spec as { encryptedData: Record<string, string> }).encryptedData;
    const x = Buffer.from(data.x!, 'base64');
    const y = Buffer.from(data.y!, 'base64');
    expect(x.readUInt16BE(0)).toBe(256); // a 2048-bit key's OAEP ciphertext
    expect(x.length).toBe(2 + 256 + 'same'.length + 16); // GCM: ciphertext as long as the value, then its 16-byte tag
    expect(x.equals(y)).toBe(false);
  });

  it('binds strict to name and namespace, namespace-wide to the namespace, cluster-wide to nothing', () => {
    const strict = sealSecret(secret, key, 'strict');
    expect(() => unseal(moved(strict, { name: 'other' }), keys.privateKey)).toThrow();
    expect(() => unseal(moved(strict, { namespace: 'other' }), keys.privateKey)).toThrow();

    const nsWide = sealSecret(secret, key, 'namespace-wide');
    expect(nsWide.metadata.annotations).toEqual({ [NAMESPACE_WIDE_ANNOTATION]: 'true' });
    expect((nsWide.spec as { template: { metadata: { annotations: unknown } } }).template.metadata.annotations).toEqual({ [NAMESPACE_WIDE_ANNOTATION]: 'true' });
    expect(unseal(moved(nsWide, { name: 'renamed' }), keys.privateKey).get('password')).toBe('s3cr3t-p4ss');
    expect(() => unseal(moved(nsWide, { namespace: 'other' }), keys.privateKey)).toThrow();

    const clusterWide = sealSecret(secret, key, 'cluster-wide');
    expect(clusterWide.metadata.annotations).toEqual({ [CLUSTER_WIDE_ANNOTATION]: 'true' });
    expect(unseal(moved(clusterWide, { name: 'x', namespace: 'y' }), keys.privateKey).get('password')).toBe('s3cr3t-p4ss');
  });

  it('refuses the wrong key', () => {
    const other = testSealingKeys();
    expect(() => unseal(sealSecret(secret, key), other.privateKey)).toThrow();
  });

  it("takes the scope from the manifest's annotations, an explicit scope replacing them", () => {
    const text = `apiVersion: v1
kind: Secret
metadata:
  name: tls
  namespace: web
  labels: { app: web }
  annotations:
    ${NAMESPACE_WIDE_ANNOTATION}: "true"
    note: kept
    kubectl.kubernetes.io/last-applied-configuration: '{"stringData":{"k":"plain-value"}}'
type: kubernetes.io/tls
stringData:
  tls.crt: CERT
  tls.key: KEY
`;
    const s = secretFromManifest(text, 'tls.yaml');
    const byAnnotation = sealSecret(s, key);
    expect(byAnnotation.metadata.annotations).toEqual({ [NAMESPACE_WIDE_ANNOTATION]: 'true' });
    const template = (byAnnotation.spec as { template: Record<string, unknown> }).template;
    expect(template).toEqual({
      metadata: { name: 'tls', namespace: 'web', labels: { app: 'web' }, annotations: { [NAMESPACE_WIDE_ANNOTATION]: 'true', note: 'kept' } },
      type: 'kubernetes.io/tls',
    });
    expect(unseal(byAnnotation, keys.privateKey)).toEqual(new Map([['tls.crt', 'CERT'], ['tls.key', 'KEY']]));
    const strict = sealSecret(s, key, 'strict');
    expect(strict.metadata.annotations).toBeUndefined();
    expect(() => unseal(moved(strict, { name: 'other' }), keys.privateKey)).toThrow();
    // The last-applied annotation holds the plaintext: it never reaches the output.
    expect(sealedFileText(byAnnotation)).not.toContain('plain-value');
  });

  it('writes no value, plain or base64, into the sealed text', () => {
    const text = sealedFileText(sealSecret(secret, key));
    for (const v of ['s3cr3t-p4ss', Buffer.from('s3cr3t-p4ss').toString('base64')]) expect(text).not.toContain(v);
    expect(replaceable(text)).toBe(true);
  });

  it('refuses a Secret without data', () => {
    expect(() => sealSecret({ ...secret, data: new Map() }, key)).toThrow(/has no data/);
  });
});

describe('the certificate', () => {
  it('is refused when expired, with the date', () => {
    const old = testSealingKeys({ notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2021-02-03T00:00:00Z'), bits: 1024 });
    expect(() => sealingKeyFromCertificate(old.certPem, 'old.pem', new Date())).toThrow('old.pem: the certificate expired on 2021-02-03');
  });

  it('is refused when the file holds no certificate', () => {
    expect(() => sealingKeyFromCertificate(keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(), 'key.pem', new Date())).toThrow(/key.pem: no PEM certificate/);
  });
});

describe('input', () => {
  it('reads data (base64) and stringData, stringData winning', () => {
    const s = secretFromManifest(
      `{"apiVersion":"v1","kind":"Secret","metadata":{"name":"n","namespace":"ns"},"data":{"a":"aGVsbG8=","b":"b2xk"},"stringData":{"b":"new"},"immutable":true}`,
      'n.json',
    );
    expect(Object.fromEntries([...s.data].map(([k, v]) => [k, v.toString()]))).toEqual({ a: 'hello', b: 'new' });
    expect(s).toMatchObject({ type: 'Opaque', immutable: true });
  });

  it('names the file, key and problem, never the value', () => {
    const bad = (doc: string) => () => secretFromManifest(doc, 's.yaml');
    expect(bad('apiVersion: v1\nkind: Secret\nmetadata: {name: n, namespace: ns}\ndata: {pw: "not base64 hunter2!"}\n')).toThrow(/^s\.yaml: data\.pw: not valid base64/);
    try {
      bad('apiVersion: v1\nkind: Secret\nmetadata: {name: n, namespace: ns}\ndata: {pw: "not base64 hunter2!"}\n')();
    } catch (e) {
      expect((e as Error).message).not.toContain('hunter2');
    }
    try {
      bad('apiVersion: v1\nkind: Secret\nstringData:\n  pw: "hunter2\n  - [\n')();
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).toMatch(/^s\.yaml:\d+:\d+: not valid YAML/);
      expect((e as Error).message).not.toContain('hunter2');
    }
    expect(bad('apiVersion: v1\nkind: Secret\nmetadata: {name: n}\nstringData: {a: b}\n')).toThrow(/s\.yaml: the Secret has no namespace/);
    expect(bad('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: n}\n')).toThrow(/expected apiVersion v1, kind Secret; got v1 ConfigMap/);
    expect(bad('apiVersion: v1\nkind: Secret\nmetadata: {name: n, namespace: a}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: m, namespace: a}\n')).toThrow(/expected one Secret, found 2/);
    expect(() => secretFromManifest('apiVersion: v1\nkind: Secret\nmetadata: {name: n, namespace: a}\nstringData: {x: y}\n', 's.yaml', { namespace: 'b' })).toThrow(/metadata\.namespace is a but --namespace says b/);
    expect(bad('apiVersion: v1\nkind: Secret\nmetadata: {name: n, namespace: a}\nstringData: {"bad key": y}\n')).toThrow(/"bad key" is not a valid Secret key/);
  });

  it('parses --from-literal and --from-file arguments', () => {
    expect(literal('k=a=b').value.toString()).toBe('a=b');
    expect(() => literal('=v')).toThrow(/expected key=value/);
    expect(fileArgument('conf/app.ini')).toEqual({ key: 'app.ini', path: 'conf/app.ini' });
    expect(fileArgument('cfg=conf/app.ini')).toEqual({ key: 'cfg', path: 'conf/app.ini' });
    expect(() => secretFromValues({ name: 'a', namespace: 'b' }, [literal('k=1'), literal('k=2')])).toThrow(/key "k" is given twice/);
    expect(() => secretFromValues({ name: 'A', namespace: 'b' }, [literal('k=1')])).toThrow(/name "A" is not a valid Secret name/);
  });
});
