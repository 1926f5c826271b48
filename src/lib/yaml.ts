/** YAML and JSON text in one stable format for every generated file. */
import jsyaml from 'js-yaml';
import YAML from 'yaml';
import { canonical } from './canonical.js';

/**
 * YAML 1.1's booleans (`off`, `on`, `yes`, `y`, ...), known to the writer so
 * that strings spelled like them get quotes: Helm, kubectl and Argo CD read
 * YAML with go-yaml's 1.1 rules, where a plain `off` is `false` (Kong's
 * `env.database: off` fails to render). Only the quoting changes.
 */
const YAML_11_BOOLEANS = new YAML.Schema({ schema: 'yaml-1.1' }).tags.filter((t) => typeof t === 'object' && t.tag === 'tag:yaml.org,2002:bool');

const STRINGIFY_OPTIONS = {
  customTags: (tags: YAML.Tags) => [...tags, ...YAML_11_BOOLEANS],
  lineWidth: 0,
  minContentWidth: 0,
  aliasDuplicateObjects: false,
  indentSeq: true,
  singleQuote: false,
} as const;

export function toYaml(value: unknown): string {
  return YAML.stringify(canonical(value), STRINGIFY_OPTIONS);
}

/** Several documents in one file, `---` separated, in the order given. */
export function toYamlStream(values: readonly unknown[]): string {
  return values.map((v) => toYaml(v)).join('---\n');
}

export function toJson(value: unknown): string {
  return `${JSON.stringify(canonical(value), null, 2)}\n`;
}

/**
 * Parses every document of a YAML stream, skipping empty ones (as kubectl
 * does). YAML 1.2 core schema, like the `yaml` package; js-yaml is used here
 * because rendered charts and CRD files are large and it reads them several
 * times faster.
 */
export function parseYamlStream(text: string): unknown[] {
  return jsyaml.loadAll(text, undefined, { schema: jsyaml.CORE_SCHEMA }).filter((v) => v !== null && v !== undefined);
}
