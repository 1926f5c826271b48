/**
 * The Helm repository index of the chart cache: the `index.yaml` that
 * `helm repo index` writes for the folder (apiVersion v1; per chart name its
 * versions, newest first; each version the Chart.yaml metadata read from
 * inside the package, its relative `urls`, the sha256 `digest` of the file and
 * `created`). Helm stamps `created` and `generated` with the time it runs;
 * here `created` is the time Helm packaged the chart (the modification time
 * of its Chart.yaml in the archive) and `generated` the latest of those, so
 * the same cache always gives the same bytes.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import YAML from 'yaml';
import { untgzWithTimes } from '../helm/archive.js';

export interface IndexedChart {
  name: string;
  version: string;
  file: string;
  /** sha256 of the package, hex. */
  digest: string;
  created: string;
  metadata: Record<string, unknown>;
}

export interface HelmIndex {
  charts: IndexedChart[];
  /** Packages that are not charts (no Chart.yaml at the top), with why. */
  skipped: { file: string; reason: string }[];
  /** The index.yaml text. */
  text: string;
}

const STRING_FIELDS = ['name', 'home', 'version', 'description', 'icon', 'apiVersion', 'condition', 'tags', 'appVersion', 'kubeVersion', 'type'] as const;
const LIST_FIELDS = ['sources', 'keywords'] as const;

const str = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : typeof v === 'string' ? v : String(v));
const strings = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.map((x) => str(x) ?? '') : undefined);

function put(out: Record<string, unknown>, key: string, value: unknown): void {
  // Go's omitempty: no empty strings, false, empty lists or maps.
  if (value === undefined || value === '' || value === false) return;
  if (Array.isArray(value) && value.length === 0) return;
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0) return;
  out[key] = value;
}

/** Chart.yaml as Helm's chart metadata: only its fields, Go's empty-value omission, `apiVersion` v1 when absent. */
export function chartMetadata(chartYaml: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of STRING_FIELDS) put(out, k, str(chartYaml[k]));
  for (const k of LIST_FIELDS) put(out, k, strings(chartYaml[k]));
  put(out, 'deprecated', chartYaml.deprecated === true);
  if (chartYaml.annotations && typeof chartYaml.annotations === 'object') {
    put(out, 'annotations', Object.fromEntries(Object.entries(chartYaml.annotations as Record<string, unknown>).map(([k, v]) => [k, str(v) ?? ''])));
  }
  if (Array.isArray(chartYaml.maintainers)) {
    put(
      out,
      'maintainers',
      chartYaml.maintainers.map((m: Record<string, unknown>) => {
        const o: Record<string, unknown> = {};
        for (const k of ['name', 'email', 'url']) put(o, k, str(m?.[k]));
        return o;
      }),
    );
  }
  if (Array.isArray(chartYaml.dependencies)) {
    put(
      out,
      'dependencies',
      // eslint-disable-next-line complexity -- the fields of a Chart.yaml dependency as `helm repo index` writes them, each with its own omitempty rule
      chartYaml.dependencies.map((d: Record<string, unknown>) => {
        // `name` and `repository` are always written (no omitempty upstream).
        const o: Record<string, unknown> = { name: str(d?.name) ?? '', repository: str(d?.repository) ?? '' };
        put(o, 'version', str(d?.version));
        put(o, 'condition', str(d?.condition));
        put(o, 'tags', strings(d?.tags));
        put(o, 'enabled', d?.enabled === true);
        put(o, 'import-values', Array.isArray(d?.['import-values']) ? d['import-values'] : undefined);
        put(o, 'alias', str(d?.alias));
        return o;
      }),
    );
  }
  if (!out.apiVersion) out.apiVersion = 'v1';
  return out;
}

/** Go's time.Time in JSON: RFC 3339, UTC, no fraction for whole seconds. */
function rfc3339(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}

/** Semantic-version order (Masterminds), newest first; unparsable versions last. */
// eslint-disable-next-line complexity -- Masterminds semver precedence in its order: unparsable last, major, minor, patch, then a release over its pre-releases, then the pre-release text
function compareVersionsDesc(a: string, b: string): number {
  const parse = (v: string) => /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(v);
  const pa = parse(a);
  const pb = parse(b);
  if (!pa || !pb) return pa ? -1 : pb ? 1 : 0;
  for (let i = 1; i <= 3; i++) {
    const d = Number(pb[i] ?? 0) - Number(pa[i] ?? 0);
    if (d !== 0) return d;
  }
  if (pa[4] === pb[4]) return 0;
  if (pa[4] === undefined) return -1;
  if (pb[4] === undefined) return 1;
  return pa[4] < pb[4] ? 1 : -1;
}

/** Reads one package: its top-level Chart.yaml, the packaging time, the digest. */
export function indexChart(file: string, bytes: Buffer): IndexedChart | { reason: string } {
  let entries: Map<string, { data: Buffer; mtime: number }>;
  try {
    entries = untgzWithTimes(bytes, (p) => /^[^/]+\/Chart\.yaml$/.test(p));
  } catch (e) {
    return { reason: `not a gzipped tar archive (${(e as Error).message})` };
  }
  const [, chartYaml] = [...entries.entries()].sort(([a], [b]) => (a < b ? -1 : 1))[0] ?? [];
  if (!chartYaml) return { reason: 'no Chart.yaml at the top of the archive' };
  let parsed: unknown;
  try {
    parsed = YAML.parse(chartYaml.data.toString('utf8'));
  } catch (e) {
    return { reason: `Chart.yaml is not valid YAML (${(e as Error).message})` };
  }
  if (!parsed || typeof parsed !== 'object') return { reason: 'Chart.yaml is not a map' };
  const metadata = chartMetadata(parsed as Record<string, unknown>);
  if (!metadata.name || !metadata.version) return { reason: 'Chart.yaml has no name or version' };
  return {
    name: metadata.name as string,
    version: metadata.version as string,
    file,
    digest: createHash('sha256').update(bytes).digest('hex'),
    created: rfc3339(chartYaml.mtime),
    metadata,
  };
}

/** The index of a folder's `*.tgz` packages (as `helm repo index DIR`, with relative URLs). */
export async function buildHelmIndex(dir: string): Promise<HelmIndex> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.tgz')).sort();
  const charts: IndexedChart[] = [];
  const skipped: HelmIndex['skipped'] = [];
  for (const file of files) {
    const r = indexChart(file, await readFile(join(dir, file)));
    if ('reason' in r) skipped.push({ file, reason: r.reason });
    else charts.push(r);
  }
  return { charts, skipped, text: indexYaml(charts) };
}

export function indexYaml(charts: readonly IndexedChart[]): string {
  const entries: Record<string, Record<string, unknown>[]> = {};
  const byName = new Map<string, IndexedChart[]>();
  for (const c of charts) byName.set(c.name, [...(byName.get(c.name) ?? []), c]);
  for (const name of [...byName.keys()].sort()) {
    entries[name] = byName
      .get(name)!
      .sort((a, b) => compareVersionsDesc(a.version, b.version))
      .map((c) => ({ ...c.metadata, created: c.created, digest: c.digest, urls: [c.file] }));
  }
  const generated = charts.map((c) => c.created).sort().pop() ?? rfc3339(0);
  return YAML.stringify({ apiVersion: 'v1', entries, generated }, { sortMapEntries: true, lineWidth: 0, indentSeq: false });
}
