/**
 * The shape of the code (STYLE.md): one direction of dependency between
 * folders, no import cycles between modules, and only the cluster module
 * imports the Kubernetes client.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findCycle } from '../src/desired/graph.js';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'src');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });
}

const files = sources(SRC);
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+'([^']+)'|import\('([^']+)'\)/g;

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => m[1] ?? m[2]!);
}

const folder = (file: string) => relative(SRC, file).split('/')[0]!.replace(/\.ts$/, '');

/** What each folder may import (besides itself and lib). */
const ALLOWED: Record<string, string[]> = {
  lib: [],
  config: [],
  model: ['config'],
  catalog: ['model', 'config', 'policy'],
  desired: ['catalog', 'model', 'config'],
  synth: ['desired', 'model', 'catalog', 'config'],
  gitops: ['synth', 'model', 'desired'],
  helm: ['model', 'desired'],
  tenants: ['desired', 'model', 'catalog', 'synth'],
  planner: ['desired', 'model', 'helm', 'checks', 'config', 'catalog'],
  policy: ['model', 'config'],
  checks: ['desired', 'model', 'helm', 'synth', 'catalog', 'config', 'planner', 'tenants', 'policy', 'cluster', 'gitops', 'mirror'],
  report: ['checks', 'desired', 'model', 'planner', 'policy'],
  cluster: ['model', 'desired', 'config'],
  ops: ['cluster', 'desired', 'model', 'helm', 'synth', 'catalog', 'config', 'planner', 'checks', 'report', 'policy'],
  secrets: ['model'],
  mirror: ['helm', 'model', 'catalog', 'desired'],
  images: ['checks', 'desired', 'helm', 'model'],
  golden: ['tenants', 'desired', 'model', 'catalog', 'synth', 'checks', 'gitops', 'config'],
  portal: ['golden', 'gitops', 'checks', 'desired', 'model', 'catalog', 'synth', 'config', 'helm', 'planner', 'policy', 'report', 'tenants', 'cluster', 'ops'],
  cli: ['*'],
};

describe('architecture', () => {
  it('keeps dependencies between folders in one direction', () => {
    const wrong: string[] = [];
    for (const file of files) {
      const from = folder(file);
      for (const spec of importsOf(file)) {
        if (!spec.startsWith('.')) continue;
        const to = folder(resolve(dirname(file), spec));
        if (to === from || to === 'lib') continue;
        const allowed = ALLOWED[from] ?? [];
        if (!allowed.includes('*') && !allowed.includes(to)) wrong.push(`${relative(SRC, file)} imports ${to}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('has no import cycle between modules', () => {
    const graph = new Map<string, string[]>();
    for (const file of files) {
      const deps = importsOf(file)
        .filter((s) => s.startsWith('.'))
        .map((s) => relative(SRC, resolve(dirname(file), s)).replace(/\.js$/, '.ts'));
      graph.set(relative(SRC, file), deps);
    }
    expect(findCycle(graph)).toBeUndefined();
  });

  it('imports the Kubernetes client only in src/cluster', () => {
    const users = files.filter((f) => importsOf(f).some((s) => s === '@kubernetes/client-node')).map((f) => relative(SRC, f));
    expect(users.every((f) => f.startsWith('cluster/'))).toBe(true);
  });
});
