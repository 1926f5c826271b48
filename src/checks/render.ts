/**
 * Render checker: every enabled component rendered for real (Helm with the
 * generated values and the chart cache; upstream manifests from the cache).
 * A failure shows Helm's own message, per component.
 */
import { availableParallelism } from 'node:os';
import { ChartCacheError } from '../lib/errors.js';
import { HelmError, renderUnit, servedApiVersions, type RenderedUnit, type RenderOptions } from '../helm/index.js';
import type { Unit } from '../model/unit.js';
import type { Finding } from './finding.js';

export interface RenderOutcome {
  rendered: RenderedUnit[];
  findings: Finding[];
}

export async function renderForChecks(units: readonly Unit[], opts: RenderOptions & { concurrency?: number }): Promise<RenderOutcome> {
  const apiVersions = servedApiVersions(units);
  const rendered: RenderedUnit[] = [];
  const findings: Finding[] = [];
  const queue = units.filter((u) => u.chart || u.git);
  let next = 0;
  const worker = async () => {
    while (next < queue.length) {
      const unit = queue[next++]!;
      try {
        rendered.push(await renderUnit(unit, { ...opts, apiVersions }));
      } catch (e) {
        if (!(e instanceof HelmError) && !(e instanceof ChartCacheError)) throw e;
        findings.push({
          check: 'render',
          severity: 'error',
          source: { component: unit.name },
          message: e instanceof HelmError ? e.stderr.trim() || e.message : e.message,
          hint: e instanceof HelmError ? 'the values Plinth generated (plus your overrides) do not render; fix the override or the component' : 'fill the chart cache',
        });
      }
    }
  };
  // As many Helm processes as the machine has cores: Helm's rendering is the floor of check.
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? availableParallelism()) }, worker));
  rendered.sort((a, b) => units.indexOf(a.unit) - units.indexOf(b.unit));
  return { rendered, findings };
}
