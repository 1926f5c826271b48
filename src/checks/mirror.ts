/**
 * Mirror checker (with `charts.mirror`): every chart the repository names is
 * served by the mirror at its pinned version, and every upstream manifest
 * source has a Git repository there at its tag.
 *
 * Offline (in `plinth check`): against what `plinth charts serve` serves from
 * the local chart cache (its Helm index, built the same way, and the
 * manifests it turns into Git repositories). `check` stays offline and
 * deterministic; whether the running mirror serves the same bytes is a
 * question about the network, asked by `plinth charts verify`
 * (`checkServedMirror`): the served index.yaml must list each pinned chart
 * with the digest of the cached package, and each Git repository must
 * advertise its tag.
 */
import type { IndexedChart } from '../mirror/helm-index.js';
import { mirrorBase, mirrorGitPath } from '../desired/mirror.js';
import type { Unit } from '../model/unit.js';
import type { Finding } from './finding.js';

const COMMIT = /^[0-9a-f]{40}$/;

function chartFinding(u: Unit, message: string, hint: string): Finding {
  return { check: 'mirror', severity: 'error', source: { component: u.name }, path: u.chart ? 'chart' : 'git', message, hint };
}

/** What the local chart cache lets the mirror serve. */
export interface ServableCache {
  charts: readonly Pick<IndexedChart, 'name' | 'version' | 'digest'>[];
  /** Whether the cache holds a manifest source's file (`cacheFile`). */
  hasFile(name: string): boolean;
}

export function checkMirror(units: readonly Unit[], mirror: string, served: ServableCache): Finding[] {
  const findings: Finding[] = [];
  const base = mirrorBase(mirror);
  for (const u of units) {
    if (u.chart) {
      if (u.chart.repoUrl !== base) {
        findings.push(chartFinding(u, `chart ${u.chart.chart} ${u.chart.version} is pulled from ${u.chart.repoUrl}, not from the mirror ${base}`, 'every chart must come from charts.mirror; this is a bug in Plinth if plan wrote it'));
      } else if (!served.charts.some((c) => c.name === u.chart!.chart && c.version === u.chart!.version)) {
        const other = served.charts.filter((c) => c.name === u.chart!.chart).map((c) => c.version);
        findings.push(
          chartFinding(
            u,
            `the mirror does not serve chart ${u.chart.chart} at ${u.chart.version}: the chart cache it serves has ${other.length ? `only ${other.join(', ')}` : 'no such chart'}`,
            `add ${u.chart.chart}-${u.chart.version}.tgz to the chart cache (\`plinth charts pull\`), then restart \`plinth charts serve\``,
          ),
        );
      }
    }
    if (u.git) {
      const expected = `${base}/${mirrorGitPath(u.git.repoUrl)}`;
      if (!u.git.repoUrl.startsWith(`${base}/git/`)) {
        findings.push(chartFinding(u, `upstream manifests are pulled from ${u.git.repoUrl}, not from the mirror`, `expected a repository under ${base}/git/`));
      } else if (COMMIT.test(u.git.ref)) {
        findings.push(chartFinding(u, `the mirror cannot serve ${u.git.repoUrl} at commit ${u.git.ref}: it serves tags only`, 'pin the upstream manifests to a release tag'));
      } else if (!served.hasFile(u.git.cacheFile)) {
        findings.push(chartFinding(u, `the mirror cannot serve ${expected} @ ${u.git.ref}: ${u.git.cacheFile} is not in the chart cache`, 'run `plinth charts pull`, then restart `plinth charts serve`'));
      }
    }
  }
  return findings;
}

/** The running mirror against the local cache: the served index.yaml (text) and each Git repository's advertised refs. */
export function checkServedMirror(
  units: readonly Unit[],
  mirror: string,
  local: ServableCache,
  served: { index?: { entries?: Record<string, { version?: string; digest?: string }[]> }; gitRefs: ReadonlyMap<string, readonly string[] | undefined> },
): Finding[] {
  const findings: Finding[] = [];
  for (const u of units) {
    if (u.chart) {
      const entry = served.index?.entries?.[u.chart.chart]?.find((v) => v.version === u.chart!.version);
      const cached = local.charts.find((c) => c.name === u.chart!.chart && c.version === u.chart!.version);
      if (!entry) findings.push(chartFinding(u, `${mirrorBase(mirror)}/index.yaml does not list ${u.chart.chart} ${u.chart.version}`, 'serve a chart cache that holds it'));
      else if (cached && entry.digest !== cached.digest) {
        findings.push(chartFinding(u, `the mirror serves ${u.chart.chart} ${u.chart.version} with digest ${entry.digest ?? '(none)'}, the chart cache has ${cached.digest}`, 'the mirror serves another package than the one check rendered; serve this chart cache'));
      }
    }
    if (u.git) {
      const refs = served.gitRefs.get(u.git.repoUrl);
      if (refs === undefined) findings.push(chartFinding(u, `${u.git.repoUrl} does not answer as a Git repository`, 'is `plinth charts serve` running at charts.mirror?'));
      else if (!refs.includes(`refs/tags/${u.git.ref}`)) findings.push(chartFinding(u, `${u.git.repoUrl} has no tag ${u.git.ref}`, 'serve a chart cache that holds these manifests'));
    }
  }
  return findings;
}
