/**
 * The agreement figures of an e2e run: each agreement test records what it
 * measured (a name, agreeing and total counts) in the run's results file, whose
 * path the globalSetup (test/e2e/setup.ts) provides; the globalSetup's teardown
 * prints them at the end of the run and fails the run when an edge figure is
 * below 100%.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';

export const FIGURES_KEY = 'agreementFile';

declare module 'vitest' {
  export interface ProvidedContext {
    agreementFile: string;
  }
}

export interface Figure {
  /** `schema` or `scheduler`. */
  oracle: 'schema' | 'scheduler';
  /** The platform measured, e.g. `edge`. */
  platform: string;
  /** For the scheduler: the scenario (`green`, `lost:k3s-agent-0`). */
  scenario?: string;
  agree: number;
  total: number;
  /** What is counted: `objects` or `pods`. */
  unit: 'objects' | 'pods';
}

export function recordFigure(file: string, figure: Figure): void {
  appendFileSync(file, `${JSON.stringify(figure)}\n`);
}

export function readFigures(file: string): Figure[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Figure);
}

/** `schema: 712 of 712 objects agree (edge)`, `scheduler: 45 of 45 pods agree (edge, green)`. */
export function figureLine(f: Figure): string {
  const where = [f.platform, ...(f.scenario ? [f.scenario] : [])].join(', ');
  const pct = f.total === 0 ? 'n/a' : `${((100 * f.agree) / f.total).toFixed(1)}%`;
  return `${f.oracle}: ${f.agree} of ${f.total} ${f.unit} agree (${where}) ${pct}`;
}

/** Figures of the edge platform below 100% (or measuring nothing). */
export function failingFigures(figures: readonly Figure[]): Figure[] {
  return figures.filter((f) => f.platform === 'edge' && (f.total === 0 || f.agree < f.total));
}
