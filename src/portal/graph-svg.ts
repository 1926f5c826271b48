/** The dependency graph as a picture: one column per sync wave, an arrow from each unit to what it needs first. */
import type { Unit } from '../model/unit.js';
import { esc } from './html.js';

const COL = 210;
const ROW = 34;
const BOX_W = 170;
const BOX_H = 24;
const PAD = 24;

const STACK_COLOURS: Record<string, string> = { core: '#2563eb', networking: '#0d9488', security: '#b91c1c', observability: '#d97706', cicd: '#7c3aed', storage: '#475569', portal: '#db2777', apps: '#64748b' };

export function dependencyGraphSvg(units: readonly Unit[]): string {
  const platform = units.filter((u) => u.stack !== 'apps');
  const waves = [...new Set(platform.map((u) => u.wave))].sort((a, b) => a - b);
  const pos = new Map<string, { x: number; y: number }>();
  let maxRows = 0;
  for (const [ci, w] of waves.entries()) {
    const col = platform.filter((u) => u.wave === w).sort((a, b) => (a.name < b.name ? -1 : 1));
    maxRows = Math.max(maxRows, col.length);
    col.forEach((u, ri) => pos.set(u.name, { x: PAD + ci * COL, y: PAD + 30 + ri * ROW }));
  }
  const width = PAD * 2 + waves.length * COL;
  const height = PAD * 2 + 30 + maxRows * ROW;
  const out: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" role="img" aria-label="dependency graph">`];
  out.push('<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0L10,5L0,10z" fill="#94a3b8"/></marker></defs>');
  waves.forEach((w, ci) => out.push(`<text x="${PAD + ci * COL}" y="${PAD + 12}" font-size="12" font-weight="bold" fill="#334155">wave ${w}</text>`));
  for (const u of platform) {
    const to = pos.get(u.name)!;
    for (const d of u.dependsOn) {
      const from = pos.get(d);
      if (!from) continue;
      out.push(`<line x1="${from.x + BOX_W}" y1="${from.y + BOX_H / 2}" x2="${to.x}" y2="${to.y + BOX_H / 2}" stroke="#cbd5e1" stroke-width="1" marker-end="url(#arrow)"><title>${esc(`${u.name} needs ${d}`)}</title></line>`);
    }
  }
  for (const u of platform) {
    const p = pos.get(u.name)!;
    const colour = STACK_COLOURS[u.stack] ?? '#64748b';
    out.push(
      `<g><title>${esc(`${u.name} (${u.stack}, tier ${u.tier}, wave ${u.wave}); needs: ${u.dependsOn.join(', ') || 'nothing'}`)}</title><rect x="${p.x}" y="${p.y}" width="${BOX_W}" height="${BOX_H}" rx="4" fill="#ffffff" stroke="${colour}" stroke-width="2"/><text x="${p.x + 8}" y="${p.y + 16}" font-size="11" fill="#0f172a">${esc(u.name)}</text></g>`,
    );
  }
  out.push('</svg>');
  return out.join('\n');
}
