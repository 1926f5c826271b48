/** The scaffolder: one form per golden path, validated on the server exactly as the CLI validates. */
import type { GoldenTemplate } from '../golden/index.js';
import type { Platform } from '../model/platform.js';
import { html, type Html } from './html.js';

export function templatesPage(templates: readonly GoldenTemplate[]): Html {
  return html`<ul class="templates">${templates.map(
    (t) => html`<li><a href="/new/${t.name}"><strong>${t.title}</strong></a> <code>${t.name}@${t.versions.at(-1)!.version}</code><p>${t.description}</p>
<details><summary>versions</summary><ul>${t.versions.map((v) => html`<li>@${v.version}: ${v.notes}</li>`)}</ul></details></li>`,
  )}</ul>`;
}

export function scaffoldPage(t: GoldenTemplate, platform: Platform): Html {
  const newest = t.versions.at(-1)!.version;
  // eslint-disable-next-line complexity -- one form field of HTML per parameter type (team select, checkbox, secrets textarea, text input), with its optional default and required mark
  const field = (p: GoldenTemplate['params'][number]) => {
    if (p.since !== undefined && p.since > newest) return '';
    const id = `f-${p.name}`;
    const input =
      p.name === 'team'
        ? html`<select id="${id}" name="${p.name}" required>${platform.teams.map((team) => html`<option>${team.name}</option>`)}</select>`
        : p.type === 'boolean'
          ? html`<input id="${id}" name="${p.name}" type="checkbox"${p.default === true ? html` checked` : ''}>`
          : p.type === 'secrets'
            ? html`<textarea id="${id}" name="${p.name}" rows="3" placeholder="DB_PASSWORD=vault/apps/${platform.teams[0]?.name ?? 'team'}/${'service'}#password"></textarea>`
            : html`<input id="${id}" name="${p.name}" type="text"${p.default !== undefined ? html` value="${String(p.default)}"` : ''}${p.required ? html` required` : ''} autocomplete="off">`;
    return html`<div class="field"><label for="${id}">${p.label}</label>${input}<small>${p.help}</small><p class="field-error" data-error-for="${p.name}" role="alert"></p></div>`;
  };
  return html`<p>${t.description}. Golden path <code>${t.name}@${newest}</code>: checked with <code>plinth check</code> before anything is committed; the commit goes on a new branch, with you as the author.</p>
<form id="scaffold" data-template="${t.name}" novalidate>${t.params.map(field)}
<p class="field-error" data-error-for="template" role="alert"></p>
<button type="submit" id="check-button">Check</button></form>
<section id="result" hidden>
<div class="progress" id="scaffold-progress" hidden><span class="spinner" aria-hidden="true"></span> <span class="progress-text"></span> <span class="elapsed"></span></div>
<ol id="steps"></ol>
<div id="verdict" role="status"></div>
<h2>Findings about this service</h2><div id="findings"></div>
<h2>Diff</h2><pre id="diff"></pre>
<button type="button" id="commit-button" hidden>Commit</button>
<p id="committed" role="status"></p>
</section>`;
}
