/**
 * `plinth status` as data: each component's Application (tier, wave, sync,
 * health, message) and the platform's own signals: policy results,
 * vulnerabilities, certificates close to expiry, ExternalSecrets not synced.
 * Pure: facts in, report out. A signal whose CRD is not installed is `null`.
 */
import { condition } from '../../cluster/index.js';
import type { DesiredState } from '../../desired/index.js';
import type { K8sObject } from '../../model/k8s.js';
import { type AppState, appState, isReady } from '../argo.js';
import { type FluxFacts, fluxReady, fluxUnitState } from '../flux.js';

export const EXPIRY_DAYS = 14;

export interface StatusFacts {
  /** undefined: Argo CD's CRDs are not installed. */
  applications?: K8sObject[];
  /** Under Flux: its Kustomizations and HelmReleases; undefined when Flux's CRDs are not installed. */
  flux?: FluxFacts;
  policyReports?: K8sObject[];
  vulnerabilityReports?: K8sObject[];
  certificates?: K8sObject[];
  externalSecrets?: K8sObject[];
}

export interface ComponentStatus {
  component: string;
  stack: string;
  tier: number;
  wave: number;
  sync: string;
  health: string;
  message?: string;
}

export interface NamedObject {
  namespace?: string;
  name: string;
}

export interface StatusReport {
  components: ComponentStatus[];
  ready: boolean;
  policies: { pass: number; fail: number; warn: number; error: number; skip: number; reports: number } | null;
  vulnerabilities: { critical: number; high: number; reports: number } | null;
  certificatesExpiring: (NamedObject & { notAfter: string; daysLeft: number })[] | null;
  externalSecretsNotSynced: (NamedObject & { reason: string; message: string })[] | null;
}

const named = (o: K8sObject): NamedObject => ({ ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}), name: o.metadata.name });
const num = (v: unknown) => (typeof v === 'number' ? v : 0);

export function statusReport(state: DesiredState, facts: StatusFacts, now: number): StatusReport {
  const apps = new Map((facts.applications ?? []).map((a) => [a.metadata.name, a]));
  const flux = state.platform.choices.engine === 'flux';
  const states = new Map<string, AppState>(state.units.map((u) => [u.name, flux ? fluxUnitState(u, facts.flux ?? { kustomizations: [], helmReleases: [] }) : appState(apps.get(u.name), u.name)]));
  const components = state.units.map((u) => {
    const s = states.get(u.name)!;
    return { component: u.name, stack: u.stack, tier: u.tier, wave: u.wave, sync: s.sync, health: s.health, ...(s.message ? { message: s.message } : {}) };
  });

  const policies = facts.policyReports
    ? facts.policyReports.reduce(
        (acc, r) => {
          const s = (r.summary ?? {}) as Record<string, unknown>;
          return { pass: acc.pass + num(s.pass), fail: acc.fail + num(s.fail), warn: acc.warn + num(s.warn), error: acc.error + num(s.error), skip: acc.skip + num(s.skip), reports: acc.reports + 1 };
        },
        { pass: 0, fail: 0, warn: 0, error: 0, skip: 0, reports: 0 },
      )
    : null;

  const vulnerabilities = facts.vulnerabilityReports
    ? facts.vulnerabilityReports.reduce(
        (acc, r) => {
          const s = ((r.report as { summary?: Record<string, unknown> } | undefined)?.summary ?? {}) as Record<string, unknown>;
          return { critical: acc.critical + num(s.criticalCount), high: acc.high + num(s.highCount), reports: acc.reports + 1 };
        },
        { critical: 0, high: 0, reports: 0 },
      )
    : null;

  const certificatesExpiring = facts.certificates
    ? facts.certificates
        .flatMap((c) => {
          const notAfter = (c.status as { notAfter?: string } | undefined)?.notAfter;
          if (!notAfter) return [];
          const daysLeft = Math.floor((Date.parse(notAfter) - now) / 86_400_000);
          return daysLeft < EXPIRY_DAYS ? [{ ...named(c), notAfter, daysLeft }] : [];
        })
        .sort((a, b) => a.daysLeft - b.daysLeft)
    : null;

  const externalSecretsNotSynced = facts.externalSecrets
    ? facts.externalSecrets.flatMap((e) => {
        const ready = condition(e, 'Ready');
        if (ready?.status === 'True') return [];
        return [{ ...named(e), reason: ready?.reason ?? 'NotReady', message: ready?.message ?? 'no Ready condition yet' }];
      })
    : null;

  return {
    components,
    ready: [...states.values()].every(flux ? fluxReady : isReady),
    policies,
    vulnerabilities,
    certificatesExpiring,
    externalSecretsNotSynced,
  };
}

const where = (o: NamedObject) => (o.namespace ? `${o.namespace}/${o.name}` : o.name);

export function formatStatus(r: StatusReport): string {
  const w = Math.max(9, ...r.components.map((c) => c.component.length));
  const lines = [
    `${'COMPONENT'.padEnd(w)}  TIER  WAVE  ${'SYNC'.padEnd(10)}  ${'HEALTH'.padEnd(11)}  MESSAGE`,
    ...r.components.map((c) => `${c.component.padEnd(w)}  ${String(c.tier).padEnd(4)}  ${String(c.wave).padEnd(4)}  ${c.sync.padEnd(10)}  ${c.health.padEnd(11)}  ${(c.message ?? '').split('\n')[0]}`.trimEnd()),
    '',
    r.policies ? `Policies: ${r.policies.pass} pass, ${r.policies.fail} fail, ${r.policies.warn} warn, ${r.policies.error} error (${r.policies.reports} reports)` : 'Policies: no PolicyReport CRD (Kyverno not installed yet)',
    r.vulnerabilities
      ? `Vulnerabilities: ${r.vulnerabilities.critical} critical, ${r.vulnerabilities.high} high (${r.vulnerabilities.reports} reports)`
      : 'Vulnerabilities: no VulnerabilityReport CRD (Trivy not installed yet)',
  ];
  if (r.certificatesExpiring === null) lines.push('Certificates: no Certificate CRD (cert-manager not installed yet)');
  else if (r.certificatesExpiring.length === 0) lines.push(`Certificates: none expires within ${EXPIRY_DAYS} days`);
  else lines.push(`Certificates expiring within ${EXPIRY_DAYS} days:`, ...r.certificatesExpiring.map((c) => `  ${where(c)}: ${c.daysLeft < 0 ? 'expired' : `${c.daysLeft} days left`} (notAfter ${c.notAfter})`));
  if (r.externalSecretsNotSynced === null) lines.push('ExternalSecrets: no ExternalSecret CRD (External Secrets not installed yet)');
  else if (r.externalSecretsNotSynced.length === 0) lines.push('ExternalSecrets: all synced');
  else lines.push('ExternalSecrets not synced:', ...r.externalSecretsNotSynced.map((e) => `  ${where(e)}: ${e.reason}: ${e.message}`));
  lines.push('', r.ready ? 'Every component is Synced and Healthy.' : 'Not every component is Synced and Healthy: `plinth doctor` explains why.');
  return `${lines.join('\n')}\n`;
}
