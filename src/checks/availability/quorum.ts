/**
 * Voting quorums (a Vault raft cluster, Ceph's MONs): the members of a group
 * are the pods of every workload its unit declares with that `quorum.group`
 * and no explicit `need` (groups with a `need` are replicated data, such as
 * Ceph's OSDs, not votes). A majority of an even number tolerates no more
 * losses than the odd number below it, and fewer than three tolerate none.
 */
import type { DesiredState } from '../../desired/state.js';
import type { RenderedUnit } from '../../helm/render.js';
import { objectOf, type Finding } from '../finding.js';
import { matchesLabelSelector } from '../../planner/labels.js';
import { simNodes } from '../../planner/nodes.js';
import { parseAffinity, parseTolerations } from '../../planner/pod-spec.js';
import { firstUntolerated } from '../../planner/tolerations.js';
import { matchesNodeSelectorMap, matchesNodeSelectorTerms } from '../../planner/labels.js';
import type { SimNode } from '../../planner/types.js';
import { renderedWorkloads, type RenderedWorkload, sourceOf } from './objects.js';

const CHECK = 'availability';
const HOSTNAME = 'kubernetes.io/hostname';

interface Group {
  unit: string;
  name: string;
  members: RenderedWorkload[];
}

function groupsOf(rendered: readonly RenderedUnit[]): Group[] {
  const all = renderedWorkloads(rendered);
  const groups = new Map<string, Group>();
  for (const r of rendered) {
    for (const w of r.unit.workloads) {
      if (!w.quorum || w.quorum.need !== undefined) continue;
      const id = `${r.unit.name}\u0000${w.quorum.group}`;
      const g = groups.get(id) ?? { unit: r.unit.name, name: w.quorum.group, members: [] };
      g.members.push(...all.filter((x) => x.unit.name === r.unit.name && x.object.kind === w.kind && x.object.metadata.name === w.name));
      groups.set(id, g);
    }
  }
  return [...groups.values()];
}

/** Whether the pod template requires, on the host, anti-affinity against pods with `labels`. */
function keptApartFrom(w: RenderedWorkload, labels: Record<string, string>): boolean {
  const anti = parseAffinity(w.template.spec.affinity)?.podAntiAffinity?.required ?? [];
  return anti.some((t) => t.topologyKey === HOSTNAME && matchesLabelSelector(t.labelSelector, labels));
}

/** The nodes a member may run on at all: its nodeSelector, required node affinity and tolerations. */
function eligibleNodes(w: RenderedWorkload, nodes: readonly SimNode[]): SimNode[] {
  const affinity = parseAffinity(w.template.spec.affinity);
  const tolerations = parseTolerations(w.template.spec.tolerations);
  const selector = w.template.spec.nodeSelector;
  return nodes.filter((n) => {
    if (!matchesNodeSelectorMap(selector, n.labels)) return false;
    const required = affinity?.nodeAffinity?.required;
    if (required !== undefined && !matchesNodeSelectorTerms(required, n)) return false;
    return !firstUntolerated(n.taints, tolerations, ['NoSchedule', 'NoExecute']);
  });
}

export function checkQuorums(state: Pick<DesiredState, 'platform'>, rendered: readonly RenderedUnit[]): Finding[] {
  const findings: Finding[] = [];
  const nodes = simNodes(state.platform.nodes);
  for (const g of groupsOf(rendered)) {
    const first = g.members[0];
    if (!first) continue;
    const members = g.members.reduce((n, m) => n + m.replicas, 0);
    const source = sourceOf(first);
    const tolerates = Math.floor((members - 1) / 2);
    if (members < 3 || members % 2 === 0) {
      findings.push({
        check: CHECK,
        severity: 'error',
        object: objectOf(first.object),
        source,
        path: first.operated ? undefined : 'spec.replicas',
        message: `the ${g.name} has ${members} member${members === 1 ? '' : 's'}: ${members < 3 ? `a majority of ${members} survives ${tolerates === 0 ? 'no' : tolerates} member lost` : `a majority of ${members} (${members / 2 + 1}) survives no more losses than ${members - 1} members do`}; a quorum needs an odd number, at least 3`,
        hint: `run 3 (or 5) members, each on its own node: ${members < 3 ? 'one node loss must not take the quorum' : 'the extra member only adds a vote to lose'}`,
      } as Finding);
    }
    const apart = g.members.every((m) => g.members.every((o) => keptApartFrom(m, o.template.metadata.labels ?? {})));
    if (!apart) {
      const loose = g.members.find((m) => !g.members.every((o) => keptApartFrom(m, o.template.metadata.labels ?? {})))!;
      findings.push({
        check: CHECK,
        severity: 'error',
        object: objectOf(loose.object),
        source: sourceOf(loose),
        path: `${loose.template.path}.spec.affinity.podAntiAffinity`,
        message: `members of the ${g.name} can land on one node: ${loose.object.kind} ${loose.object.metadata.name} does not require anti-affinity on ${HOSTNAME} against the other members, so one node loss can take ${Math.min(2, members)} of ${members} and the quorum with them`,
        hint: 'require pod anti-affinity on the host between the members (for Ceph MONs: keep cephClusterSpec.mon.allowMultiplePerNode false)',
      });
    }
    const eligible = new Set(g.members.flatMap((m) => eligibleNodes(m, nodes).map((n) => n.name)));
    if (apart && eligible.size < members) {
      findings.push({
        check: CHECK,
        severity: 'error',
        object: objectOf(first.object),
        source,
        message: `the ${g.name} has ${members} members on distinct nodes, but only ${eligible.size} node${eligible.size === 1 ? '' : 's'} may run them (${[...eligible].sort().join(', ') || 'none'}): ${members - eligible.size} can never start`,
        hint: 'add nodes to the pool its members run in, or run fewer members (an odd number)',
      });
    }
  }
  return findings;
}
