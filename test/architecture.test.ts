/**
 * The shape of the code (shared/STYLE.md): folders in layers with one
 * direction of dependency, no import cycle, the Kubernetes client only in the
 * cluster module and never in the offline `check`, the file system only in
 * the modules whose job is I/O, and nothing in dist/ that only tests use.
 * Imports are read with the TypeScript parser: static imports and
 * re-exports, `import type` included, and dynamic `import('...')`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { findCycle } from '../src/desired/graph.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'src');

const isTestOnlyName = (file: string) => /\.(test|bench)\.ts$/.test(file) || /(^|\/)test-[^/]*\.ts$/.test(file);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return p.endsWith('.ts') && !/\.(test|bench)\.ts$/.test(p) ? [relative(SRC, p)] : [];
  });
}

/** Non-test modules of src/, as paths relative to src/ (`checks/run.ts`). */
const files = sources(SRC);

interface Import {
  spec: string;
  /** Erased at run time: `import type`, or every name imported as a type. */
  typeOnly: boolean;
}

function isTypeOnly(node: ts.ImportDeclaration | ts.ExportDeclaration): boolean {
  if (ts.isExportDeclaration(node)) return node.isTypeOnly;
  const clause = node.importClause;
  if (!clause) return false;
  if (clause.isTypeOnly) return true;
  const named = clause.namedBindings;
  return !clause.name && named !== undefined && ts.isNamedImports(named) && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly);
}

const importCache = new Map<string, Import[]>();

function importsOf(file: string): Import[] {
  const cached = importCache.get(file);
  if (cached) return cached;
  const source = ts.createSourceFile(file, readFileSync(join(SRC, file), 'utf8'), ts.ScriptTarget.ES2022, true);
  const found: Import[] = [];
  const visit = (node: ts.Node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push({ spec: node.moduleSpecifier.text, typeOnly: isTypeOnly(node) });
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = node.arguments;
      if (arg && ts.isStringLiteralLike(arg)) found.push({ spec: arg.text, typeOnly: false });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  importCache.set(file, found);
  return found;
}

/** The module of src/ a relative import names (`../lib/yaml.js` → `lib/yaml.ts`); undefined for packages and data files. */
function target(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const to = relative(SRC, resolve(SRC, dirname(from), spec)).replace(/\.js$/, '.ts');
  return to.endsWith('.ts') ? to : undefined;
}

const folder = (file: string) => file.split('/')[0]!.replace(/\.ts$/, '');

/** Every module `entry` loads, following imports (type-only ones only when asked). */
function reachable(entry: string, { types }: { types: boolean }): Map<string, string[]> {
  const via = new Map<string, string[]>([[entry, [entry]]]);
  const queue = [entry];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    for (const i of importsOf(file)) {
      const to = target(file, i.spec);
      if (!to || (i.typeOnly && !types) || via.has(to)) continue;
      via.set(to, [...via.get(file)!, to]);
      queue.push(to);
    }
  }
  return via;
}

/**
 * The layers, from the bottom up: a folder imports only folders of lower
 * layers (and lib, the bottom), never one beside it or above it.
 */
const LAYERS: readonly (readonly string[])[] = [
  ['lib'], // helpers with no domain: YAML, canonical JSON, quantities, the error family
  ['config'], // plinth.yaml: its schema and loader
  ['model'], // the platform's words: units, tiers, pools, findings, Kubernetes object shapes
  ['policy', 'helm', 'cluster', 'secrets'], // engines at the edge of the model: admission policies, Helm and its chart cache, the Kubernetes API, sealing
  ['catalog'], // the components Plinth knows (their policies included)
  ['desired'], // the desired state of a platform from its config and the catalog
  ['synth', 'planner', 'mirror'], // from the desired state: GitOps files, the scheduling simulation, the chart mirror
  ['gitops', 'tenants'], // writing the synthesized repository; tenant services in it
  ['checks'], // every checker, offline
  ['report', 'images', 'golden', 'ops'], // findings rendered; image lists; golden paths; cluster operations (up, status, doctor, down)
  ['portal'], // the web portal over all of it
  ['cli'], // the commands, on top
];

const layerOf = new Map(LAYERS.flatMap((folders, i) => folders.map((f) => [f, i] as const)));

/**
 * The modules whose job is I/O, the only ones that import `node:fs`, each
 * with the reason; a folder (`cli/`) stands for every module in it.
 */
const FILE_SYSTEM: Record<string, string> = {
  'cli/': 'the commands read the files they are given and write what the user asked for',
  'config/load.ts': 'reads plinth.yaml',
  'cluster/kubeconfig.ts': 'reads the kubeconfig files',
  'gitops/writer.ts': 'the repository writer',
  'gitops/git.ts': 'commits the written repository with git',
  'gitops/lock.ts': 'the lock file that keeps two writers apart',
  'gitops/out-guard.ts': 'refuses an output folder that is not safe to write (symlinks, foreign files)',
  'gitops/survey.ts': 'lists what the output folder holds before writing',
  'gitops/swap.ts': 'replaces the written files in one rename',
  'helm/cache.ts': 'the chart cache',
  'helm/archive.ts': 'reads packaged charts (.tgz) of the cache',
  'helm/manifests.ts': 'reads plain manifests of the cache',
  'helm/pull.ts': 'fills the chart cache (`plinth charts pull`)',
  'helm/binary.ts': 'finds, unpacks and runs the Helm binary',
  'helm/template.ts': 'hands values files to `helm template`',
  'mirror/git-repos.ts': '`plinth charts serve`: the git repositories it serves',
  'mirror/helm-index.ts': '`plinth charts serve`: indexes the charts of the cache folder',
  'mirror/server.ts': '`plinth charts serve`: serves files of the cache folder',
  'ops/sealed-secrets.ts': 'keeps the sealing certificate fetched from the cluster',
  'ops/up/credentials.ts': 'writes the credentials file `plinth up` creates',
  'ops/vault/keys-file.ts': 'writes and reads the Vault unseal keys file',
  'policy/testing/files.ts': '`plinth policy test` reads the test cases of a suite folder',
  'secrets/out-file.ts': 'writes a sealed secret where the user asked',
};

const FS_MODULE = /^(node:)?fs(\/promises)?$/;

/**
 * Modules the build compiles that no command loads, each with the reason;
 * everything else in dist/ is reachable from the CLI.
 */
const NOT_FROM_THE_CLI: Record<string, string> = {
  'gitops/read.ts': 'reads a written repository back into units; a library API today used by test/plan.test.ts, meant for `check --repo` (issue 18, part 2)',
};

describe('architecture', () => {
  it('places every folder of src/ in one layer', () => {
    const folders = [...new Set(files.map(folder))].sort();
    expect(folders.filter((f) => !layerOf.has(f))).toEqual([]);
    expect([...layerOf.keys()].filter((f) => !folders.includes(f))).toEqual([]);
  });

  it('imports only from lower layers', () => {
    const wrong: string[] = [];
    for (const file of files) {
      const from = folder(file);
      for (const i of importsOf(file)) {
        const to = target(file, i.spec);
        if (!to || folder(to) === from || folder(to) === 'lib') continue;
        if (layerOf.get(folder(to))! >= layerOf.get(from)!) wrong.push(`${file} imports ${to} (${folder(to)} is not below ${from})`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('has no import cycle between modules', () => {
    const graph = new Map(files.map((f) => [f, importsOf(f).flatMap((i) => target(f, i.spec) ?? [])]));
    expect(findCycle(graph)).toBeUndefined();
  });

  it('imports the Kubernetes client only in src/cluster, and src/cluster only where a cluster is contacted', () => {
    const users = files.filter((f) => importsOf(f).some((i) => i.spec.startsWith('@kubernetes/client-node')));
    expect(users.length).toBeGreaterThan(0);
    expect(users.filter((f) => folder(f) !== 'cluster')).toEqual([]);
    const clusterUsers = new Set(files.filter((f) => folder(f) !== 'cluster' && importsOf(f).some((i) => folder(target(f, i.spec) ?? '') === 'cluster')).map(folder));
    expect([...clusterUsers].sort()).toEqual(['cli', 'ops', 'portal']);
  });

  it('never loads the Kubernetes client in the offline `check`', () => {
    // From the command module: what `plinth check` itself needs, at run time (type-only imports are erased).
    const graph = reachable('cli/commands/check.ts', { types: false });
    expect(graph.has('checks/run.ts')).toBe(true);
    const loading = [...graph].filter(([f]) => importsOf(f).some((i) => !i.typeOnly && i.spec.startsWith('@kubernetes/client-node'))).map(([, path]) => path.join(' > '));
    expect(loading).toEqual([]);
    expect([...graph.keys()].filter((f) => folder(f) === 'cluster')).toEqual([]);
  });

  it('touches the file system only in the modules whose job is I/O', () => {
    const allowed = (f: string) => Object.keys(FILE_SYSTEM).some((k) => (k.endsWith('/') ? f.startsWith(k) : f === k));
    const users = files.filter((f) => importsOf(f).some((i) => FS_MODULE.test(i.spec)));
    expect(users.filter((f) => !allowed(f))).toEqual([]);
    // Every allowance is used: none outlives the code it was for.
    expect(Object.keys(FILE_SYSTEM).filter((k) => !users.some((f) => (k.endsWith('/') ? f.startsWith(k) : f === k)))).toEqual([]);
  });

  it('builds into dist/ only what the CLI loads, never a test helper', () => {
    const config = ts.getParsedCommandLineOfConfigFile(join(ROOT, 'tsconfig.build.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(String(d.messageText)); } })!;
    const built = config.fileNames.filter((f) => f.endsWith('.ts')).map((f) => relative(SRC, f));
    expect(built.filter(isTestOnlyName)).toEqual([]);
    const fromCli = reachable('cli/main.ts', { types: true });
    expect(built.filter((f) => !fromCli.has(f) && !(f in NOT_FROM_THE_CLI))).toEqual([]);
    expect(Object.keys(NOT_FROM_THE_CLI).filter((f) => fromCli.has(f) || !built.includes(f))).toEqual([]);
  });
});
