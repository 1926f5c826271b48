/**
 * What runs is not only what is bound. Two things keep a bound pod from
 * working, which kube-scheduler does not see:
 *
 * - A networked volume mounts only where its CSI driver's node plugin runs
 *   (`StorageBackend.nodePluginTolerations`): elsewhere the pod stays
 *   ContainerCreating (Ceph's plugin tolerates no taint with Rook's defaults,
 *   so a Ceph volume does not mount on the control plane).
 * - A storage class answers only while the quorums backing it hold (Ceph's MON
 *   quorum, enough OSD hosts for the pool's min_size): when one breaks, every
 *   pod using the class hangs on I/O, wherever it runs.
 *
 * Quorums are groups of workloads' pods (`quorum.group`): they hold while
 * `need` members work (default: a majority of all members). A member stuck as
 * above does not count, so a Vault on Ceph loses its raft quorum with Ceph.
 * With three control-plane nodes or more, Kubernetes' own etcd is one too (an
 * HA control plane runs one etcd member per server, as k3s's embedded etcd
 * does): without it the API is gone, and nothing is rescheduled any more.
 */
import type { Binding, Cluster } from './cluster.js';
import { podReport, type QuorumReport, type StuckPod } from './report.js';
import { firstUntolerated, taintText } from './tolerations.js';
import { type PlanInput, podKey, type SimPod, type SimWorkload } from './types.js';
import type { StorageBackend } from '../model/unit.js';

/** The quorum of the control plane's etcd members, one per control-plane node. */
export const ETCD_QUORUM = 'etcd quorum (Kubernetes API)';

function etcdQuorum(input: PlanInput, cluster: Cluster): QuorumReport[] {
  const members = input.nodes.filter((n) => n.role === 'control-plane').length;
  if (members < 3) return [];
  const working = cluster.nodes.filter((n) => n.role === 'control-plane').length;
  const need = Math.floor(members / 2) + 1;
  return [{ unit: 'kubernetes', group: ETCD_QUORUM, members, working, need, holds: working >= need, workloads: [] }];
}

const workloadKey = (unit: string, kind: string, namespace: string, name: string) => `${unit}\u0000${kind}\u0000${namespace}\u0000${name}`;
const ofPod = (p: SimPod) => workloadKey(p.unit, p.workload.kind, p.namespace, p.workload.name);

interface Group {
  unit: string;
  group: string;
  members: number;
  need: number;
  backs?: string;
  workloads: Set<string>;
  texts: Set<string>;
}

function groupsOf(input: PlanInput): Group[] {
  const groups = new Map<string, Group>();
  for (const w of input.workloads.filter((x): x is SimWorkload & { quorum: NonNullable<SimWorkload['quorum']> } => x.quorum !== undefined)) {
    const id = `${w.unit}\u0000${w.quorum.group}`;
    const g = groups.get(id) ?? { unit: w.unit, group: w.quorum.group, members: 0, need: 0, workloads: new Set<string>(), texts: new Set<string>(), ...(w.quorum.backs ? { backs: w.quorum.backs } : {}) };
    g.members += w.kind === 'DaemonSet' ? 0 : Math.max(0, w.replicas);
    g.workloads.add(workloadKey(w.unit, w.kind, w.namespace, w.name));
    g.texts.add(`${w.kind} ${w.namespace}/${w.name}`);
    if (w.quorum.need !== undefined) g.need = w.quorum.need;
    groups.set(id, g);
  }
  return [...groups.values()]
    .map((g) => ({ ...g, need: g.need > 0 ? g.need : Math.floor(g.members / 2) + 1 }))
    .sort((a, b) => (a.unit === b.unit ? (a.group < b.group ? -1 : 1) : a.unit < b.unit ? -1 : 1));
}

/** Bound pods with a volume whose storage driver's node plugin does not run on their node (it does not tolerate a taint there), by pod key. */
function unmountable(bindings: readonly Binding[], backends: readonly StorageBackend[], cluster: Cluster): Map<string, StuckPod> {
  const stuck = new Map<string, StuckPod>();
  for (const b of bindings) {
    for (const cls of b.pod.volumeClasses ?? []) {
      const backend = backends.find((s) => s.className === cls);
      const node = cluster.node(b.node);
      if (!backend || !node) continue;
      const taint = firstUntolerated(node.taints, backend.nodePluginTolerations, ['NoSchedule', 'NoExecute']);
      if (taint && !stuck.has(podKey(b.pod))) {
        stuck.set(podKey(b.pod), { ...podReport(b.pod), node: b.node, reason: `its ${cls} volume cannot be mounted on ${b.node}: the ${backend.driver} node plugin does not run there (it does not tolerate ${taintText(taint)})` });
      }
    }
  }
  return stuck;
}

/** The pods bound in `cluster` that cannot work, and each quorum's state. */
export function workingState(input: PlanInput, cluster: Cluster): { stuck: StuckPod[]; quorums: QuorumReport[] } {
  const backends = input.storage ?? [];
  const groups = groupsOf(input);
  const bindings = cluster.bindings();
  const stuck = unmountable(bindings, backends, cluster);

  // Quorums and the storage they back, until nothing changes (a Vault on Ceph goes with Ceph).
  let quorums: QuorumReport[] = [];
  for (let round = 0; round <= groups.length; round++) {
    quorums = groups.map((g) => {
      const working = bindings.filter((b) => g.workloads.has(ofPod(b.pod)) && !stuck.has(podKey(b.pod))).length;
      return { unit: g.unit, group: g.group, members: g.members, working, need: g.need, holds: working >= g.need, ...(g.backs ? { backs: g.backs } : {}), workloads: [...g.texts].sort() };
    });
    const broken = quorums.filter((q) => !q.holds && q.backs);
    let changed = false;
    for (const b of bindings) {
      if (stuck.has(podKey(b.pod))) continue;
      const cls = (b.pod.volumeClasses ?? []).find((c) => broken.some((q) => q.backs === c));
      if (!cls) continue;
      const q = broken.find((x) => x.backs === cls)!;
      stuck.set(podKey(b.pod), { ...podReport(b.pod), node: b.node, reason: `its ${cls} volume does not answer: the ${q.group} has ${q.working} of ${q.members} members working and needs ${q.need}` });
      changed = true;
    }
    if (!changed) break;
  }
  const byName = (a: StuckPod, b: StuckPod) => a.tier - b.tier || (podKey(a) < podKey(b) ? -1 : podKey(a) > podKey(b) ? 1 : 0);
  return { stuck: [...stuck.values()].sort(byName), quorums: [...etcdQuorum(input, cluster), ...quorums] };
}
