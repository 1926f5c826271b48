/**
 * Vault, the platform's source of truth for secrets (seed 001 "Secrets
 * Management"): integrated storage (raft) in HA mode with one replica on
 * edge, so more replicas are a values change, not a migration. External
 * Secrets is the way secrets reach pods, so the agent injector is off.
 *
 * TLS: the listener serves a certificate from the platform CA (glue
 * Certificate → Secret `vault-tls`, mounted at /vault/userconfig/vault-tls).
 * The ClusterSecretStore trusts the `ca.crt` of that Secret. Vault reloads
 * its listener certificate only on SIGHUP (a restart would seal it), so a
 * small sidecar, `tls-reloader`, watches the mounted files and sends Vault a
 * SIGHUP when cert-manager's renewal reaches the pod: the pod shares one
 * process namespace, the sidecar runs as Vault's own user with no
 * capabilities, from Vault's own image (its busybox sh, sha256sum and pkill),
 * so nothing new is pulled.
 *
 * No UI endpoint: the Gateway would have to speak TLS to Vault. Cilium 1.20
 * implements BackendTLSPolicy (served as v1 by the v1.6.1 CRDs), but only
 * with ConfigMap CA references, and the platform CA exists only inside
 * cert-manager Secrets; nothing in the catalog copies it into a ConfigMap.
 * The UI (`ui = true`) is reachable with `kubectl -n vault port-forward
 * svc/vault-ui 8200`.
 *
 * Vault starts sealed; `plinth up` initialises and unseals it and configures
 * the kubernetes auth method that External Secrets logs in with.
 */
import type { Values } from '../../lib/values.js';
import type { K8sObject } from '../../model/k8s.js';
import { res } from '../../model/resources.js';
import type { WorkloadSpec } from '../../model/unit.js';
import { CHARTS } from '../charts.js';
import type { Component, ComponentContext } from '../component.js';
import { caCertificate } from '../glue.js';
import { service } from '../network.js';

const NAMESPACE = 'vault';
/** The server image (chart 0.34.1's default, set explicitly so that the reloader runs the same one). */
const VAULT_IMAGE = { repository: 'hashicorp/vault', tag: '2.0.4' };
/** The Secret holding Vault's serving certificate and the platform CA (`ca.crt`). */
export const VAULT_TLS_SECRET = 'vault-tls';
const TLS_DIR = `/vault/userconfig/${VAULT_TLS_SECRET}`;

/** Vault's user in its image and chart (uid and gid 100). */
const VAULT_UID = 100;
/** How often the reloader compares the mounted certificate with the one Vault loaded. */
const RELOAD_CHECK_SECONDS = 60;

/** The sidecar that SIGHUPs Vault when the mounted certificate changes. */
export const TLS_RELOADER = 'tls-reloader';

/**
 * The reloader's script (POSIX sh with busybox's sha256sum and pkill, as in
 * Vault's image): a SIGHUP when it starts (a certificate renewed while the
 * reloader was down is picked up), then one each time the mounted files
 * change. Only the server process gets it (`vault server ...`), not the
 * probes' `vault status`.
 */
export function reloaderScript(dir: string, everySeconds: number): string {
  return [
    `files="${dir}/tls.crt ${dir}/tls.key"`,
    'reload() { pkill -HUP -f "^vault server" && echo "sent SIGHUP to vault: $1"; }',
    'loaded=$(cat $files | sha256sum)',
    'reload "reloader started"',
    'while true; do',
    `  sleep ${everySeconds}`,
    '  now=$(cat $files | sha256sum) || continue',
    '  if [ "$now" != "$loaded" ] && reload "certificate changed"; then loaded=$now; fi',
    'done',
  ].join('\n');
}

function tlsReloader(image: string): Values {
  const script = reloaderScript(TLS_DIR, RELOAD_CHECK_SECONDS);
  return {
    name: TLS_RELOADER,
    image,
    command: ['/bin/sh', '-c', script],
    securityContext: {
      runAsUser: VAULT_UID,
      runAsGroup: VAULT_UID,
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    },
    volumeMounts: [{ name: `userconfig-${VAULT_TLS_SECRET}`, mountPath: TLS_DIR, readOnly: true }],
  };
}

const workloads: WorkloadSpec[] = [
  {
    kind: 'StatefulSet',
    name: 'vault',
    podLabels: { 'app.kubernetes.io/name': 'vault', 'app.kubernetes.io/instance': 'vault', component: 'server' },
    containers: [
      { name: 'vault', resources: res('50m', '256Mi', '500m', '512Mi'), valuesPath: 'server.resources' },
      { name: TLS_RELOADER, resources: res('5m', '8Mi', '50m', '32Mi'), valuesPath: 'server.extraContainers.0.resources' },
    ],
    volumeClaims: ['data'], // server.dataStorage: the raft data
    values: {
      replicas: 'server.ha.replicas',
      affinity: 'server.affinity',
      tolerations: 'server.tolerations',
      priorityClassName: 'server.priorityClassName',
    },
  },
];

/** Names Vault answers to: its Services and, for raft, every pod behind the headless Service. */
function dnsNames(): string[] {
  const services = ['vault', 'vault-active', 'vault-internal'];
  const inCluster = (name: string) => [name, `${name}.${NAMESPACE}`, `${name}.${NAMESPACE}.svc`, `${name}.${NAMESPACE}.svc.cluster.local`];
  return [...services.flatMap(inCluster), ...inCluster('*.vault-internal')];
}

function certificate(ctx: ComponentContext): K8sObject {
  const cert = caCertificate(ctx.refs, {
    name: 'vault-tls',
    namespace: NAMESPACE,
    secretName: VAULT_TLS_SECRET,
    dnsNames: dnsNames(),
    duration: '8760h',
    renewBefore: '720h',
  });
  // The CLI inside the pod talks to https://127.0.0.1:8200.
  return { ...cert, spec: { ...(cert.spec as Values), ipAddresses: ['127.0.0.1'] } };
}

/**
 * Server configuration (HCL): TLS listener, raft storage (joining through
 * every replica, so a pod that restarts while vault-0 is away still finds the
 * cluster), Kubernetes service registration.
 */
export function serverConfig(monitored: boolean, replicas = 1): string {
  const metricsAccess = monitored ? '\n  telemetry {\n    unauthenticated_metrics_access = true\n  }' : '';
  const telemetry = monitored ? '\ntelemetry {\n  prometheus_retention_time = "30s"\n  disable_hostname = true\n}\n' : '';
  return `ui = true

listener "tcp" {
  address = "[::]:8200"
  cluster_address = "[::]:8201"
  tls_cert_file = "${TLS_DIR}/tls.crt"
  tls_key_file = "${TLS_DIR}/tls.key"
  tls_min_version = "tls12"${metricsAccess}
}

storage "raft" {
  path = "/vault/data"
${Array.from({ length: replicas }, (_, i) => `  retry_join {
    leader_api_addr = "https://vault-${i}.vault-internal:8200"
    leader_ca_cert_file = "${TLS_DIR}/ca.crt"
  }`).join('\n')}
}

service_registration "kubernetes" {}
${telemetry}`;
}

export const vault: Component = {
  name: 'vault',
  description: 'secrets management: the source of truth External Secrets syncs into Kubernetes Secrets',
  stack: 'core',
  tier: 2,
  pool: 'infra',
  namespace: NAMESPACE,
  chart: CHARTS.vault,
  dependsOn: ['cert-manager'],
  reloadsCertificates: [{ secret: VAULT_TLS_SECRET, how: `the ${TLS_RELOADER} sidecar sends Vault a SIGHUP when the mounted certificate changes` }],
  policyExceptions: [
    {
      name: 'vault-restricted-profile',
      component: 'vault',
      policies: ['pss-restricted-capabilities', 'pss-restricted-seccomp'],
      match: { namespace: 'vault', workloads: ['vault'], kinds: ['StatefulSet', 'Pod'] },
      reason: "the chart's server container keeps the runtime's default capabilities and sets no seccomp profile (dropping ALL could stop a vault binary that carries the IPC_LOCK file capability); it runs as non-root, without privilege escalation, with disable_mlock",
    },
  ],
  profiles: ['edge', 'compact', 'standard', 'lab'],
  serves: { secrets: ['vault', 'both'] },
  build(ctx: ComponentContext) {
    const monitored = ctx.enabled('kube-prometheus-stack');
    return {
      values: {
        global: { tlsDisable: false, serverTelemetry: { prometheusOperator: false } },
        injector: { enabled: false },
        server: {
          extraEnvironmentVars: { VAULT_CACERT: `${TLS_DIR}/ca.crt` },
          extraVolumes: [{ type: 'secret', name: VAULT_TLS_SECRET }],
          shareProcessNamespace: true,
          image: { ...VAULT_IMAGE },
          extraContainers: [tlsReloader(`${VAULT_IMAGE.repository}:${VAULT_IMAGE.tag}`)],
          dataStorage: { enabled: true, size: '2Gi', storageClass: null },
          ha: {
            enabled: true,
            raft: { enabled: true, setNodeId: true, config: serverConfig(monitored) },
            // One replica: a budget with maxUnavailable 0 would block every node drain.
            disruptionBudget: { enabled: false },
          },
        },
        ui: { enabled: true },
        serverTelemetry: {
          serviceMonitor: {
            enabled: monitored,
            selectors: { 'app.kubernetes.io/part-of': 'vault' },
            // Verify Vault's certificate against the platform CA instead of skipping verification.
            tlsConfig: { ca: { secret: { name: VAULT_TLS_SECRET, key: 'ca.crt' } }, serverName: `vault-active.${NAMESPACE}.svc` },
          },
        },
      },
      workloads,
      usesGroups: monitored ? ['monitoring.coreos.com'] : [],
      network: {
        services: [service('vault', 'vault', [8200], [8201]), service('vault-active', 'vault', [8200], [8201])],
        scraped: monitored ? [{ service: 'vault-active', port: 8200 }] : [],
        runtimeLabels: [{ workload: 'vault', labels: { 'vault-active': 'true' }, why: 'Vault\'s Kubernetes service registration labels the active server (vault-active, vault-sealed, ...)' }],
      },
      manifests: [certificate(ctx)],
    };
  },
};
