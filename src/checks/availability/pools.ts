/**
 * Dedicated pools (seed 003: "Kong Gateway pods only", "Ceph OSD, MON, MGR"):
 * the pool's taints keep every other pod out, which holds only while no other
 * pod tolerates them and may also select the pool's nodes. Each rendered pod
 * template is placed against each node as the scheduler would filter it (node
 * selector, required node affinity, taints). Node agents (the DaemonSets a
 * component places on every node: log shipper, node exporter) belong on
 * every node, the dedicated ones too.
 */
import type { DesiredState } from '../../desired/state.js';
import type { RenderedUnit } from '../../helm/render.js';
import { matchesNodeSelectorMap, matchesNodeSelectorTerms } from '../../planner/labels.js';
import { simNodes } from '../../planner/nodes.js';
import { parseAffinity, parseTolerations } from '../../planner/pod-spec.js';
import { firstUntolerated, taintText } from '../../planner/tolerations.js';
import type { SimNode } from '../../planner/types.js';
import { objectOf, type Finding } from '../finding.js';
import { renderedWorkloads, type RenderedWorkload, sourceOf } from './objects.js';

const CHECK = 'availability';

function canRunOn(w: RenderedWorkload, node: SimNode): boolean {
  const affinity = parseAffinity(w.template.spec.affinity);
  if (!matchesNodeSelectorMap(w.template.spec.nodeSelector, node.labels)) return false;
  const required = affinity?.nodeAffinity?.required;
  if (required !== undefined && !matchesNodeSelectorTerms(required, node)) return false;
  const tolerations = parseTolerations(w.template.spec.tolerations);
  // The DaemonSet controller adds tolerations of the node conditions only, never of a pool's taint.
  return !firstUntolerated(node.taints, tolerations, ['NoSchedule', 'NoExecute']);
}

function isNodeAgent(w: RenderedWorkload): boolean {
  return w.object.kind === 'DaemonSet' && w.unit.workloads.some((d) => d.kind === 'DaemonSet' && d.name === w.object.metadata.name && d.placement === 'every-node');
}

export function checkDedicatedPools(state: Pick<DesiredState, 'platform'>, rendered: readonly RenderedUnit[]): Finding[] {
  const dedicated = state.platform.pools.filter((p) => p.dedicated);
  if (dedicated.length === 0) return [];
  const nodes = simNodes(state.platform.nodes);
  const findings: Finding[] = [];
  for (const w of renderedWorkloads(rendered)) {
    if (w.object.kind === 'Job' || w.object.kind === 'CronJob') continue;
    for (const pool of dedicated) {
      const poolNodes = nodes.filter((n) => n.pool === pool.name);
      const taints = pool.taints.map(taintText).join(', ');
      if (w.unit.pool !== pool.name) {
        if (isNodeAgent(w)) continue;
        const inside = poolNodes.filter((n) => canRunOn(w, n)).map((n) => n.name);
        if (inside.length === 0) continue;
        findings.push({
          check: CHECK,
          severity: 'error',
          object: objectOf(w.object),
          source: sourceOf(w),
          path: `${w.template.path}.spec.tolerations`,
          message: `${w.object.kind} ${w.object.metadata.name} of ${w.unit.name} can schedule onto the dedicated ${pool.name} pool (${inside.join(', ')}): it tolerates ${taints} and its placement selects those nodes; only ${pool.name}'s own components may run there`,
          hint: `drop the toleration of ${taints} (or a blanket \`operator: Exists\`), or keep its node affinity off pool ${pool.name}`,
        });
      } else {
        const outside = nodes.filter((n) => n.pool !== pool.name && canRunOn(w, n)).map((n) => n.name);
        if (outside.length === 0) continue;
        findings.push({
          check: CHECK,
          severity: 'error',
          object: objectOf(w.object),
          source: sourceOf(w),
          path: `${w.template.path}.spec.affinity`,
          message: `${w.object.kind} ${w.object.metadata.name} belongs to the dedicated ${pool.name} pool but can also schedule onto ${outside.join(', ')}`,
          hint: `require the ${pool.name} pool in its node affinity`,
        });
      }
    }
  }
  return findings;
}
