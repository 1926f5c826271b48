/**
 * What `plinth new service`, `plinth upgrade service` and the portal's
 * scaffolder do, in one place: read the repository at its base branch,
 * validate, render, run `plinth check` on the result, show the diff, and
 * commit on a new branch only when the check has no error. Nothing is
 * written before the commit, and the commit is one atomic ref creation.
 */
import type { PlatformCheck } from '../checks/platform.js';
import type { Finding } from '../checks/finding.js';
import type { SharedRefs } from '../catalog/component.js';
import { CATALOG } from '../catalog/index.js';
import type { GitRepo, Identity } from '../gitops/git.js';
import type { Platform } from '../model/platform.js';
import type { RepoLocation } from '../tenants/service.js';
import { templateNamed } from './index.js';
import { digest, RECORD_FILE, servicesIn, type ServiceEntry } from './record.js';
import { renderServiceFiles } from './render.js';
import { newestVersion, type GoldenTemplate } from './types.js';
import { type ExistingService, type FieldProblem, type RawValues, validateValues } from './validate.js';

export const BRANCH_PREFIX = 'plinth/';

export interface GoldenContext {
  platform: Platform;
  refs: SharedRefs;
  repoLocation: RepoLocation;
  repo: GitRepo;
  /** Branch (or ref) golden paths start from: plinth.yaml gitops.repo.branch unless told. */
  base: string;
  /** `plinth check` of the platform with these repository files. */
  check(files: ReadonlyMap<string, string>): Promise<PlatformCheck>;
  /** Progress for anything slow. */
  progress?(step: string): void;
}

export interface Snapshot {
  baseCommit: string;
  files: Map<string, string>;
  symlinks: { path: string; target: string; escapes: boolean }[];
  services: ServiceEntry[];
  /** Services that exist only on Plinth's branches (proposed, not merged). */
  proposed: (ExistingService & { branch: string })[];
}

export class GoldenPathError extends Error {}

export async function snapshot(ctx: GoldenContext): Promise<Snapshot> {
  const baseCommit = await ctx.repo.resolveCommit(ctx.base);
  if (!baseCommit) throw new GoldenPathError(`the repository ${ctx.repo.dir} has no branch ${ctx.base}: commit what \`plinth plan\` writes there first (or pass --base)`);
  const tree = await ctx.repo.readTree(baseCommit);
  const services = servicesIn(tree.files);
  const onBase = new Set(services.map((s) => `${s.team}/${s.name}`));
  const proposed: Snapshot['proposed'] = [];
  for (const [branch, commit] of await ctx.repo.branches(BRANCH_PREFIX)) {
    const names = (await ctx.repo.run(['ls-tree', '-r', '--name-only', commit, '--', 'apps/'])).toString('utf8').split('\n');
    const seen = new Set<string>();
    for (const p of names) {
      const m = /^apps\/([^/]+)\/([^/]+)\/(service\.json|golden-path\.json)$/.exec(p);
      if (!m || onBase.has(`${m[1]}/${m[2]}`) || seen.has(`${m[1]}/${m[2]}`)) continue;
      seen.add(`${m[1]}/${m[2]}`);
      proposed.push({ team: m[1]!, name: m[2]!, branch });
    }
  }
  return { baseCommit, files: tree.files, symlinks: tree.symlinks, services, proposed };
}

export interface Proposal {
  kind: 'new' | 'upgrade';
  branch: string;
  baseCommit: string;
  set: Map<string, string>;
  remove: string[];
  message: string;
  diff: string;
  findings: Finding[];
  /** Findings about the services this proposal writes. */
  own: Finding[];
  errors: number;
  warnings: number;
  /** Services it writes, `team/name` with template@version. */
  services: { team: string; name: string; template: string; version: number }[];
}

export type Outcome =
  | { status: 'invalid'; problems: FieldProblem[] }
  | { status: 'unchanged'; message: string; branch?: string }
  | { status: 'failed-check'; proposal: Proposal }
  | { status: 'ready'; proposal: Proposal };

const componentNames = CATALOG.map((c) => c.name);

export const newBranchName = (team: string, name: string): string => `${BRANCH_PREFIX}new/${team}/${name}`;

async function checked(ctx: GoldenContext, snap: Snapshot, p: Omit<Proposal, 'diff' | 'findings' | 'own' | 'errors' | 'warnings'>): Promise<Outcome> {
  const files = new Map(snap.files);
  for (const r of p.remove) files.delete(r);
  for (const [k, v] of p.set) files.set(k, v);
  ctx.progress?.('running plinth check on the result (render every chart, schemas, graph, policies, failure scenarios)');
  const { report } = await ctx.check(files);
  const mine = new Set(p.services.map((s) => `${s.team}/${s.name}`));
  const own = report.findings.filter((f) => f.source && mine.has(f.source.component));
  const errors = report.findings.filter((f) => f.severity === 'error').length;
  const warnings = report.findings.filter((f) => f.severity === 'warning').length;
  ctx.progress?.('computing the diff');
  const { diff } = await ctx.repo.dryRun(snap.baseCommit, { set: p.set, remove: p.remove });
  const proposal: Proposal = { ...p, diff, findings: report.findings, own, errors, warnings };
  return { status: errors > 0 ? 'failed-check' : 'ready', proposal };
}

/** The template of that name and its version (the newest when not given), or why there is none. */
function templateVersion(templateName: string, wanted: number | undefined): { template: GoldenTemplate; version: number } | Outcome {
  const template = templateNamed(templateName);
  if (!template) return { status: 'invalid', problems: [{ field: 'template', message: `no golden path ${JSON.stringify(templateName)}` }] };
  const version = wanted ?? newestVersion(template);
  if (!template.versions.some((v) => v.version === version)) return { status: 'invalid', problems: [{ field: 'version', message: `template ${template.name} has no version ${version}` }] };
  return { template, version };
}

/** `plinth new service` / the scaffolder: validate, render, check, diff. */
export async function proposeNew(ctx: GoldenContext, templateName: string, raw: RawValues, opts: { version?: number } = {}): Promise<Outcome> {
  const chosen = templateVersion(templateName, opts.version);
  if ('status' in chosen) return chosen;
  const { template, version } = chosen;
  ctx.progress?.('reading the repository');
  const snap = await snapshot(ctx);
  const team = typeof raw.team === 'string' ? raw.team : '';
  const name = typeof raw.name === 'string' ? raw.name : '';
  const branch = newBranchName(team, name);
  const mineOnBranch = (s: { branch?: string }) => s.branch === branch;
  const existing = [...snap.services, ...snap.proposed.filter((s) => !mineOnBranch(s))];
  const v = validateValues(template, ctx.platform, raw, { existing, version, componentNames });
  if (!v.values) return { status: 'invalid', problems: v.problems };
  const set = renderServiceFiles({ platform: ctx.platform, refs: ctx.refs, repo: ctx.repoLocation, template, version, values: v.values });

  const onBranch = await ctx.repo.resolveCommit(`refs/heads/${branch}`);
  if (onBranch) {
    const there = (await ctx.repo.readTree(onBranch, `apps/${team}/${name}/`)).files;
    const same = there.size === set.size && [...set].every(([p, t]) => there.get(p) === t);
    if (same) return { status: 'unchanged', branch, message: `branch ${branch} already proposes this service; nothing to do` };
    return { status: 'invalid', problems: [{ field: 'name', message: `branch ${branch} already proposes a different ${team}/${name}`, hint: `merge or delete that branch (git branch -D ${branch}), or choose another name` }] };
  }
  const message = commitMessage(`Add ${template.name} ${team}/${name}`, template, version, [`Image: ${v.values.image}`]);
  return checked(ctx, snap, { kind: 'new', branch, baseCommit: snap.baseCommit, set, remove: [], message, services: [{ team, name, template: template.name, version }] });
}

function commitMessage(subject: string, template: GoldenTemplate | undefined, version: number | undefined, lines: string[]): string {
  return [`${subject}${template ? ` (golden path ${template.name}@${version})` : ''}`, '', ...lines, '', 'Written by a Plinth golden path; `plinth check` passed before this commit.', ''].join('\n');
}

interface UpgradePlan {
  entry: ServiceEntry;
  template: GoldenTemplate;
  from: number;
  to: number;
  set: Map<string, string>;
  remove: string[];
}

/** What upgrading one service would write, or why it cannot. */
function planOne(ctx: GoldenContext, snap: Snapshot, entry: ServiceEntry, force: boolean): { plan?: UpgradePlan; problems: FieldProblem[] } {
  const field = `${entry.team}/${entry.name}`;
  if (!entry.record) return { problems: [{ field, message: entry.recordError ?? `${entry.dir} was not written by a golden path (no ${RECORD_FILE})`, hint: 'only services a golden path wrote can be upgraded' }] };
  const r = entry.record;
  const template = templateNamed(r.template);
  if (!template) return { problems: [{ field, message: `${entry.dir}/${RECORD_FILE} names template ${r.template}, which this Plinth does not know` }] };
  const to = newestVersion(template);
  if (r.version > to) return { problems: [{ field, message: `${field} was written with ${template.name}@${r.version}, newer than this Plinth's ${template.name}@${to}`, hint: 'upgrade Plinth' }] };
  const edited = Object.entries(r.files).filter(([p, d]) => snap.files.get(p) === undefined || digest(snap.files.get(p)!) !== d).map(([p]) => p);
  if (edited.length > 0 && !force) {
    return { problems: [{ field, message: `changed by hand since the golden path wrote them: ${edited.join(', ')}`, hint: 'keep the change in the service (and re-run with --force to overwrite it), or restore the files' }] };
  }
  const others = [...snap.services, ...snap.proposed].filter((s) => !(s.team === entry.team && s.name === entry.name));
  const v = validateValues(template, ctx.platform, r.values as unknown as RawValues, { existing: others, version: to, componentNames });
  if (!v.values) return { problems: v.problems.map((p) => ({ ...p, field: `${field}: ${p.field}` })) };
  const set = renderServiceFiles({ platform: ctx.platform, refs: ctx.refs, repo: ctx.repoLocation, template, version: to, values: v.values });
  for (const [p, t] of [...set]) if (snap.files.get(p) === t) set.delete(p);
  const rendered = new Set(renderServiceFiles({ platform: ctx.platform, refs: ctx.refs, repo: ctx.repoLocation, template, version: to, values: v.values }).keys());
  const remove = Object.keys(r.files).filter((p) => !rendered.has(p) && snap.files.has(p));
  return { plan: { entry, template, from: r.version, to, set, remove }, problems: [] };
}

/** `plinth upgrade service T/N` (or every service): re-render with the newest template version, keeping the chosen values. */
// eslint-disable-next-line complexity -- the upgrade's steps (find the service, plan each, nothing to do, the branch already there, the commit message); the count is mostly the wording for one service or all
export async function proposeUpgrade(ctx: GoldenContext, target: { team: string; name: string } | 'all', opts: { force?: boolean } = {}): Promise<Outcome> {
  ctx.progress?.('reading the repository');
  const snap = await snapshot(ctx);
  const entries = target === 'all' ? snap.services.filter((s) => s.record) : snap.services.filter((s) => s.team === target.team && s.name === target.name);
  if (target !== 'all' && entries.length === 0) {
    const proposed = snap.proposed.find((s) => s.team === target.team && s.name === target.name);
    return { status: 'invalid', problems: [{ field: 'service', message: `no service ${target.team}/${target.name} on ${ctx.base}`, hint: proposed ? `it is only proposed on branch ${proposed.branch}: merge it first` : 'see the services with `plinth portal` or under apps/' }] };
  }
  const plans: UpgradePlan[] = [];
  const problems: FieldProblem[] = [];
  for (const e of entries) {
    const r = planOne(ctx, snap, e, opts.force ?? false);
    problems.push(...r.problems);
    if (r.plan && (r.plan.set.size > 0 || r.plan.remove.length > 0)) plans.push(r.plan);
  }
  if (problems.length > 0) return { status: 'invalid', problems };
  if (plans.length === 0) return { status: 'unchanged', message: target === 'all' ? 'every service is up to date with its template' : `${target.team}/${target.name} is up to date with its template` };
  const set = new Map(plans.flatMap((p) => [...p.set]));
  const remove = plans.flatMap((p) => p.remove);
  const describe = (p: UpgradePlan) => `${p.entry.team}/${p.entry.name}: ${p.template.name}@${p.from} -> @${p.to}`;
  const single = plans.length === 1 && target !== 'all' ? plans[0]! : undefined;
  const branch = single ? `${BRANCH_PREFIX}upgrade/${single.entry.team}/${single.entry.name}/${single.template.name}-v${single.to}` : `${BRANCH_PREFIX}upgrade/all/${snap.baseCommit.slice(0, 12)}`;
  const onBranch = await ctx.repo.resolveCommit(`refs/heads/${branch}`);
  if (onBranch) {
    const there = (await ctx.repo.readTree(onBranch, 'apps/')).files;
    const same = [...set].every(([p, t]) => there.get(p) === t) && remove.every((p) => !there.has(p));
    if (same) return { status: 'unchanged', branch, message: `branch ${branch} already proposes this upgrade; nothing to do` };
    return { status: 'invalid', problems: [{ field: 'service', message: `branch ${branch} already exists with another change`, hint: `merge or delete it (git branch -D ${branch}) first` }] };
  }
  const notes = plans.flatMap((p) => p.template.versions.filter((v) => v.version > p.from).map((v) => `${p.template.name}@${v.version}: ${v.notes}`));
  const message = commitMessage(
    single ? `Upgrade ${single.entry.team}/${single.entry.name} to ${single.template.name}@${single.to}` : `Upgrade ${plans.length} services to their newest golden paths`,
    undefined,
    undefined,
    [...plans.map(describe), ...(notes.length > 0 ? ['', ...[...new Set(notes)]] : [])],
  );
  return checked(ctx, snap, { kind: 'upgrade', branch, baseCommit: snap.baseCommit, set, remove, message, services: plans.map((p) => ({ team: p.entry.team, name: p.entry.name, template: p.template.name, version: p.to })) });
}

/** Commits a proposal that passed its check; the base must not have moved since it was checked. */
export async function commitProposal(ctx: GoldenContext, proposal: Proposal, author: Identity): Promise<{ commit: string; branch: string }> {
  if (proposal.errors > 0) throw new GoldenPathError(`plinth check found ${proposal.errors} error(s): nothing committed`);
  const now = await ctx.repo.resolveCommit(ctx.base);
  if (now !== proposal.baseCommit) throw new GoldenPathError(`${ctx.base} moved since the check (${proposal.baseCommit.slice(0, 12)} -> ${now?.slice(0, 12)}): check again`);
  ctx.progress?.(`committing on branch ${proposal.branch}`);
  const result = await ctx.repo.commitOnNewBranch({ base: proposal.baseCommit, branch: proposal.branch, set: proposal.set, remove: proposal.remove, message: proposal.message, author });
  if (!result) throw new GoldenPathError('the change changes nothing');
  return { commit: result.commit, branch: result.branch };
}
