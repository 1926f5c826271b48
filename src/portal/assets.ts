/** The portal's stylesheet and script, served by the portal itself (no CDN). The script builds DOM with textContent only. */

export const APP_CSS = `
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#0f172a;background:#f8fafc}
header{display:flex;align-items:center;gap:16px;padding:10px 20px;background:#0f172a;color:#e2e8f0}header a{color:#e2e8f0;text-decoration:none}
.brand{font-weight:700;font-size:16px}.platform{color:#94a3b8}nav a{margin-right:12px;padding:4px 6px;border-radius:4px}nav a.active{background:#334155}
.logout{margin-left:auto;display:flex;gap:8px;align-items:center}.logout button{background:#334155;color:#e2e8f0;border:0;padding:4px 10px;border-radius:4px;cursor:pointer}
main{padding:16px 24px;max-width:1400px}h1{font-size:22px;margin:8px 0 16px}h2{font-size:16px;margin:20px 0 8px}
table{border-collapse:collapse;width:100%;background:#fff;margin-bottom:12px}th,td{border-bottom:1px solid #e2e8f0;padding:5px 8px;text-align:left;vertical-align:top}th{background:#f1f5f9;font-weight:600}
.cards{display:flex;gap:12px;flex-wrap:wrap}.card{background:#fff;border:1px solid #e2e8f0;border-radius:6px;padding:12px 16px;min-width:180px}.big{font-size:26px;font-weight:700}
.error{color:#b91c1c;background:#fef2f2;border:1px solid #fecaca;padding:8px 12px;border-radius:4px}.ok{color:#166534}.note{color:#475569}
.sev-error td:first-child{color:#b91c1c;font-weight:600}.sev-warning td:first-child{color:#b45309;font-weight:600}.hint{color:#475569;font-size:12px}
.proposed{background:#fef3c7;padding:1px 6px;border-radius:3px}tr.fail td:first-child{border-left:3px solid #dc2626}tr.pass td:first-child{border-left:3px solid #16a34a}
.health-healthy{color:#166534}.health-degraded,.health-missing{color:#b91c1c}.health-progressing{color:#b45309}
form.filter{display:flex;gap:12px;align-items:end;margin-bottom:8px}.field{margin-bottom:12px;max-width:640px}.field label{display:block;font-weight:600}
.field input[type=text],.field select,.field textarea{width:100%;padding:6px;border:1px solid #cbd5e1;border-radius:4px;font:inherit}.field small{color:#64748b}
.field-error{color:#b91c1c;margin:2px 0 0;min-height:0}.field-error:empty{display:none}button{padding:6px 14px;border-radius:4px;border:1px solid #1d4ed8;background:#2563eb;color:#fff;cursor:pointer}
pre{background:#0f172a;color:#e2e8f0;padding:10px;overflow:auto;max-height:480px;font-size:12px}dl.facts{display:grid;grid-template-columns:140px 1fr;gap:4px 12px}dt{font-weight:600;color:#475569}
.spinner{display:inline-block;width:12px;height:12px;border:2px solid #cbd5e1;border-top-color:#2563eb;border-radius:50%;animation:spin 1s linear infinite}@keyframes spin{to{transform:rotate(360deg)}}
.progress{background:#eff6ff;border:1px solid #bfdbfe;padding:8px 12px;border-radius:4px}.scenario img,.graph img{max-width:100%;background:#fff;border:1px solid #e2e8f0}
body.login main{max-width:420px;margin:80px auto;background:#fff;padding:24px;border:1px solid #e2e8f0;border-radius:8px}body.login input{width:100%;padding:8px;margin:6px 0 12px}
`;

export const APP_JS = String.raw`
'use strict';
const csrf = () => document.querySelector('meta[name="csrf-token"]').content;
const el = (tag, text, cls) => { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e; };
const seconds = (ms) => (ms / 1000).toFixed(0) + ' s';

function follow(jobId, box, onStep, onEnd) {
  const text = box.querySelector('.progress-text');
  const elapsed = box.querySelector('.elapsed');
  box.hidden = false;
  const events = new EventSource('/api/jobs/' + encodeURIComponent(jobId) + '/events');
  events.addEventListener('step', (m) => { const d = JSON.parse(m.data); text.textContent = d.text; elapsed.textContent = seconds(d.elapsedMs); if (onStep) onStep(d); });
  events.addEventListener('tick', (m) => { elapsed.textContent = seconds(JSON.parse(m.data).elapsedMs); });
  const end = (ok, m) => { events.close(); box.querySelector('.spinner')?.remove(); if (!ok) text.textContent = 'failed: ' + (m && m.data ? JSON.parse(m.data).text : ''); onEnd(ok); };
  events.addEventListener('done', () => end(true));
  events.addEventListener('failed', (m) => end(false, m));
}

async function api(path, body) {
  const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf() }, body: JSON.stringify(body ?? {}), credentials: 'same-origin' });
  let data = {};
  try { data = await res.json(); } catch (e) { data = { error: res.statusText }; }
  return { status: res.status, data };
}

function findingsTable(findings) {
  if (findings.length === 0) return el('p', 'no finding about this service: it meets every platform policy', 'ok');
  const t = el('table'); t.className = 'findings';
  const head = t.createTHead().insertRow();
  for (const h of ['severity', 'check', 'object', 'message']) head.appendChild(el('th', h));
  const body = t.createTBody();
  for (const f of findings) {
    const r = body.insertRow(); r.className = 'sev-' + f.severity;
    r.appendChild(el('td', f.severity)); r.appendChild(el('td', f.check));
    r.appendChild(el('td', f.object ? f.object.kind + ' ' + (f.object.namespace ? f.object.namespace + '/' : '') + f.object.name : ''));
    const m = el('td', f.message); if (f.hint) m.appendChild(el('div', f.hint, 'hint')); r.appendChild(m);
  }
  return t;
}

function scaffold(form) {
  const result = document.getElementById('result');
  const progress = document.getElementById('scaffold-progress');
  const steps = document.getElementById('steps');
  const verdict = document.getElementById('verdict');
  const commit = document.getElementById('commit-button');
  let jobId;
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    for (const e of form.querySelectorAll('.field-error')) e.textContent = '';
    const values = {};
    for (const input of form.querySelectorAll('input, select, textarea')) {
      if (input.type === 'checkbox') values[input.name] = input.checked;
      else if (input.value.trim() !== '') values[input.name] = input.value;
    }
    const button = document.getElementById('check-button'); button.disabled = true;
    const { status, data } = await api('/api/proposals', { template: form.dataset.template, values });
    button.disabled = false;
    if (status === 422) {
      for (const p of data.problems) {
        const target = form.querySelector('[data-error-for="' + CSS.escape(p.field) + '"]') || form.querySelector('[data-error-for="template"]');
        target.textContent = (target.textContent ? target.textContent + ' ' : '') + p.message + (p.hint ? ' (' + p.hint + ')' : '');
      }
      return;
    }
    if (status !== 202) { verdict.textContent = data.error || ('error ' + status); result.hidden = false; return; }
    jobId = data.job; result.hidden = false; steps.textContent = ''; verdict.textContent = ''; commit.hidden = true;
    document.getElementById('findings').textContent = ''; document.getElementById('diff').textContent = ''; document.getElementById('committed').textContent = '';
    follow(jobId, progress, (d) => steps.appendChild(el('li', d.text + ' (' + seconds(d.elapsedMs) + ')')), async (ok) => {
      if (!ok) { verdict.textContent = 'The check could not run.'; return; }
      const res = await fetch('/api/jobs/' + encodeURIComponent(jobId), { credentials: 'same-origin' });
      const r = (await res.json()).result;
      if (r.status === 'invalid') { verdict.textContent = r.problems.map((p) => p.field + ': ' + p.message).join('; '); return; }
      if (r.status === 'unchanged') { verdict.textContent = r.message; return; }
      document.getElementById('findings').appendChild(findingsTable(r.own));
      document.getElementById('diff').textContent = r.diff;
      if (r.status === 'failed-check') {
        verdict.textContent = 'plinth check found ' + r.errors + ' error(s): nothing will be committed.'; verdict.className = 'error';
        for (const f of r.errors_list) document.getElementById('findings').appendChild(el('p', f.severity + ' ' + f.check + ': ' + f.message, 'error'));
        return;
      }
      verdict.textContent = 'plinth check: ' + r.errors + ' errors, ' + r.warnings + ' warnings. Ready to commit on branch ' + r.branch + '.'; verdict.className = 'ok';
      commit.textContent = 'Commit on branch ' + r.branch; commit.hidden = false;
    });
  });
  commit.addEventListener('click', async () => {
    commit.disabled = true;
    const { status, data } = await api('/api/jobs/' + encodeURIComponent(jobId) + '/commit');
    commit.disabled = false;
    const out = document.getElementById('committed');
    if (status !== 200) { out.textContent = data.error || ('error ' + status); out.className = 'error'; return; }
    commit.hidden = true; out.className = 'ok';
    out.textContent = 'Committed ' + data.commit.slice(0, 12) + ' on branch ' + data.branch + ' (author ' + data.author + '). ';
    const a = el('a', 'See it in the catalog'); a.href = data.service; out.appendChild(a);
  });
}

function reloadWhenDone(box) {
  if (!box.dataset.job) return;
  follow(box.dataset.job, box, null, (ok) => { if (ok) location.reload(); });
}

document.addEventListener('DOMContentLoaded', () => {
  const form = document.getElementById('scaffold');
  if (form) scaffold(form);
  for (const box of document.querySelectorAll('.progress[data-reload]')) reloadWhenDone(box);
});
`;
