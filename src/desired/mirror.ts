/**
 * The chart mirror (`charts.mirror` in plinth.yaml): every unit pulls from
 * the mirror instead of the public repositories. A pure transform of the
 * desired state, so every engine's synthesis, `check` and `up` see the same
 * sources:
 *
 * - a chart's repository becomes the mirror itself (a Helm repository: its
 *   index.yaml lists every chart of the chart cache);
 * - upstream Git manifests (the Gateway API CRDs, ...) come from a Git
 *   repository the mirror serves at `<mirror>/git/<host>/<path>.git`, with
 *   the same path and tag as upstream, holding the cached manifests.
 *
 * `plinth charts serve` serves exactly these URLs (src/mirror).
 */
import type { ChartSource, GitSource, Unit } from '../model/unit.js';

/** The mirror URL without a trailing slash. */
export function mirrorBase(mirror: string): string {
  return mirror.replace(/\/+$/, '');
}

/**
 * Where the mirror serves an upstream Git repository, below its root:
 * `https://github.com/kubernetes-sigs/gateway-api.git` → `git/github.com/kubernetes-sigs/gateway-api.git`.
 */
export function mirrorGitPath(upstreamRepoUrl: string): string {
  const withoutScheme = upstreamRepoUrl.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/^[^@/]+@/, '').replace(':', '/');
  const clean = withoutScheme.replace(/\/+$/, '').replace(/\.git$/, '');
  return `git/${clean.toLowerCase()}.git`;
}

export function mirroredChart(chart: ChartSource, mirror: string): ChartSource {
  return { ...chart, repoUrl: mirrorBase(mirror) };
}

export function mirroredGit(git: GitSource, mirror: string): GitSource {
  return { ...git, repoUrl: `${mirrorBase(mirror)}/${mirrorGitPath(git.repoUrl)}` };
}

export function mirroredUnit(unit: Unit, mirror: string): Unit {
  return {
    ...unit,
    ...(unit.chart ? { chart: mirroredChart(unit.chart, mirror) } : {}),
    ...(unit.git ? { git: mirroredGit(unit.git, mirror) } : {}),
  };
}

/** The state with every chart and upstream manifest source pointing at the mirror; unchanged without one. */
export function withChartMirror<S extends { units: Unit[] }>(state: S, mirror: string | undefined): S {
  if (!mirror) return state;
  return { ...state, units: state.units.map((u) => mirroredUnit(u, mirror)) };
}
