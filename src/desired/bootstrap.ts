/**
 * What `plinth up` applies before the GitOps engine takes over, phase by
 * phase, as data: the phases in their order and the objects each applies.
 * `up` applies exactly these objects; `check` proves of the same list that
 * nothing names an object a later phase creates (a PriorityClass, a
 * namespace, a ServiceAccount, a CRD) and that a component which discovers
 * CRDs only at start-up comes after them.
 */
import { BUILTIN_GROUPS } from '../model/builtin-groups.js';
import { apiGroup, type K8sObject } from '../model/k8s.js';
import type { Unit } from '../model/unit.js';

/** Units `up` installs itself, before the root Application. */
export const CNI_UNIT = 'cilium';
export const ENGINE_UNITS = ['argocd', 'flux'] as const;

export type BootstrapPhaseKey = 'preflight' | 'pools' | 'base' | 'crds' | 'network' | 'engine' | 'credentials' | 'root' | 'follow';

/** The phases of `up`, in order; the objects of the apply phases come from the functions below. */
export const BOOTSTRAP_PHASES: readonly { key: BootstrapPhaseKey; title: string }[] = [
  { key: 'preflight', title: 'preflight' },
  { key: 'pools', title: 'node pools: labels and taints' },
  { key: 'base', title: 'namespaces and PriorityClasses' },
  { key: 'crds', title: 'CustomResourceDefinitions' },
  { key: 'network', title: 'network plugin' },
  { key: 'engine', title: 'GitOps engine' },
  { key: 'credentials', title: 'repository credentials' },
  { key: 'root', title: 'the root of the GitOps repository' },
  { key: 'follow', title: 'components, in dependency order' },
];

export const isCrd = (o: K8sObject): boolean => o.kind === 'CustomResourceDefinition' && o.apiVersion.startsWith('apiextensions.k8s.io/');

/** Helm hooks (`helm.sh/hook`): install-time jobs and their accounts. Test hooks are never applied. */
export function helmHook(o: K8sObject): string | undefined {
  return o.metadata.annotations?.['helm.sh/hook'];
}

/** A type of Kubernetes itself (not of a CRD). */
export function isBuiltinType(apiVersion: string): boolean {
  return BUILTIN_GROUPS.has(apiGroup(apiVersion));
}

/** Every CRD the units' charts and upstream manifests carry, first occurrence of each name, in unit order. */
export function bootstrapCrds(units: readonly Unit[], rendered: ReadonlyMap<string, readonly K8sObject[]>): K8sObject[] {
  const seen = new Map<string, K8sObject>();
  for (const u of units) for (const o of rendered.get(u.name) ?? []) if (isCrd(o) && !seen.has(o.metadata.name)) seen.set(o.metadata.name, o);
  return [...seen.values()];
}

/**
 * The network plugin's objects `up` applies: Kubernetes' own types only (its
 * custom resources, a GatewayClass or ServiceMonitors, are left to the GitOps
 * engine), no CRDs (phase crds), no test hooks.
 */
export function networkPluginObjects(rendered: readonly K8sObject[]): { apply: K8sObject[]; leftToEngine: K8sObject[] } {
  const objects = rendered.filter((o) => !isCrd(o) && helmHook(o) !== 'test');
  return { apply: objects.filter((o) => isBuiltinType(o.apiVersion)), leftToEngine: objects.filter((o) => !isBuiltinType(o.apiVersion)) };
}

/** The GitOps engine's objects `up` applies: all but CRDs (phase crds) and test hooks; install hooks until it is installed. */
export function engineObjects(rendered: readonly K8sObject[], installed: boolean): K8sObject[] {
  return rendered.filter((o) => !isCrd(o) && helmHook(o) !== 'test' && (!helmHook(o) || !installed));
}

export interface BootstrapStep {
  key: BootstrapPhaseKey;
  /** Its place among BOOTSTRAP_PHASES, from 1, as `up` numbers it. */
  number: number;
  title: string;
  /** Units whose workloads this phase starts. */
  units: string[];
  objects: K8sObject[];
}

/**
 * The apply phases with their objects, for the checks: the base unit's
 * namespaces and PriorityClasses, every CRD, the network plugin, the engine
 * and the root objects (`root`, given by the engine's synthesis).
 */
export function bootstrapPlan(
  units: readonly Unit[],
  rendered: ReadonlyMap<string, readonly K8sObject[]>,
  opts: { baseUnit: string; engine?: string; root: readonly K8sObject[] },
): BootstrapStep[] {
  const at = (key: BootstrapPhaseKey) => ({ key, number: BOOTSTRAP_PHASES.findIndex((p) => p.key === key) + 1, title: BOOTSTRAP_PHASES.find((p) => p.key === key)!.title });
  const base = units.find((u) => u.name === opts.baseUnit);
  const cni = units.find((u) => u.name === CNI_UNIT);
  const engine = units.find((u) => u.name === opts.engine);
  // eslint-disable-next-line complexity -- one case per phase of BOOTSTRAP_PHASES, each a one-line step; the switch reads as that table
  return BOOTSTRAP_PHASES.flatMap((p): BootstrapStep[] => {
    switch (p.key) {
      case 'base':
        return [{ ...at(p.key), units: [], objects: base?.manifests ?? [] }];
      case 'crds':
        return [{ ...at(p.key), units: [], objects: bootstrapCrds(units, rendered) }];
      case 'network':
        return cni ? [{ ...at(p.key), units: [cni.name], objects: networkPluginObjects(rendered.get(cni.name) ?? []).apply }] : [];
      case 'engine':
        return engine ? [{ ...at(p.key), units: [engine.name], objects: engineObjects(rendered.get(engine.name) ?? [], false) }] : [];
      case 'root':
        return [{ ...at(p.key), units: [], objects: [...opts.root] }];
      default:
        return [];
    }
  });
}
