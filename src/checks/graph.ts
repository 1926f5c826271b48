/**
 * Graph checker: the order and the names hold. Dependencies have no cycle;
 * every unit syncs after what it depends on; every custom resource, glue or
 * rendered by a chart, comes after the unit installing its CRD (or later in
 * the same unit: glue in a later sync wave, chart objects beside the CRDs
 * their own chart renders); objects a webhook admits come after the unit
 * running that webhook; every name resolves (issuers, stores, Gateways,
 * Secrets) and every namespace used exists.
 */
import { danglingReferences } from '../desired/integrity.js';
import { keyText, secretsProducedBy } from '../desired/references.js';
import { isHook, isWorkload, podTemplateOf, type PodSpec } from './pods.js';
import { SYSTEM_NAMESPACES } from '../desired/resolve.js';
import { findCycle } from '../desired/graph.js';
import { SYNC_WAVE_ANNOTATION as SYNC_WAVE } from '../desired/units.js';
import { apiGroup, type K8sObject, objectRef } from '../model/k8s.js';
import { coversKind, type Unit } from '../model/unit.js';
import { BUILTIN_GROUPS, CLUSTER_SCOPED_KINDS } from './builtin.js';
import { type Finding, objectOf } from './finding.js';

const CHECK = 'graph';


export interface GraphInput {
  units: readonly Unit[];
  /** Objects each unit's chart renders (when Helm ran), by unit name. */
  rendered?: ReadonlyMap<string, readonly K8sObject[]>;
}

export function checkGraph(input: GraphInput): Finding[] {
  const { units } = input;
  const findings: Finding[] = [];
  const byName = new Map(units.map((u) => [u.name, u]));

  const cycle = findCycle(new Map(units.map((u) => [u.name, u.dependsOn])));
  if (cycle) {
    findings.push({
      check: CHECK,
      severity: 'error',
      message: `dependency cycle: ${cycle.join(' -> ')}`,
      source: { component: cycle[0]! },
      path: 'dependsOn',
      hint: 'remove one of these dependencies; sync waves cannot be ordered',
    });
    return findings;
  }

  for (const u of units) {
    for (const dep of u.dependsOn) {
      const d = byName.get(dep);
      if (!d) {
        findings.push({ check: CHECK, severity: 'error', message: `${u.name} depends on ${dep}, which is not part of the platform`, source: { component: u.name }, path: 'dependsOn', hint: `enable ${dep}` });
      } else if (d.wave >= u.wave) {
        findings.push({
          check: CHECK,
          severity: 'error',
          message: `${u.name} syncs in wave ${u.wave}, not after ${dep} (wave ${d.wave}) it depends on`,
          source: { component: u.name },
          path: 'wave',
          hint: 'waves are derived from dependencies; regenerate with `plinth plan`',
        });
      }
    }
  }

  const objects = unitObjects(input);
  findings.push(...crdOrder(input, objects), ...webhookOrder(input, objects), ...names(input, objects), ...namespaces(input), ...podSecrets(input, objects));
  return findings;
}

interface SecretUse {
  name: string;
  path: string;
}

/** Secrets a pod cannot start without: volumes, projected volumes, env and envFrom that are not optional. */
export function secretsUsedBy(spec: PodSpec, base: string): SecretUse[] {
  const uses: SecretUse[] = [];
  const vols = (spec.volumes as { secret?: { secretName?: string; optional?: boolean }; projected?: { sources?: { secret?: { name?: string; optional?: boolean } }[] } }[] | undefined) ?? [];
  vols.forEach((v, i) => {
    if (v.secret?.secretName && !v.secret.optional) uses.push({ name: v.secret.secretName, path: `${base}.volumes[${i}].secret.secretName` });
    (v.projected?.sources ?? []).forEach((s, j) => {
      if (s.secret?.name && !s.secret.optional) uses.push({ name: s.secret.name, path: `${base}.volumes[${i}].projected.sources[${j}].secret.name` });
    });
  });
  for (const list of ['initContainers', 'containers'] as const) {
    (spec[list] ?? []).forEach((c, i) => {
      const env = (c.env as { valueFrom?: { secretKeyRef?: { name?: string; optional?: boolean } } }[] | undefined) ?? [];
      env.forEach((e, j) => {
        const ref = e.valueFrom?.secretKeyRef;
        if (ref?.name && !ref.optional) uses.push({ name: ref.name, path: `${base}.${list}[${i}].env[${j}].valueFrom.secretKeyRef.name` });
      });
      const envFrom = (c.envFrom as { secretRef?: { name?: string; optional?: boolean } }[] | undefined) ?? [];
      envFrom.forEach((e, j) => {
        if (e.secretRef?.name && !e.secretRef.optional) uses.push({ name: e.secretRef.name, path: `${base}.${list}[${i}].envFrom[${j}].secretRef.name` });
      });
    });
  }
  return uses;
}

function podSecrets(input: GraphInput, objects: UnitObjects): Finding[] {
  const produced = new Set<string>();
  const key = (ns: string | undefined, name: string) => `${ns ?? ''}/${name}`;
  for (const u of input.units) {
    for (const { object } of objects.get(u.name)!) for (const s of secretsProducedBy(object)) produced.add(key(s.namespace, s.name));
    for (const p of u.provides) if (p.kind === 'Secret') produced.add(key(p.namespace ?? u.namespace, p.name));
  }
  const findings: Finding[] = [];
  for (const u of input.units) {
    for (const { object: o } of objects.get(u.name)!) {
      if (!isWorkload(o) || isHook(o)) continue;
      const tpl = podTemplateOf(o);
      if (!tpl) continue;
      const ns = o.metadata.namespace ?? u.namespace;
      for (const use of secretsUsedBy(tpl.spec, `${tpl.path}.spec`)) {
        if (produced.has(key(ns, use.name))) continue;
        findings.push({
          check: CHECK,
          severity: 'error',
          object: objectOf({ ...o, metadata: { ...o.metadata, namespace: ns } }),
          source: { component: u.name },
          path: use.path,
          message: `uses Secret ${ns}/${use.name}, which nothing in the platform creates`,
          hint: 'create it with an ExternalSecret (values from Vault) or a Certificate; a Secret a controller creates at run time goes in the component\'s `provides`',
        });
      }
    }
  }
  return findings;
}

/** One object of a unit: a glue manifest, or one its chart renders. */
interface UnitObject {
  object: K8sObject;
  rendered: boolean;
}

/** Whether a kind is cluster-scoped, by the rendered CRDs' `scope` for custom resources. */
type ScopeOf = (group: string, kind: string) => 'Cluster' | 'Namespaced' | undefined;

function crdScopes(input: GraphInput): ScopeOf {
  const scopes = new Map<string, 'Cluster' | 'Namespaced'>();
  for (const objs of input.rendered?.values() ?? []) {
    for (const o of objs) {
      if (o.kind !== 'CustomResourceDefinition') continue;
      const spec = o.spec as { group?: string; names?: { kind?: string }; scope?: string };
      if (spec.group && spec.names?.kind) scopes.set(`${spec.group}/${spec.names.kind}`, spec.scope === 'Cluster' ? 'Cluster' : 'Namespaced');
    }
  }
  return (group, kind) => scopes.get(`${group}/${kind}`);
}

/** Each unit's objects, by unit name. */
type UnitObjects = ReadonlyMap<string, readonly UnitObject[]>;

/**
 * Per unit, its glue, then what its chart renders; a namespaced chart object
 * without a namespace is put in the release namespace, where Helm and Argo CD
 * put it. Computed once per check.
 */
function unitObjects(input: GraphInput): UnitObjects {
  const scopeOf = crdScopes(input);
  const out = new Map<string, UnitObject[]>();
  for (const u of input.units) {
    const place = (o: K8sObject): K8sObject => {
      if (o.metadata.namespace) return o;
      const scope = scopeOf(apiGroup(o.apiVersion), o.kind) ?? (CLUSTER_SCOPED_KINDS.has(o.kind) ? 'Cluster' : 'Namespaced');
      return scope === 'Cluster' ? o : { ...o, metadata: { ...o.metadata, namespace: u.namespace } };
    };
    out.set(u.name, [...u.manifests.map((object) => ({ object, rendered: false })), ...(input.rendered?.get(u.name) ?? []).map((o) => ({ object: place(o), rendered: true }))]);
  }
  return out;
}

/** Where each custom resource kind's CRD comes from: the rendered CRDs when known, else the declared crdGroups. */
function crdOwners(input: GraphInput): (group: string, kind: string) => Unit | undefined {
  const rendered = new Map<string, Unit>();
  for (const u of input.units) {
    for (const o of input.rendered?.get(u.name) ?? []) {
      if (o.kind !== 'CustomResourceDefinition') continue;
      const spec = o.spec as { group?: string; names?: { kind?: string } };
      if (spec.group && spec.names?.kind) rendered.set(`${spec.group}/${spec.names.kind}`, u);
    }
  }
  return (group, kind) => rendered.get(`${group}/${kind}`) ?? input.units.find((u) => coversKind(u.crdGroups, group, kind));
}

function glueWave(o: K8sObject): number {
  return Number(o.metadata.annotations?.[SYNC_WAVE] ?? 0);
}

function crdOrder(input: GraphInput, objects: UnitObjects): Finding[] {
  const owner = crdOwners(input);
  const findings: Finding[] = [];
  for (const u of input.units) {
    for (const { object: o, rendered } of objects.get(u.name)!) {
      const group = apiGroup(o.apiVersion);
      if (BUILTIN_GROUPS.has(group)) continue;
      const source = { component: u.name };
      const o2 = owner(group, o.kind);
      if (!o2) {
        findings.push({ check: CHECK, severity: 'error', object: objectOf(o), source, path: 'apiVersion', message: `no unit installs the CRD of ${o.kind} (${group})`, hint: 'enable the component that installs it' });
      } else if (o2.name === u.name) {
        // A chart's objects sync with the CRDs the same chart renders, which Argo CD applies first.
        if (!rendered && glueWave(o) <= 0) {
          findings.push({ check: CHECK, severity: 'error', object: objectOf(o), source, path: `metadata.annotations["${SYNC_WAVE}"]`, message: `${o.kind} syncs in the same wave as the CRD its own chart installs`, hint: 'glue of the unit\'s own CRDs needs a later sync wave than the chart' });
        }
      } else if (o2.wave >= u.wave) {
        findings.push({
          check: CHECK,
          severity: 'error',
          object: objectOf(o),
          source,
          path: 'apiVersion',
          message: `${o.kind} is in ${u.name} (wave ${u.wave}), but its CRD comes from ${o2.name} in wave ${o2.wave}`,
          hint: rendered ? `${u.name} must depend on ${o2.name}: its chart renders ${o.kind}, so declare ${group} in the component's \`usesGroups\`` : `${u.name} must depend on ${o2.name}`,
        });
      }
    }
  }
  return findings;
}

interface WebhookRule {
  unit: Unit;
  webhook: string;
  groups: string[];
  resources: string[];
}

/** Rules of the webhooks that refuse objects while they are not running (`failurePolicy: Fail`, the default). */
function webhookRules(input: GraphInput): WebhookRule[] {
  const rules: WebhookRule[] = [];
  for (const u of input.units) {
    for (const o of input.rendered?.get(u.name) ?? []) {
      if (o.kind !== 'ValidatingWebhookConfiguration' && o.kind !== 'MutatingWebhookConfiguration') continue;
      for (const hook of (o.webhooks as { name: string; failurePolicy?: string; rules?: { apiGroups?: string[]; resources?: string[] }[] }[] | undefined) ?? []) {
        if (hook.failurePolicy === 'Ignore') continue;
        for (const r of hook.rules ?? []) rules.push({ unit: u, webhook: hook.name, groups: r.apiGroups ?? [], resources: r.resources ?? [] });
      }
    }
  }
  return rules;
}

/** Plural resource name of a kind, as webhook rules name it. */
function plural(kind: string): string {
  const k = kind.toLowerCase();
  if (k.endsWith('s')) return `${k}es`;
  if (k.endsWith('y') && !/[aeiou]y$/.test(k)) return `${k.slice(0, -1)}ies`;
  return `${k}s`;
}

/** Whether a webhook rule's resources cover creating a kind: every resource (`*`, alone or with every subresource) or the kind's plural (alone or with every subresource). */
function coversResource(resources: readonly string[], kind: string): boolean {
  const p = plural(kind);
  return resources.some((r) => r === '*' || r === '*/*' || r === p || r === `${p}/*`);
}

function webhookOrder(input: GraphInput, objects: UnitObjects): Finding[] {
  const rules = webhookRules(input);
  const findings: Finding[] = [];
  for (const u of input.units) {
    for (const { object: o, rendered } of objects.get(u.name)!) {
      const group = apiGroup(o.apiVersion);
      // Kinds of Kubernetes itself count for webhooks that name their group (ingress-nginx's on Ingresses).
      const builtin = BUILTIN_GROUPS.has(group);
      for (const r of rules) {
        if (!(r.groups.includes(group) || (!builtin && r.groups.includes('*'))) || !coversResource(r.resources, o.kind)) continue;
        const same = r.unit.name === u.name;
        // A chart cannot order its objects after its own webhook: only glue can, with a later sync wave.
        const late = same ? rendered || glueWave(o) <= 0 : r.unit.wave >= u.wave;
        if (!late) continue;
        findings.push({
          check: CHECK,
          severity: 'error',
          object: objectOf(o),
          source: { component: u.name },
          path: 'apiVersion',
          message: `${o.kind} is admitted by webhook ${r.webhook} of ${r.unit.name}, which is not running before it`,
          hint: !same
            ? `${u.name} must depend on ${r.unit.name}`
            : rendered
              ? 'the chart renders it beside its own webhook: set the webhook\'s failurePolicy to Ignore, or ship the object as glue with a later sync wave'
              : 'give the glue a later sync wave than the chart',
        });
      }
    }
  }
  return findings;
}

/** Names that resolve to nothing: in the glue and in what the charts render (a chart's Certificate naming an issuer, say). */
function names(input: GraphInput, objects: UnitObjects): Finding[] {
  const units = input.units.map((u) => ({ name: u.name, provides: u.provides, manifests: objects.get(u.name)!.map((x) => x.object) }));
  return danglingReferences(units).map((d) => {
    const unit = units.find((u) => u.name === d.unit)!;
    const from = unit.manifests.find((m) => objectRef(m) === d.from)!;
    return {
      check: CHECK,
      severity: 'error' as const,
      object: objectOf(from),
      source: { component: d.unit },
      path: d.path,
      message: `refers to ${keyText(d.to)}, which nothing in the platform creates`,
      hint: 'fix the name, or enable the component that creates it',
    };
  });
}

function namespaces(input: GraphInput): Finding[] {
  const existing = new Set<string>(SYSTEM_NAMESPACES);
  for (const u of input.units) for (const m of u.manifests) if (m.kind === 'Namespace' && apiGroup(m.apiVersion) === '') existing.add(m.metadata.name);
  for (const objs of input.rendered?.values() ?? []) for (const m of objs) if (m.kind === 'Namespace') existing.add(m.metadata.name);
  const findings: Finding[] = [];
  for (const u of input.units) {
    const check = (o: K8sObject | undefined, ns: string, path: string) => {
      if (existing.has(ns)) return;
      findings.push({
        check: CHECK,
        severity: 'error',
        ...(o ? { object: objectOf(o) } : {}),
        source: { component: u.name },
        path,
        message: `namespace ${ns} does not exist: no unit creates it`,
        hint: 'namespaces come from platform-base; use the unit\'s namespace or a team namespace',
      });
    };
    if (u.workloads.length > 0 || u.chart) check(undefined, u.namespace, 'namespace');
    for (const m of u.manifests) if (m.metadata.namespace) check(m, m.metadata.namespace, 'metadata.namespace');
    for (const m of input.rendered?.get(u.name) ?? []) if (m.metadata.namespace && m.metadata.namespace !== u.namespace) check(m, m.metadata.namespace, 'metadata.namespace');
  }
  return findings;
}
