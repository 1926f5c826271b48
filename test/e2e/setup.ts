/**
 * vitest globalSetup of the e2e suite: kills what a crashed earlier run left
 * running, and fails at once, naming the build command, when the Go-built
 * components are missing. Each test file starts its own cluster
 * (harness/cluster.ts), so files cannot disturb one another.
 *
 * It also provides the run's agreement results file (agreement/figures.ts); its
 * teardown prints the figures the agreement tests recorded and fails the run when
 * one of the edge platform's is below 100%.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { locateBinaries } from '../../scripts/e2e/cache.js';
import { failingFigures, figureLine, FIGURES_KEY, readFigures } from './agreement/figures.js';
import { reapStaleRuns } from './harness/procs.js';

export default function setup(project: TestProject): () => void {
  const reaped = reapStaleRuns();
  if (reaped.length) console.log(`e2e: killed processes a crashed earlier run left: ${reaped.join(', ')}`);
  locateBinaries();
  const dir = mkdtempSync(join(tmpdir(), 'plinth-e2e-figures-'));
  const file = join(dir, 'agreement.jsonl');
  project.provide(FIGURES_KEY, file);
  return () => {
    const figures = readFigures(file);
    rmSync(dir, { recursive: true, force: true });
    if (figures.length === 0) return;
    console.log(`\nAgreement with the real components:\n${figures.map((f) => `  ${figureLine(f)}`).join('\n')}\n`);
    const failing = failingFigures(figures);
    if (failing.length > 0) throw new Error(`agreement below 100% on the edge platform: ${failing.map(figureLine).join('; ')}`);
  };
}
