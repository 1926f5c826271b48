/**
 * Reading Flux: each unit's state from its Kustomizations and HelmRelease as
 * Flux reports them (their Ready conditions), in the shape `up`, `status` and
 * `doctor` show for Argo CD Applications, and why they fail, in Flux's words.
 */
import { condition } from '../cluster/index.js';
import type { DesiredState } from '../desired/index.js';
import type { Finding } from '../checks/finding.js';
import { objectOf } from '../checks/finding.js';
import type { K8sObject } from '../model/k8s.js';
import type { Unit } from '../model/unit.js';
import { FLUX_NAMESPACE, REPO_SOURCE, ROOT_KUSTOMIZATION, unitKustomizationFile } from '../synth/flux/constants.js';
import { unitKustomizationNames } from '../synth/flux/units.js';
import type { AppState } from './argo.js';

export const KUSTOMIZATION = { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization' } as const;
export const HELM_RELEASE = { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease' } as const;
export const GIT_REPOSITORY = { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository' } as const;

export interface FluxFacts {
  kustomizations: K8sObject[];
  helmReleases: K8sObject[];
  gitRepositories?: K8sObject[];
}

interface Verdict {
  /** Ready=True at the generation Flux last looked at. */
  ready: boolean;
  /** Ready=False: Flux gave up on this attempt (it retries). */
  failed: boolean;
  message?: string;
}

/** The Ready condition of a Flux object, counted only once Flux has seen its current generation. */
export function fluxVerdict(o: K8sObject | undefined): Verdict {
  if (!o) return { ready: false, failed: false, message: 'not created yet' };
  const ready = condition(o, 'Ready');
  const observed = (o.status as { observedGeneration?: number } | undefined)?.observedGeneration;
  const current = observed === undefined || o.metadata.generation === undefined || observed >= (o.metadata.generation as number);
  if (!ready) return { ready: false, failed: false, message: 'not reconciled yet' };
  // Waiting for a dependency is Ready=False too, but nothing failed: it is the order at work.
  const waiting = ready.reason === 'DependencyNotReady';
  return { ready: ready.status === 'True' && current, failed: ready.status === 'False' && !waiting, ...(ready.message ? { message: ready.message } : {}) };
}

/**
 * A unit under Flux as the rows of `up` and `status` show it: `sync` is
 * Applied once every Kustomization of the unit applied its revision,
 * `health` Healthy once they and the HelmRelease are Ready, Degraded when
 * one failed, Progressing otherwise; the message is Flux's.
 */
export function fluxUnitState(unit: Unit, facts: FluxFacts): AppState {
  const ks = unitKustomizationNames(unit).map((n) => ({ name: n, object: facts.kustomizations.find((k) => k.metadata.name === n) }));
  const release = unit.chart ? facts.helmReleases.find((r) => r.metadata.name === unit.name && (r.metadata.namespace ?? FLUX_NAMESPACE) === FLUX_NAMESPACE) : undefined;
  if (ks.every((k) => !k.object)) return { name: unit.name, sync: 'Missing', health: 'Missing', failing: [], syncFailed: false };
  const verdicts = ks.map((k) => ({ ...k, v: fluxVerdict(k.object) }));
  const rv = unit.chart ? fluxVerdict(release) : undefined;
  const applied = verdicts.every((k) => {
    const st = (k.object?.status ?? {}) as { lastAppliedRevision?: string; lastAttemptedRevision?: string };
    return st.lastAppliedRevision !== undefined && st.lastAppliedRevision === st.lastAttemptedRevision;
  });
  const failing = [
    ...verdicts.filter((k) => k.v.failed).map((k) => ({ kind: 'Kustomization', namespace: FLUX_NAMESPACE, name: k.name, message: k.v.message ?? 'not Ready' })),
    ...(rv?.failed ? [{ kind: 'HelmRelease', namespace: FLUX_NAMESPACE, name: unit.name, message: rv.message ?? 'not Ready' }] : []),
  ];
  const ready = verdicts.every((k) => k.v.ready) && (rv?.ready ?? true);
  const health = ready ? 'Healthy' : failing.length > 0 ? 'Degraded' : 'Progressing';
  // The HelmRelease says why its chart does not install; the Kustomization only that it waits for it.
  const message = ready ? undefined : rv && !rv.ready && rv.message ? `HelmRelease ${unit.name}: ${rv.message}` : verdicts.find((k) => !k.v.ready)?.v.message;
  return { name: unit.name, sync: applied ? 'Applied' : 'Pending', health, ...(message ? { message } : {}), failing, syncFailed: failing.length > 0 };
}

export const fluxReady = (s: AppState): boolean => s.health === 'Healthy';

const quote = (s: string) => `"${s.replace(/\s+/g, ' ').trim()}"`;

/** What keeps Flux from applying anything: its source and the root Kustomization. */
export function fluxSourceFindings(state: DesiredState, facts: FluxFacts): Finding[] {
  const repo = state.platform.config.gitops.repo;
  const source = facts.gitRepositories?.find((g) => g.metadata.name === REPO_SOURCE);
  if (facts.gitRepositories && !source) {
    return [{ check: 'doctor/flux', severity: 'error', message: `the GitRepository ${FLUX_NAMESPACE}/${REPO_SOURCE} does not exist: Flux reads no repository`, hint: 'run `plinth up` (it writes the GitRepository and the root Kustomization)' }];
  }
  const sv = fluxVerdict(source);
  if (source && sv.failed) {
    return [{ check: 'doctor/flux', severity: 'error', object: objectOf(source), message: `the GitRepository ${FLUX_NAMESPACE}/${REPO_SOURCE} cannot fetch ${repo.url} (${repo.branch}): Flux says ${quote(sv.message ?? 'not Ready')}`, hint: `push what \`plinth plan\` writes to ${repo.url}; for a private repository give \`plinth up\` credentials (--repo-credentials FILE or PLINTH_GIT_TOKEN)` }];
  }
  const root = facts.kustomizations.find((k) => k.metadata.name === ROOT_KUSTOMIZATION);
  if (!root) return [{ check: 'doctor/flux', severity: 'error', message: `the root Kustomization ${ROOT_KUSTOMIZATION} does not exist: Flux has nothing to apply`, hint: 'run `plinth up`' }];
  const rv = fluxVerdict(root);
  if (rv.failed) {
    return [{ check: 'doctor/flux', severity: 'error', object: objectOf(root), message: `the root Kustomization ${ROOT_KUSTOMIZATION} failed, so no component's Kustomization is applied or updated: Flux says ${quote(rv.message ?? 'not Ready')}`, hint: 'run `plinth check --repo <the repository>`: it proves the Flux objects offline; `flux get kustomizations` shows the same' }];
  }
  return [];
}

/** Per unit: a missing Kustomization, or one whose Kustomization or HelmRelease failed, with Flux's message. */
export function fluxUnitFindings(state: DesiredState, facts: FluxFacts): Finding[] {
  const out: Finding[] = [];
  for (const unit of state.units) {
    const s = fluxUnitState(unit, facts);
    if (s.sync === 'Missing') {
      out.push({ check: 'doctor/flux', severity: 'error', source: { component: unit.name }, message: `${unit.name} has no Kustomization: the root Kustomization has not applied it`, hint: `push what \`plinth plan\` writes (${unitKustomizationFile(state.platform.name, unit.stack, unit.name)}) to ${state.platform.config.gitops.repo.url}` });
      continue;
    }
    for (const f of s.failing) {
      const object = f.kind === 'HelmRelease' ? facts.helmReleases.find((r) => r.metadata.name === f.name) : facts.kustomizations.find((k) => k.metadata.name === f.name);
      out.push({
        check: 'doctor/flux',
        severity: 'error',
        ...(object ? { object: objectOf(object) } : {}),
        source: { component: unit.name },
        message: `${f.kind} ${FLUX_NAMESPACE}/${f.name} of ${unit.name} is not Ready: Flux says ${quote(f.message)}`,
        hint: f.kind === 'HelmRelease' ? `\`flux get helmreleases -n ${FLUX_NAMESPACE}\` and \`kubectl -n ${FLUX_NAMESPACE} describe helmrelease ${f.name}\` show the install; Flux retries it, and a fixing commit is picked up at the next interval` : `\`flux get kustomizations\` shows it; a fixing commit is applied at the next interval (\`flux reconcile kustomization ${f.name} --with-source\` at once)`,
      });
    }
  }
  return out;
}
