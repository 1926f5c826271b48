/**
 * Reading a pod spec (rendered by a chart, or values Plinth writes) into the
 * planner's shapes. Input is untrusted JSON: anything malformed is dropped,
 * as the API server would have refused it rather than schedule it.
 */
import { cpuMillis, memoryBytes } from '../lib/quantity.js';
import type { Amount } from '../model/resources.js';
import type {
  Affinity,
  LabelSelector,
  LabelSelectorRequirement,
  Labels,
  NodeSelectorRequirement,
  NodeSelectorTerm,
  PodAffinityRules,
  PodAffinityTerm,
  SimContainer,
  SimPodSpec,
  Toleration,
  TopologySpreadConstraint,
} from './types.js';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const strings = (v: unknown): string[] => arr(v).filter((x): x is string => typeof x === 'string');
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

export function parseLabels(v: unknown): Labels {
  return Object.fromEntries(Object.entries(obj(v) ?? {}).filter(([, x]) => typeof x === 'string')) as Labels;
}

function quantity(kind: 'cpu' | 'memory', v: unknown): number | undefined {
  if (typeof v !== 'string' && typeof v !== 'number') return undefined;
  try {
    return kind === 'cpu' ? cpuMillis(v) : memoryBytes(v);
  } catch {
    return undefined;
  }
}

/** Requests per resource; a resource with a limit and no request requests its limit (API defaulting). */
export function parseContainer(v: unknown): SimContainer {
  const c = obj(v) ?? {};
  const resources = obj(c.resources) ?? {};
  const requests = obj(resources.requests) ?? {};
  const limits = obj(resources.limits) ?? {};
  const pick = (r: 'cpu' | 'memory') => quantity(r, requests[r]) ?? quantity(r, limits[r]);
  const out: SimContainer = { name: str(c.name) ?? '', requests: {} };
  const cpu = pick('cpu');
  const memory = pick('memory');
  if (cpu !== undefined) out.requests.cpu = cpu;
  if (memory !== undefined) out.requests.memory = memory;
  if (c.restartPolicy === 'Always') out.sidecar = true;
  return out;
}

export function parseAmount(v: unknown): Amount | undefined {
  const o = obj(v);
  if (!o) return undefined;
  return { cpu: quantity('cpu', o.cpu) ?? 0, memory: quantity('memory', o.memory) ?? 0 };
}

const LABEL_OPS = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;
const NODE_OPS = [...LABEL_OPS, 'Gt', 'Lt'] as const;

export function parseLabelSelector(v: unknown): LabelSelector | undefined {
  const o = obj(v);
  if (!o) return undefined;
  const out: LabelSelector = {};
  if (o.matchLabels !== undefined) out.matchLabels = parseLabels(o.matchLabels);
  const exprs = arr(o.matchExpressions).flatMap((e): LabelSelectorRequirement[] => {
    const x = obj(e);
    const op = str(x?.operator);
    if (!x || !str(x.key) || !(LABEL_OPS as readonly string[]).includes(op ?? '')) return [];
    return [{ key: x.key as string, operator: op as LabelSelectorRequirement['operator'], values: strings(x.values) }];
  });
  if (exprs.length > 0) out.matchExpressions = exprs;
  return out;
}

function nodeRequirements(v: unknown): NodeSelectorRequirement[] {
  return arr(v).flatMap((e): NodeSelectorRequirement[] => {
    const x = obj(e);
    const op = str(x?.operator);
    if (!x || !str(x.key) || !(NODE_OPS as readonly string[]).includes(op ?? '')) return [];
    return [{ key: x.key as string, operator: op as NodeSelectorRequirement['operator'], values: strings(x.values) }];
  });
}

export function parseNodeSelectorTerm(v: unknown): NodeSelectorTerm {
  const o = obj(v) ?? {};
  const term: NodeSelectorTerm = {};
  const exprs = nodeRequirements(o.matchExpressions);
  const fields = nodeRequirements(o.matchFields);
  if (exprs.length > 0) term.matchExpressions = exprs;
  if (fields.length > 0) term.matchFields = fields;
  return term;
}

function parsePodAffinityTerm(v: unknown): PodAffinityTerm | undefined {
  const o = obj(v);
  const topologyKey = str(o?.topologyKey);
  if (!o || !topologyKey) return undefined;
  const term: PodAffinityTerm = { topologyKey };
  const selector = parseLabelSelector(o.labelSelector);
  if (selector) term.labelSelector = selector;
  if (o.namespaces !== undefined) term.namespaces = strings(o.namespaces);
  const nsSelector = parseLabelSelector(o.namespaceSelector);
  if (nsSelector) term.namespaceSelector = nsSelector;
  return term;
}

function parsePodAffinityRules(v: unknown): PodAffinityRules | undefined {
  const o = obj(v);
  if (!o) return undefined;
  return {
    required: arr(o.requiredDuringSchedulingIgnoredDuringExecution).flatMap((t) => parsePodAffinityTerm(t) ?? []),
    preferred: arr(o.preferredDuringSchedulingIgnoredDuringExecution).flatMap((w) => {
      const x = obj(w);
      const term = parsePodAffinityTerm(x?.podAffinityTerm);
      const weight = num(x?.weight);
      return term && weight !== undefined ? [{ weight, podAffinityTerm: term }] : [];
    }),
  };
}

export function parseAffinity(v: unknown): Affinity | undefined {
  const o = obj(v);
  if (!o) return undefined;
  const out: Affinity = {};
  const na = obj(o.nodeAffinity);
  if (na) {
    const required = obj(na.requiredDuringSchedulingIgnoredDuringExecution);
    out.nodeAffinity = {
      ...(required ? { required: arr(required.nodeSelectorTerms).map(parseNodeSelectorTerm) } : {}),
      preferred: arr(na.preferredDuringSchedulingIgnoredDuringExecution).flatMap((p) => {
        const x = obj(p);
        const weight = num(x?.weight);
        return x && weight !== undefined ? [{ weight, preference: parseNodeSelectorTerm(x.preference) }] : [];
      }),
    };
  }
  const pa = parsePodAffinityRules(o.podAffinity);
  if (pa) out.podAffinity = pa;
  const paa = parsePodAffinityRules(o.podAntiAffinity);
  if (paa) out.podAntiAffinity = paa;
  return out;
}

const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;

export function parseTolerations(v: unknown): Toleration[] {
  return arr(v).flatMap((t): Toleration[] => {
    const x = obj(t);
    if (!x) return [];
    const out: Toleration = {};
    if (str(x.key)) out.key = x.key as string;
    if (x.operator === 'Exists' || x.operator === 'Equal') out.operator = x.operator;
    if (typeof x.value === 'string') out.value = x.value;
    if ((EFFECTS as readonly unknown[]).includes(x.effect)) out.effect = x.effect as Toleration['effect'];
    if (num(x.tolerationSeconds) !== undefined) out.tolerationSeconds = x.tolerationSeconds as number;
    return [out];
  });
}

export function parseTopologySpread(v: unknown): TopologySpreadConstraint[] {
  // eslint-disable-next-line complexity -- one check per optional field of a TopologySpreadConstraint, each kept only when it holds a value the API allows
  return arr(v).flatMap((c): TopologySpreadConstraint[] => {
    const x = obj(c);
    const topologyKey = str(x?.topologyKey);
    const maxSkew = num(x?.maxSkew);
    if (!x || !topologyKey || maxSkew === undefined) return [];
    const out: TopologySpreadConstraint = { maxSkew, topologyKey, whenUnsatisfiable: x.whenUnsatisfiable === 'ScheduleAnyway' ? 'ScheduleAnyway' : 'DoNotSchedule' };
    const selector = parseLabelSelector(x.labelSelector);
    if (selector) out.labelSelector = selector;
    if (num(x.minDomains) !== undefined) out.minDomains = x.minDomains as number;
    if (x.matchLabelKeys !== undefined) out.matchLabelKeys = strings(x.matchLabelKeys);
    if (x.nodeAffinityPolicy === 'Honor' || x.nodeAffinityPolicy === 'Ignore') out.nodeAffinityPolicy = x.nodeAffinityPolicy;
    if (x.nodeTaintsPolicy === 'Honor' || x.nodeTaintsPolicy === 'Ignore') out.nodeTaintsPolicy = x.nodeTaintsPolicy;
    return [out];
  });
}

/** Everything of a pod spec the scheduler reads except its priority. */
export function parsePodSpec(spec: unknown, labels: unknown): Omit<SimPodSpec, 'priority' | 'priorityClassName' | 'preemptionPolicy'> {
  const s = obj(spec) ?? {};
  const out: Omit<SimPodSpec, 'priority' | 'priorityClassName' | 'preemptionPolicy'> = {
    labels: parseLabels(labels),
    containers: arr(s.containers).map(parseContainer),
    initContainers: arr(s.initContainers).map(parseContainer),
    tolerations: parseTolerations(s.tolerations),
    topologySpreadConstraints: parseTopologySpread(s.topologySpreadConstraints),
  };
  const overhead = parseAmount(s.overhead);
  if (overhead) out.overhead = overhead;
  if (str(s.nodeName)) out.nodeName = s.nodeName as string;
  if (obj(s.nodeSelector)) out.nodeSelector = parseLabels(s.nodeSelector);
  const affinity = parseAffinity(s.affinity);
  if (affinity) out.affinity = affinity;
  return out;
}
