/**
 * Hygiene checker: what a reviewer of the GitOps repository would refuse.
 * No Secret carrying data in Git and no secret value in values; no image
 * without a tag or on `latest`; charts and upstream manifests pinned exactly;
 * every container with CPU and memory requests and limits; namespaces with the
 * labels cost attribution needs.
 */
import { apiGroup, type K8sObject } from '../model/k8s.js';
import { REQUIRED_NAMESPACE_LABELS } from '../model/labels.js';
import type { Unit } from '../model/unit.js';
import type { Platform } from '../model/platform.js';
import type { SecretsProvider } from '../model/choices.js';
import type { Values } from '../lib/values.js';
import { type Finding, objectOf } from './finding.js';
import { ACME_ISSUER, isPublicDomain } from '../catalog/acme.js';
import { type ContainerLike, isHook, isWorkload, podTemplateOf } from './pods.js';

const CHECK = 'hygiene';

export interface HygieneInput {
  units: readonly Unit[];
  rendered?: ReadonlyMap<string, readonly K8sObject[]>;
  /** The platform's secrets provider: where a value that must live in Git goes (a SealedSecret, or Vault). */
  secretsProvider?: SecretsProvider;
}

/**
 * The proxy image Istio's injector puts in place of `image: auto` (the gateway
 * chart's Envoy): istiod's pinned `global.hub`/`global.tag`, or undefined
 * when no istiod of the platform pins them.
 */
function injectedProxyImage(units: readonly Unit[]): string | undefined {
  const istiod = units.find((u) => u.chart?.chart === 'istiod');
  const global = (istiod?.values.global ?? {}) as { hub?: unknown; tag?: unknown };
  return typeof global.hub === 'string' && typeof global.tag === 'string' ? `${global.hub}/proxyv2:${global.tag}` : undefined;
}

export function checkHygiene(input: HygieneInput): Finding[] {
  const findings: Finding[] = [];
  const proxy = injectedProxyImage(input.units);
  for (const u of input.units) {
    const source = { component: u.name };
    const add = (f: Omit<Finding, 'check' | 'source'>) => findings.push({ check: CHECK, source, ...f });
    pinning(u, add);
    for (const m of u.manifests) {
      plaintextSecret(m, add, input.secretsProvider ?? 'vault');
      namespaceLabels(m, add);
    }
    secretValues(u.values, [], add);
    const rendered = input.rendered?.get(u.name);
    const objects = [...u.manifests, ...(rendered ?? [])];
    for (const o of objects) {
      if (rendered?.includes(o) && o.kind === 'Namespace') namespaceLabels(o, add);
      if (isWorkload(o)) podHygiene(o, add, proxy);
    }
    if (!rendered) offlineBudgets(u, add);
  }
  return findings;
}

type Add = (f: Omit<Finding, 'check' | 'source'>) => void;

const EXACT_VERSION = /^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
const PINNED_REF = /^(?:v?\d+\.\d+(?:\.\d+)?(?:[-+][0-9A-Za-z.-]+)?|[0-9a-f]{40}|[A-Za-z][\w.-]*-v?\d+\.\d+\.\d+)$/;

function pinning(u: Unit, add: Add): void {
  if (u.chart && !EXACT_VERSION.test(u.chart.version)) {
    add({ severity: 'error', path: 'chart.version', message: `chart ${u.chart.chart} version ${JSON.stringify(u.chart.version)} is not an exact version`, hint: 'pin the chart to one released version, e.g. 1.2.3' });
  }
  if (u.git && !PINNED_REF.test(u.git.ref)) {
    add({ severity: 'error', path: 'git.ref', message: `upstream manifests of ${u.git.repoUrl} follow ${JSON.stringify(u.git.ref)}, not a release tag or commit`, hint: 'use a tag (v1.2.3) or a full commit id' });
  }
}

/** Where the value of a plaintext Secret belongs, by the platform's secrets provider. */
function secretHint(provider: SecretsProvider): string {
  const seal = 'seal it with `plinth seal ...` (the Sealed Secrets controller of namespace sealed-secrets decrypts it) and commit the SealedSecret in its place';
  if (provider === 'sealed-secrets') return seal;
  if (provider === 'both') return `${seal}; or, if it need not be in Git, store it in Vault and create the Secret with an ExternalSecret`;
  return 'store the value in Vault and create the Secret with an ExternalSecret';
}

function plaintextSecret(o: K8sObject, add: Add, provider: SecretsProvider): void {
  if (o.kind !== 'Secret' || apiGroup(o.apiVersion) !== '') return;
  for (const field of ['data', 'stringData'] as const) {
    const v = o[field] as Record<string, unknown> | undefined;
    if (v && Object.keys(v).length > 0) {
      add({ severity: 'error', object: objectOf(o), path: field, message: 'a Secret with its data is committed to Git', hint: secretHint(provider) });
    }
  }
}

function namespaceLabels(o: K8sObject, add: Add): void {
  if (o.kind !== 'Namespace' || apiGroup(o.apiVersion) !== '') return;
  const missing = REQUIRED_NAMESPACE_LABELS.filter((l) => !o.metadata.labels?.[l]);
  if (missing.length > 0) {
    add({ severity: 'error', object: objectOf(o), path: 'metadata.labels', message: `namespace lacks the required label${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`, hint: 'enforce-namespace-labels rejects it in the cluster' });
  }
}

const SECRET_KEY = /(password|passwd|passcode|token|apikey|api_key|clientsecret|privatekey|private_key)$/i;

function secretValues(values: unknown, path: string[], add: Add): void {
  if (Array.isArray(values)) {
    values.forEach((v, i) => secretValues(v, [...path.slice(0, -1), `${path[path.length - 1] ?? ''}[${i}]`], add));
    return;
  }
  if (values === null || typeof values !== 'object') return;
  for (const [key, v] of Object.entries(values as Values)) {
    if (typeof v === 'string' && v !== '' && SECRET_KEY.test(key) && !/^\$|\{\{/.test(v)) {
      add({ severity: 'error', path: `values.${[...path, key].join('.')}`, message: `values.yaml holds a secret value under ${key}`, hint: 'point the chart at an existing Secret filled by an ExternalSecret instead' });
    } else secretValues(v, [...path, key], add);
  }
}

function imageProblem(image: string | undefined): string | undefined {
  if (!image) return 'has no image';
  if (image.includes('@sha256:')) return undefined;
  const lastSlash = image.lastIndexOf('/');
  const colon = image.indexOf(':', lastSlash + 1);
  if (colon === -1) return `image ${image} has no tag`;
  if (image.slice(colon + 1) === 'latest') return `image ${image} uses the latest tag`;
  return undefined;
}

/** A pod Istio injects (`sidecar.istio.io/inject: "true"` as label or annotation). */
function istioInjected(meta: { labels?: Record<string, string>; annotations?: Record<string, string> }): boolean {
  return meta.labels?.['sidecar.istio.io/inject'] === 'true' || meta.annotations?.['sidecar.istio.io/inject'] === 'true';
}

function podHygiene(o: K8sObject, add: Add, proxy: string | undefined): void {
  const tpl = podTemplateOf(o);
  if (!tpl) return;
  const hook = isHook(o);
  const injected = istioInjected(tpl.metadata as { labels?: Record<string, string>; annotations?: Record<string, string> });
  for (const list of ['initContainers', 'containers'] as const) {
    (tpl.spec[list] ?? []).forEach((c: ContainerLike, i) => {
      const path = `${tpl.path}.spec.${list}[${i}]`;
      // `image: auto` in an injected pod: Istio's injector replaces it with istiod's pinned proxy image.
      const auto = c.image === 'auto' && injected && c.name === 'istio-proxy';
      if (auto && !proxy) {
        add({ severity: 'error', object: objectOf(o), path: `${path}.image`, message: `container ${c.name}: image auto is filled in by Istio's sidecar injector, but no istiod of the platform pins the proxy image (global.hub, global.tag)`, hint: 'enable istiod, with global.hub and global.tag set' });
      }
      const image = auto ? undefined : imageProblem(c.image);
      if (image) add({ severity: 'error', object: objectOf(o), path: `${path}.image`, message: `container ${c.name}: ${image}`, hint: 'pin an exact tag or digest' });
      const missing = (['requests', 'limits'] as const).flatMap((w) => (['cpu', 'memory'] as const).filter((r) => c.resources?.[w]?.[r] === undefined).map((r) => `${w}.${r}`));
      if (missing.length > 0) {
        add({
          severity: hook ? 'warning' : 'error',
          object: objectOf(o),
          path: `${path}.resources`,
          message: `container ${c.name} has no ${missing.join(', ')}`,
          hint: 'declare its budget in the component, through the values key the chart reads',
        });
      }
    });
  }
}

function offlineBudgets(u: Unit, add: Add): void {
  for (const w of u.workloads) {
    for (const c of [...w.containers, ...w.initContainers]) {
      const missing = (['requests', 'limits'] as const).flatMap((k) => (['cpu', 'memory'] as const).filter((r) => !c.resources?.[k]?.[r]).map((r) => `${k}.${r}`));
      if (missing.length > 0) {
        add({ severity: 'error', object: { apiVersion: w.kind === 'Job' || w.kind === 'CronJob' ? 'batch/v1' : 'apps/v1', kind: w.kind, namespace: w.namespace, name: w.name }, path: `containers.${c.name}.resources`, message: `container ${c.name} has no ${missing.join(', ')}`, hint: 'declare its budget in the component' });
      }
    }
  }
}

/** Settings of plinth.yaml the platform depends on at run time. */
export function checkPlatformSettings(platform: Platform, units: readonly Unit[]): Finding[] {
  const findings: Finding[] = [];
  if (units.some((u) => u.name === 'cilium') && !platform.config.cluster.apiServer.host) {
    const server = platform.nodes.find((n) => n.role === 'control-plane')?.name ?? '';
    findings.push({
      check: CHECK,
      severity: 'warning',
      source: { component: 'cilium', file: platform.file },
      path: 'cluster.apiServer.host',
      message: `Cilium reaches the Kubernetes API at the node name ${server}: without kube-proxy and before cluster DNS, every node must resolve that name itself`,
      hint: "set cluster.apiServer.host to the server's IP address",
    });
  }
  findings.push(...sealedWithoutController(platform, units));
  const acme = platform.config.tls.acme;
  if (acme && !isPublicDomain(platform.domain)) {
    findings.push({
      check: CHECK,
      severity: 'warning',
      source: { component: 'cert-manager', file: platform.file },
      path: 'tls.acme',
      message: `set, but ${platform.domain} is a private domain, whose names no public ACME CA can validate: the ClusterIssuer ${ACME_ISSUER} serves only public names you add, and the platform's endpoints keep the platform CA's certificate`,
      hint: 'use a public cluster.domain for ACME certificates on the endpoints, or remove tls.acme',
    });
  }
  return findings;
}

/** SealedSecrets (glue, or a tenant's manifests) on a platform without the Sealed Secrets controller: nothing would ever unseal them. */
function sealedWithoutController(platform: Platform, units: readonly Unit[]): Finding[] {
  if (units.some((u) => u.name === 'sealed-secrets')) return [];
  const set = platform.config.secrets.provider !== undefined;
  const by = set ? 'secrets.provider' : `secrets.provider (from profile ${platform.profile.name})`;
  const off = platform.config.components['sealed-secrets']?.enabled === false ? ' and components.sealed-secrets.enabled is false' : '';
  return units.flatMap((u) =>
    u.manifests
      .filter((m) => m.kind === 'SealedSecret' && apiGroup(m.apiVersion) === 'bitnami.com')
      .map((m) => ({
        check: CHECK,
        severity: 'error' as const,
        object: objectOf(m),
        source: { component: u.name },
        path: 'kind',
        message: `a SealedSecret needs the Sealed Secrets controller, but ${by} is ${platform.choices.secrets}${off}: nothing would unseal it`,
        hint: 'set secrets.provider: sealed-secrets or both, or create the Secret from Vault with an ExternalSecret instead',
      })),
  );
}
