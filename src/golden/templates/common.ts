/** Parameters every golden path shares, and the objects every one of them writes. */
import type { K8sObject } from '../../model/k8s.js';
import { secretKind, hasMonitoring } from '../choices.js';
import { dashboard, externalSecrets, meta, serviceLabels, templateRef } from '../parts.js';
import type { GoldenValues, RenderContext, TemplateParam } from '../types.js';
import { UsageError } from '../../lib/errors.js';

export const TEAM: TemplateParam = { name: 'team', label: 'Team', type: 'string', required: true, help: 'a team of plinth.yaml; the service runs in its namespace' };
export const NAME: TemplateParam = { name: 'name', label: 'Name', type: 'string', required: true, help: 'DNS-1123 label, unique in the repository (lowercase letters, digits, "-")' };
export const IMAGE: TemplateParam = {
  name: 'image',
  label: 'Image',
  type: 'string',
  required: true,
  help: 'pinned by tag (not latest) or digest, from an allowed registry, e.g. ghcr.io/acme/cart:1.4.2',
};
export const REPLICAS: TemplateParam = { name: 'replicas', label: 'Replicas', type: 'integer', required: false, default: 1, min: 1, max: 20, help: 'pods to run' };
export const SECRETS: TemplateParam = {
  name: 'secrets',
  label: 'Secrets',
  type: 'secrets',
  required: false,
  help: 'NAME=vault/apps/<team>/<path>#<key>, one per line: environment variable NAME from that Vault entry (never a value)',
};

/** What every template starts from: labels, the metadata of its objects, and the template record. */
export function basics(ctx: RenderContext, template: string, v: GoldenValues) {
  const team = ctx.platform.teams.find((t) => t.name === v.team);
  if (!team) throw new UsageError(`--team: no team ${v.team} in plinth.yaml; the teams are: ${ctx.platform.teams.map((t) => t.name).join(', ') || 'none'}`);
  const namespace = team.namespaces[0]!;
  const labels = serviceLabels(v.team, v.name);
  const ref = templateRef(template, ctx.version);
  return { namespace, labels, ref, metadata: (name = v.name) => meta(name, namespace, labels, ref) };
}

/** The ExternalSecret (when it names secrets) and the dashboard (when the platform has Grafana). */
export function extras(ctx: RenderContext, b: ReturnType<typeof basics>, v: GoldenValues, opts: { kind: string; dashboard: boolean; scraped: boolean }): K8sObject[] {
  const out: K8sObject[] = [];
  const secrets = v.secrets ?? [];
  if (secrets.length > 0) {
    if (secretKind(ctx.platform) !== 'ExternalSecret') throw new UsageError('--secrets: this platform has no secrets provider (plinth.yaml choices.secrets); leave --secrets out or enable one');
    out.push(externalSecrets(ctx.refs, b.metadata(), v.name, secrets));
  }
  if (opts.dashboard && hasMonitoring(ctx.platform)) out.push(dashboard(b.metadata(), { team: v.team, name: v.name, kind: opts.kind, scraped: opts.scraped }));
  return out;
}
