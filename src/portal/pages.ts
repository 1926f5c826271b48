/** The portal's read-only pages, rendered on the server from the current view. */
import type { PlatformCheck } from '../checks/platform.js';
import type { Finding } from '../checks/finding.js';
import { STACKS } from '../model/unit.js';
import { TIERS } from '../model/tiers.js';
import type { K8sObject } from '../model/k8s.js';
import { parseYamlStream, toYamlStream } from '../lib/yaml.js';
import { formatDetail } from '../lib/errors.js';
import { TEMPLATES } from '../golden/index.js';
import { html, type Html } from './html.js';
import type { CatalogEntity, PortalView, ServiceView } from './model.js';

export type Health = Map<string, { sync: string; health: string; message?: string }>;
export interface HealthView {
  health?: Health;
  note: string;
}

export const PAGE_SIZE = 50;

function progressBox(jobId: string | undefined, what: string): Html {
  return html`<div class="progress" data-job="${jobId ?? ''}" data-reload="1"><span class="spinner" aria-hidden="true"></span> <span class="progress-text">${what}</span> <span class="elapsed"></span></div>`;
}

function findingRow(f: Finding): Html {
  const o = f.object ? `${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name}` : '';
  return html`<tr class="sev-${f.severity}"><td>${f.severity}</td><td>${f.check}</td><td>${f.source?.component ?? ''}</td><td>${o}</td><td>${f.message}${f.hint ? html`<div class="hint">${f.hint}</div>` : ''}</td></tr>`;
}

export function findingsTable(findings: readonly Finding[], empty: string): Html {
  if (findings.length === 0) return html`<p class="ok">${empty}</p>`;
  return html`<table class="findings"><thead><tr><th>severity</th><th>check</th><th>component</th><th>object</th><th>message</th></tr></thead><tbody>${findings.map(findingRow)}</tbody></table>`;
}

export function overviewPage(view: PortalView, health: HealthView, check: { jobId?: string; result?: PlatformCheck }): Html {
  const units = view.state.units.filter((u) => u.stack !== 'apps');
  const escapes = view.snap.symlinks.filter((s) => s.escapes);
  const counts = check.result ? check.result.report.findings.reduce((acc, f) => ({ ...acc, [f.severity]: (acc[f.severity] ?? 0) + 1 }), {} as Record<string, number>) : undefined;
  return html`${repositoryProblems(view)}
<section class="cards">
<div class="card"><div class="big">${units.length}</div>platform components</div>
<div class="card"><div class="big">${[...view.services.values()].filter((s) => !s.branch).length}</div>tenant services on ${view.snap.baseCommit.slice(0, 8)}</div>
<div class="card"><div class="big">${view.snap.proposed.length}</div>proposed on branches</div>
<div class="card">${counts ? html`<div class="big">${counts.error ?? 0} / ${counts.warning ?? 0}</div>errors / warnings (plinth check)` : progressBox(check.jobId, 'plinth check running…')}</div>
</section>
<p class="note">Cluster: ${health.note}</p>
${escapes.length > 0 ? html`<p class="error" role="alert">Refused: ${escapes.map((s) => `${s.path} is a symlink to ${s.target}, outside the repository`).join('; ')}.</p>` : ''}
${STACKS.filter((s) => units.some((u) => u.stack === s)).map(
  (stack) => html`<h2>${stack}</h2><table class="units"><thead><tr><th>component</th><th>tier</th><th>wave</th><th>namespace</th><th>source</th><th>sync</th><th>health</th><th>endpoints</th></tr></thead><tbody>
${units
  .filter((u) => u.stack === stack)
  .sort((a, b) => a.tier - b.tier || (a.name < b.name ? -1 : 1))
  // eslint-disable-next-line complexity -- one table row of HTML: the count is its conditional cells (entity kind, chart or git or manifests, sync and health when known)
  .map((u) => {
    const h = health.health?.get(u.name);
    return html`<tr><td><a href="/entities/${u.workloads.length > 0 ? 'component' : 'resource'}/${u.name}">${u.name}</a></td><td title="${TIERS[u.tier].title}">${u.tier}</td><td>${u.wave}</td><td>${u.namespace}</td><td>${u.chart ? `${u.chart.chart} ${u.chart.version}` : u.git ? `git ${u.git.ref}` : 'manifests'}</td><td>${h?.sync ?? '–'}</td><td class="health-${(h?.health ?? 'unknown').toLowerCase()}">${h?.health ?? '–'}</td><td>${u.endpoints.map((e) => html`<a href="https://${e.host}" rel="noreferrer">${e.host}</a> `)}</td></tr>`;
  })}</tbody></table>`,
)}`;
}

export interface CatalogQuery {
  kind: string;
  q: string;
  page: number;
}

/** The broken tenant files of the main branch, if any: named on the overview and the catalog. */
function repositoryProblems(view: PortalView): Html | string {
  if (view.problems.length === 0) return '';
  return html`<section class="error" role="alert"><p>${String(view.problems.length)} problem${view.problems.length === 1 ? '' : 's'} in the repository's tenant files; those services are left out until fixed (<code>plinth check</code> refuses the repository):</p>
<ul>${view.problems.map((d) => html`<li><code>${formatDetail(d)}</code></li>`)}</ul></section>`;
}

export function catalogPage(view: PortalView, query: CatalogQuery): Html {
  const kinds = [...new Set(view.entities.map((e) => e.kind))].sort();
  const q = query.q.toLowerCase();
  const matching = view.entities.filter((e) => (query.kind === '' || e.kind === query.kind) && (q === '' || e.name.includes(q) || e.owner.toLowerCase().includes(q) || e.description.toLowerCase().includes(q)));
  const pages = Math.max(1, Math.ceil(matching.length / PAGE_SIZE));
  const pageNo = Math.min(Math.max(1, query.page), pages);
  const shown = matching.slice((pageNo - 1) * PAGE_SIZE, pageNo * PAGE_SIZE);
  const link = (p: number) => `/catalog?kind=${encodeURIComponent(query.kind)}&q=${encodeURIComponent(query.q)}&page=${p}`;
  return html`${repositoryProblems(view)}<form class="filter" method="get" action="/catalog"><label>Kind <select name="kind"><option value="">all</option>${kinds.map((k) => html`<option${k === query.kind ? html` selected` : ''}>${k}</option>`)}</select></label>
<label>Search <input name="q" value="${query.q}" placeholder="name, owner, description"></label><button type="submit">Filter</button></form>
<p>${matching.length} entities${pages > 1 ? `, page ${pageNo} of ${pages}` : ''}. Backstage descriptors from the repository (<code>catalog/all.yaml</code>); proposed ones are on branches.</p>
<table class="catalog"><thead><tr><th>kind</th><th>name</th><th>type</th><th>owner</th><th>system</th><th>depends on</th><th>where</th></tr></thead><tbody>
${shown.map((e) => html`<tr data-entity="${e.kind.toLowerCase()}:${e.name}"><td>${e.kind}</td><td><a href="${entityHref(e)}">${e.name}</a></td><td>${e.type}</td><td>${e.owner}</td><td>${e.system ?? ''}</td><td>${e.dependsOn.join(', ')}</td><td>${e.branch ? html`<span class="proposed">proposed on ${e.branch}</span>` : 'main'}</td></tr>`)}
</tbody></table>
<nav class="pages">${pageNo > 1 ? html`<a href="${link(pageNo - 1)}">previous</a>` : ''} ${pageNo < pages ? html`<a href="${link(pageNo + 1)}">next</a>` : ''}</nav>`;
}

export function entityHref(e: CatalogEntity): string {
  return e.service ? `/services/${e.service}` : `/entities/${e.kind.toLowerCase()}/${e.name}`;
}

export function entityPage(view: PortalView, e: CatalogEntity, check?: PlatformCheck): Html {
  const unit = view.state.units.find((u) => u.name === e.name);
  const mine = check?.report.findings.filter((f) => f.source?.component === e.name && f.severity !== 'info') ?? [];
  return html`<dl class="facts"><dt>kind</dt><dd>${e.kind}</dd><dt>type</dt><dd>${e.type}</dd><dt>owner</dt><dd>${e.owner}</dd>${e.system ? html`<dt>system</dt><dd>${e.system}</dd>` : ''}
<dt>description</dt><dd>${e.description}</dd><dt>depends on</dt><dd>${e.dependsOn.join(', ') || '–'}</dd><dt>links</dt><dd>${e.links.map((l) => html`<a href="${l.url}" rel="noreferrer">${l.title}</a> `)}</dd>
${unit ? html`<dt>tier</dt><dd>${unit.tier} (${TIERS[unit.tier].title})</dd><dt>namespace</dt><dd>${unit.namespace}</dd><dt>source</dt><dd>${unit.chart ? `${unit.chart.repoUrl} ${unit.chart.chart} ${unit.chart.version}` : '–'}</dd>` : ''}
<dt>descriptor</dt><dd><code>${e.file}</code></dd></dl>
${check ? html`<h2>plinth check</h2>${findingsTable(mine, 'no error or warning')}` : ''}`;
}

/**
 * A file as the portal shows it: YAML and JSON with every Secret's values
 * hidden, Markdown as it is, anything else not shown (it could hold anything).
 */
export function redactedFile(path: string, text: string): string {
  if (path.endsWith('.md')) return text;
  if (!/\.(ya?ml|json)$/.test(path)) return '(not shown: the portal displays YAML, JSON and Markdown files only)';
  if (!text.includes('Secret')) return text;
  let objects: K8sObject[];
  try {
    objects = parseYamlStream(text) as K8sObject[];
  } catch {
    return '(not shown: the file mentions a Secret and is not valid YAML or JSON)';
  }
  if (!objects.some((o) => o?.kind === 'Secret')) return text;
  const hide = (m: unknown) => (m && typeof m === 'object' ? Object.fromEntries(Object.keys(m).map((k) => [k, '(hidden)'])) : m);
  return toYamlStream(objects.map((o) => (o?.kind === 'Secret' ? { ...o, ...('data' in o ? { data: hide(o.data) } : {}), ...('stringData' in o ? { stringData: hide(o.stringData) } : {}) } : o)));
}

// eslint-disable-next-line complexity -- one HTML page of a service: the count is its conditional parts (proposed or merged, image, route, golden-path record and newer version, symlinks, policy results or progress)
export function servicePage(view: PortalView, s: ServiceView, check?: PlatformCheck, checkJob?: string): Html {
  const key = `${s.team}/${s.name}`;
  const mine = check?.report.findings.filter((f) => f.source?.component === key) ?? [];
  const policy = mine.filter((f) => f.check === 'policy');
  const files = [...s.files.keys()].sort();
  const template = s.record ? TEMPLATES.find((t) => t.name === s.record!.template) : undefined;
  const newest = template?.versions.at(-1)?.version;
  return html`<dl class="facts"><dt>team</dt><dd>${s.team}</dd><dt>where</dt><dd>${s.branch ? html`<span class="proposed">proposed on branch <code>${s.branch}</code></span>` : `on ${view.snap.baseCommit.slice(0, 12)}`}</dd>
<dt>image</dt><dd class="image">${s.images.join(', ') || '–'}</dd><dt>route</dt><dd>${s.hosts.length > 0 ? s.hosts.map((h) => html`<a href="https://${h}" rel="noreferrer">https://${h}</a> `) : 'not exposed'}</dd>
<dt>objects</dt><dd>${s.kinds.join(', ')}</dd>
<dt>golden path</dt><dd>${s.record ? `${s.record.template}@${s.record.version}${newest !== undefined && newest > s.record.version ? ` (newest: @${newest}; run plinth upgrade service ${key})` : ''}` : 'not written by a golden path'}</dd></dl>
${s.symlinks.length > 0 ? html`<p class="error" role="alert">Not read: ${s.symlinks.map((l) => `${l.path} is a symlink to ${l.target}${l.escapes ? ', outside the repository' : ''}`).join('; ')}.</p>` : ''}
<h2>Policy results</h2>
${s.branch ? html`<p>Checked when proposed; results here once merged into the base branch.</p>` : check ? findingsTable(policy, 'every platform policy passes') : progressBox(checkJob, 'plinth check running…')}
${check && !s.branch && mine.length > policy.length ? html`<h2>Other findings</h2>${findingsTable(mine.filter((f) => f.check !== 'policy'), '')}` : ''}
<h2>Files</h2>
<ul class="files">${files.map((p) => html`<li><a href="/services/${s.team}/${s.name}/file?path=${encodeURIComponent(p)}"><code>${p}</code></a></li>`)}</ul>`;
}

export function filePage(s: ServiceView, path: string): Html {
  return html`<p><a href="/services/${s.team}/${s.name}">${s.team}/${s.name}</a> · <code>${path}</code>${s.branch ? html` · <span class="proposed">on branch ${s.branch}</span>` : ''}</p>
<pre>${redactedFile(path, s.files.get(path)!)}</pre>`;
}

export function compliancePage(view: PortalView, check: PlatformCheck | undefined, jobId: string | undefined): Html {
  if (!check) return progressBox(jobId, `plinth check of ${view.snap.baseCommit.slice(0, 12)} running: rendering every chart, then every checker…`);
  const policy = check.report.findings.filter((f) => f.check === 'policy');
  const byComponent = new Map<string, Finding[]>();
  for (const f of policy) byComponent.set(f.source?.component ?? '(platform)', [...(byComponent.get(f.source?.component ?? '(platform)') ?? []), f]);
  const components = [...view.state.units.map((u) => u.name)].sort();
  const rows = new Map((check.policy ?? []).map((r) => [r.component, r]));
  return html`<h2>Policy results per component and service</h2>
<p>The platform's policies evaluated offline on the rendered objects (same CEL engine as the cluster); excepted: a documented PolicyException.</p>

<table class="compliance"><thead><tr><th>component or service</th><th>pass</th><th>fail</th><th>excepted</th><th>findings</th></tr></thead><tbody>
${// eslint-disable-next-line complexity -- one table row of HTML per component or service: its link, counts defaulting to 0, pass or fail
components.map((c) => {
  const fs = (byComponent.get(c) ?? []).filter((f) => f.severity !== 'info');
  const href = c.includes('/') ? `/services/${c}` : `/entities/${view.state.units.find((u) => u.name === c)!.workloads.length > 0 ? 'component' : 'resource'}/${c}`;
  const r = rows.get(c);
  return html`<tr class="${fs.length === 0 && (r?.fail ?? 0) === 0 ? 'pass' : 'fail'}"><td><a href="${href}">${c}</a></td><td>${r?.pass ?? 0}</td><td>${r?.fail ?? 0}</td><td>${r?.excepted ?? 0}</td><td>${fs.length === 0 ? 'none' : fs.map((f) => f.message.split(':')[0]).join(', ')}</td></tr>`;
})}</tbody></table>
<h2>All findings</h2>${findingsTable(check.report.findings.filter((f) => f.severity !== 'info'), 'no error or warning')}`;
}
