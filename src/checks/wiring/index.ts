/**
 * Wiring checker: the flows between components hold, as the charts render
 * them (seed 004's "life of a request", its pipeline and its recovery).
 *
 * - endpoints: every address a component is configured to reach is a
 *   Service the platform renders, in that namespace, serving that port:
 *   Grafana's data sources, the OpenTelemetry Collector's exporters, Istio's
 *   tracing providers, Kiali's back ends, the Thanos querier's stores,
 *   Argo Rollouts' analysis Prometheus, Tempo's, Thanos's and Velero's
 *   object store;
 * - correlations: every data source a Grafana correlation links to
 *   (exemplars, derived fields, trace to logs/metrics/profiles, service map)
 *   is provisioned;
 * - buckets: every bucket Tempo, Thanos and Velero write to is one MinIO's
 *   job creates, and every Secret of credentials a custom resource names
 *   (Prometheus's Thanos sidecar, a BackupStorageLocation) is produced;
 * - mesh metrics: a Rollout analysis querying Istio's metrics asks for
 *   metrics and labels Istio's telemetry produces, and Prometheus scrapes
 *   the proxies that produce them;
 * - rollouts: every analysis a Rollout runs exists, with its arguments;
 * - backups: every Velero Schedule covers a namespace that holds a volume,
 *   copies volume data, and writes to a backup location that exists.
 */
import YAML from 'yaml';
import { secretsProducedBy } from '../../desired/references.js';
import { closest } from '../../lib/suggest.js';
import { isPlainObject } from '../../lib/values.js';
import { claimsOf } from '../../model/claims.js';
import { apiGroup, type K8sObject } from '../../model/k8s.js';
import type { Unit } from '../../model/unit.js';
import { type Finding, objectOf } from '../finding.js';
import { isWorkload, podTemplateOf } from '../pods.js';
import { ISTIO_LABELS, ISTIO_SERIES, isIstioMetric, SCRAPE_LABELS } from './istio-metrics.js';
import { queryUses } from './promql.js';
import { parseServiceAddress, serviceIndex, type ServiceInfo, unresolved } from './services.js';

export const WIRING_CHECK = 'wiring';

export interface WiringInput {
  units: readonly Unit[];
  rendered?: ReadonlyMap<string, readonly K8sObject[]>;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (isPlainObject(v) ? (v as Obj) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const key = (k: string) => (/^[A-Za-z_][\w-]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`);

interface Placed {
  unit: Unit;
  object: K8sObject;
  namespace: string;
}

interface Context {
  placed: Placed[];
  services: Map<string, ServiceInfo>;
  namespaces: Set<string>;
  finding(p: Placed, path: string, message: string, hint?: string, severity?: Finding['severity']): Finding;
}

function context(input: WiringInput): Context {
  const placed: Placed[] = [];
  for (const u of input.units) {
    for (const object of [...u.manifests, ...(input.rendered?.get(u.name) ?? [])]) {
      placed.push({ unit: u, object, namespace: object.metadata.namespace ?? u.namespace });
    }
  }
  const services = serviceIndex(input.units, input.rendered);
  const namespaces = new Set<string>([...input.units.flatMap((u) => [u.namespace, ...(u.extraNamespaces ?? [])]), ...[...services.values()].map((s) => s.namespace)]);
  return {
    placed,
    services,
    namespaces,
    finding: (p, path, message, hint, severity = 'error') => ({
      check: WIRING_CHECK,
      severity,
      source: { component: p.unit.name },
      object: objectOf({ ...p.object, metadata: { ...p.object.metadata, namespace: p.object.metadata.namespace ?? (isNamespaced(p.object) ? p.namespace : undefined) } }),
      path,
      message,
      ...(hint ? { hint } : {}),
    }),
  };
}

const CLUSTER_KINDS = new Set(['ClusterAnalysisTemplate', 'Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition']);
const isNamespaced = (o: K8sObject) => !CLUSTER_KINDS.has(o.kind);

/** Parsed once per ConfigMap and check (several checks below read the same documents); renewed by each {@link checkWiring}. */
let parsedConfigMaps = new WeakMap<K8sObject, [string, Obj][]>();

/** The YAML documents of a ConfigMap's data, by key (what does not parse is skipped). */
function configMapDocs(o: K8sObject): [string, Obj][] {
  if (o.kind !== 'ConfigMap' || o.apiVersion !== 'v1') return [];
  const known = parsedConfigMaps.get(o);
  if (known) return known;
  const out: [string, Obj][] = [];
  parsedConfigMaps.set(o, out);
  for (const [k, v] of Object.entries(obj(o.data))) {
    if (typeof v !== 'string' || v.length > 500_000) continue;
    try {
      const doc = YAML.parse(v, { logLevel: 'silent' }) as unknown;
      if (isPlainObject(doc)) out.push([k, doc as Obj]);
    } catch {
      // not YAML: not a configuration this checker reads
    }
  }
  return out;
}

// --- endpoints ---------------------------------------------------------------

interface AddressUse {
  at: Placed;
  path: string;
  what: string;
  address: string;
  /** Where a bare name resolves. */
  namespace: string;
}

function grafanaDataSources(ctx: Context): { uses: AddressUse[]; sources: { at: Placed; path: string; ds: Obj }[] } {
  const uses: AddressUse[] = [];
  const sources: { at: Placed; path: string; ds: Obj }[] = [];
  for (const p of ctx.placed) {
    for (const [k, doc] of configMapDocs(p.object)) {
      if (!Array.isArray(doc.datasources)) continue;
      doc.datasources.forEach((d, i) => {
        const ds = obj(d);
        const path = `data${key(k)}.datasources[${i}]`;
        sources.push({ at: p, path, ds });
        const url = str(ds.url);
        if (url) uses.push({ at: p, path: `${path}.url`, what: `Grafana data source ${str(ds.name) ?? str(ds.uid) ?? i}`, address: url, namespace: p.namespace });
      });
    }
  }
  return { uses, sources };
}

function collectorExporters(ctx: Context): AddressUse[] {
  const uses: AddressUse[] = [];
  for (const p of ctx.placed) {
    for (const [k, doc] of configMapDocs(p.object)) {
      const pipelines = obj(obj(doc.service).pipelines);
      if (!isPlainObject(doc.exporters) || Object.keys(pipelines).length === 0) continue;
      const used = new Set(Object.values(pipelines).flatMap((pl) => arr(obj(pl).exporters).filter((e): e is string => typeof e === 'string')));
      for (const name of [...used].sort()) {
        const endpoint = str(obj(obj(doc.exporters)[name]).endpoint);
        if (endpoint) uses.push({ at: p, path: `data${key(k)}.exporters${key(name)}.endpoint`, what: `OpenTelemetry Collector exporter ${name}`, address: endpoint, namespace: p.namespace });
      }
    }
  }
  return uses;
}

function meshProviders(ctx: Context): AddressUse[] {
  const uses: AddressUse[] = [];
  for (const p of ctx.placed) {
    for (const [k, doc] of configMapDocs(p.object)) {
      if (!Array.isArray(doc.extensionProviders)) continue;
      doc.extensionProviders.forEach((e, i) => {
        for (const [type, cfg] of Object.entries(obj(e))) {
          const c = obj(cfg);
          const service = str(c.service);
          if (!service || typeof c.port !== 'number') continue;
          uses.push({ at: p, path: `data${key(k)}.extensionProviders[${i}].${type}`, what: `Istio extension provider ${str(obj(e).name) ?? i} (${type})`, address: `${service}:${c.port}`, namespace: p.namespace });
        }
      });
    }
  }
  return uses;
}

function kialiServices(ctx: Context): AddressUse[] {
  const uses: AddressUse[] = [];
  for (const p of ctx.placed) {
    for (const [k, doc] of configMapDocs(p.object)) {
      const ext = obj(doc.external_services);
      if (!isPlainObject(doc.external_services) || !isPlainObject(doc.server)) continue;
      const want = (name: string, field: string, on: boolean) => {
        const url = str(obj(ext[name])[field]);
        if (on && url) uses.push({ at: p, path: `data${key(k)}.external_services.${name}.${field}`, what: `Kiali's ${name}`, address: url, namespace: p.namespace });
      };
      want('prometheus', 'url', obj(ext.prometheus).enabled !== false);
      want('tracing', 'internal_url', obj(ext.tracing).enabled === true);
      want('grafana', 'internal_url', obj(ext.grafana).enabled === true);
    }
  }
  return uses;
}

/** `--endpoint=` / `--store=` flags of Thanos containers (the querier's stores and sidecars). */
function thanosStores(ctx: Context): AddressUse[] {
  const uses: AddressUse[] = [];
  for (const p of ctx.placed) {
    if (!isWorkload(p.object)) continue;
    const tpl = podTemplateOf(p.object);
    (tpl?.spec.containers ?? []).forEach((c, ci) => {
      if (!(c.image ?? '').includes('thanos')) return;
      arr((c as { args?: unknown }).args).forEach((a, ai) => {
        const m = typeof a === 'string' ? /^--(?:endpoint|store)=(.+)$/.exec(a) : null;
        if (m) uses.push({ at: p, path: `${tpl!.path}.spec.containers[${ci}].args[${ai}]`, what: `Thanos ${c.name}'s store`, address: m[1]!, namespace: p.namespace });
      });
    });
  }
  return uses;
}

const isKind = (o: K8sObject, group: string, ...kinds: string[]) => apiGroup(o.apiVersion) === group && kinds.includes(o.kind);
const analysisTemplates = (ctx: Context) => ctx.placed.filter((p) => isKind(p.object, 'argoproj.io', 'AnalysisTemplate', 'ClusterAnalysisTemplate'));

function analysisProviders(ctx: Context): AddressUse[] {
  const uses: AddressUse[] = [];
  for (const p of analysisTemplates(ctx)) {
    arr(obj(p.object.spec).metrics).forEach((m, i) => {
      const address = str(obj(obj(obj(m).provider).prometheus).address);
      if (address) uses.push({ at: p, path: `spec.metrics[${i}].provider.prometheus.address`, what: `analysis metric ${str(obj(m).name) ?? i}`, address, namespace: p.namespace });
    });
  }
  return uses;
}

// --- object storage ------------------------------------------------------------

interface BucketUse {
  at: Placed;
  path: string;
  what: string;
  bucket: string;
  endpoint: string;
  endpointPath: string;
}

function objectStoreUses(ctx: Context): BucketUse[] {
  const uses: BucketUse[] = [];
  for (const p of ctx.placed) {
    const o = p.object;
    // Velero's backup locations.
    if (isKind(o, 'velero.io', 'BackupStorageLocation')) {
      const spec = obj(o.spec);
      const bucket = str(obj(spec.objectStorage).bucket);
      const url = str(obj(spec.config).s3Url);
      if (bucket && url) uses.push({ at: p, path: 'spec.objectStorage.bucket', what: `BackupStorageLocation ${o.metadata.name}`, bucket, endpoint: url, endpointPath: 'spec.config.s3Url' });
    }
    // Tempo's configuration (the chart's ConfigMap).
    for (const [k, doc] of configMapDocs(o)) {
      const trace = obj(obj(doc.storage).trace);
      const s3 = obj(trace.s3);
      if (trace.backend === 's3' && str(s3.bucket) && str(s3.endpoint)) {
        uses.push({ at: p, path: `data${key(k)}.storage.trace.s3.bucket`, what: 'Tempo', bucket: str(s3.bucket)!, endpoint: str(s3.endpoint)!, endpointPath: `data${key(k)}.storage.trace.s3.endpoint` });
      }
    }
    // Thanos object store files written by External Secrets' templates.
    if (isKind(o, 'external-secrets.io', 'ExternalSecret')) {
      for (const [k, v] of Object.entries(obj(obj(obj(obj(o.spec).target).template).data))) {
        if (typeof v !== 'string' || !/^type:\s*S3\b/m.test(v)) continue;
        let doc: Obj = {};
        try {
          doc = obj(YAML.parse(v.replace(/\{\{[^}]*\}\}/g, 'x')));
        } catch {
          continue;
        }
        const config = obj(doc.config);
        if (str(config.bucket) && str(config.endpoint)) {
          const at = `spec.target.template.data${key(k)}`;
          uses.push({ at: p, path: `${at} (config.bucket)`, what: `the object store configuration ${o.metadata.name}/${k}`, bucket: str(config.bucket)!, endpoint: str(config.endpoint)!, endpointPath: `${at} (config.endpoint)` });
        }
      }
    }
  }
  return uses;
}

/** Buckets MinIO's post-install job creates, per MinIO Service (`createBucket <name>` in the chart's scripts). */
function minioBuckets(ctx: Context): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const p of ctx.placed.filter((x) => x.unit.chart?.chart === 'minio')) {
    if (p.object.kind !== 'ConfigMap') continue;
    for (const v of Object.values(obj(p.object.data))) {
      if (typeof v !== 'string') continue;
      for (const m of v.matchAll(/^\s*createBucket\s+([a-z0-9][a-z0-9.-]*)\s/gm)) {
        const svc = `${p.namespace}/${p.unit.name}`;
        if (!out.has(svc)) out.set(svc, new Set());
        out.get(svc)!.add(m[1]!);
      }
    }
  }
  return out;
}

function produced(ctx: Context, units: readonly Unit[]): Set<string> {
  const out = new Set<string>();
  for (const p of ctx.placed) for (const s of secretsProducedBy(p.object)) out.add(`${s.namespace ?? p.namespace}/${s.name}`);
  for (const u of units) for (const p of u.provides) if (p.kind === 'Secret') out.add(`${p.namespace ?? u.namespace}/${p.name}`);
  return out;
}

function bucketFindings(ctx: Context, units: readonly Unit[]): Finding[] {
  const findings: Finding[] = [];
  const buckets = minioBuckets(ctx);
  for (const use of objectStoreUses(ctx)) {
    const addr = parseServiceAddress(use.endpoint, use.at.namespace, ctx.namespaces);
    if (!addr) continue;
    const why = unresolved(addr, ctx.services);
    if (why) {
      findings.push(ctx.finding(use.at, use.endpointPath, `${use.what} writes to ${use.endpoint}, but ${why}`, 'point it at the object store Service (MinIO: minio.<namespace>.svc:9000)'));
      continue;
    }
    const made = buckets.get(`${addr.namespace}/${addr.service}`);
    if (made && !made.has(use.bucket)) {
      const guess = closest(use.bucket, [...made]);
      findings.push(
        ctx.finding(use.at, use.path, `${use.what} writes to bucket ${use.bucket}, which nothing creates (MinIO's job makes ${[...made].sort().join(', ') || 'none'})`, guess ? `did you mean ${guess}? buckets come from src/catalog/object-storage.ts BUCKETS` : 'add the bucket to MinIO\'s buckets (src/catalog/object-storage.ts BUCKETS)'),
      );
    }
  }
  // Secrets of credentials named by custom resources (no pod mounts them, so the graph checker does not see them).
  const secrets = produced(ctx, units);
  const need = (p: Placed, path: string, name: string | undefined, what: string) => {
    if (name && !secrets.has(`${p.namespace}/${name}`)) findings.push(ctx.finding(p, path, `${what} reads Secret ${p.namespace}/${name}, which nothing in the platform creates`, 'create it with an ExternalSecret from Vault (src/catalog/object-storage.ts bucketCredentials)'));
  };
  for (const p of ctx.placed) {
    if (isKind(p.object, 'monitoring.coreos.com', 'Prometheus')) {
      need(p, 'spec.thanos.objectStorageConfig.name', str(obj(obj(obj(p.object.spec).thanos).objectStorageConfig).name), "Prometheus's Thanos sidecar");
    }
    if (isKind(p.object, 'velero.io', 'BackupStorageLocation')) need(p, 'spec.credential.name', str(obj(obj(p.object.spec).credential).name), `BackupStorageLocation ${p.object.metadata.name}`);
  }
  return findings;
}

// --- Grafana correlations -----------------------------------------------------------

/** Where a data source's jsonData names another data source. */
function linkedUids(jsonData: Obj): { path: string; uid: string }[] {
  const out: { path: string; uid: string }[] = [];
  const one = (field: string) => {
    const uid = str(obj(jsonData[field]).datasourceUid);
    if (uid) out.push({ path: `jsonData.${field}.datasourceUid`, uid });
  };
  for (const field of ['tracesToLogsV2', 'tracesToLogs', 'tracesToMetrics', 'tracesToProfiles', 'serviceMap', 'lokiSearch']) one(field);
  for (const field of ['exemplarTraceIdDestinations', 'derivedFields']) {
    arr(jsonData[field]).forEach((d, i) => {
      const uid = str(obj(d).datasourceUid);
      if (uid) out.push({ path: `jsonData.${field}[${i}].datasourceUid`, uid });
    });
  }
  return out;
}

function correlationFindings(ctx: Context, sources: { at: Placed; path: string; ds: Obj }[]): Finding[] {
  const uids = new Set(sources.map((s) => str(s.ds.uid)).filter((u): u is string => !!u));
  const findings: Finding[] = [];
  for (const s of sources) {
    for (const link of linkedUids(obj(s.ds.jsonData))) {
      if (uids.has(link.uid)) continue;
      const guess = closest(link.uid, [...uids]);
      findings.push(ctx.finding(s.at, `${s.path}.${link.path}`, `Grafana data source ${str(s.ds.name) ?? '?'} links to data source uid ${link.uid}, which is not provisioned (data sources: ${[...uids].sort().join(', ')})`, guess ? `did you mean ${guess}?` : 'provision that data source, or remove the link'));
    }
  }
  return findings;
}

// --- mesh metrics --------------------------------------------------------------------

function meshMetricFindings(ctx: Context, units: readonly Unit[]): Finding[] {
  const all: Finding[] = [];
  const seen = new Set<string>();
  // A metric or label used twice in one query (numerator and denominator) is one finding.
  const findings = { push: (f: Finding) => (seen.has(`${f.object?.name}\u0000${f.path}\u0000${f.message}`) ? 0 : (seen.add(`${f.object?.name}\u0000${f.path}\u0000${f.message}`), all.push(f))) };
  const istiod = units.find((u) => u.chart?.chart === 'istiod');
  const telemetry = obj(istiod?.values.telemetry);
  const disabled = telemetry.enabled === false || obj(telemetry.v2).enabled === false || obj(obj(telemetry.v2).prometheus).enabled === false;
  const scraped = ctx.placed.some(
    (p) => isKind(p.object, 'monitoring.coreos.com', 'PodMonitor', 'ServiceMonitor') && arr(obj(p.object.spec).podMetricsEndpoints ?? obj(p.object.spec).endpoints).some((e) => obj(e).port === 'http-envoy-prom' || obj(e).path === '/stats/prometheus'),
  );
  const labels = new Set([...ISTIO_LABELS, ...SCRAPE_LABELS]);
  for (const p of analysisTemplates(ctx)) {
    arr(obj(p.object.spec).metrics).forEach((m, i) => {
      const query = str(obj(obj(obj(m).provider).prometheus).query);
      if (!query) return;
      const uses = queryUses(query);
      const istio = uses.metrics.filter((u) => isIstioMetric(u.metric));
      if (istio.length === 0) return;
      const path = `spec.metrics[${i}].provider.prometheus.query`;
      const name = str(obj(m).name) ?? String(i);
      if (!istiod || disabled) {
        findings.push(ctx.finding(p, path, `analysis metric ${name} queries ${istio[0]!.metric}, but ${istiod ? "istiod's values switch Istio's telemetry off (telemetry.v2.prometheus)" : 'the platform runs no istiod: no proxy reports Istio\'s metrics'}`, 'enable istiod with its default telemetry'));
      } else if (!scraped) {
        findings.push(ctx.finding(p, path, `analysis metric ${name} queries ${istio[0]!.metric}, but no PodMonitor or ServiceMonitor scrapes the proxies' Envoy stats (port http-envoy-prom, /stats/prometheus): Prometheus never has it`, "ship the istiod unit's PodMonitor (istio-proxies) with kube-prometheus-stack on"));
      }
      for (const u of istio) {
        if (!ISTIO_SERIES.includes(u.metric)) {
          const guess = closest(u.metric, ISTIO_SERIES);
          findings.push(ctx.finding(p, path, `analysis metric ${name} queries ${u.metric}, which Istio's telemetry does not produce`, guess ? `did you mean ${guess}? Istio's standard metrics: ${ISTIO_SERIES.join(', ')}` : `Istio's standard metrics: ${ISTIO_SERIES.join(', ')}`));
          continue;
        }
        for (const l of [...u.labels, ...uses.groupingLabels]) {
          if (labels.has(l) || (l === 'le' && u.metric.endsWith('_bucket'))) continue;
          const guess = closest(l, [...labels]);
          findings.push(ctx.finding(p, path, `analysis metric ${name} selects ${u.metric} by label ${l}, which Istio's metrics do not carry`, guess ? `did you mean ${guess}?` : `Istio's labels: ${ISTIO_LABELS.join(', ')}`));
        }
      }
    });
  }
  return all;
}

// --- Rollouts and their analyses ----------------------------------------------------

/** Every analysis reference of a Rollout: canary steps and background analysis, blue-green pre/post promotion. */
function analysisRefs(rollout: K8sObject): { path: string; ref: Obj }[] {
  const strategy = obj(obj(rollout.spec).strategy);
  const out: { path: string; ref: Obj }[] = [];
  const canary = obj(strategy.canary);
  arr(canary.steps).forEach((s, i) => {
    if (isPlainObject(obj(s).analysis)) out.push({ path: `spec.strategy.canary.steps[${i}].analysis`, ref: obj(obj(s).analysis) });
  });
  if (isPlainObject(canary.analysis)) out.push({ path: 'spec.strategy.canary.analysis', ref: obj(canary.analysis) });
  for (const k of ['prePromotionAnalysis', 'postPromotionAnalysis']) if (isPlainObject(obj(strategy.blueGreen)[k])) out.push({ path: `spec.strategy.blueGreen.${k}`, ref: obj(obj(strategy.blueGreen)[k]) });
  return out;
}

function rolloutFindings(ctx: Context): Finding[] {
  const findings: Finding[] = [];
  const templates = analysisTemplates(ctx);
  for (const p of ctx.placed.filter((x) => isKind(x.object, 'argoproj.io', 'Rollout'))) {
    for (const { path, ref } of analysisRefs(p.object)) {
      const given = new Set(arr(ref.args).map((a) => str(obj(a).name)).filter((n): n is string => !!n));
      arr(ref.templates).forEach((t, i) => {
        const name = str(obj(t).templateName);
        if (!name) return;
        const cluster = obj(t).clusterScope === true;
        const found = templates.find((x) => x.object.metadata.name === name && (cluster ? x.object.kind === 'ClusterAnalysisTemplate' : x.object.kind === 'AnalysisTemplate' && x.namespace === p.namespace));
        if (!found) {
          const names = templates.filter((x) => (cluster ? x.object.kind === 'ClusterAnalysisTemplate' : x.namespace === p.namespace)).map((x) => x.object.metadata.name);
          findings.push(ctx.finding(p, `${path}.templates[${i}].templateName`, `Rollout ${p.object.metadata.name} runs ${cluster ? 'ClusterAnalysisTemplate' : 'AnalysisTemplate'} ${name}, which the platform does not have${names.length ? ` (it has ${[...new Set(names)].sort().join(', ')})` : ''}`, cluster ? 'the platform offers ClusterAnalysisTemplate istio-canary (argo-rollouts)' : 'ship the AnalysisTemplate beside the Rollout, or set clusterScope: true'));
          return;
        }
        const missing = arr(obj(found.object.spec).args)
          .map(obj)
          .filter((a) => a.value === undefined && a.valueFrom === undefined)
          .map((a) => str(a.name))
          .filter((n): n is string => !!n && !given.has(n));
        if (missing.length) findings.push(ctx.finding(p, `${path}.args`, `Rollout ${p.object.metadata.name} runs analysis ${name} without its argument${missing.length > 1 ? 's' : ''} ${missing.join(', ')}: the AnalysisRun fails to start`, `pass ${missing.map((m) => `{name: ${m}, value: ...}`).join(', ')}`));
      });
    }
  }
  return findings;
}

// --- backups ----------------------------------------------------------------------------

function backupFindings(ctx: Context): Finding[] {
  const findings: Finding[] = [];
  const withVolumes = new Set<string>();
  const byUnit = new Map<Unit, Placed[]>();
  for (const p of ctx.placed) (byUnit.get(p.unit) ?? byUnit.set(p.unit, []).get(p.unit)!).push(p);
  for (const placed of byUnit.values()) {
    const objects = placed.map((p) => p.object);
    for (const p of placed) {
      if (isWorkload(p.object) && claimsOf(p.object, objects).length > 0) withVolumes.add(p.namespace);
      if (p.object.kind === 'PersistentVolumeClaim') withVolumes.add(p.namespace);
    }
  }
  const locations = new Set(ctx.placed.filter((p) => isKind(p.object, 'velero.io', 'BackupStorageLocation')).map((p) => `${p.namespace}/${p.object.metadata.name}`));
  const snapshotLocations = ctx.placed.some((p) => isKind(p.object, 'velero.io', 'VolumeSnapshotLocation'));
  for (const p of ctx.placed.filter((x) => isKind(x.object, 'velero.io', 'Schedule'))) {
    const template = obj(obj(p.object.spec).template);
    const included = arr(template.includedNamespaces).filter((n): n is string => typeof n === 'string');
    const excluded = new Set(arr(template.excludedNamespaces).filter((n): n is string => typeof n === 'string'));
    const all = included.length === 0 || included.includes('*');
    const covered = [...withVolumes].filter((n) => (all || included.includes(n)) && !excluded.has(n)).sort();
    const name = `${p.namespace}/${p.object.metadata.name}`;
    if (covered.length === 0) {
      findings.push(
        ctx.finding(p, 'spec.template.includedNamespaces', `Schedule ${name} backs up ${all ? 'every namespace' : `[${included.join(', ')}]`}${excluded.size ? ` except [${[...excluded].join(', ')}]` : ''}, none of which holds a volume: its backups carry no volume data`, `namespaces whose workloads keep volumes: ${[...withVolumes].sort().join(', ') || 'none'}`),
      );
    } else if (template.defaultVolumesToFsBackup !== true && !(template.snapshotVolumes !== false && snapshotLocations)) {
      findings.push(ctx.finding(p, 'spec.template.defaultVolumesToFsBackup', `Schedule ${name} covers the volumes of [${covered.join(', ')}] but copies none of their data: neither file-system backup (defaultVolumesToFsBackup) nor a volume snapshot location`, 'set defaultVolumesToFsBackup: true (node-local volumes have no snapshots)'));
    }
    const location = str(template.storageLocation);
    if (location && !locations.has(`${p.namespace}/${location}`)) {
      findings.push(ctx.finding(p, 'spec.template.storageLocation', `Schedule ${name} writes to backup location ${location}, which is not rendered (locations: ${[...locations].sort().join(', ') || 'none'})`, 'name a BackupStorageLocation of Velero\'s namespace'));
    }
  }
  return findings;
}

export function checkWiring(input: WiringInput): Finding[] {
  parsedConfigMaps = new WeakMap();
  const ctx = context(input);
  const grafana = grafanaDataSources(ctx);
  const uses = [...grafana.uses, ...collectorExporters(ctx), ...meshProviders(ctx), ...kialiServices(ctx), ...thanosStores(ctx), ...analysisProviders(ctx)];
  const findings: Finding[] = [];
  for (const u of uses) {
    const addr = parseServiceAddress(u.address, u.namespace, ctx.namespaces);
    if (!addr) continue;
    const why = unresolved(addr, ctx.services);
    if (why) findings.push(ctx.finding(u.at, u.path, `${u.what} points at ${u.address}, but ${why}`, 'use the name, namespace and port of a Service the platform renders'));
  }
  return [...findings, ...correlationFindings(ctx, grafana.sources), ...bucketFindings(ctx, input.units), ...meshMetricFindings(ctx, input.units), ...rolloutFindings(ctx), ...backupFindings(ctx)];
}
