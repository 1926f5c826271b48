/**
 * Test helper: an RSA key pair and a self-signed X.509 certificate for it,
 * made with node:crypto alone (the DER of the certificate is written here,
 * signed with SHA-256/RSA), shaped like the Sealed Secrets controller's
 * (`CN=sealed-secret`). Dates are chosen by the test, so expiry can be tested.
 */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

const der = (tag: number, ...parts: Buffer[]): Buffer => {
  const body = Buffer.concat(parts);
  const n = body.length;
  const len = n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), len, body]);
};
const seq = (...parts: Buffer[]) => der(0x30, ...parts);
const set = (...parts: Buffer[]) => der(0x31, ...parts);
const int = (n: number) => der(0x02, Buffer.from([n]));
const oid = (bytes: number[]) => der(0x06, Buffer.from(bytes));
const utf8 = (s: string) => der(0x0c, Buffer.from(s, 'utf8'));
const nul = () => Buffer.from([0x05, 0x00]);

// 1.2.840.113549.1.1.11 sha256WithRSAEncryption; 2.5.4.3 commonName.
const SHA256_RSA = seq(oid([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b]), nul());
const CN = [0x55, 0x04, 0x03];

function time(d: Date): Buffer {
  const iso = d.toISOString();
  const y = d.getUTCFullYear();
  const text = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  return y >= 1950 && y < 2050 ? der(0x17, Buffer.from(text.slice(2))) : der(0x18, Buffer.from(text));
}

export interface TestSealingKeys {
  privateKey: KeyObject;
  publicKey: KeyObject;
  certPem: string;
}

export function testSealingKeys(opts: { notBefore?: Date; notAfter?: Date; bits?: number } = {}): TestSealingKeys {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: opts.bits ?? 2048 });
  const name = seq(set(seq(oid(CN), utf8('sealed-secret'))));
  const notBefore = opts.notBefore ?? new Date(Date.now() - 3600_000);
  const notAfter = opts.notAfter ?? new Date(Date.now() + 30 * 86400_000);
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const tbs = seq(der(0xa0, int(2)), int(1), SHA256_RSA, name, seq(time(notBefore), time(notAfter)), name, spki);
  const signature = sign('sha256', tbs, privateKey);
  const cert = seq(tbs, SHA256_RSA, der(0x03, Buffer.from([0]), signature));
  const b64 = cert.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return { privateKey, publicKey, certPem: `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n` };
}
