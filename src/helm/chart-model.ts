/**
 * What a packaged chart reads: its default values (with each subchart's
 * defaults under the subchart's name), its values.schema.json, and every
 * `.Values.a.b.c` path its templates mention.
 */
import YAML from 'yaml';
import { isPlainObject, type Values } from '../lib/values.js';
import { readArchive } from './archive.js';

export interface ChartModel {
  defaults: Values;
  /** values.schema.json of the chart, when it has one. */
  schema?: Record<string, unknown>;
  /** Paths the templates read, as `pathKey`s (subchart paths prefixed with the subchart's key). */
  templatePaths: Set<string>;
  /** Paths the templates consume as a whole map (toYaml, range, merge, index), so any key below is read. */
  wholeMaps: Set<string>;
}

/** A values path as one string; keys may contain dots (`grafana.ini`), so they are joined with a separator no key has. */
export function pathKey(path: readonly string[]): string {
  return path.join('\u0001');
}

const VALUES_REF = /\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)/g;
const INDEX_REF = /index\s+\.Values((?:\s+"[^"]+")+)/g;
const PATH = '((?:\\.[A-Za-z_][A-Za-z0-9_]*)+)';
/** A map handed whole to a function that emits or copies every key. */
const WHOLE_MAP_REFS = [
  new RegExp(`(?:toYaml|toJson|toPrettyJson|merge|mergeOverwrite|deepCopy|omit)\\s*\\(?\\s*\\$?\\.Values${PATH}`, 'g'),
  new RegExp(`range\\s+(?:\\$\\w+\\s*,\\s*)?\\$\\w+\\s*:=\\s*\\$?\\.Values${PATH}`, 'g'),
];
/** `{{ with .Values.x }} ... toYaml . ... {{ end }}`: the block renders the whole map. */
const WITH_BLOCK = new RegExp(`with\\s+\\$?\\.Values${PATH}\\s*-?\\}\\}([\\s\\S]*?)\\{\\{-?\\s*end`, 'g');
const TO_YAML_DOT = /toYaml\s+\.(?=[\s)|}])/;

interface ChartDir {
  /** Archive path of the chart folder, e.g. `kube-prometheus-stack/charts/grafana`. */
  dir: string;
  /** Key path of its values inside the top chart's values. */
  key: string[];
}

export async function loadChartModel(file: string): Promise<ChartModel> {
  const files = await readArchive(file, (p) => /(^|\/)(values\.yaml|values\.schema\.json|Chart\.yaml)$/.test(p) || p.includes('/templates/'));
  const text = (p: string) => files.get(p)?.toString('utf8');
  const top = [...files.keys()].find((p) => /^[^/]+\/Chart\.yaml$/.test(p))!.split('/')[0]!;

  // Every chart folder, nested subcharts included, keyed by its place in the values tree (aliases honoured).
  const dirs: ChartDir[] = [];
  const visit = (dir: string, key: string[]) => {
    dirs.push({ dir, key });
    const chart = YAML.parse(text(`${dir}/Chart.yaml`) ?? '{}') as { dependencies?: { name: string; alias?: string }[] };
    const subdirs = new Set([...files.keys()].filter((p) => p.startsWith(`${dir}/charts/`)).map((p) => p.slice(dir.length + '/charts/'.length).split('/')[0]!));
    for (const sub of [...subdirs].sort()) {
      const dep = chart.dependencies?.find((d) => d.name === sub);
      visit(`${dir}/charts/${sub}`, [...key, dep?.alias ?? sub]);
    }
  };
  visit(top, []);

  let defaults: Values = {};
  const templatePaths = new Set<string>();
  const wholeMaps = new Set<string>();
  for (const { dir, key } of dirs) {
    const v = (YAML.parse(text(`${dir}/values.yaml`) ?? '{}') ?? {}) as Values;
    defaults = key.length === 0 ? { ...v, ...defaults } : placeUnder(defaults, key, v);
    for (const [p, buf] of files) {
      if (!p.startsWith(`${dir}/templates/`)) continue;
      const body = buf.toString('utf8');
      const dotted = (ref: string) => pathKey([...key, ...ref.slice(1).split('.')]);
      for (const m of body.matchAll(VALUES_REF)) templatePaths.add(dotted(m[1]!));
      // `index .Values "grafana.ini"` names keys that contain dots; such maps are rendered whole.
      for (const m of body.matchAll(INDEX_REF)) wholeMaps.add(pathKey([...key, ...[...m[1]!.matchAll(/"([^"]+)"/g)].map((x) => x[1]!)]));
      for (const re of WHOLE_MAP_REFS) for (const m of body.matchAll(re)) wholeMaps.add(dotted(m[1]!));
      for (const m of body.matchAll(WITH_BLOCK)) if (TO_YAML_DOT.test(m[2]!)) wholeMaps.add(dotted(m[1]!));
    }
  }
  const schemaText = text(`${top}/values.schema.json`);
  return { defaults, ...(schemaText ? { schema: JSON.parse(schemaText) as Record<string, unknown> } : {}), templatePaths, wholeMaps };
}

function placeUnder(root: Values, key: string[], v: Values): Values {
  const out = { ...root };
  let cur = out;
  for (const k of key.slice(0, -1)) {
    cur[k] = isPlainObject(cur[k]) ? { ...(cur[k] as Values) } : {};
    cur = cur[k] as Values;
  }
  const last = key[key.length - 1]!;
  // The parent's own values for the subchart override the subchart's defaults; here we only need the union of keys.
  cur[last] = { ...v, ...(isPlainObject(cur[last]) ? (cur[last] as Values) : {}) };
  return out;
}
