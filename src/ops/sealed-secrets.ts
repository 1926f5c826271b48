/**
 * The Sealed Secrets controller's public certificate: fetched from the
 * cluster the way `kubeseal --fetch-cert` does (the controller serves it at
 * `/v1/cert.pem` on its Service, reached through the API server's service
 * proxy on the Service's first port), and kept in a local file per cluster
 * that `plinth seal` reads offline. A certificate is public: the file is not
 * a secret, but it belongs to one cluster, so it lives beside the other
 * per-cluster files, outside any repository.
 */
import { X509Certificate } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { ClusterClient } from '../cluster/index.js';
import { ClusterError } from '../cluster/index.js';

/** Where the platform runs the controller (not kubeseal's default kube-system: pass --controller-namespace to kubeseal). */
export { SEALED_SECRETS_CONTROLLER } from '../catalog/components/sealed-secrets.js';
import { SEALED_SECRETS_CONTROLLER } from '../catalog/components/sealed-secrets.js';

export interface ControllerRef {
  namespace: string;
  /** The controller's Service. */
  name: string;
}

/** `$XDG_CONFIG_HOME/plinth/<cluster>/sealed-secrets-cert.pem`, else `~/.config/plinth/<cluster>/sealed-secrets-cert.pem`. */
export function defaultSealingCertFile(cluster: string, env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CONFIG_HOME ? resolve(env.XDG_CONFIG_HOME) : join(env.HOME ?? homedir(), '.config');
  return join(base, 'plinth', cluster, 'sealed-secrets-cert.pem');
}

/** The controller's certificate (PEM), read through the API server like kubeseal; a ClusterError says what is missing. */
export async function fetchSealingCert(client: ClusterClient, controller: ControllerRef = SEALED_SECRETS_CONTROLLER): Promise<string> {
  const where = `Service ${controller.namespace}/${controller.name}`;
  const service = await client.get({ apiVersion: 'v1', kind: 'Service', namespace: controller.namespace, name: controller.name });
  if (!service) throw new ClusterError(`${where} does not exist: is the Sealed Secrets controller installed (and is this its name)?`);
  const port = ((service.spec as { ports?: { port?: number; name?: string }[] } | undefined)?.ports ?? [])[0];
  if (!port?.port) throw new ClusterError(`${where} has no port to reach the controller on`);
  const res = await client.proxy({
    namespace: controller.namespace,
    target: 'service',
    name: controller.name,
    port: port.port,
    scheme: 'http',
    method: 'GET',
    path: '/v1/cert.pem',
    headers: { Accept: 'application/x-pem-file, */*' },
  });
  if (res.status !== 200) throw new ClusterError(`${where}: GET /v1/cert.pem answered ${res.status}: ${res.body.slice(0, 200).trim()}`);
  const pem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(res.body)?.[0];
  if (!pem) throw new ClusterError(`${where}: /v1/cert.pem answered without a PEM certificate`);
  try {
    new X509Certificate(pem);
  } catch (cause) {
    throw new ClusterError(`${where}: /v1/cert.pem is not a readable certificate (${(cause as Error).message})`, { cause });
  }
  return `${pem}\n`;
}

/** Writes the certificate atomically (a temporary file renamed over the old one). */
export async function saveSealingCert(file: string, pem: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const partial = `${file}.${process.pid}.partial`;
  try {
    await writeFile(partial, pem, { mode: 0o644 });
    await rename(partial, file);
  } finally {
    await rm(partial, { force: true });
  }
}
