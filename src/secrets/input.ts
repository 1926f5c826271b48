/**
 * What `plinth seal` seals: a Secret manifest (YAML or JSON, `data` in
 * base64 and/or `stringData`), or a name, a namespace and values given one by
 * one (`--from-literal key=value`, `--from-file [key=]path`). Messages name the
 * file, the path and the key, never a value: a YAML error reports its line,
 * not the parser's excerpt of the text.
 */
import { parseYamlStream, YamlSyntaxError } from '../lib/yaml.js';
import { SealError } from './errors.js';
import type { SecretToSeal } from './seal.js';

/** A Secret data key, as the API server accepts it. */
const KEY = /^[-._a-zA-Z0-9]+$/;
const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export interface Placement {
  name?: string;
  namespace?: string;
}

function checkKey(key: string, where: string): void {
  if (!KEY.test(key) || key === '.' || key === '..') {
    throw new SealError(`${where}: ${JSON.stringify(key)} is not a valid Secret key`, "keys are letters, digits, '-', '_' and '.'");
  }
}

function checkPlacement(name: string | undefined, namespace: string | undefined, where: string): { name: string; namespace: string } {
  if (!name) throw new SealError(`${where}: the Secret has no name`, 'set metadata.name, or pass --name');
  if (!DNS_SUBDOMAIN.test(name)) throw new SealError(`${where}: name ${JSON.stringify(name)} is not a valid Secret name`, 'a DNS subdomain: lowercase letters, digits, "-" and "."');
  if (!namespace) throw new SealError(`${where}: the Secret has no namespace`, 'set metadata.namespace, or pass --namespace; a SealedSecret is unsealed in one namespace');
  if (!DNS_LABEL.test(namespace)) throw new SealError(`${where}: namespace ${JSON.stringify(namespace)} is not a valid namespace name`, 'a DNS label: lowercase letters, digits and "-"');
  return { name, namespace };
}

function stringMap(value: unknown, where: string): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw new SealError(`${where}: expected a map of strings`);
  for (const [k, v] of Object.entries(value)) if (typeof v !== 'string') throw new SealError(`${where}.${k}: expected a string`);
  return value as Record<string, string>;
}

function parseDocuments(text: string, file: string): unknown[] {
  try {
    return parseYamlStream(text);
  } catch (cause) {
    if (!(cause instanceof YamlSyntaxError)) throw cause;
    // Only the parser's reason and place are shown: the text around the error may hold a value.
    throw new SealError(`${file}:${cause.line}:${cause.column}: not valid YAML (${cause.kind})`);
  }
}

/** The Secret of a manifest file; `override` is --name/--namespace (a namespace that contradicts the file is an error). */
export function secretFromManifest(text: string, file: string, override: Placement = {}): SecretToSeal {
  const docs = parseDocuments(text, file);
  if (docs.length !== 1) throw new SealError(`${file}: expected one Secret, found ${docs.length} documents`, 'seal one Secret per file');
  const doc = docs[0] as Record<string, unknown>;
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new SealError(`${file}: expected a Secret manifest (a map)`);
  if (doc.kind !== 'Secret' || doc.apiVersion !== 'v1') {
    throw new SealError(`${file}: expected apiVersion v1, kind Secret; got ${String(doc.apiVersion)} ${String(doc.kind)}`, doc.kind === 'SealedSecret' ? 'this file is sealed already' : undefined);
  }
  const meta = (doc.metadata ?? {}) as Record<string, unknown>;
  if (typeof meta !== 'object' || Array.isArray(meta)) throw new SealError(`${file}: metadata: expected a map`);
  const fileNamespace = typeof meta.namespace === 'string' ? meta.namespace : undefined;
  if (override.namespace && fileNamespace && override.namespace !== fileNamespace) {
    throw new SealError(`${file}: metadata.namespace is ${fileNamespace} but --namespace says ${override.namespace}`, 'drop one of them');
  }
  const { name, namespace } = checkPlacement(override.name ?? (meta.name as string | undefined), override.namespace ?? fileNamespace, file);

  const data = new Map<string, Buffer>();
  const encoded = stringMap(doc.data, `${file}: data`) ?? {};
  for (const [k, v] of Object.entries(encoded)) {
    checkKey(k, `${file}: data`);
    const compact = v.replace(/\s+/g, '');
    if (!BASE64.test(compact)) throw new SealError(`${file}: data.${k}: not valid base64`, 'data holds base64; put plain text under stringData');
    data.set(k, Buffer.from(compact, 'base64'));
  }
  // stringData wins over data for the same key, as the API server merges them.
  for (const [k, v] of Object.entries(stringMap(doc.stringData, `${file}: stringData`) ?? {})) {
    checkKey(k, `${file}: stringData`);
    data.set(k, Buffer.from(v, 'utf8'));
  }
  if (doc.type !== undefined && typeof doc.type !== 'string') throw new SealError(`${file}: type: expected a string`);
  if (doc.immutable !== undefined && typeof doc.immutable !== 'boolean') throw new SealError(`${file}: immutable: expected true or false`);
  const labels = stringMap(meta.labels, `${file}: metadata.labels`);
  const annotations = stringMap(meta.annotations, `${file}: metadata.annotations`);
  return {
    name,
    namespace,
    type: (doc.type as string | undefined) ?? 'Opaque',
    ...(doc.immutable !== undefined ? { immutable: doc.immutable as boolean } : {}),
    ...(labels ? { labels } : {}),
    ...(annotations ? { annotations } : {}),
    data,
  };
}

/** One value given on the command line: `key=value` (--from-literal) or the bytes of `[key=]path` (--from-file). */
export interface ValueSource {
  key: string;
  value: Buffer;
  /** For messages: `--from-literal`, `--from-file db.conf`. */
  origin: string;
}

/** `key=value` of --from-literal: the key up to the first `=`. */
export function literal(arg: string): ValueSource {
  const eq = arg.indexOf('=');
  if (eq <= 0) throw new SealError(`--from-literal: expected key=value, got a value without a key`, 'write --from-literal KEY=VALUE');
  const key = arg.slice(0, eq);
  checkKey(key, '--from-literal');
  return { key, value: Buffer.from(arg.slice(eq + 1), 'utf8'), origin: '--from-literal' };
}

/** `[key=]path` of --from-file: the key and the path (the key defaults to the file's base name). */
export function fileArgument(arg: string): { key: string; path: string } {
  const eq = arg.indexOf('=');
  const path = eq === -1 ? arg : arg.slice(eq + 1);
  const key = eq === -1 ? path.split(/[\\/]/).pop()! : arg.slice(0, eq);
  if (!path) throw new SealError(`--from-file ${arg}: no file path`, 'write --from-file [KEY=]PATH');
  checkKey(key, `--from-file ${arg}`);
  return { key, path };
}

/** A Secret made of --name, --namespace and values; a key given twice is an error. */
export function secretFromValues(placement: Placement, values: readonly ValueSource[], type = 'Opaque'): SecretToSeal {
  const { name, namespace } = checkPlacement(placement.name, placement.namespace, 'command line');
  const data = new Map<string, Buffer>();
  for (const v of values) {
    if (data.has(v.key)) throw new SealError(`key ${JSON.stringify(v.key)} is given twice (${v.origin})`, 'give each key once');
    data.set(v.key, v.value);
  }
  return { name, namespace, type, data };
}
