/**
 * The `check --repo` fuzzer: a planned repository (a profile's starter, Argo
 * CD or Flux, with one tenant service under apps/) with one of its files
 * mutated — component.json, values.yaml, service.json, a tenant manifest or
 * kustomization.yaml — structurally (keys deleted, values replaced by hostile
 * ones) and then as text (truncation, random bytes, aliases, cycles, bombs,
 * nesting). Each case runs what `check --repo` does with the files short of
 * rendering charts with Helm: the tenant services read back (readTenantUnits),
 * the written components read back (parseWrittenRepo, unitsOf), the repository
 * compared with what plan writes (checkRepo), the GitOps checkers over the
 * merged repository, the policies, the footprint and the failure scenarios
 * over the tenant pods. Every case must end in findings (or none) or a
 * ConfigError whose every problem names its file, within the bound.
 */
import fc from 'fast-check';
import { parseConfig } from '../../src/config/load.js';
import { starterConfig } from '../../src/config/starter.js';
import { checkFootprint, renderedFootprint } from '../../src/checks/footprint.js';
import { checkArgoCdRepository } from '../../src/checks/gitops/argocd.js';
import { checkFluxRepository } from '../../src/checks/gitops/flux.js';
import { checkPolicies } from '../../src/checks/policy.js';
import { checkRepo } from '../../src/checks/repo.js';
import { podSources, repositoryFiles } from '../../src/checks/run.js';
import { desiredState, SHARED_REFS } from '../../src/desired/index.js';
import type { DesiredState } from '../../src/desired/state.js';
import { parseWrittenRepo, unitsOf } from '../../src/gitops/read.js';
import { ConfigError, PlinthError } from '../../src/lib/errors.js';
import { homePool } from '../../src/model/profiles.js';
import { checkPlan } from '../../src/planner/findings.js';
import { synthesize } from '../../src/synth/index.js';
import { readTenantUnits, TENANT_POOL, tenantServiceFiles } from '../../src/tenants/service.js';
import YAML from 'yaml';
import { applyStructural, applyTextual, fresh, hostileValue, type Outcome, structural, type Structural, textual, type Textual } from './fuzz.js';

export const REPO_PROFILES = ['edge', 'compact', 'standard', 'lab', 'compact-flux'] as const;
const TARGETS = ['component', 'values', 'service', 'manifest', 'kustomization'] as const;

export interface RepoFuzzCase {
  profile: (typeof REPO_PROFILES)[number];
  target: (typeof TARGETS)[number];
  /** Which file of the target kind (an index into them, modulo their count). */
  pick: number;
  structural: Structural[];
  textual: Textual[];
  /** Replace the whole file by this value, as JSON or YAML (a list, a scalar, null). */
  whole?: unknown;
}

export const repoFuzzCase: fc.Arbitrary<RepoFuzzCase> = fc.record(
  {
    profile: fc.constantFrom(...REPO_PROFILES),
    target: fc.constantFrom(...TARGETS),
    pick: fc.nat(),
    structural: fc.array(structural, { maxLength: 3 }),
    textual: fc.array(textual, { maxLength: 2 }),
    whole: fc.option(hostileValue, { nil: undefined, freq: 8 }),
  },
  { requiredKeys: ['profile', 'target', 'pick', 'structural', 'textual'] },
);

interface Planned {
  state: DesiredState;
  files: Map<string, string>;
}

const planned = new Map<string, Planned>();

/** The repository plan writes for a profile, with one tenant service; built once per profile and process. */
function plannedRepo(profile: RepoFuzzCase['profile']): Planned {
  const cached = planned.get(profile);
  if (cached) return cached;
  const text = profile === 'compact-flux' ? starterConfig('compact').replace(/\n {2}engine: \w+\n/, '\n  engine: flux\n') : starterConfig(profile);
  const loaded = parseConfig(text, 'plinth.yaml');
  const state = desiredState(loaded);
  const files = new Map(synthesize(state));
  const team = state.platform.teams[0]!.name;
  for (const [path, t] of tenantServiceFiles(state.platform, SHARED_REFS, { url: loaded.config.gitops.repo.url, branch: 'main' }, { team, name: 'cart', image: `ghcr.io/${team}/cart:1.4.2`, port: 8080 })) files.set(path, t);
  const made = { state, files };
  planned.set(profile, made);
  return made;
}

const TARGET_FILE: Record<RepoFuzzCase['target'], RegExp> = {
  component: /^platform\/[^/]+\/[^/]+\/component\.json$/,
  values: /(^platform\/[^/]+\/[^/]+\/|^bootstrap\/argocd\/)values\.yaml$/,
  service: /^apps\/[^/]+\/[^/]+\/service\.json$/,
  manifest: /^apps\/[^/]+\/[^/]+\/manifests\/[^/]+\.yaml$/,
  kustomization: /^apps\/[^/]+\/[^/]+\/kustomization\.yaml$/,
};

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The mutated file's path and the case's repository; a target the layout lacks (service.json under Flux) mutates a manifest. */
export function repoCaseFiles(c: RepoFuzzCase): { path: string; files: Map<string, string> } {
  const { files: base } = plannedRepo(c.profile);
  const files = new Map(base);
  let candidates = [...files.keys()].filter((p) => TARGET_FILE[c.target].test(p));
  if (candidates.length === 0) candidates = [...files.keys()].filter((p) => TARGET_FILE.manifest.test(p));
  const path = candidates.sort()[c.pick % candidates.length]!;
  const json = path.endsWith('.json');
  const text = files.get(path)!;
  const data: unknown = c.whole !== undefined ? fresh(c.whole) : json ? JSON.parse(text) : (parseDocuments(text)[0] ?? {});
  if (isRecord(data)) for (const m of c.structural) applyStructural(data, m);
  let bytes: Uint8Array = Buffer.from(json ? jsonText(data) : stringify(data, text), 'utf8');
  for (const m of c.textual) bytes = applyTextual(bytes, m);
  // The repository is read as UTF-8 text (readRepo refuses a file that is not); decoding here keeps what readRepo would keep.
  files.set(path, Buffer.from(bytes).toString('utf8'));
  return { path, files };
}

/** JSON as a hand edit could write it: numbers past the double range (`1e400`) where the data holds a non-finite one. */
function jsonText(data: unknown): string {
  // JSON cannot hold a cycle (two mutations can make one): a value met again is written as a string.
  const seen = new WeakSet<object>();
  const marked = JSON.stringify(data, (_k, v: unknown) => {
    if (typeof v === 'number' && !Number.isFinite(v)) return `\u0000${v > 0 ? '' : '-'}1e400`;
    if (v !== null && typeof v === 'object') {
      if (seen.has(v)) return 'again';
      seen.add(v);
    }
    return v;
  });
  return (marked ?? 'null').replace(/"\\u0000(-?1e400)"/g, '$1');
}

function parseDocuments(text: string): unknown[] {
  return YAML.parseAllDocuments(text).map((d) => d.toJS() as unknown);
}

/** A mutated YAML file: the first document mutated, the others kept (a manifest file holds several). */
function stringify(data: unknown, original: string): string {
  const rest = parseDocuments(original).slice(1);
  // The yaml library's writer recurses per level; past its stack, JSON (which is YAML) writes the same data.
  const one = (d: unknown) => {
    try {
      return YAML.stringify(d, { aliasDuplicateObjects: false });
    } catch {
      return `${jsonText(d)}\n`;
    }
  };
  return [data, ...rest].map(one).join('---\n');
}

/** What `check --repo` does with the repository's files, short of rendering charts. */
export function checkRepoFiles(profile: RepoFuzzCase['profile'], files: ReadonlyMap<string, string>): void {
  const { state } = plannedRepo(profile);
  const tenants = readTenantUnits(files, Math.max(...state.units.map((u) => u.wave)), homePool(state.platform.profile, TENANT_POOL));
  unitsOf(parseWrittenRepo(files));
  const withTenants: DesiredState = { ...state, units: [...state.units, ...tenants] };
  checkRepo(state, files);
  const merged = repositoryFiles(withTenants, { repoFiles: files });
  if (state.platform.choices.engine === 'argocd') checkArgoCdRepository({ units: withTenants.units, files: merged, rendered: new Map() });
  else checkFluxRepository({ platform: state.platform, units: withTenants.units, files: merged, hasChart: () => true });
  const sources = podSources({ state: withTenants, rendered: [] });
  checkPolicies(withTenants.units, sources);
  checkFootprint(renderedFootprint(state.platform, sources));
  checkPlan(withTenants, { rendered: sources });
}

/** What an error says of a case: refused (a typed error naming files of the repository), untyped (a typed one naming none) or crashed. */
function failureOutcome(e: unknown, path: string, files: ReadonlyMap<string, string>): Outcome {
  if (e instanceof ConfigError && e.details.length > 0 && e.details.every((d) => d.file !== undefined && files.has(d.file))) return { kind: 'refused', ms: 0 };
  if (e instanceof PlinthError) return { kind: 'untyped', ms: 0, detail: `${path}: ${e.name} without a file of the repository: ${e.message.slice(0, 500)}` };
  return { kind: 'crashed', ms: 0, detail: `${path}: ${e instanceof Error ? (e.stack ?? String(e)).split('\n').slice(0, 6).join('\n') : String(e)}` };
}

/** Runs one repository case in process; `hung` when it took longer than the deadline (the pool kills one that never ends). */
export function runRepoCase(c: RepoFuzzCase, deadlineMs: number): Outcome {
  // Building the case (the planned repository, the mutation) is not what is timed.
  const { path, files } = repoCaseFiles(c);
  const start = performance.now();
  let outcome: Outcome;
  try {
    checkRepoFiles(c.profile, files);
    outcome = { kind: 'accepted', ms: 0 };
  } catch (e) {
    outcome = failureOutcome(e, path, files);
  }
  const ms = performance.now() - start;
  if (ms > deadlineMs && (outcome.kind === 'accepted' || outcome.kind === 'refused')) return { kind: 'hung', ms, detail: `${path}: took ${Math.round(ms)} ms (bound ${deadlineMs} ms)` };
  return { ...outcome, ms };
}
