/**
 * A real Kubernetes control plane as local processes, the way controller-runtime's
 * envtest serves one, plus the controller-manager, the scheduler and kwok: etcd,
 * kube-apiserver (RBAC, service-account keys, client-certificate auth),
 * kube-controller-manager and kube-scheduler (no leader election), and kwok
 * managing the Node objects annotated `kwok.x-k8s.io/node: fake` (the fake
 * kubelets: nodes become Ready, pods Running and Ready).
 *
 * Everything listens on 127.0.0.1 on free ports. Pod IPs (kwok's `--cidr`) and the
 * node IP are loopback addresses and the API server routes webhooks and aggregated
 * APIs to endpoints, so nothing a chart registers ever makes the API server dial an
 * address outside loopback; a dial to a kwok pod is refused at once.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { basename, join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { locateBinaries, type E2eBinaries } from '../../../scripts/e2e/cache.js';
import { type Cert, makePki, type Pki, writeKubeconfig } from './pki.js';
import { ProcessGroup, until } from './procs.js';

export const KWOK_ANNOTATION = 'kwok.x-k8s.io/node';
export const CONTEXT = 'plinth-e2e';

export interface ControlPlaneOptions {
  /** Run directory (certificates, etcd data, kubeconfigs, logs). */
  dir: string;
  /** Extra flags per component, e.g. shorter eviction timings for lost-node tests. */
  extraArgs?: Partial<Record<'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler' | 'kwok', string[]>>;
  /** Bound on each readiness wait. */
  timeoutMs?: number;
  /**
   * Holds kwok's node initialise stage (the one that makes a node Ready) off the nodes
   * whose annotation has this value: the module's Stage, with one more selector
   * expression, written into the run directory.
   */
  holdNodes?: { annotation: string; value: string };
}

/** The kwok Stage files to run: the module's, the node initialise one gated when `holdNodes` is set. */
function kwokStageFiles(stages: string[], dir: string, hold: ControlPlaneOptions['holdNodes']): string[] {
  if (!hold) return stages;
  mkdirSync(join(dir, 'kwok-stages'), { recursive: true });
  // eslint-disable-next-line complexity -- rewrites kwok's node-initialize Stage so that nodes wait for the network annotation; the count is the optional chains into its spec
  return stages.map((file) => {
    const docs = parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS() as Record<string, any>);
    let changed = false;
    for (const doc of docs) {
      if (doc?.kind === 'Stage' && doc.spec?.resourceRef?.kind === 'Node' && doc.metadata?.name === 'node-initialize') {
        doc.spec.selector ??= {};
        doc.spec.selector.matchExpressions ??= [];
        doc.spec.selector.matchExpressions.push({ key: `.metadata.annotations["${hold.annotation}"]`, operator: 'NotIn', values: [hold.value] });
        changed = true;
      }
    }
    if (!changed) return file;
    const out = join(dir, 'kwok-stages', basename(file));
    writeFileSync(out, docs.map((d) => stringify(d)).join('---\n'));
    return out;
  });
}

export interface ControlPlane {
  dir: string;
  logDir: string;
  server: string;
  /** Admin kubeconfig (system:masters), context `plinth-e2e`: what the Plinth CLI is given. */
  kubeconfig: string;
  pki: Pki;
  admin: Cert;
  binaries: E2eBinaries;
  procs: ProcessGroup;
  /** GET on the API server as admin; the parsed JSON body. */
  get(path: string): Promise<unknown>;
  /** A request on the API server as admin (for what the Plinth client does not do: status subresources). */
  request(method: 'GET' | 'PATCH' | 'PUT' | 'POST' | 'DELETE', path: string, body?: unknown, contentType?: string): Promise<{ status: number; body: string }>;
  logTails(lines?: number): string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

function httpsGet(url: string, ca: string, client: Cert | undefined, timeoutMs = 5_000): Promise<{ status: number; body: string }> {
  return httpsRequest('GET', url, ca, client, undefined, undefined, timeoutMs);
}

// eslint-disable-next-line max-params -- the one HTTPS call under the harness's request helpers (method, URL, CA, client cert, body, type, timeout), each given by both of its callers
function httpsRequest(
  method: string,
  url: string,
  ca: string,
  client: Cert | undefined,
  body: string | undefined,
  contentType: string | undefined,
  timeoutMs = 5_000,
): Promise<{ status: number; body: string }> {
  return new Promise((resolveGet, reject) => {
    const req = request(
      url,
      {
        method,
        ca: readFileSync(ca),
        ...(client ? { cert: readFileSync(client.cert), key: readFileSync(client.key) } : {}),
        ...(contentType ? { headers: { 'content-type': contentType } } : {}),
        timeout: timeoutMs,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolveGet({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
        res.on('aborted', () => reject(new Error(`${method} ${url}: response aborted`)));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on('error', reject);
    req.end(body);
  });
}

export async function startControlPlane(options: ControlPlaneOptions): Promise<ControlPlane> {
  const binaries = locateBinaries();
  const timeoutMs = options.timeoutMs ?? 90_000;
  const dir = options.dir;
  const logDir = join(dir, 'logs');
  const pkiDir = join(dir, 'pki');
  mkdirSync(pkiDir, { recursive: true });
  const procs = new ProcessGroup(logDir);
  const extra = options.extraArgs ?? {};
  const pki = makePki(pkiDir);
  const admin = pki.client('admin', 'plinth-e2e-admin', 'system:masters');
  const kcmCert = pki.client('kube-controller-manager', 'system:kube-controller-manager');
  const schedCert = pki.client('kube-scheduler', 'system:kube-scheduler');
  const kwokCert = pki.client('kwok', 'plinth-e2e-kwok', 'system:masters');

  const stopAll = async () => procs.stopAll();
  try {
    // etcd
    const [etcdClient, etcdPeer] = [await freePort(), await freePort()];
    const etcd = procs.start('etcd', binaries.etcd, [
      `--name=e2e`,
      `--data-dir=${join(dir, 'etcd')}`,
      `--listen-client-urls=http://127.0.0.1:${etcdClient}`,
      `--advertise-client-urls=http://127.0.0.1:${etcdClient}`,
      `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-cluster=e2e=http://127.0.0.1:${etcdPeer}`,
      '--unsafe-no-fsync',
      '--listen-metrics-urls=',
      '--log-level=warn',
    ]);
    await until('etcd to serve', timeoutMs, async () => {
      procs.assertRunning(etcd);
      const res = await fetch(`http://127.0.0.1:${etcdClient}/health`, { signal: AbortSignal.timeout(2_000) });
      return res.ok ? true : undefined;
    });

    // kube-apiserver
    const apiPort = await freePort();
    const server = `https://127.0.0.1:${apiPort}`;
    const apiserver = procs.start('kube-apiserver', binaries.kubeApiserver, [
      `--etcd-servers=http://127.0.0.1:${etcdClient}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${apiPort}`,
      `--cert-dir=${join(dir, 'apiserver-certs')}`,
      `--tls-cert-file=${pki.apiserver.cert}`,
      `--tls-private-key-file=${pki.apiserver.key}`,
      `--client-ca-file=${pki.ca.cert}`,
      '--authorization-mode=RBAC',
      `--service-account-issuer=https://kubernetes.default.svc.cluster.local`,
      `--service-account-key-file=${pki.serviceAccountPub}`,
      `--service-account-signing-key-file=${pki.serviceAccountKey}`,
      '--service-cluster-ip-range=10.96.0.0/16',
      // Webhooks and aggregated APIs go to endpoint (pod) addresses, which kwok hands out from loopback.
      '--enable-aggregator-routing=true',
      '--allow-privileged=true',
      '--profiling=false',
      '--v=1',
      ...(extra['kube-apiserver'] ?? []),
    ]);
    const get = async (path: string) => {
      const res = await httpsGet(`${server}${path}`, pki.ca.cert, admin);
      if (res.status !== 200) throw new Error(`GET ${path}: HTTP ${res.status}: ${res.body.slice(0, 300)}`);
      return JSON.parse(res.body) as unknown;
    };
    await until('kube-apiserver /readyz', timeoutMs, async () => {
      procs.assertRunning(apiserver);
      const res = await httpsGet(`${server}/readyz`, pki.ca.cert, admin, 2_000);
      return res.status === 200 ? true : undefined;
    });

    const kubeconfig = join(dir, 'kubeconfig');
    writeKubeconfig(kubeconfig, { server, ca: pki.ca.cert, client: admin, context: CONTEXT, user: 'plinth-e2e-admin' });
    const kcmKubeconfig = join(dir, 'kube-controller-manager.kubeconfig');
    writeKubeconfig(kcmKubeconfig, { server, ca: pki.ca.cert, client: kcmCert, context: CONTEXT, user: 'system:kube-controller-manager' });
    const schedKubeconfig = join(dir, 'kube-scheduler.kubeconfig');
    writeKubeconfig(schedKubeconfig, { server, ca: pki.ca.cert, client: schedCert, context: CONTEXT, user: 'system:kube-scheduler' });
    const kwokKubeconfig = join(dir, 'kwok.kubeconfig');
    writeKubeconfig(kwokKubeconfig, { server, ca: pki.ca.cert, client: kwokCert, context: CONTEXT, user: 'plinth-e2e-kwok' });

    // kube-controller-manager and kube-scheduler
    const kcm = procs.start('kube-controller-manager', binaries.kubeControllerManager, [
      `--kubeconfig=${kcmKubeconfig}`,
      `--authentication-kubeconfig=${kcmKubeconfig}`,
      `--authorization-kubeconfig=${kcmKubeconfig}`,
      '--leader-elect=false',
      '--bind-address=127.0.0.1',
      `--secure-port=${await freePort()}`,
      `--cert-dir=${join(dir, 'kcm-certs')}`,
      `--service-account-private-key-file=${pki.serviceAccountKey}`,
      `--root-ca-file=${pki.ca.cert}`,
      '--use-service-account-credentials=true',
      '--service-cluster-ip-range=10.96.0.0/16',
      '--allocate-node-cidrs=false',
      '--controllers=*',
      '--v=1',
      ...(extra['kube-controller-manager'] ?? []),
    ]);
    const sched = procs.start('kube-scheduler', binaries.kubeScheduler, [
      `--kubeconfig=${schedKubeconfig}`,
      `--authentication-kubeconfig=${schedKubeconfig}`,
      `--authorization-kubeconfig=${schedKubeconfig}`,
      '--leader-elect=false',
      '--bind-address=127.0.0.1',
      `--secure-port=${await freePort()}`,
      `--cert-dir=${join(dir, 'scheduler-certs')}`,
      '--v=1',
      ...(extra['kube-scheduler'] ?? []),
    ]);

    // kwok: the fake kubelets of the nodes annotated kwok.x-k8s.io/node=fake.
    const kwok = procs.start('kwok', binaries.kwok, [
      `--kubeconfig=${kwokKubeconfig}`,
      '--manage-all-nodes=false',
      `--manage-nodes-with-annotation-selector=${KWOK_ANNOTATION}=fake`,
      '--node-ip=127.0.0.1',
      '--cidr=127.16.0.0/16',
      '--node-lease-duration-seconds=40',
      '--v=WARN',
      ...kwokStageFiles(binaries.kwokStages, dir, options.holdNodes).map((s) => `--config=${s}`),
      ...(extra.kwok ?? []),
    ]);

    // Ready when the controllers have done their first work: the default ServiceAccount
    // exists (serviceaccount controller) and the scheduler and kwok are still running.
    await until('kube-controller-manager to create the default ServiceAccount', timeoutMs, async () => {
      for (const p of [kcm, sched, kwok]) procs.assertRunning(p);
      const res = await httpsGet(`${server}/api/v1/namespaces/default/serviceaccounts/default`, pki.ca.cert, admin, 2_000);
      return res.status === 200 ? true : undefined;
    });
    return {
      dir,
      logDir,
      server,
      kubeconfig,
      pki,
      admin,
      binaries,
      procs,
      get,
      request: (method, path, body, contentType = 'application/json') =>
        httpsRequest(method, `${server}${path}`, pki.ca.cert, admin, body === undefined ? undefined : JSON.stringify(body), body === undefined ? undefined : contentType),
      logTails: (lines?: number) => procs.logTails(lines),
      stop: stopAll,
    };
  } catch (err) {
    const tails = procs.logTails();
    await stopAll();
    throw new Error(`the e2e control plane did not start: ${(err as Error).message}\n${tails}`);
  }
}
