/**
 * Sealing a Secret for the Sealed Secrets controller, offline: the same
 * SealedSecret `kubeseal` writes and the controller decrypts. Each value is
 * encrypted on its own (hybrid RSA-OAEP + AES-GCM, as the controller's
 * `pkg/crypto` defines it):
 *
 *   2-byte big-endian length of the RSA ciphertext || RSA-OAEP(SHA-256, label)
 *   of a fresh 32-byte session key || AES-256-GCM(session key, zero nonce) of
 *   the value, with its 16-byte tag
 *
 * and the OAEP label binds it to where it may be unsealed: `namespace/name`
 * (strict), `namespace` (namespace-wide) or empty (cluster-wide). Pure: the
 * certificate text, the Secret and a source of randomness in, an object out.
 */
import { constants, createCipheriv, publicEncrypt, randomBytes, X509Certificate, type KeyObject } from 'node:crypto';
import type { K8sObject } from '../model/k8s.js';
import { SealError } from './errors.js';

export const SCOPES = ['strict', 'namespace-wide', 'cluster-wide'] as const;
export type SealingScope = (typeof SCOPES)[number];

export const SEALED_SECRET_API_VERSION = 'bitnami.com/v1alpha1';
export const NAMESPACE_WIDE_ANNOTATION = 'sealedsecrets.bitnami.com/namespace-wide';
export const CLUSTER_WIDE_ANNOTATION = 'sealedsecrets.bitnami.com/cluster-wide';

/** Annotations that hold a copy of the whole object, values included: never carried into the SealedSecret. */
const LAST_APPLIED = ['kubectl.kubernetes.io/last-applied-configuration', 'kubecfg.ksonnet.io/last-applied-configuration'];

const SESSION_KEY_BYTES = 32;
const GCM_NONCE_BYTES = 12;

/** The controller's public key, read from its certificate. */
export interface SealingKey {
  publicKey: KeyObject;
  notAfter: Date;
  /** SHA-256 fingerprint of the certificate, for messages. */
  fingerprint: string;
}

/** A Secret to seal: where it lives and its values (bytes, never logged). */
export interface SecretToSeal {
  name: string;
  namespace: string;
  type: string;
  immutable?: boolean;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  data: ReadonlyMap<string, Buffer>;
}

export type RandomSource = (bytes: number) => Buffer;

/** Reads the first certificate of a PEM text, as kubeseal does: an RSA key, not expired at `now`. */
export function sealingKeyFromCertificate(pem: string, source: string, now: Date): SealingKey {
  const block = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)?.[0];
  if (!block) throw new SealError(`${source}: no PEM certificate (-----BEGIN CERTIFICATE-----) found`, 'give the controller\'s certificate: `kubeseal --fetch-cert`, or the file `plinth up` saves');
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(block);
  } catch (cause) {
    throw new SealError(`${source}: the certificate cannot be read (${(cause as Error).message})`, undefined, { cause });
  }
  const publicKey = cert.publicKey;
  if (publicKey.asymmetricKeyType !== 'rsa') {
    throw new SealError(`${source}: expected an RSA public key, found ${publicKey.asymmetricKeyType ?? 'an unknown key type'}`, 'the Sealed Secrets controller seals with RSA keys; is this its certificate?');
  }
  const notAfter = new Date(cert.validTo);
  if (now.getTime() > notAfter.getTime()) {
    throw new SealError(`${source}: the certificate expired on ${notAfter.toISOString().slice(0, 10)}`, 'fetch the controller\'s current certificate (it renews its key every 30 days by default)');
  }
  return { publicKey, notAfter, fingerprint: cert.fingerprint256 };
}

/** The OAEP label of a scope. */
export function encryptionLabel(scope: SealingScope, namespace: string, name: string): Buffer {
  switch (scope) {
    case 'cluster-wide':
      return Buffer.alloc(0);
    case 'namespace-wide':
      return Buffer.from(namespace, 'utf8');
    case 'strict':
      return Buffer.from(`${namespace}/${name}`, 'utf8');
  }
}

/** One value encrypted as the controller expects (see the file comment). */
export function hybridEncrypt(publicKey: KeyObject, plaintext: Buffer, label: Buffer, random: RandomSource = randomBytes): Buffer {
  const sessionKey = random(SESSION_KEY_BYTES);
  const rsa = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256', oaepLabel: label }, sessionKey);
  const length = Buffer.alloc(2);
  length.writeUInt16BE(rsa.length);
  // The session key is used once, so a zero nonce is safe (as upstream).
  const cipher = createCipheriv('aes-256-gcm', sessionKey, Buffer.alloc(GCM_NONCE_BYTES));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  sessionKey.fill(0);
  return Buffer.concat([length, rsa, body]);
}

/** The scope a Secret's annotations ask for (cluster-wide wins, as upstream). */
export function scopeOfAnnotations(annotations: Readonly<Record<string, string>> | undefined): SealingScope {
  if (annotations?.[CLUSTER_WIDE_ANNOTATION] === 'true') return 'cluster-wide';
  if (annotations?.[NAMESPACE_WIDE_ANNOTATION] === 'true') return 'namespace-wide';
  return 'strict';
}

function scopeAnnotations(annotations: Readonly<Record<string, string>> | undefined, scope: SealingScope): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(annotations ?? {})) if (k !== NAMESPACE_WIDE_ANNOTATION && k !== CLUSTER_WIDE_ANNOTATION && !LAST_APPLIED.includes(k)) out[k] = v;
  if (scope === 'namespace-wide') out[NAMESPACE_WIDE_ANNOTATION] = 'true';
  if (scope === 'cluster-wide') out[CLUSTER_WIDE_ANNOTATION] = 'true';
  return out;
}

const nonEmpty = (m: Record<string, string>) => (Object.keys(m).length > 0 ? m : undefined);

/**
 * The SealedSecret of a Secret. `scope` overrides the Secret's scope
 * annotations; without it they decide (strict when none). The template
 * carries the Secret's name, namespace, labels, annotations, type and
 * immutability, so the controller recreates the same Secret.
 */
export function sealSecret(secret: SecretToSeal, key: SealingKey, scope?: SealingScope, random: RandomSource = randomBytes): K8sObject {
  if (secret.data.size === 0) throw new SealError(`Secret ${secret.namespace}/${secret.name} has no data`, 'give at least one key (--from-literal, --from-file, or data/stringData in the manifest)');
  const chosen = scope ?? scopeOfAnnotations(secret.annotations);
  const label = encryptionLabel(chosen, secret.namespace, secret.name);
  const annotations = scopeAnnotations(secret.annotations, chosen);
  const encryptedData: Record<string, string> = {};
  for (const k of [...secret.data.keys()].sort()) encryptedData[k] = hybridEncrypt(key.publicKey, secret.data.get(k)!, label, random).toString('base64');
  const scopeOnly = scopeAnnotations(undefined, chosen);
  return {
    apiVersion: SEALED_SECRET_API_VERSION,
    kind: 'SealedSecret',
    metadata: { name: secret.name, namespace: secret.namespace, ...(nonEmpty(scopeOnly) ? { annotations: scopeOnly } : {}) },
    spec: {
      encryptedData,
      template: {
        metadata: {
          name: secret.name,
          namespace: secret.namespace,
          ...(secret.labels && nonEmpty(secret.labels) ? { labels: { ...secret.labels } } : {}),
          ...(nonEmpty(annotations) ? { annotations } : {}),
        },
        type: secret.type,
        ...(secret.immutable !== undefined ? { immutable: secret.immutable } : {}),
      },
    },
  };
}
