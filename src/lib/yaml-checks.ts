/**
 * Checks on the parsed YAML tree before it becomes data: aliases that make
 * the document contain itself, unresolved aliases, alias bombs, nesting past
 * the limit, numbers that are not finite, strings past the size cap and keys
 * that would change a JavaScript object's prototype. The walk stops at the
 * depth limit, so it never recurses deeper than that.
 */
import YAML, { type LineCounter } from 'yaml';
import type { ErrorDetail } from './errors.js';
import { formatBytes, LIMITS } from './input-limits.js';
import { type DataPath, formatPath } from './data-path.js';

type Node = YAML.Node | YAML.Pair | null | undefined;

/** Keys that set or shadow a prototype when used as an object key. */
export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

export function documentProblems(doc: YAML.Document, file: string, lineCounter: LineCounter): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  let aliases = 0;
  let aliasBomb = false;
  const ancestors = new Set<unknown>();
  const targets = aliasTargets(doc);
  /** The deepest depth at which each anchored collection was checked. */
  const checkedAt = new Map<unknown, number>();
  const problem = (node: Node, path: DataPath, message: string, hint: string) => {
    const offset = (node as { range?: [number, number, number] } | null | undefined)?.range?.[0];
    const pos = offset !== undefined ? lineCounter.linePos(offset) : undefined;
    problems.push({ file, line: pos?.line, column: pos?.col, path: path.length > 0 ? formatPath(path) : undefined, message, hint });
  };

  // eslint-disable-next-line complexity -- the walk's one decision per YAML node kind (alias: dangling, cyclic, over the budget, seen; collection: too deep; scalar), each ending in its own located problem; split, the alias rules would lose the walk's state they share
  const walk = (node: Node, path: DataPath, depth: number): void => {
    if (aliasBomb || problems.length >= 20) return;
    if (YAML.isAlias(node)) {
      const target = targets.get(node);
      if (!target) {
        problem(node, path, `the alias *${node.source} has no anchor &${node.source} before it; expected an alias of a value anchored earlier in the file`, `put &${node.source} on an earlier value, or write the value out here`);
        return;
      }
      if (ancestors.has(target)) {
        problem(node, path, `the alias *${node.source} refers to a value it is inside of, which makes the document contain itself; expected an alias of a value outside it`, 'write the repeated values out here instead of the alias');
        return;
      }
      if (++aliases > LIMITS.aliases) {
        aliasBomb = true;
        problem(node, path, aliasBombMessage(), 'write the repeated values out, or use fewer aliases');
        return;
      }
      // A value checked at this depth or deeper has nothing new to say here (and a cycle can only run through its own anchor).
      if ((checkedAt.get(target) ?? -1) >= depth) return;
      walk(target, path, depth);
      return;
    }
    if (YAML.isMap(node) || YAML.isSeq(node)) {
      if (depth + 1 > LIMITS.depth) {
        problem(node, path, `nested more than ${LIMITS.depth} levels deep; expected at most ${LIMITS.depth} levels of maps and lists`, 'flatten this value; no Plinth or Helm setting needs this depth');
        return;
      }
      if (node.anchor) checkedAt.set(node, Math.max(depth, checkedAt.get(node) ?? -1));
      ancestors.add(node);
      if (YAML.isSeq(node)) node.items.forEach((item, i) => walk(item as Node, [...path, i], depth + 1));
      else walkMap(node, path, depth + 1);
      ancestors.delete(node);
      return;
    }
    if (YAML.isScalar(node)) scalarProblems(node, path);
  };

  // Duplicate keys are found here with a Set: the yaml library's own check (uniqueKeys) compares every pair, quadratic in a wide map.
  const walkMap = (node: YAML.YAMLMap, path: DataPath, depth: number): void => {
    const seen = new Set<string>();
    for (const pair of node.items) {
      const key = YAML.isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (key !== undefined && seen.has(key)) problem(pair.key as Node, [...path, key], 'not valid YAML: Map keys must be unique', 'fix the YAML syntax first (indentation, quotes, a duplicated key)');
      if (key !== undefined) seen.add(key);
      walkPair(pair as YAML.Pair, path, depth);
    }
  };

  const walkPair = (pair: YAML.Pair, path: DataPath, depth: number): void => {
    const key = YAML.isScalar(pair.key) ? pair.key.value : pair.key;
    if (YAML.isScalar(pair.key) && typeof key === 'string' && key === '__proto__') {
      problem(pair.key, [...path, key], 'the key "__proto__" is reserved: it would change the prototype of a JavaScript object; expected another name', 'rename or remove this key');
      return;
    }
    if (YAML.isAlias(pair.key) || YAML.isCollection(pair.key)) walk(pair.key as Node, path, depth);
    walk(pair.value as Node, [...path, String(key)], depth);
  };

  const scalarProblems = (node: YAML.Scalar, path: DataPath): void => {
    const v = node.value;
    if (typeof v === 'number' && !Number.isFinite(v)) {
      problem(node, path, `got ${scalarText(node)}; expected a finite number`, 'write a number such as 3 or 0.5 (YAML reads .inf, .nan and numbers past 1.8e308 as not finite)');
    } else if (typeof v === 'string' && v.length > LIMITS.stringBytes / 4 && Buffer.byteLength(v) > LIMITS.stringBytes) {
      problem(node, path, `got a string of ${Buffer.byteLength(v)} bytes; expected at most ${formatBytes(LIMITS.stringBytes)} in one value`, `keep large content (dashboards, certificates, scripts) out of ${file.split('/').pop()}: a ConfigMap or a file the chart reads`);
    }
  };

  walk(doc.contents as Node, [], 0);
  return problems;
}

/**
 * What each alias refers to: the last anchor of its name before it, in one
 * pass (Alias.resolve visits the whole document for every alias).
 */
function aliasTargets(doc: YAML.Document): Map<YAML.Alias, YAML.Node | undefined> {
  const anchors = new Map<string, YAML.Node>();
  const targets = new Map<YAML.Alias, YAML.Node | undefined>();
  YAML.visit(doc, {
    Node(_key, node) {
      if (YAML.isAlias(node)) targets.set(node, anchors.get(node.source));
      else if (node.anchor) anchors.set(node.anchor, node);
    },
  });
  return targets;
}

export function aliasBombMessage(): string {
  return `more than ${LIMITS.aliases} alias expansions (*name) in the document; expected at most ${LIMITS.aliases}: aliases that expand this often are an alias bomb`;
}

/** A scalar as the file writes it (`1e309`, `.inf`), else its value. */
export function scalarText(node: YAML.Scalar): string {
  const source = (node as { source?: string }).source;
  if (typeof source === 'string' && source.length > 0 && source.length <= 60) return source;
  return renderNumber(node.value);
}

export function renderNumber(v: unknown): string {
  if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? '.nan' : v > 0 ? '.inf' : '-.inf';
  return String(v);
}
