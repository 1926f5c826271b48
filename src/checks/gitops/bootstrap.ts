/**
 * What `plinth up` applies before the GitOps engine, phase by phase (the plan
 * in src/desired/bootstrap.ts that `up` itself follows): every object may
 * name only what exists by its phase, and a component that discovers CRDs
 * only at start-up starts after them, in `up` and in the engine's waves.
 */
import { bootstrapPlan, type BootstrapStep, isBuiltinType, isCrd } from '../../desired/bootstrap.js';
import { SYSTEM_NAMESPACES } from '../../desired/resolve.js';
import { SYNC_WAVE_ANNOTATION } from '../../desired/units.js';
import { parseYamlStream } from '../../lib/yaml.js';
import { apiGroup, type K8sObject } from '../../model/k8s.js';
import type { Unit } from '../../model/unit.js';
import { applicationFile } from '../../synth/argocd/applications.js';
import { CLUSTER_SCOPED_KINDS } from '../builtin.js';
import { type Finding, objectOf } from '../finding.js';
import { podTemplateOf } from '../pods.js';

/** PriorityClasses every cluster has. */
const SYSTEM_PRIORITY_CLASSES = ['system-cluster-critical', 'system-node-critical'];

export interface BootstrapCheckInput {
  units: readonly Unit[];
  rendered: ReadonlyMap<string, readonly K8sObject[]>;
  baseUnit: string;
  engine?: string;
  /** The objects of the root phase (AppProjects, root Application). */
  root: readonly K8sObject[];
  /** The repository's files, for the engine's waves. */
  files: ReadonlyMap<string, string>;
}

interface Known {
  namespaces: Set<string>;
  priorityClasses: Set<string>;
  serviceAccounts: Set<string>;
  /** `group/Kind` of the CRDs applied. */
  kinds: Set<string>;
}

function crdKind(o: K8sObject): string {
  const spec = o.spec as { group?: string; names?: { kind?: string } };
  return `${spec.group}/${spec.names?.kind}`;
}

function learn(known: Known, o: K8sObject, defaultNamespace: string): void {
  if (o.kind === 'Namespace') known.namespaces.add(o.metadata.name);
  else if (o.kind === 'PriorityClass') known.priorityClasses.add(o.metadata.name);
  else if (o.kind === 'ServiceAccount') known.serviceAccounts.add(`${o.metadata.namespace ?? defaultNamespace}/${o.metadata.name}`);
  else if (isCrd(o)) known.kinds.add(crdKind(o));
}

function stepNamespace(step: BootstrapStep, units: readonly Unit[]): string {
  return units.find((u) => u.name === step.units[0])?.namespace ?? 'default';
}

/** Names an object uses that must exist before it is applied, with the path where it names them. */
function namesUsed(o: K8sObject, defaultNamespace: string): { what: 'namespace' | 'PriorityClass' | 'ServiceAccount' | 'CRD'; name: string; path: string }[] {
  const out: ReturnType<typeof namesUsed> = [];
  const namespaced = !CLUSTER_SCOPED_KINDS.has(o.kind);
  const ns = o.metadata.namespace ?? defaultNamespace;
  if (namespaced) out.push({ what: 'namespace', name: ns, path: 'metadata.namespace' });
  if (!isBuiltinType(o.apiVersion)) out.push({ what: 'CRD', name: `${apiGroup(o.apiVersion)}/${o.kind}`, path: 'apiVersion' });
  const pod = podTemplateOf(o);
  const spec = pod?.spec as { priorityClassName?: string; serviceAccountName?: string } | undefined;
  if (pod && spec?.priorityClassName) out.push({ what: 'PriorityClass', name: spec.priorityClassName, path: `${pod.path}.spec.priorityClassName` });
  if (pod && spec?.serviceAccountName && spec.serviceAccountName !== 'default') out.push({ what: 'ServiceAccount', name: `${ns}/${spec.serviceAccountName}`, path: `${pod.path}.spec.serviceAccountName` });
  return out;
}

const CONSEQUENCE: Record<ReturnType<typeof namesUsed>[number]['what'], string> = {
  namespace: 'the API server refuses it (namespace not found)',
  CRD: 'the API server does not serve its type yet',
  PriorityClass: 'admission refuses its pods (no such PriorityClass) and the controller backs off for minutes',
  ServiceAccount: 'admission refuses its pods until the account exists',
};

const has = (known: Known, what: ReturnType<typeof namesUsed>[number]['what'], name: string): boolean =>
  what === 'namespace' ? known.namespaces.has(name) : what === 'PriorityClass' ? known.priorityClasses.has(name) : what === 'ServiceAccount' ? known.serviceAccounts.has(name) : known.kinds.has(name);

/**
 * Phase by phase: what an object names must be applied by an earlier phase, or
 * earlier in its own (`up` applies namespaces, PriorityClasses and accounts
 * before the workloads of a phase); a CRD must come from an earlier phase, so
 * that it is Established.
 */
export function checkBootstrapNames(input: BootstrapCheckInput, steps = bootstrapPlan(input.units, input.rendered, input)): Finding[] {
  const out: Finding[] = [];
  const known: Known = { namespaces: new Set(SYSTEM_NAMESPACES), priorityClasses: new Set(SYSTEM_PRIORITY_CLASSES), serviceAccounts: new Set(), kinds: new Set() };
  const later = new Map<string, string>();
  for (const s of steps) {
    for (const o of s.objects) {
      const key =
        o.kind === 'Namespace'
          ? `namespace:${o.metadata.name}`
          : o.kind === 'PriorityClass'
            ? `PriorityClass:${o.metadata.name}`
            : o.kind === 'ServiceAccount'
              ? `ServiceAccount:${o.metadata.namespace ?? stepNamespace(s, input.units)}/${o.metadata.name}`
              : isCrd(o)
                ? `CRD:${crdKind(o)}`
                : undefined;
      if (key && !later.has(key)) later.set(key, `phase ${s.number} (${s.title})`);
    }
  }
  for (const step of steps) {
    const defaultNamespace = stepNamespace(step, input.units);
    const before = { namespaces: new Set(known.namespaces), priorityClasses: new Set(known.priorityClasses), serviceAccounts: new Set(known.serviceAccounts), kinds: new Set(known.kinds) };
    const within: Known = { ...before, namespaces: new Set(before.namespaces), priorityClasses: new Set(before.priorityClasses), serviceAccounts: new Set(before.serviceAccounts), kinds: new Set(before.kinds) };
    for (const o of step.objects) if (o.kind !== 'CustomResourceDefinition') learn(within, o, defaultNamespace);
    for (const o of step.objects) {
      for (const used of namesUsed(o, defaultNamespace)) {
        const available = used.what === 'CRD' ? before : within;
        if (used.what === 'ServiceAccount' && !used.name.includes('/')) continue;
        if (has(available, used.what, used.name)) continue;
        const by = later.get(`${used.what}:${used.name}`);
        if (used.what === 'ServiceAccount' && !by) continue; // an account a controller creates (or none): not `up`'s to order
        out.push({
          check: 'bootstrap',
          severity: 'error',
          object: objectOf(o),
          source: { component: step.units[0] ?? '(bootstrap)' },
          path: used.path,
          message: `plinth up applies ${o.kind} ${o.metadata.name} in phase ${step.number} (${step.title}), naming ${used.what} ${used.name}, which ${by ? `only ${by} creates` : 'nothing creates'}: ${CONSEQUENCE[used.what]}`,
          hint: by ? `the phases of plinth up must create ${used.what === 'CRD' ? 'CRDs' : `${used.what}s`} first (src/desired/bootstrap.ts)` : `create the ${used.what} in the platform, or fix the name`,
        });
      }
    }
    for (const o of step.objects) learn(known, o, defaultNamespace);
  }
  return out;
}

/** A controller that discovers CRDs only at start-up must start after them: in `up`'s phases and in the waves of the repository. */
export function checkStartupDiscovery(input: BootstrapCheckInput, steps = bootstrapPlan(input.units, input.rendered, input)): Finding[] {
  const out: Finding[] = [];
  const owners = (group: string) => input.units.filter((u) => u.crdGroups.some((g) => g === group || g.startsWith(`${group}/`)));
  const phaseOfCrds = (group: string) => steps.findIndex((s) => s.objects.some((o) => isCrd(o) && (o.spec as { group?: string }).group === group));
  const waveIn = (u: Unit) => {
    const text = input.files.get(applicationFile(u));
    const w = text ? (parseYamlStream(text)[0] as K8sObject | undefined)?.metadata.annotations?.[SYNC_WAVE_ANNOTATION] : undefined;
    return w === undefined ? undefined : Number(w);
  };
  for (const u of input.units) {
    for (const group of u.startupCrdGroups ?? []) {
      const started = steps.findIndex((s) => s.units.includes(u.name));
      const crds = phaseOfCrds(group);
      if (started !== -1 && (crds === -1 || crds >= started)) {
        const s = steps[started]!;
        out.push({
          check: 'bootstrap',
          severity: 'error',
          source: { component: u.name },
          message: `plinth up starts ${u.name} in phase ${s.number} (${s.title}), ${crds === -1 ? `and applies no CRDs of ${group} before it` : `before the CRDs of ${group} (phase ${steps[crds]!.number}, ${steps[crds]!.title})`}: ${u.name} looks for them only when it starts, and never enables what needs them`,
          hint: `the CustomResourceDefinitions phase must come before the ${s.title} phase (src/desired/bootstrap.ts)`,
        });
      }
      const wave = waveIn(u);
      for (const owner of owners(group)) {
        const ownerWave = waveIn(owner);
        if (wave === undefined || ownerWave === undefined || wave > ownerWave) continue;
        out.push({
          check: 'bootstrap',
          severity: 'error',
          source: { component: u.name, file: applicationFile(u) },
          path: `metadata.annotations["${SYNC_WAVE_ANNOTATION}"]`,
          message: `Application ${u.name} syncs in wave ${wave}, not after ${owner.name} (wave ${ownerWave}), which installs the ${group} CRDs ${u.name} discovers only at start-up: on a rebuild it starts without them and never enables what needs them`,
          hint: `${u.name} must depend on ${owner.name} (discoversCrdsAtStartup in its catalog module derives it): run \`plinth plan\``,
        });
      }
    }
  }
  return out;
}
