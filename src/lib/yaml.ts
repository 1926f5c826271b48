/** YAML and JSON text in one stable format for every generated file. */
import YAML from 'yaml';
import { canonical } from './canonical.js';

const STRINGIFY_OPTIONS = {
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

/** Parses every document of a YAML stream, skipping empty ones (as kubectl does). */
export function parseYamlStream(text: string): unknown[] {
  return YAML.parseAllDocuments(text)
    .map((doc) => {
      if (doc.errors.length > 0) throw doc.errors[0];
      return doc.toJS({ maxAliasCount: -1 }) as unknown;
    })
    .filter((v) => v !== null && v !== undefined);
}
