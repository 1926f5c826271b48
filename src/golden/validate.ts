/**
 * Validation of what a developer asks a golden path for, the same for the
 * CLI and the portal: every problem at once, each naming its field. Names
 * and paths are checked before they reach a file path or a manifest.
 */
import { PLATFORM_REGISTRIES } from '../catalog/charts.js';
import type { Platform } from '../model/platform.js';
import { secretKind } from './choices.js';
import { newestVersion, type GoldenTemplate, type GoldenValues, type SecretRef, type TemplateParam } from './types.js';

export interface FieldProblem {
  field: string;
  message: string;
  hint?: string;
}

/** Raw input: strings from flags or a form (secrets one per entry); booleans from flags. */
export type RawValues = Partial<Record<keyof GoldenValues, string | boolean | string[] | number | SecretRef[] | undefined>>;

export interface ExistingService {
  team: string;
  name: string;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const MAX_NAME = 53;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const VAULT_SEGMENT = /^[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$/;
const VAULT_KEY = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const IMAGE_PATH_COMPONENT = /^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*$/;
const IMAGE_REGISTRY = /^[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?(:[0-9]+)?$/;
const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const METRICS_PATH = /^\/[A-Za-z0-9._~/-]*$/;
const CRON_FIELD = /^(\*|[0-9]+(-[0-9]+)?|[A-Za-z]{3}(-[A-Za-z]{3})?)(\/[0-9]+)?(,(\*|[0-9]+(-[0-9]+)?|[A-Za-z]{3}(-[A-Za-z]{3})?)(\/[0-9]+)?)*$/;
const CRON_MACROS = ['@hourly', '@daily', '@midnight', '@weekly', '@monthly', '@yearly', '@annually'];

/** The registry-qualified form of an image, as the restrict-image-registries policy reads it. */
export function qualifiedImage(image: string): string {
  const first = image.split('/')[0]!;
  if (image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')) return image;
  return image.includes('/') ? `docker.io/${image}` : `docker.io/library/${image}`;
}

export function allowedRegistries(platform: Platform): readonly string[] {
  return platform.config.policy.allowedRegistries ?? PLATFORM_REGISTRIES;
}

/** Why an image reference is refused, or undefined when it is pinned and from an allowed registry. */
// eslint-disable-next-line complexity -- the image reference grammar checked part by part (digest, registry host, path components, tag), then pinning and the allowed registries, each refusal with its own message
export function imageProblem(image: string, allowed: readonly string[]): FieldProblem | undefined {
  const bad = (message: string, hint?: string): FieldProblem => ({ field: 'image', message, ...(hint ? { hint } : {}) });
  if (image === '' || /\s/.test(image) || image.includes('..') || image.length > 512) return bad(`${JSON.stringify(image)} is not an image reference`, 'e.g. ghcr.io/acme/cart:1.4.2');
  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return bad(`digest ${JSON.stringify(digest)} is not sha256:<64 hex digits>`);
  }
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  const tag = colon > slash ? rest.slice(colon + 1) : undefined;
  const name = colon > slash ? rest.slice(0, colon) : rest;
  const parts = name.split('/');
  const hasRegistry = parts.length > 1 && (parts[0]!.includes('.') || parts[0]!.includes(':') || parts[0] === 'localhost');
  if (hasRegistry && !IMAGE_REGISTRY.test(parts[0]!)) return bad(`registry ${JSON.stringify(parts[0])} is not a host name`);
  const path = hasRegistry ? parts.slice(1) : parts;
  if (path.length === 0 || path.some((c) => !IMAGE_PATH_COMPONENT.test(c))) return bad(`${JSON.stringify(name)} is not a valid image name (lowercase letters, digits, separators . _ -)`);
  if (tag !== undefined && !IMAGE_TAG.test(tag)) return bad(`tag ${JSON.stringify(tag)} is not a valid tag`);
  if (digest === undefined && (tag === undefined || tag === 'latest')) {
    return bad(`${image} is not pinned: ${tag === 'latest' ? 'latest moves' : 'no tag means latest'}`, 'give a version tag (ghcr.io/acme/cart:1.4.2) or a digest (@sha256:...)');
  }
  const ref = qualifiedImage(image);
  if (!allowed.some((r) => ref.startsWith(`${r}/`))) {
    return bad(`${image} is from a registry outside the allowed ones (${allowed.join(', ')})`, 'push it to an allowed registry, or ask the platform team to add the registry to plinth.yaml policy.allowedRegistries');
  }
  return undefined;
}

/** `NAME=vault/apps/<team>/<path>#<key>` */
// eslint-disable-next-line complexity -- NAME=vault/apps/<team>/<path>#<key> checked part by part (NAME, #key, provider, segments, the team's own prefix, key), each refusal with its own message
export function parseSecret(text: string, team: string): { secret?: SecretRef; problem?: FieldProblem } {
  const bad = (message: string, hint?: string) => ({ problem: { field: 'secrets', message, hint: hint ?? `expected NAME=vault/apps/${team || '<team>'}/<path>#<key>` } });
  const eq = text.indexOf('=');
  if (eq <= 0) return bad(`${JSON.stringify(text)} has no NAME=`);
  const env = text.slice(0, eq).trim();
  const ref = text.slice(eq + 1).trim();
  if (!ENV_NAME.test(env) || env.length > 128) return bad(`${JSON.stringify(env)} is not an environment variable name (letters, digits, _)`);
  const hash = ref.lastIndexOf('#');
  if (hash === -1) return bad(`${JSON.stringify(text)} names no key (#key)`);
  const [provider, ...segments] = ref.slice(0, hash).split('/');
  const key = ref.slice(hash + 1);
  if (provider !== 'vault') return bad(`${JSON.stringify(text)}: the secrets provider must be vault`);
  if (segments.some((s) => !VAULT_SEGMENT.test(s) || s === '..' || s === '.')) return bad(`${JSON.stringify(ref)} is not a Vault path of lowercase segments`);
  if (segments.length < 3 || segments[0] !== 'apps' || segments[1] !== team) return bad(`${JSON.stringify(ref)} is outside the team's own Vault entries`, `a service of team ${team || '<team>'} reads only vault/apps/${team || '<team>'}/<path>#<key>`);
  if (!VAULT_KEY.test(key)) return bad(`${JSON.stringify(key)} is not a key name`);
  return { secret: { env, provider: 'vault', path: segments.join('/'), key } };
}

function toInteger(p: TemplateParam, raw: unknown): { value?: number; problem?: FieldProblem } {
  const text = typeof raw === 'number' ? String(raw) : String(raw).trim();
  if (!/^[0-9]+$/.test(text)) return { problem: { field: p.name, message: `${JSON.stringify(text)} is not a whole number` } };
  const n = Number(text);
  const outside = (p.min !== undefined && n < p.min) || (p.max !== undefined && n > p.max);
  return outside ? { problem: outOfRange(p, n) } : { value: n };
}

function outOfRange(p: TemplateParam, n: number): FieldProblem {
  const hint = p.name === 'port' && n < 1024 ? 'containers run as non-root without capabilities and cannot bind ports below 1024' : undefined;
  return { field: p.name, message: `${n} is outside ${p.min ?? '-'}..${p.max ?? '-'}`, ...(hint ? { hint } : {}) };
}

export interface ValidationResult {
  values?: GoldenValues;
  problems: FieldProblem[];
}

/**
 * Parses and checks raw input for `template` on `platform`. `existing` are
 * the services already in the repository (on its base branch and proposed on
 * branches), so a name is taken once across all teams.
 */
export function validateValues(template: GoldenTemplate, platform: Platform, raw: RawValues, opts: { existing?: readonly ExistingService[]; version?: number; componentNames?: readonly string[] } = {}): ValidationResult {
  const version = opts.version ?? newestVersion(template);
  const problems: FieldProblem[] = [];
  const out = paramValues(template, raw, version, problems);
  const team = typeof out.team === 'string' ? out.team : '';
  const name = typeof out.name === 'string' ? out.name : '';
  problems.push(...teamProblems(team, platform));
  problems.push(...nameProblems(name, team, out.expose === true, { existing: opts.existing ?? [], componentNames: opts.componentNames ?? [] }));
  problems.push(...formatProblems(out, platform));
  if (out.secrets !== undefined) applySecrets(out, { team, platform }, problems);
  return problems.length > 0 ? { problems } : { values: out as unknown as GoldenValues, problems };
}

/** Each parameter of the template's `version` read from `raw` (its default when unset), by its type; problems go to `problems`. */
function paramValues(template: GoldenTemplate, raw: RawValues, version: number, problems: FieldProblem[]): Record<string, unknown> {
  const known = new Set<string>(template.params.map((p) => p.name));
  const unknown = Object.keys(raw).filter((k) => raw[k as keyof GoldenValues] !== undefined && !known.has(k));
  problems.push(...unknown.map((k) => ({ field: k, message: `template ${template.name} has no parameter ${k}` })));
  const out: Record<string, unknown> = {};
  for (const p of template.params) {
    if (p.since !== undefined && p.since > version) continue;
    let rawValue = raw[p.name];
    if (rawValue === undefined || rawValue === '') rawValue = p.default;
    if (rawValue === undefined || rawValue === '') {
      if (p.required) problems.push({ field: p.name, message: `${p.label.toLowerCase()} is required`, hint: p.help });
      continue;
    }
    const r = paramValue(p, rawValue);
    if (r.problem) problems.push(r.problem);
    else out[p.name] = r.value;
  }
  return out;
}

/** One set parameter by its type. */
function paramValue(p: TemplateParam, rawValue: unknown): { value?: unknown; problem?: FieldProblem } {
  switch (p.type) {
    case 'string':
      return typeof rawValue !== 'string' ? { problem: { field: p.name, message: 'expected text' } } : { value: rawValue.trim() };
    case 'integer':
      return toInteger(p, rawValue);
    case 'boolean':
      return { value: rawValue === true || rawValue === 'true' || rawValue === 'on' };
    case 'secrets':
      return { value: rawValue };
  }
}

/** A set team: a DNS label that plinth.yaml lists. */
function teamProblems(team: string, platform: Platform): FieldProblem[] {
  if (team === '') return [];
  if (!DNS_LABEL.test(team) || team.length > 63) return [{ field: 'team', message: `${JSON.stringify(team)} is not a DNS-1123 label` }];
  if (!platform.teams.some((t) => t.name === team)) return [{ field: 'team', message: `no team ${team} in ${platform.file}`, hint: `teams: ${platform.teams.map((t) => t.name).join(', ') || '(none)'}; the platform team adds teams to plinth.yaml` }];
  return [];
}

/** The first thing wrong with a set service name: its form, its length (and its host's), a component's name, a name already taken. */
function nameProblems(name: string, team: string, exposed: boolean, taken: { existing: readonly ExistingService[]; componentNames: readonly string[] }): FieldProblem[] {
  if (name === '') return [];
  if (!DNS_LABEL.test(name)) return [{ field: 'name', message: `${JSON.stringify(name)} is not a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit, no "/" or ".."` }];
  if (name.length > MAX_NAME) return [{ field: 'name', message: `${name} has ${name.length} characters; at most ${MAX_NAME} (objects are named <name>-dashboard, <name>-secrets)` }];
  if (exposed && `${name}-${team}`.length > 63) return [{ field: 'name', message: `the host ${name}-${team} would be longer than 63 characters`, hint: 'choose a shorter name' }];
  if (taken.componentNames.includes(name)) return [{ field: 'name', message: `${name} is a platform component's name`, hint: 'choose another name' }];
  const other = taken.existing.find((s) => s.name === name);
  if (!other) return [];
  return [{ field: 'name', message: `a service ${name} already exists (team ${other.team})`, hint: other.team === team ? `change it with \`plinth upgrade service ${team}/${name}\`, or choose another name` : 'service names are unique across teams; choose another name' }];
}

/** The image, schedule and metrics path, each when set. */
function formatProblems(out: Record<string, unknown>, platform: Platform): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (typeof out.image === 'string') {
    const problem = imageProblem(out.image, allowedRegistries(platform));
    if (problem) problems.push(problem);
  }
  if (typeof out.schedule === 'string') {
    const s = out.schedule;
    const fields = s.split(/\s+/);
    if (!(CRON_MACROS.includes(s) || (fields.length === 5 && fields.every((f) => CRON_FIELD.test(f))))) problems.push({ field: 'schedule', message: `${JSON.stringify(s)} is not a cron schedule`, hint: 'five fields (minute hour day month weekday), e.g. "0 3 * * *", or @daily' });
  }
  if (typeof out.metricsPath === 'string' && (!METRICS_PATH.test(out.metricsPath) || out.metricsPath.includes('..'))) problems.push({ field: 'metricsPath', message: `${JSON.stringify(out.metricsPath)} is not a URL path such as /metrics` });
  return problems;
}

/** Replaces the raw secrets of `out` with the parsed references, sorted by NAME (none: the key is removed). */
function applySecrets(out: Record<string, unknown>, on: { team: string; platform: Platform }, problems: FieldProblem[]): void {
  const secrets = secretsOf(Array.isArray(out.secrets) ? out.secrets : [out.secrets], on.team, problems);
  if (secrets.length > 0 && !secretKind(on.platform)) problems.push({ field: 'secrets', message: 'this platform has no secrets provider (Vault and External Secrets are disabled)', hint: 'ask the platform team to enable them' });
  if (secrets.length > 0) out.secrets = [...secrets].sort((a, b) => (a.env < b.env ? -1 : 1));
  else delete out.secrets;
}

/** The secret references of the input: records (read back from a record file) or NAME=ref lines; each NAME once. */
function secretsOf(list: readonly unknown[], team: string, problems: FieldProblem[]): SecretRef[] {
  const texts = list.flatMap((item) => {
    if (typeof item === 'object' && item !== null) {
      const s = item as SecretRef;
      return [`${s.env}=${s.provider}/${s.path}#${s.key}`];
    }
    return String(item).split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  });
  const secrets: SecretRef[] = [];
  for (const text of texts) {
    const r = parseSecret(text, team);
    if (r.problem) problems.push(r.problem);
    else secrets.push(r.secret!);
  }
  const seen = new Set<string>();
  for (const s of secrets) {
    if (seen.has(s.env)) problems.push({ field: 'secrets', message: `${s.env} is named twice` });
    seen.add(s.env);
  }
  return secrets;
}
