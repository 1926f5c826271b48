/**
 * What one chart's templates read from `.Values`: the paths they name, the
 * maps they emit whole, and the maps whose keys a `range` reads only by prefix.
 * Comments are ignored; a map hashed into a checksum
 * (`sha256sum (toYaml .Values.agent)`) is read, not emitted.
 */

/** A values path as one string; keys may contain dots (`grafana.ini`), so they are joined with a separator no key has. */
export function pathKey(path: readonly string[]): string {
  return path.join('\u0001');
}

export interface TemplateReads {
  /** Paths the templates name (`.Values.a.b`, `index .Values "a" "b"`, `dig "b" "c" "" .Values.a`), as `pathKey`s. */
  templatePaths: Set<string>;
  /** Maps the templates emit whole (toYaml, toJson, tpl, range over their keys, `with` + `toYaml .`). */
  wholeMaps: Set<string>;
  /** Maps a `range` reads only the keys of that start with a prefix (`hasPrefix "ignorePolicy" $k`). */
  keyPrefixes: Map<string, string[]>;
}

export function emptyReads(): TemplateReads {
  return { templatePaths: new Set(), wholeMaps: new Set(), keyPrefixes: new Map() };
}

const PATH = '((?:\\.[A-Za-z_][A-Za-z0-9_]*)+)';
const KEYS = '((?:\\s+"[^"]+")+)';
/** `.Values.a.b`; under `index .Values.a "b"` only the full path counts (INDEX_REF). */
const VALUES_REF = new RegExp(`(?<!index\\s+\\$?)\\$?\\.Values${PATH}`, 'g');
/** `index .Values "a" "b"`, and `(index .Values "a").b.c`. */
const INDEX_REF = new RegExp(`index\\s+\\$?\\.Values${PATH}?${KEYS}(?:\\s*\\)${PATH})?`, 'g');
/** `dig "b" "c" <default> .Values.a` reads a.b.c. */
const DIG_REF = new RegExp(`dig${KEYS}\\s+(?:"[^"]*"|\\([^)]*\\)|[^\\s"()]+)\\s+\\$?\\.Values${PATH}`, 'g');
/** `hasKey .Values.a "b"`, `get .Values.a "b"` read a.b. */
const KEY_REF = new RegExp(`(?:hasKey|get)\\s+\\$?\\.Values${PATH}\\s+"([^"]+)"`, 'g');
const ACTION = /\{\{-?([\s\S]*?)-?\}\}/g;
const COMMENT = /\{\{-?\s*\/\*[\s\S]*?\*\/\s*-?\}\}/g;
/** Functions that write the map they are given into the output. */
const EMITS = /\b(?:toYaml|toJson|toPrettyJson|toRawJson|tpl)\b/;
const CHECKSUM = /\b(?:sha256sum|sha1sum|adler32sum)\b/;
const RANGE = /^\s*range\s+(?:(\$\w+)\s*,\s*)?(?:\$\w+\s*:=\s*)?([\s\S]*)$/;
const ASSIGN = /^\s*(\$\w+)\s*:?=\s*([\s\S]*)$/;
/** An expression that is (a copy of) the values it names: `.Values.x`, `omit .Values.x "a"`, `merge $a .Values.b`. */
const SAME_MAP = /^[\s(]*(?:\$|\.Values\b|(?:index|omit|merge|mergeOverwrite|mustMerge|mustMergeOverwrite|deepCopy|mustDeepCopy|pick|default)\b)/;
/** `.Values` itself (the whole tree), not one of its keys. */
const VALUES_ROOT = /\.Values(?![.\w])/;
/** `hasKey $var "k"`, `get $var "k"`: read the key k of the map the variable holds. */
const VAR_KEY_REF = /(?:hasKey|get)\s+\$(\w+)((?:\.[A-Za-z_][A-Za-z0-9_]*)*)\s+"([^"]+)"/g;
const VAR_REF = /\$(\w+)((?:\.[A-Za-z_][A-Za-z0-9_]*)*)/g;
/** `{{ with .Values.x }} ... toYaml . ... {{ end }}`: the block renders the whole map. */
const WITH_BLOCK = new RegExp(`with\\s+\\$?\\.Values${PATH}\\s*-?\\}\\}([\\s\\S]*?)\\{\\{-?\\s*end`, 'g');
const TO_YAML_DOT = /toYaml\s+\.(?=[\s)|}])/;

const dotted = (ref: string | undefined): string[] => (ref ? ref.slice(1).split('.') : []);
const quoted = (keys: string): string[] => [...keys.matchAll(/"([^"]+)"/g)].map((m) => m[1]!);

/** Every `.Values` path named in a piece of template text. */
function namedPaths(text: string): string[][] {
  const out: string[][] = [];
  for (const m of text.matchAll(INDEX_REF)) out.push([...dotted(m[1]), ...quoted(m[2]!), ...dotted(m[3])]);
  for (const m of text.matchAll(VALUES_REF)) out.push(dotted(m[1]));
  return out;
}

/**
 * The values paths an expression carries: those it names, and those of the
 * variables it uses (`$config.a`). The whole tree (`omit .Values "x"`, the
 * empty path) is carried too: a chart copying `.Values` into a variable and
 * emitting it (Kiali's config) emits every key.
 */
function carried(expr: string, vars: ReadonlyMap<string, string[][]>): string[][] {
  const out = namedPaths(expr);
  if (VALUES_ROOT.test(expr)) out.push([]);
  for (const m of expr.matchAll(VAR_REF)) for (const p of vars.get(m[1]!) ?? []) out.push([...p, ...dotted(m[2])]);
  return out;
}

/**
 * Adds what one template file reads to `reads`. Variables are followed
 * within the file (`$config := omit .Values.configs.params "create"`, then
 * `range $k, $v := $config`): a map emitted through a variable is emitted.
 */
export function scanTemplate(text: string, reads: TemplateReads): void {
  const body = text.replace(COMMENT, '');
  for (const p of namedPaths(body)) reads.templatePaths.add(pathKey(p));
  for (const m of body.matchAll(DIG_REF)) reads.templatePaths.add(pathKey([...dotted(m[2]), ...quoted(m[1]!)]));
  for (const m of body.matchAll(KEY_REF)) reads.templatePaths.add(pathKey([...dotted(m[1]), m[2]!]));

  const vars = new Map<string, string[][]>();
  for (const a of body.matchAll(ACTION)) {
    const action = a[1]!;
    // Keys read through a variable holding (a copy of) values: `$values.priorityClassName`, `hasKey $values "x"`.
    for (const m of action.matchAll(VAR_REF)) {
      if (!m[2]) continue;
      for (const p of vars.get(m[1]!) ?? []) reads.templatePaths.add(pathKey([...p, ...dotted(m[2])]));
    }
    for (const m of action.matchAll(VAR_KEY_REF)) for (const p of vars.get(m[1]!) ?? []) reads.templatePaths.add(pathKey([...p, ...dotted(m[2]), m[3]!]));
    const assign = ASSIGN.exec(action);
    if (assign && SAME_MAP.test(assign[2]!)) vars.set(assign[1]!.slice(1), [...(vars.get(assign[1]!.slice(1)) ?? []), ...carried(assign[2]!, vars)]);
    const range = RANGE.exec(action);
    if (range && SAME_MAP.test(range[2]!)) {
      for (const p of carried(range[2]!, vars).filter((x) => x.length > 0)) addRange(reads, p, range[1], body.slice(a.index! + a[0].length));
      continue;
    }
    if (!EMITS.test(action) || CHECKSUM.test(action)) continue;
    for (const p of carried(assign ? assign[2]! : action, vars)) reads.wholeMaps.add(pathKey(p));
  }
  for (const m of body.matchAll(WITH_BLOCK)) if (TO_YAML_DOT.test(m[2]!)) reads.wholeMaps.add(pathKey(dotted(m[1])));
}

/**
 * A `range` over a map reads all its keys, unless the loop body (up to its
 * first `end`) only keeps keys with a prefix: `if hasPrefix "ignorePolicy" $k`.
 */
function addRange(reads: TemplateReads, path: string[], keyVar: string | undefined, after: string): void {
  const key = pathKey(path);
  const body = after.slice(0, Math.max(0, after.search(/\{\{-?\s*end\b/)));
  const prefixes = keyVar ? [...body.matchAll(/hasPrefix\s+"([^"]+)"\s+(\$\w+)/g)].filter((m) => m[2] === keyVar).map((m) => m[1]!) : [];
  if (prefixes.length === 0) {
    reads.wholeMaps.add(key);
    return;
  }
  reads.keyPrefixes.set(key, [...new Set([...(reads.keyPrefixes.get(key) ?? []), ...prefixes])].sort());
}
