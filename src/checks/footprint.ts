/**
 * Footprint checker: what the rendered platform asks of each pool. Pods of
 * Deployments and StatefulSets (× replicas) count in their unit's home pool,
 * DaemonSet pods once per node they would run on (node selector, affinity and
 * taints, as the DaemonSet controller decides). A pool whose requests exceed
 * its allocatable capacity is an error; limits above capacity are normal
 * (overcommit) and only reported.
 */
import type { PoolFootprint } from '../desired/footprint.js';
import type { RenderedUnit } from '../helm/index.js';
import { cpuMillis, formatCpu, formatMemory, memoryBytes } from '../lib/quantity.js';
import type { Platform } from '../model/platform.js';
import { add, scale, ZERO, type Amount } from '../model/resources.js';
import { simNodes } from '../planner/nodes.js';
import { daemonSetWantsNode, isJob } from '../planner/pods.js';
import { podRequests } from '../planner/requests.js';
import { workloadsFromRendered } from '../planner/from-rendered.js';
import type { SimContainer } from '../planner/types.js';
import type { Finding } from './finding.js';
import { withOperated } from '../planner/operated.js';
import { podTemplateOf, type ContainerLike } from './pods.js';

const CHECK = 'footprint';

function limitsOf(c: ContainerLike): SimContainer {
  const l = c.resources?.limits;
  const safe = (f: () => number) => {
    try {
      return f();
    } catch {
      return undefined;
    }
  };
  return {
    name: c.name,
    requests: {
      ...(l?.cpu !== undefined ? { cpu: safe(() => cpuMillis(l.cpu as string)) } : {}),
      ...(l?.memory !== undefined ? { memory: safe(() => memoryBytes(l.memory as string)) } : {}),
    },
    ...((c as { restartPolicy?: string }).restartPolicy === 'Always' ? { sidecar: true } : {}),
  };
}

export function renderedFootprint(platform: Platform, renderedUnits: readonly RenderedUnit[]): PoolFootprint[] {
  // The planner adds the StatefulSets operators create; the same objects are needed here for their limits.
  const rendered = withOperated(renderedUnits);
  const nodes = simNodes(platform.nodes);
  const rows = new Map(platform.pools.map((p) => [p.name, { pool: p.name, nodes: p.nodes.length, allocatable: p.allocatable, requests: ZERO as Amount, limits: ZERO as Amount, pods: 0 }]));
  const unitOf = new Map(rendered.map((r) => [r.unit.name, r]));
  for (const w of workloadsFromRendered(renderedUnits)) {
    if (isJob(w)) continue;
    const r = unitOf.get(w.unit);
    const obj = r?.chartObjects.find((o) => o.kind === w.kind && o.metadata.name === w.name);
    const tpl = obj ? podTemplateOf(obj) : undefined;
    const requests = podRequests(w.template);
    const limits = tpl
      ? podRequests({ containers: tpl.spec.containers.map(limitsOf), initContainers: (tpl.spec.initContainers ?? []).map(limitsOf), ...(w.template.overhead ? { overhead: w.template.overhead } : {}) })
      : ZERO;
    const placements = new Map<string, number>();
    if (w.kind === 'DaemonSet') {
      for (const n of nodes) if (daemonSetWantsNode(w, n)) placements.set(n.labels['plinth.dev/pool'] ?? '', (placements.get(n.labels['plinth.dev/pool'] ?? '') ?? 0) + 1);
    } else if (r) placements.set(r.unit.pool, w.replicas);
    for (const [pool, pods] of placements) {
      const row = rows.get(pool);
      if (!row) continue;
      row.requests = add(row.requests, scale(requests, pods));
      row.limits = add(row.limits, scale(limits, pods));
      row.pods += pods;
    }
  }
  return [...rows.values()];
}

export function checkFootprint(rows: readonly PoolFootprint[]): Finding[] {
  const findings: Finding[] = [];
  for (const r of rows) {
    const over: string[] = [];
    if (r.requests.cpu > r.allocatable.cpu) over.push(`CPU requests ${formatCpu(r.requests.cpu)} > ${formatCpu(r.allocatable.cpu)}`);
    if (r.requests.memory > r.allocatable.memory) over.push(`memory requests ${formatMemory(r.requests.memory)} > ${formatMemory(r.allocatable.memory)}`);
    if (over.length > 0) {
      findings.push({
        check: CHECK,
        severity: 'error',
        source: { component: `pool ${r.pool}` },
        path: `pools.${r.pool}`,
        message: `pool ${r.pool} is over capacity: ${over.join(', ')} allocatable on ${r.nodes} node${r.nodes === 1 ? '' : 's'}`,
        hint: 'add a node to the pool, lower budgets, or disable a component',
      });
    }
  }
  return findings;
}

/**
 * Containers whose work the catalog can size (a repo-server's Helm renders):
 * a rendered memory limit below that need is an OOM kill waiting for a busy
 * moment, so a warning that says where the need comes from.
 */
export function checkWorkNeeds(renderedUnits: readonly RenderedUnit[]): Finding[] {
  const out: Finding[] = [];
  for (const r of renderedUnits) {
    for (const w of r.unit.workloads) {
      const obj = r.chartObjects.find((o) => o.kind === w.kind && o.metadata.name === w.name);
      const tpl = obj ? podTemplateOf(obj) : undefined;
      for (const c of w.containers) {
        if (!c.needs || !tpl) continue;
        const rendered = tpl.spec.containers.find((x) => x.name === c.name);
        const limit = rendered?.resources?.limits?.memory;
        let bytes: number | undefined;
        try {
          bytes = limit === undefined ? undefined : memoryBytes(limit as string);
        } catch {
          bytes = undefined;
        }
        if (bytes !== undefined && bytes >= c.needs.memoryBytes) continue;
        out.push({
          check: CHECK,
          severity: 'warning',
          object: { apiVersion: obj!.apiVersion, kind: w.kind, name: w.name, namespace: w.namespace },
          source: { component: r.unit.name },
          path: `${c.valuesPath ?? 'resources'}.limits.memory`,
          message: `container ${c.name} of ${w.kind} ${w.name} has a memory limit of ${limit === undefined ? 'none' : String(limit)}, below the ${formatMemory(c.needs.memoryBytes)} its work needs (${c.needs.why}): it is OOM-killed when that work comes at once`,
          hint: `raise components.${r.unit.name}.values.${c.valuesPath ?? 'resources'}.limits.memory to ${formatMemory(c.needs.memoryBytes)} or more, or lower the work (fewer parallel renders)`,
        });
      }
    }
  }
  return out;
}
