/**
 * The simulation as a picture: per scenario, the nodes as columns, each with
 * a memory bar (labelled) and a CPU bar whose height is the node's
 * allocatable; pods stacked by request, coloured by tier. Failed nodes are
 * greyed out; pending pods are listed aside with the scheduler's reason.
 * Several scenarios make one picture, panels side by side.
 */
import { formatCpu, formatMemory } from '../lib/quantity.js';
import { TIERS, TIER_VALUES } from '../model/tiers.js';
import type { NodeReport, PendingPod, PlacedPod, ScenarioReport, SimulationReport } from './report.js';

export const TIER_COLOURS: Record<number, { fill: string; text: string }> = {
  0: { fill: '#475569', text: '#ffffff' },
  1: { fill: '#b91c1c', text: '#ffffff' },
  2: { fill: '#f59e0b', text: '#111827' },
  3: { fill: '#2563eb', text: '#ffffff' },
};

const COL_W = 200;
const MEM_W = 112;
const CPU_W = 40;
const BAR_H = 340;
const BAR_TOP = 92;
const PENDING_W = 360;
const PENDING_ROW = 40;
const HEAD_H = 62;
const PAD = 20;
const PER_ROW = 2;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Cuts text to what fits in `width` pixels at `size` (average glyph 0.58 em). */
function fit(text: string, width: number, size: number): string {
  const max = Math.max(1, Math.floor(width / (size * 0.58)));
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`;
}

function label(x: number, y: number, text: string, opts: { size?: number; weight?: string; fill?: string; anchor?: string } = {}): string {
  const attrs = [`x="${x}"`, `y="${y}"`, `font-size="${opts.size ?? 11}"`];
  if (opts.weight) attrs.push(`font-weight="${opts.weight}"`);
  if (opts.fill) attrs.push(`fill="${opts.fill}"`);
  if (opts.anchor) attrs.push(`text-anchor="${opts.anchor}"`);
  return `<text ${attrs.join(' ')}>${esc(text)}</text>`;
}

function podTitle(p: PlacedPod | PendingPod): string {
  const parts = [`${p.namespace}/${p.name}`, `${p.workload.kind} ${p.workload.name}, tier ${p.tier}, priority ${p.priority}`, `requests ${formatCpu(p.requests.cpu)} CPU, ${formatMemory(p.requests.memory)}`];
  if ('movedFrom' in p && p.movedFrom) parts.push(`moved from ${p.movedFrom}`);
  if ('reason' in p) parts.push(p.reason);
  return parts.join('\n');
}

/** One stacked bar: pods bottom-up, height by their share of `total`. */
function bar(x: number, width: number, pods: readonly PlacedPod[], measure: { value: (p: PlacedPod) => number; total: number; labelled: boolean }): string[] {
  const { value, total, labelled } = measure;
  const out = [`<rect x="${x}" y="${BAR_TOP}" width="${width}" height="${BAR_H}" fill="#f8fafc" stroke="#94a3b8"/>`];
  let y = BAR_TOP + BAR_H;
  for (const p of pods) {
    const h = total === 0 ? 0 : (value(p) / total) * BAR_H;
    if (h <= 0) continue;
    y -= h;
    const c = TIER_COLOURS[p.tier] ?? TIER_COLOURS[3]!;
    out.push(`<g><title>${esc(podTitle(p))}</title><rect x="${x}" y="${y.toFixed(2)}" width="${width}" height="${h.toFixed(2)}" fill="${c.fill}" stroke="#ffffff" stroke-width="0.75"/>`);
    if (labelled && h >= 11) out.push(label(x + 3, y + Math.min(h, 12) - 2.5, fit(`${p.movedFrom ? '» ' : ''}${p.name}`, width - 6, 9), { size: 9, fill: c.text }));
    out.push('</g>');
  }
  return out;
}

const pct = (used: number, total: number) => (total === 0 ? '' : ` (${Math.round((used / total) * 100)}%)`);

function nodeColumn(n: NodeReport, x: number): string[] {
  const out = [label(x, 64, fit(n.name, COL_W - 10, 13), { size: 13, weight: 'bold' }), label(x, 79, `${n.pool} · ${n.role}`, { size: 10, fill: '#475569' })];
  const cpuX = x + MEM_W + 10;
  if (n.failed) {
    out.push(
      `<rect x="${x}" y="${BAR_TOP}" width="${MEM_W + 10 + CPU_W}" height="${BAR_H}" fill="#e5e7eb" stroke="#6b7280" stroke-dasharray="6 4"/>`,
      label(x + (MEM_W + 10 + CPU_W) / 2, BAR_TOP + BAR_H / 2, 'FAILED', { size: 16, weight: 'bold', fill: '#6b7280', anchor: 'middle' }),
    );
    return out;
  }
  out.push(...bar(x, MEM_W, n.pods, { value: (p) => p.requests.memory, total: n.allocatable.memory, labelled: true }));
  out.push(...bar(cpuX, CPU_W, n.pods, { value: (p) => p.requests.cpu, total: n.allocatable.cpu, labelled: false }));
  out.push(label(x, BAR_TOP + BAR_H + 14, `mem ${formatMemory(n.requested.memory)} / ${formatMemory(n.allocatable.memory)}${pct(n.requested.memory, n.allocatable.memory)}`, { size: 10 }));
  out.push(label(x, BAR_TOP + BAR_H + 27, `cpu ${formatCpu(n.requested.cpu)} / ${formatCpu(n.allocatable.cpu)}${pct(n.requested.cpu, n.allocatable.cpu)}`, { size: 10 }));
  out.push(label(x + MEM_W / 2, BAR_TOP - 3, 'memory', { size: 9, fill: '#64748b', anchor: 'middle' }), label(cpuX + CPU_W / 2, BAR_TOP - 3, 'cpu', { size: 9, fill: '#64748b', anchor: 'middle' }));
  return out;
}

/** Splits text into at most `lines` lines that fit `width` (the last one cut). */
function wrap(text: string, width: number, size: number, lines: number): string[] {
  const max = Math.max(1, Math.floor(width / (size * 0.58)));
  const out: string[] = [];
  let rest = text;
  while (rest.length > 0 && out.length < lines - 1 && rest.length > max) {
    const cut = rest.lastIndexOf(' ', max);
    const at = cut > max / 3 ? cut : max;
    out.push(rest.slice(0, at));
    rest = rest.slice(at).trimStart();
  }
  if (rest.length > 0) out.push(fit(rest, width, size));
  return out;
}

/** The scheduler's reason without its preemption half and its `0/N nodes are available:` head. */
export function shortReason(reason: string): string {
  return reason.split(' preemption: ')[0]!.replace(/ no new claims to deallocate,$/, '').replace(/^0\/\d+ nodes are available: /, '').replace(/\.$/, '');
}

function pendingList(pending: readonly PendingPod[], x: number): string[] {
  const out = [label(x, 64, `Pending (${pending.length})`, { size: 13, weight: 'bold' })];
  if (pending.length === 0) out.push(label(x, BAR_TOP + 4, 'none', { size: 11, fill: '#475569' }));
  pending.forEach((p, i) => {
    const y = BAR_TOP + i * PENDING_ROW;
    const c = TIER_COLOURS[p.tier] ?? TIER_COLOURS[3]!;
    out.push(
      `<g><title>${esc(podTitle(p))}</title>`,
      `<rect x="${x}" y="${y}" width="12" height="12" fill="${c.fill}"/>`,
      label(x + 18, y + 10, fit(`${p.namespace}/${p.name}`, PENDING_W - 24, 11), { size: 11 }),
      ...wrap(shortReason(p.reason), PENDING_W - 24, 9, 2).map((line, j) => label(x + 18, y + 22 + j * 11, line, { size: 9, fill: '#475569' })),
      '</g>',
    );
  });
  return out;
}

function legend(y: number): string[] {
  const out: string[] = [];
  let x = 0;
  for (const t of TIER_VALUES) {
    const text = `tier ${t}: ${TIERS[t].title}`;
    out.push(`<rect x="${x}" y="${y - 10}" width="12" height="12" fill="${TIER_COLOURS[t]!.fill}"/>`, label(x + 16, y, text, { size: 11 }));
    x += 28 + text.length * 6.6;
  }
  out.push(label(0, y + 18, 'Bars: memory (labelled) and CPU requests per node; full height = the node\'s allocatable. » = moved here from a lost node. Hover a box for details.', { size: 11, fill: '#475569' }));
  return out;
}

export function panelSize(s: ScenarioReport): { width: number; height: number } {
  const listH = BAR_TOP + s.pending.length * PENDING_ROW;
  return { width: s.nodes.length * COL_W + PENDING_W, height: Math.max(BAR_TOP + BAR_H + 34, listH + 6) };
}

/** One scenario, drawn at the origin. */
export function scenarioPanel(s: ScenarioReport): string {
  const verdicts = s.tiers.map((t) => `tier ${t.tier} ${t.verdict}`).join(' · ');
  const out = [label(0, 18, `${s.name} — ${s.title}`, { size: 16, weight: 'bold' }), label(0, 36, verdicts, { size: 12, fill: '#334155' })];
  s.nodes.forEach((n, i) => out.push(...nodeColumn(n, i * COL_W)));
  out.push(...pendingList(s.pending, s.nodes.length * COL_W));
  return out.join('\n');
}

/** Every scenario of the report in one SVG document, two panels per row. */
export function simulationSvg(r: SimulationReport): string {
  const sizes = r.scenarios.map(panelSize);
  const width = Math.max(760, ...sizes.map((s) => s.width)) + PAD;
  const rows: number[] = [];
  for (let i = 0; i < r.scenarios.length; i += PER_ROW) rows.push(Math.max(...sizes.slice(i, i + PER_ROW).map((s) => s.height)));
  const cols = Math.min(PER_ROW, Math.max(1, r.scenarios.length));
  const totalW = PAD + cols * width;
  const totalH = PAD + HEAD_H + rows.reduce((a, h) => a + h + PAD, 0);
  const source = r.source === 'rendered' ? 'pods of the charts rendered by Helm' : 'pods from the budgets the components declare';
  const head = [label(0, 14, `Plinth scheduling simulation (${source}${r.includeJobs ? ', Jobs included' : ''})`, { size: 14, weight: 'bold' }), ...legend(36)];
  const panels = r.scenarios.map((s, i) => {
    const row = Math.floor(i / PER_ROW);
    const y = PAD + HEAD_H + rows.slice(0, row).reduce((a, h) => a + h + PAD, 0);
    const x = PAD + (i % PER_ROW) * width;
    return `<g transform="translate(${x},${y})">\n${scenarioPanel(s)}\n</g>`;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${totalW}" height="${totalH}" viewBox="0 0 ${totalW} ${totalH}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif">`,
    `<title>Plinth scheduling simulation: ${esc(r.scenarios.map((s) => s.name).join(', '))}</title>`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<g transform="translate(${PAD},${PAD})">\n${head.join('\n')}\n</g>`,
    ...panels,
    '</svg>',
    '',
  ].join('\n');
}
