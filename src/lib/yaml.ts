/** YAML and JSON text in one stable format for every generated file. */
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

/** A YAML stream that does not parse: where (1-based line and column) and why. */
export class YamlSyntaxError extends Error {
  readonly reason: string;
  /** The parser's error code in words (`duplicate key`, `bad indent`): never quotes the text. */
  readonly kind: string;
  readonly line: number;
  readonly column: number;
  constructor(reason: string, code: string, line: number, column: number) {
    super(`${reason} at line ${line}, column ${column}`);
    this.name = 'YamlSyntaxError';
    this.reason = reason;
    this.kind = code.toLowerCase().replaceAll('_', ' ');
    this.line = line;
    this.column = column;
  }
}

const PARSE_OPTIONS = { prettyErrors: false, logLevel: 'silent', keepSourceTokens: false } as const;

/**
 * Parses every document of a YAML stream, skipping empty ones (as kubectl
 * does), with the YAML 1.2 core schema; a syntax error (a duplicate key
 * included) throws {@link YamlSyntaxError}.
 */
export function parseYamlStream(text: string): unknown[] {
  const out: unknown[] = [];
  for (const doc of YAML.parseAllDocuments(text, PARSE_OPTIONS)) {
    const error = doc.errors[0];
    if (error) {
      const before = text.slice(0, error.pos[0]);
      const line = before.split('\n').length;
      throw new YamlSyntaxError(error.message, error.code, line, error.pos[0] - before.lastIndexOf('\n'));
    }
    const value: unknown = doc.toJS();
    if (value !== null && value !== undefined) out.push(value);
  }
  return out;
}
