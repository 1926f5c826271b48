/**
 * The real Argo CD as local processes against the e2e control plane: Redis
 * (Debian's redis-server), argocd-repo-server, argocd-application-controller and
 * argocd-applicationset-controller, all from the one multi-call binary built by
 * scripts/e2e/build.ts (it picks the component from ARGOCD_BINARY_NAME).
 *
 * - `ARGOCD_FAKE_IN_CLUSTER=true` with KUBECONFIG set to the e2e admin kubeconfig:
 *   the in-cluster destination https://kubernetes.default.svc means the e2e API server.
 * - Configuration comes from the pinned chart's render (the product's own render of
 *   the argocd unit): each component gets the environment its container in the chart
 *   gets, with `configMapKeyRef`s resolved against the rendered ConfigMaps (so
 *   argocd-cmd-params-cm and argocd-cm settings apply), Secret references left out
 *   (Redis runs without a password on loopback), and only what ties it to a pod
 *   replaced: listen addresses and ports (127.0.0.1, free ports), Redis and the
 *   repo-server's address, plain gRPC between them (no TLS certificates mounted),
 *   folders (the run directory). argocd-cm, argocd-rbac-cm, argocd-secret and the
 *   CRDs are read from the API server, where `plinth up` put them from the same render.
 * - git and helm on PATH for the repo-server: git from PATH, Helm found the way the
 *   product finds it (PLINTH_HELM, PATH, else the npm package's binary).
 *
 * Not run: argocd-server (API and UI), dex, notifications and the commit server; the
 * suite reads Argo CD's decisions from the Application objects.
 *
 * One exception to "everything on 127.0.0.1": the application-controller's metrics
 * server binds 0.0.0.0 on the port given (controller/appcontroller.go builds
 * `0.0.0.0:<metrics-port>`; there is no flag for the address). It gets a free port.
 */
import { mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { findHelm } from '../../../src/helm/index.js';
import type { K8sObject } from '../../../src/model/k8s.js';
import { onPath } from '../../../src/helm/binary.js';
import { freePort } from './control-plane.js';
import type { ProcessGroup, Proc } from './procs.js';
import { until } from './procs.js';

export const ARGOCD_COMPONENTS = ['argocd-repo-server', 'argocd-application-controller', 'argocd-applicationset-controller'] as const;
export type ArgoCdComponent = (typeof ARGOCD_COMPONENTS)[number];

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { configMapKeyRef?: { name: string; key: string; optional?: boolean }; secretKeyRef?: unknown; fieldRef?: { fieldPath: string } };
}

interface Container {
  name: string;
  env?: EnvVar[];
}

/** The chart's container of a component (the Deployment or StatefulSet of that name). */
function chartContainer(rendered: readonly K8sObject[], component: ArgoCdComponent): Container {
  const w = rendered.find((o) => (o.kind === 'Deployment' || o.kind === 'StatefulSet') && o.metadata.name === component);
  if (!w) throw new Error(`the Argo CD render has no Deployment or StatefulSet ${component}`);
  const containers = ((w.spec as { template: { spec: { containers: Container[] } } }).template.spec.containers ?? []) as Container[];
  const c = containers.find((x) => x.name !== 'copyutil') ?? containers[0];
  if (!c) throw new Error(`${w.kind} ${component} has no container`);
  return c;
}

/** Literal values in the chart that name folders of the pod: moved into the run directory. */
const POD_PATHS = new Set(['HELM_CACHE_HOME', 'HELM_CONFIG_HOME', 'HELM_DATA_HOME', 'KUBECACHEDIR']);

/**
 * The environment the chart gives a component: literal values, and ConfigMap keys
 * resolved against the rendered ConfigMaps (a missing optional key is left unset, as
 * the kubelet does). Secret references and pod fields are not resolved.
 */
// eslint-disable-next-line complexity -- the container's environment as the kubelet builds it: plain values (pod paths rewritten), ConfigMap keys (optional or not), the namespace field
export function chartEnvironment(rendered: readonly K8sObject[], component: ArgoCdComponent, namespace: string, workDir: string): Record<string, string> {
  const configMaps = new Map(rendered.filter((o) => o.kind === 'ConfigMap').map((o) => [o.metadata.name, ((o as { data?: Record<string, string> }).data ?? {}) as Record<string, string>]));
  const env: Record<string, string> = {};
  for (const e of chartContainer(rendered, component).env ?? []) {
    if (e.value !== undefined) {
      env[e.name] = POD_PATHS.has(e.name) ? join(workDir, e.name.toLowerCase()) : e.value;
      continue;
    }
    const ref = e.valueFrom?.configMapKeyRef;
    if (ref) {
      const v = configMaps.get(ref.name)?.[ref.key];
      if (v !== undefined) env[e.name] = v;
      else if (!ref.optional) throw new Error(`${component}: env ${e.name} needs ${ref.name}/${ref.key}, which the render does not have`);
      continue;
    }
    if (e.valueFrom?.fieldRef?.fieldPath === 'metadata.namespace') env[e.name] = namespace;
  }
  return env;
}

export interface ArgoCdOptions {
  procs: ProcessGroup;
  /** The argocd unit's chart render (the product's). */
  rendered: readonly K8sObject[];
  binary: string;
  kubeconfig: string;
  /** Run directory: logs go to procs' directory, state under `<dir>/argocd`. */
  dir: string;
  namespace?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

export interface RunningArgoCd {
  redis: Proc;
  components: Record<ArgoCdComponent, Proc>;
  /** Environment each component was started with (no secret values: the render's Secrets are never read). */
  environments: Record<ArgoCdComponent, Record<string, string>>;
  /** Throws with the log tail if a component exited. */
  assertRunning(): void;
  stop(): Promise<void>;
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port }, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
    s.setTimeout(1_000, () => {
      s.destroy();
      resolve(false);
    });
  });
}

export async function startArgoCd(o: ArgoCdOptions): Promise<RunningArgoCd> {
  const namespace = o.namespace ?? 'argocd';
  const timeoutMs = o.timeoutMs ?? 90_000;
  const base = o.env ?? process.env;
  const work = join(o.dir, 'argocd');
  const git = onPath('git', base);
  if (!git) throw new Error('git is not on PATH: the repo-server needs it (apt-get install git)');
  const redisBin = onPath('redis-server', base);
  if (!redisBin) throw new Error('redis-server is not on PATH: Argo CD needs Redis (apt-get install redis-server)');
  const helm = (await findHelm(base)).path;
  // The binary's folder holds the release's helper scripts (git-verify-wrapper.sh), which the repo-server runs from PATH.
  const path = [...new Set([dirname(o.binary), dirname(helm), dirname(git), ...(base.PATH ?? '').split(':')])].filter(Boolean).join(':');

  const [redisPort, repoPort, repoMetrics, ctrlMetrics, appsetMetrics, appsetProbe, appsetWebhook] = await Promise.all(Array.from({ length: 7 }, () => freePort()));
  const redisDir = join(work, 'redis');
  mkdirSync(redisDir, { recursive: true });
  const redis = o.procs.start('redis', redisBin, ['--bind', '127.0.0.1', '--port', String(redisPort), '--save', '', '--appendonly', 'no', '--protected-mode', 'yes', '--dir', redisDir]);
  await until('redis-server to listen', timeoutMs, async () => {
    o.procs.assertRunning(redis);
    return (await portOpen(redisPort)) ? true : undefined;
  });

  const repoServer = `127.0.0.1:${repoPort}`;
  const common = (component: ArgoCdComponent): Record<string, string> => {
    const dir = join(work, component);
    mkdirSync(join(dir, 'tmp'), { recursive: true });
    return {
      ...chartEnvironment(o.rendered, component, namespace, dir),
      ARGOCD_BINARY_NAME: component,
      ARGOCD_FAKE_IN_CLUSTER: 'true',
      KUBECONFIG: o.kubeconfig,
      REDIS_SERVER: `127.0.0.1:${redisPort}`,
      HOME: dir,
      TMPDIR: join(dir, 'tmp'),
      PATH: path,
      // No GnuPG keyring in this environment (the chart mounts one); signature verification is off in Plinth's projects.
      ARGOCD_GPG_ENABLED: 'false',
    };
  };
  const environments = {
    'argocd-repo-server': {
      ...common('argocd-repo-server'),
      ARGOCD_REPO_SERVER_LISTEN_ADDRESS: '127.0.0.1',
      ARGOCD_REPO_SERVER_LISTEN_METRICS_ADDRESS: '127.0.0.1',
      ARGOCD_REPO_SERVER_DISABLE_TLS: 'true',
    },
    'argocd-application-controller': {
      ...common('argocd-application-controller'),
      ARGOCD_APPLICATION_CONTROLLER_REPO_SERVER: repoServer,
      ARGOCD_APPLICATION_CONTROLLER_REPO_SERVER_PLAINTEXT: 'true',
      // No commit server runs (the source hydrator is off); the address is never dialled.
      ARGOCD_APPLICATION_CONTROLLER_COMMIT_SERVER: '127.0.0.1:1',
    },
    'argocd-applicationset-controller': {
      ...common('argocd-applicationset-controller'),
      ARGOCD_APPLICATIONSET_CONTROLLER_REPO_SERVER: repoServer,
      ARGOCD_APPLICATIONSET_CONTROLLER_REPO_SERVER_PLAINTEXT: 'true',
    },
  } satisfies Record<ArgoCdComponent, Record<string, string>>;
  // Plain gRPC between the components: the repo-server refuses --disable-tls with a client CA path, whose default names the pod's mounted Secret.
  const args: Record<ArgoCdComponent, string[]> = {
    'argocd-repo-server': ['--address', '127.0.0.1', '--port', String(repoPort), '--metrics-address', '127.0.0.1', '--metrics-port', String(repoMetrics), '--disable-tls', '--client-ca-path='],
    'argocd-application-controller': ['--namespace', namespace, '--repo-server', repoServer, '--repo-server-plaintext', '--metrics-port', String(ctrlMetrics)],
    'argocd-applicationset-controller': [
      '--namespace',
      namespace,
      '--argocd-repo-server',
      repoServer,
      '--repo-server-plaintext',
      '--metrics-addr',
      `127.0.0.1:${appsetMetrics}`,
      '--probe-addr',
      `127.0.0.1:${appsetProbe}`,
      '--webhook-addr',
      `127.0.0.1:${appsetWebhook}`,
    ],
  };
  const components = {} as Record<ArgoCdComponent, Proc>;
  for (const c of ARGOCD_COMPONENTS) {
    components[c] = o.procs.start(c, o.binary, args[c], { env: environments[c], cwd: join(work, c) });
    if (c === 'argocd-repo-server') {
      await until('argocd-repo-server to listen', timeoutMs, async () => {
        o.procs.assertRunning(components[c]);
        return (await portOpen(repoPort)) ? true : undefined;
      });
    }
  }
  await until('the application-controller and applicationset-controller to serve', timeoutMs, async () => {
    for (const c of ARGOCD_COMPONENTS) o.procs.assertRunning(components[c]);
    return (await portOpen(appsetProbe)) && (await portOpen(ctrlMetrics)) ? true : undefined;
  });
  return {
    redis,
    components,
    environments,
    assertRunning: () => {
      for (const p of [redis, ...Object.values(components)]) o.procs.assertRunning(p);
    },
    stop: async () => {
      for (const c of [...ARGOCD_COMPONENTS].reverse()) await o.procs.stop(components[c]);
      await o.procs.stop(redis);
    },
  };
}
