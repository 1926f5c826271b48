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
  if ((p.min !== undefined && n < p.min) || (p.max !== undefined && n > p.max)) {
    const hint = p.name === 'port' && n < 1024 ? 'containers run as non-root without capabilities and cannot bind ports below 1024' : undefined;
    return { problem: { field: p.name, message: `${n} is outside ${p.min ?? '-'}..${p.max ?? '-'}`, ...(hint ? { hint } : {}) } };
  }
  return { value: n };
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
export function validateValues(template: GoldenTemplate, platform: Platform, raw: RawValues, existing: readonly ExistingService[], opts: { version?: number; componentNames?: readonly string[] } = {}): ValidationResult {
  const version = opts.version ?? newestVersion(template);
  const problems: FieldProblem[] = [];
  const out: Record<string, unknown> = {};
  const known = new Set<string>(template.params.map((p) => p.name));
  for (const k of Object.keys(raw)) if (raw[k as keyof GoldenValues] !== undefined && !known.has(k)) problems.push({ field: k, message: `template ${template.name} has no parameter ${k}` });

  for (const p of template.params) {
    if (p.since !== undefined && p.since > version) continue;
    let rawValue = raw[p.name];
    if (rawValue === undefined || rawValue === '') rawValue = p.default;
    if (rawValue === undefined || rawValue === '') {
      if (p.required) problems.push({ field: p.name, message: `${p.label.toLowerCase()} is required`, hint: p.help });
      continue;
    }
    switch (p.type) {
      case 'string':
        if (typeof rawValue !== 'string') problems.push({ field: p.name, message: 'expected text' });
        else out[p.name] = rawValue.trim();
        break;
      case 'integer': {
        const r = toInteger(p, rawValue);
        if (r.problem) problems.push(r.problem);
        else out[p.name] = r.value;
        break;
      }
      case 'boolean':
        out[p.name] = rawValue === true || rawValue === 'true' || rawValue === 'on';
        break;
      case 'secrets':
        out[p.name] = rawValue;
        break;
    }
  }

  const team = typeof out.team === 'string' ? out.team : '';
  if (team !== '') {
    if (!DNS_LABEL.test(team) || team.length > 63) problems.push({ field: 'team', message: `${JSON.stringify(team)} is not a DNS-1123 label` });
    else if (!platform.teams.some((t) => t.name === team)) problems.push({ field: 'team', message: `no team ${team} in ${platform.file}`, hint: `teams: ${platform.teams.map((t) => t.name).join(', ') || '(none)'}; the platform team adds teams to plinth.yaml` });
  }
  const name = typeof out.name === 'string' ? out.name : '';
  if (name !== '') {
    if (!DNS_LABEL.test(name)) problems.push({ field: 'name', message: `${JSON.stringify(name)} is not a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit, no "/" or ".."` });
    else if (name.length > MAX_NAME) problems.push({ field: 'name', message: `${name} has ${name.length} characters; at most ${MAX_NAME} (objects are named <name>-dashboard, <name>-secrets)` });
    else if (out.expose === true && `${name}-${team}`.length > 63) problems.push({ field: 'name', message: `the host ${name}-${team} would be longer than 63 characters`, hint: 'choose a shorter name' });
    else if (opts.componentNames?.includes(name)) problems.push({ field: 'name', message: `${name} is a platform component's name`, hint: 'choose another name' });
    else {
      const taken = existing.find((s) => s.name === name);
      if (taken) problems.push({ field: 'name', message: `a service ${name} already exists (team ${taken.team})`, hint: taken.team === team ? `change it with \`plinth upgrade service ${team}/${name}\`, or choose another name` : 'service names are unique across teams; choose another name' });
    }
  }
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

  if (out.secrets !== undefined) {
    const list = Array.isArray(out.secrets) ? out.secrets : [out.secrets];
    const secrets: SecretRef[] = [];
    for (const item of list) {
      if (typeof item === 'object' && item !== null) {
        const s = item as SecretRef;
        const again = parseSecret(`${s.env}=${s.provider}/${s.path}#${s.key}`, team);
        if (again.problem) problems.push(again.problem);
        else secrets.push(again.secret!);
        continue;
      }
      for (const line of String(item).split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '')) {
        const r = parseSecret(line, team);
        if (r.problem) problems.push(r.problem);
        else secrets.push(r.secret!);
      }
    }
    const seen = new Set<string>();
    for (const s of secrets) {
      if (seen.has(s.env)) problems.push({ field: 'secrets', message: `${s.env} is named twice` });
      seen.add(s.env);
    }
    if (secrets.length > 0 && !secretKind(platform)) problems.push({ field: 'secrets', message: 'this platform has no secrets provider (Vault and External Secrets are disabled)', hint: 'ask the platform team to enable them' });
    if (secrets.length > 0) out.secrets = [...secrets].sort((a, b) => (a.env < b.env ? -1 : 1));
    else delete out.secrets;
  }
  return problems.length > 0 ? { problems } : { values: out as unknown as GoldenValues, problems };
}
