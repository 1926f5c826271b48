/**
 * A throw-away PKI for one e2e run, made with the `openssl` command (Debian's
 * openssl; Node 20 cannot create X.509 certificates): a CA, the API server's
 * serving certificate for 127.0.0.1 and the in-cluster names, client
 * certificates per component, and the service-account signing key pair.
 * Keys are P-256; everything is valid for two days and lives in the run's temp dir.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Cert {
  cert: string;
  key: string;
}

export interface Pki {
  dir: string;
  ca: Cert;
  apiserver: Cert;
  serviceAccountKey: string;
  serviceAccountPub: string;
  client(name: string, commonName: string, organisation?: string): Cert;
}

function openssl(args: string[], cwd: string): void {
  try {
    execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: Buffer };
    if (e.code === 'ENOENT') throw new Error('the e2e suite needs the `openssl` command (Debian: apt-get install openssl) to make its test certificates');
    throw new Error(`openssl ${args.join(' ')} failed: ${e.stderr?.toString() ?? e.message}`);
  }
}

export function makePki(dir: string): Pki {
  const p = (f: string) => join(dir, f);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=plinth-e2e-ca', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  const leaf = (name: string, subj: string, ext: string[]) => {
    writeFileSync(p(`${name}.ext`), ext.join('\n') + '\n');
    openssl(['req', '-new', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subj], dir);
    openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`, '-days', '2', '-extfile', `${name}.ext`], dir);
    return { cert: p(`${name}.crt`), key: p(`${name}.key`) };
  };
  const apiserver = leaf('apiserver', '/CN=kube-apiserver', [
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature,keyEncipherment',
    'extendedKeyUsage=serverAuth',
    'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local',
  ]);
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'sa.key'], dir);
  openssl(['pkey', '-in', 'sa.key', '-pubout', '-out', 'sa.pub'], dir);
  return {
    dir,
    ca: { cert: p('ca.crt'), key: p('ca.key') },
    apiserver,
    serviceAccountKey: p('sa.key'),
    serviceAccountPub: p('sa.pub'),
    client: (name, commonName, organisation) =>
      leaf(name, `/CN=${commonName}${organisation ? `/O=${organisation}` : ''}`, [
        'basicConstraints=critical,CA:FALSE',
        'keyUsage=critical,digitalSignature,keyEncipherment',
        'extendedKeyUsage=clientAuth',
      ]),
  };
}

/** A kubeconfig file with the certificates embedded, as `plinth --kubeconfig` and the components read it. */
export function writeKubeconfig(file: string, options: { server: string; ca: string; client: Cert; context: string; user: string }): void {
  const b64 = (f: string) => readFileSync(f).toString('base64');
  const cfg = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: options.context, cluster: { server: options.server, 'certificate-authority-data': b64(options.ca) } }],
    users: [{ name: options.user, user: { 'client-certificate-data': b64(options.client.cert), 'client-key-data': b64(options.client.key) } }],
    contexts: [{ name: options.context, context: { cluster: options.context, user: options.user } }],
    'current-context': options.context,
  };
  // JSON is YAML: every kubeconfig reader accepts it.
  writeFileSync(file, JSON.stringify(cfg, null, 2) + '\n', { mode: 0o600 });
}
