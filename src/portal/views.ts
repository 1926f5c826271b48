/** The failure scenarios and the dependency graph as pictures, from the current view (rendered pods once the check has run). */
import type { PlatformCheck } from '../checks/platform.js';
import { podSources } from '../checks/run.js';
import { declaredInput, renderedInput } from '../planner/input.js';
import { standardScenarios } from '../planner/scenarios.js';
import { simulate } from '../planner/simulate.js';
import { simulationSvg } from '../planner/svg.js';
import type { SimulationReport } from '../planner/report.js';
import { dependencyGraphSvg } from './graph-svg.js';
import { html, type Html } from './html.js';
import type { PortalView } from './model.js';

export function scenarioReport(view: PortalView, check?: PlatformCheck): SimulationReport {
  const ctx = check?.report.context;
  const input = ctx ? renderedInput(view.state, podSources(ctx)) : declaredInput(view.state);
  return simulate(input, standardScenarios(input.nodes));
}

export function scenariosSvg(view: PortalView, check?: PlatformCheck): string {
  return simulationSvg(scenarioReport(view, check));
}

export function scenariosPage(view: PortalView, check: PlatformCheck | undefined, jobId: string | undefined): Html {
  const report = scenarioReport(view, check);
  return html`<p>Seed 001's failure table, proven by the planner: the platform's pods (${check ? 'as Helm renders them' : 'from the budgets the components declare, until plinth check has rendered the charts'}) scheduled as kube-scheduler would, healthy and with nodes lost. Tenant services included.</p>
${check ? '' : html`<div class="progress" data-job="${jobId ?? ''}" data-reload="1"><span class="spinner" aria-hidden="true"></span> <span class="progress-text">plinth check running; the picture will use the rendered pods</span> <span class="elapsed"></span></div>`}
<table class="scenarios"><thead><tr><th>scenario</th><th>state</th><th>lost nodes</th><th>tiers</th><th>pending pods</th></tr></thead><tbody>${report.scenarios.map(
    (s) => html`<tr><td>${s.title}</td><td>${s.kind}</td><td>${s.failed.join(', ') || '–'}</td><td>${s.tiers.map((t) => `tier ${t.tier}: ${t.verdict}`).join('; ')}</td><td>${s.pending.length}</td></tr>`,
  )}</tbody></table>
<figure class="scenario"><img src="/scenarios.svg?v=${view.version}-${check ? 1 : 0}" alt="failure scenarios: nodes, pods by tier, pending pods"></figure>`;
}

export function graphSvg(view: PortalView): string {
  return dependencyGraphSvg(view.state.units);
}

export function graphPage(view: PortalView): Html {
  return html`<p>Every platform component by sync wave; an arrow points from a component to one that needs it first (Argo CD syncs the waves in this order).</p>
<figure class="graph"><img src="/graph.svg?v=${view.version}" alt="dependency graph of the platform components"></figure>`;
}
