/**
 * The scheduler's picture of the cluster: nodes and the pods bound to them.
 * A binding remembers when it happened, which stands for the pod's start
 * time (preemption prefers to spare pods that started earlier).
 */
import { add, type Amount, ZERO } from '../model/resources.js';
import { podNonZeroRequests, podRequests } from './requests.js';
import { podKey, type Labels, type SimNode, type SimPod } from './types.js';

export interface Binding {
  pod: SimPod;
  node: string;
  /** Order of binding: the pod's start time. */
  at: number;
}

export class Cluster {
  /** Sorted by name: every walk over nodes is in this order. */
  readonly nodes: readonly SimNode[];
  private readonly byName: Map<string, SimNode>;
  private readonly byNode: Map<string, Binding[]>;
  private readonly byPod: Map<string, Binding>;
  private clock: number;
  /** Caches, dropped on every change. */
  private all: Binding[] | undefined;
  private readonly sums = new Map<string, { requested: Amount; nonZero: Amount }>();
  /** Labels of namespaces, for affinity terms with a namespaceSelector. */
  readonly namespaceLabels: ReadonlyMap<string, Labels>;

  constructor(nodes: readonly SimNode[], opts: { bindings?: readonly Binding[]; clock?: number; namespaceLabels?: ReadonlyMap<string, Labels> } = {}) {
    const bindings = opts.bindings ?? [];
    this.namespaceLabels = opts.namespaceLabels ?? new Map();
    this.nodes = [...nodes].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    this.byName = new Map(this.nodes.map((n) => [n.name, n]));
    this.byNode = new Map(this.nodes.map((n) => [n.name, []]));
    this.byPod = new Map();
    this.clock = opts.clock ?? 0;
    for (const b of bindings) {
      if (!this.byName.has(b.node)) continue;
      this.byNode.get(b.node)!.push(b);
      this.byPod.set(podKey(b.pod), b);
      this.clock = Math.max(this.clock, b.at + 1);
    }
  }

  node(name: string): SimNode | undefined {
    return this.byName.get(name);
  }

  podsOn(node: string): readonly Binding[] {
    return this.byNode.get(node) ?? [];
  }

  bindingOf(pod: SimPod): Binding | undefined {
    return this.byPod.get(podKey(pod));
  }

  /** Every binding, node by node, each node's in binding order. */
  bindings(): readonly Binding[] {
    this.all ??= this.nodes.flatMap((n) => this.byNode.get(n.name)!);
    return this.all;
  }

  /** Every binding in no particular order, without copying: for the filters' and scores' inner loops. */
  each(): Iterable<Binding> {
    return this.byPod.values();
  }

  private changed(node: string): void {
    this.all = undefined;
    this.sums.delete(node);
  }

  bind(pod: SimPod, node: string): Binding {
    const list = this.byNode.get(node);
  // Invariant, not input: the simulation's own bookkeeping; a miss is a bug (exit 70).
    if (!list) throw new Error(`no node ${node} in the cluster`);
    if (this.byPod.has(podKey(pod))) throw new Error(`pod ${podKey(pod)} is already bound`);
    const b: Binding = { pod, node, at: this.clock++ };
    list.push(b);
    this.byPod.set(podKey(pod), b);
    this.changed(node);
    return b;
  }

  /** Puts back a binding as it was (same start time), for preemption's dry runs. */
  restore(b: Binding): void {
    this.byNode.get(b.node)!.push(b);
    this.byNode.get(b.node)!.sort((x, y) => x.at - y.at);
    this.byPod.set(podKey(b.pod), b);
    this.changed(b.node);
  }

  unbind(pod: SimPod): Binding | undefined {
    const b = this.byPod.get(podKey(pod));
    if (!b) return undefined;
    this.byPod.delete(podKey(pod));
    const list = this.byNode.get(b.node)!;
    list.splice(list.indexOf(b), 1);
    this.changed(b.node);
    return b;
  }

  private sumsOf(node: string): { requested: Amount; nonZero: Amount } {
    let s = this.sums.get(node);
    if (!s) {
      const pods = this.podsOn(node);
      s = { requested: pods.reduce((sum, b) => add(sum, podRequests(b.pod)), ZERO), nonZero: pods.reduce((sum, b) => add(sum, podNonZeroRequests(b.pod)), ZERO) };
      this.sums.set(node, s);
    }
    return s;
  }

  /** What the pods on the node request. */
  requested(node: string): Amount {
    return { ...this.sumsOf(node).requested };
  }

  /** The same, unset requests counted at the scheduler's defaults (for scoring). */
  nonZeroRequested(node: string): Amount {
    return { ...this.sumsOf(node).nonZero };
  }

  clone(): Cluster {
    return new Cluster(this.nodes, { bindings: this.bindings(), clock: this.clock, namespaceLabels: this.namespaceLabels });
  }

  /** The cluster without some nodes, and the bindings those nodes took with them. */
  without(nodeNames: ReadonlySet<string>): { cluster: Cluster; lost: Binding[] } {
    const lost = this.bindings().filter((b) => nodeNames.has(b.node));
    const kept = this.bindings().filter((b) => !nodeNames.has(b.node));
    const nodes = this.nodes.filter((n) => !nodeNames.has(n.name));
    return { cluster: new Cluster(nodes, { bindings: kept, clock: this.clock, namespaceLabels: this.namespaceLabels }), lost };
  }
}
