/**
 * Failure scenarios (seed 001): green (all healthy), one node lost (yellow
 * when it is a worker), red (every worker lost, the control plane left as the
 * lifeboat), black (every node lost), or any set of nodes named on the
 * command line. Seed 003 adds a whole pool lost (`pool:<name>`, for pools of
 * more than one node that are not the whole cluster) and a whole zone lost
 * (`zone:<name>`, when nodes carry topology.kubernetes.io/zone).
 */
import { UsageError } from '../lib/errors.js';
import { closest } from '../lib/suggest.js';
import type { SimNode } from './types.js';

export type ScenarioKind = 'green' | 'yellow' | 'red' | 'black' | 'pool' | 'zone' | 'other';

export interface ScenarioSpec {
  name: string;
  kind: ScenarioKind;
  /** Failed nodes, in the platform's order. */
  failed: string[];
  title: string;
}

type NodeLike = Pick<SimNode, 'name' | 'role'> & Partial<Pick<SimNode, 'pool' | 'labels'>>;

const ZONE = 'topology.kubernetes.io/zone';

/** The seed's colour for a set of failed nodes. */
export function kindOf(failed: ReadonlySet<string>, nodes: readonly NodeLike[]): ScenarioKind {
  const workers = nodes.filter((n) => n.role === 'worker');
  if (failed.size === 0) return 'green';
  if (nodes.every((n) => failed.has(n.name))) return 'black';
  if (nodes.some((n) => n.role === 'control-plane' && failed.has(n.name))) return 'other';
  if (workers.every((n) => failed.has(n.name))) return 'red';
  return 'yellow';
}

/** A scenario losing these nodes (names checked against the platform). */
export function scenarioLosing(names: readonly string[], nodes: readonly NodeLike[], name?: string): ScenarioSpec {
  const known = new Set(nodes.map((n) => n.name));
  for (const n of names) {
    if (!known.has(n)) {
      const guess = closest(n, [...known]);
      throw new UsageError(`no node named ${JSON.stringify(n)}; nodes: ${[...known].join(', ')}${guess ? ` (did you mean ${JSON.stringify(guess)}?)` : ''}`);
    }
  }
  const set = new Set(names);
  const failed = nodes.filter((n) => set.has(n.name)).map((n) => n.name);
  const kind = kindOf(set, nodes);
  const title =
    kind === 'green' ? 'all nodes healthy' : kind === 'black' ? 'all nodes lost' : kind === 'red' ? `all workers lost (${failed.join(', ')})` : `${failed.join(', ')} lost`;
  return { name: name ?? (failed.length === 0 ? 'green' : `lost:${failed.join(',')}`), kind, failed, title };
}

/** Losing every node of a group (a pool, a zone), in the platform's order of pools or zones. */
function groupScenarios(nodes: readonly NodeLike[], kind: 'pool' | 'zone', of: (n: NodeLike) => string | undefined): ScenarioSpec[] {
  const names = [...new Set(nodes.map(of).filter((g): g is string => g !== undefined))];
  return names.flatMap((g) => {
    const failed = nodes.filter((n) => of(n) === g).map((n) => n.name);
    if (failed.length < 2 || failed.length === nodes.length) return [];
    return [{ name: `${kind}:${g}`, kind, failed, title: `${kind} ${g} lost (${failed.join(', ')})` }];
  });
}

/** green, each node lost on its own, each pool and zone lost, red, black (red only when the platform has workers). */
export function standardScenarios(nodes: readonly NodeLike[]): ScenarioSpec[] {
  const workers = nodes.filter((n) => n.role === 'worker').map((n) => n.name);
  const out = [scenarioLosing([], nodes), ...nodes.map((n) => scenarioLosing([n.name], nodes))];
  out.push(...groupScenarios(nodes, 'pool', (n) => n.pool), ...groupScenarios(nodes, 'zone', (n) => n.labels?.[ZONE]));
  if (workers.length > 0) out.push(scenarioLosing(workers, nodes, 'red'));
  out.push(scenarioLosing(nodes.map((n) => n.name), nodes, 'black'));
  return out;
}

export const SCENARIO_NAMES_HELP = 'green, yellow (each worker lost), red, black, pool:NAME, zone:NAME, lost:NODE, a node name, or all';

/** The scenario `--scenario NAME` names (a node name for `lost:NODE`); an unknown name is a usage error. */
function scenarioNamed(all: readonly ScenarioSpec[], pick: string): ScenarioSpec {
  const byName = all.find((s) => s.name === pick) ?? all.find((s) => s.name === `lost:${pick}`);
  if (byName) return byName;
  const names = all.map((s) => s.name);
  const guess = closest(pick, [...names, 'yellow', 'all']);
  throw new UsageError(`--scenario: got ${JSON.stringify(pick)}; expected ${SCENARIO_NAMES_HELP}: ${names.join(', ')}${guess ? ` (did you mean ${JSON.stringify(guess)}?)` : ''}`);
}

/** The scenarios `--scenario` and `--fail` ask for (`all` by default; `--fail` alone runs green and that loss). */
export function selectScenarios(nodes: readonly NodeLike[], opts: { scenario?: string; fail?: readonly string[] }): ScenarioSpec[] {
  const all = standardScenarios(nodes);
  const fail = opts.fail && opts.fail.length > 0 ? scenarioLosing(opts.fail, nodes) : undefined;
  const pick = opts.scenario ?? (fail ? undefined : 'all');
  let chosen: ScenarioSpec[] = [];
  if (pick === 'all') chosen = all;
  else if (pick === 'yellow') chosen = all.filter((s) => s.kind === 'yellow' && s.failed.length === 1);
  else if (pick !== undefined) chosen = [scenarioNamed(all, pick)];
  else chosen = [all[0]!];
  if (fail && !chosen.some((s) => s.name === fail.name)) chosen.push(fail);
  return chosen;
}
