/**
 * What keeps Argo CD from syncing, read from its own objects: first the
 * source of everything (the root Application and the ApplicationSets, where
 * a repository that is not pushed or not readable shows up), then each
 * component's Application (a failed sync, an error condition, or a wait that
 * has a reason). Argo CD's message is quoted; the hint says what to do.
 * Pure: objects in, findings out. `plinth up` reports the first part while
 * it follows the Applications, `plinth doctor` all of it.
 */
import { condition, conditions } from '../../cluster/index.js';
import { type Finding, objectOf } from '../../checks/finding.js';
import type { DesiredState } from '../../desired/index.js';
import type { K8sObject } from '../../model/k8s.js';
import type { Unit } from '../../model/unit.js';
import { ROOT_APP } from '../../synth/argocd/index.js';
import { SYNC_TIMEOUT_SECONDS } from '../../catalog/components/argocd.js';
import { applicationFile } from '../../synth/argocd/applications.js';
import { appState, isReady } from '../argo.js';

export interface ArgoFacts {
  applications: readonly K8sObject[];
  /** undefined: the ApplicationSet type is not served. */
  applicationSets?: readonly K8sObject[];
}

interface Repo {
  url: string;
  branch: string;
}

const quote = (s: string) => `"${s.trim()}"`;
/** `a ComparisonError`, `an InvalidSpecError`. */
const aCondition = (type: string) => `${/^[AEIOU]/.test(type) ? 'an' : 'a'} ${type}`;

/** The fix for a message about the GitOps repository, when it is one. */
function repositoryHint(message: string, repo: Repo): string | undefined {
  if (/authentication required|authentication failed|could not read username|invalid username or password|permission denied|unauthorized|\b40[13]\b/i.test(message)) {
    return `Argo CD cannot read ${repo.url}: give it credentials with \`plinth up --repo-credentials FILE\` (or PLINTH_GIT_TOKEN); they go to Secret argocd/plinth-gitops-repo, never to Git`;
  }
  if (/repository not found|unable to resolve .* to a commit SHA|couldn't find remote ref|app path does not exist|does not exist in the repository|no such file or directory/i.test(message)) {
    return `${repo.url} (branch ${repo.branch}) does not hold what plinth.yaml describes: run \`plinth plan\` and push its output there (or fix gitops.repo in plinth.yaml)`;
  }
  if (/no such host|dial tcp|connection refused|i\/o timeout|deadline exceeded|x509|certificate/i.test(message)) {
    return `Argo CD's repo-server cannot reach ${repo.url}: check gitops.repo.url in plinth.yaml, and that the cluster reaches it (DNS, proxy, TLS)`;
  }
  return undefined;
}

function syncHint(name: string, message: string): string {
  if (/could not find the requested resource|no matches for kind|ensure CRDs are installed/i.test(message)) return 'a CRD is missing: `plinth up` installs every CRD first; or sync the component that owns it';
  if (/failed calling webhook/i.test(message)) return 'an admission webhook does not answer: see the webhook finding, and the pods of its service';
  if (/namespaces? "?[^ ]+"? not found/i.test(message)) return 'the namespace does not exist: platform-base creates the platform namespaces (`plinth up`)';
  if (/not permitted|forbidden|project \S+ which does not exist/i.test(message)) return 'the AppProject does not exist or does not allow it: `plinth up` writes the AppProjects of plinth.yaml (bootstrap/root/appprojects.yaml); run it again after changing plinth.yaml';
  return `argocd app get ${name} shows the operation; fix the manifest in the GitOps repository and push`;
}

function conditionHint(type: string, message: string, name: string, repo: Repo): string {
  const source = repositoryHint(message, repo);
  if (source) return source;
  if (type === 'InvalidSpecError' && !/not permitted|project/i.test(message)) return `the Application's spec is invalid: \`plinth plan\` writes it; push its output, then \`argocd app get ${name} --refresh\``;
  // InvalidSpecError about a project, and every other condition: as a failed sync says it.
  return syncHint(name, message);
}

/** Argo CD's error conditions of an Application (`ComparisonError`, `InvalidSpecError`, `SyncError`, ...). */
function errorConditions(app: K8sObject): { type: string; message: string }[] {
  return conditions(app)
    .filter((c) => /Error$/.test(c.type) && c.message)
    .map((c) => ({ type: c.type, message: c.message! }));
}

function rootFindings(apps: readonly K8sObject[], repo: Repo): Finding[] {
  const root = apps.find((a) => a.metadata.name === ROOT_APP);
  if (!root) {
    return [{ check: 'doctor/root', severity: 'error', message: `the root Application ${ROOT_APP} does not exist: Argo CD has nothing to sync`, hint: 'run `plinth up` (it writes the AppProjects and the root Application)' }];
  }
  const status = root.status as { sync?: unknown; health?: unknown; reconciledAt?: string; operationState?: { phase?: string; message?: string } } | undefined;
  if (!status || (status.sync === undefined && status.health === undefined && status.reconciledAt === undefined)) {
    return [
      {
        check: 'doctor/root',
        severity: 'error',
        object: objectOf(root),
        message: `the root Application ${ROOT_APP} has no status: Argo CD's application-controller has never reconciled it, so nothing is synced`,
        hint: 'the controller is not running or not watching the argocd namespace: kubectl -n argocd get pods; kubectl -n argocd logs statefulset/argocd-application-controller',
      },
    ];
  }
  const out: Finding[] = errorConditions(root).map((c) => ({
    check: 'doctor/root',
    severity: 'error' as const,
    object: objectOf(root),
    message: `the root Application ${ROOT_APP} has ${aCondition(c.type)}, so no component can sync: Argo CD says ${quote(c.message)}`,
    hint: conditionHint(c.type, c.message, ROOT_APP, repo),
  }));
  const s = appState(root, ROOT_APP);
  if (s.syncFailed) {
    out.push({
      check: 'doctor/root',
      severity: 'error',
      object: objectOf(root),
      message: `the root Application ${ROOT_APP} failed to sync: Argo CD says ${quote(s.message ?? 'sync failed')}${s.failing.length ? `; failing: ${s.failing.map((r) => `${r.kind}/${r.name}: ${quote(r.message)}`).join('; ')}` : ''}`,
      hint: syncHint(ROOT_APP, `${s.message ?? ''} ${s.failing.map((r) => r.message).join(' ')}`),
    });
  }
  const op = status.operationState;
  if (op?.phase === 'Running' && op.message) {
    out.push({
      check: 'doctor/root',
      severity: 'info',
      object: objectOf(root),
      message: `the root Application ${ROOT_APP} is syncing one wave at a time: Argo CD says ${quote(op.message)}`,
      hint: `the Applications of that wave are not Synced and Healthy yet (see their findings); no later Application is created or updated until they are. \`argocd app terminate-op ${ROOT_APP}\` ends the sync; Argo CD ends it itself after ${SYNC_TIMEOUT_SECONDS / 60} minutes and starts again at the newest revision`,
    });
  }
  return out;
}

function applicationSetFindings(sets: readonly K8sObject[], repo: Repo): Finding[] {
  return sets.flatMap((set) => {
    const error = condition(set, 'ErrorOccurred');
    if (error?.status !== 'True' || !error.message) return [];
    return [
      {
        check: 'doctor/applicationset',
        severity: 'error' as const,
        object: objectOf(set),
        message: `ApplicationSet ${set.metadata.name} cannot generate its Applications: Argo CD says ${quote(error.message)}`,
        hint: repositoryHint(error.message, repo) ?? `kubectl -n ${set.metadata.namespace ?? 'argocd'} get applicationset ${set.metadata.name} -o yaml shows its conditions; \`plinth plan\` writes it: push its output`,
      },
    ];
  });
}

/** Problems at the source: the root Application and the ApplicationSets. Every component waits while there is one. */
export function sourceFindings(state: DesiredState, facts: ArgoFacts): Finding[] {
  const repo = state.platform.config.gitops.repo;
  return [...rootFindings(facts.applications, repo), ...applicationSetFindings(facts.applicationSets ?? [], repo)];
}

function waitingFinding(state: DesiredState, unit: Unit, app: K8sObject | undefined, facts: ArgoFacts): Finding | undefined {
  const byName = new Map(facts.applications.map((a) => [a.metadata.name, a]));
  const stateOf = (u: Unit) => appState(byName.get(u.name), u.name);
  const s = stateOf(unit);
  const object = app ? { object: objectOf(app) } : {};
  const source = { source: { component: unit.name } };
  // The root Application applies one wave at a time: a unit waits for every earlier wave.
  const blocking = state.units.filter((u) => u.wave < unit.wave && !isReady(stateOf(u)));
  if (blocking.length > 0) {
    const wave = Math.min(...blocking.map((u) => u.wave));
    const them = blocking.filter((u) => u.wave === wave).map((u) => `${u.name}: ${stateOf(u).sync}/${stateOf(u).health}`);
    return {
      check: 'doctor/waiting',
      severity: 'warning',
      ...object,
      ...source,
      message: `Application ${unit.name} is ${app ? `${s.sync}/${s.health}` : 'not created yet'}: the root Application waits for wave ${wave} first (${them.join(', ')})`,
      hint: 'the root Application syncs one wave at a time, each once the one before is Synced and Healthy: see the findings of the earlier wave',
    };
  }
  if (!app) {
    return {
      check: 'doctor/waiting',
      severity: 'warning',
      ...source,
      message: `Application ${unit.name} does not exist: the root Application has not created it`,
      hint: `push what \`plinth plan\` writes (${applicationFile(unit)}) to ${state.platform.config.gitops.repo.url}; \`argocd app get ${ROOT_APP}\` shows the root's sync`,
    };
  }
  if (s.sync !== 'OutOfSync' || s.health !== 'Missing') return undefined;
  return {
    check: 'doctor/waiting',
    severity: 'warning',
    ...object,
    ...source,
    message: `Application ${unit.name} is OutOfSync/Missing and Argo CD reports no error`,
    hint: `argocd app get ${unit.name} --refresh shows what it waits for`,
  };
}

/** Each component's Application: failed syncs and error conditions with Argo CD's words; waits with their reason. */
export function applicationFindings(state: DesiredState, facts: ArgoFacts): Finding[] {
  const repo = state.platform.config.gitops.repo;
  // While the source is broken, every component waits for it: that finding says why.
  const sourceBroken = sourceFindings(state, facts).some((f) => f.severity === 'error');
  const out: Finding[] = [];
  const byName = new Map(facts.applications.map((a) => [a.metadata.name, a]));
  for (const u of state.units) {
    const app = byName.get(u.name);
    const s = appState(app, u.name);
    if (app && (s.syncFailed || (s.failing.length > 0 && s.health !== 'Healthy') || (s.message !== undefined && s.health === 'Degraded'))) {
      const resources = s.failing.map((r) => `${r.kind}/${r.namespace ? `${r.namespace}/` : ''}${r.name}: ${quote(r.message)}`);
      out.push({
        check: 'doctor/sync',
        severity: 'error',
        object: objectOf(app),
        source: { component: u.name },
        message: `Application ${u.name} is ${s.sync}/${s.health}: Argo CD says ${quote(s.message ?? 'sync failed')}${resources.length ? `; failing: ${resources.join('; ')}` : ''}`,
        hint: syncHint(u.name, `${s.message ?? ''} ${s.failing.map((r) => r.message).join(' ')}`),
      });
      continue;
    }
    const errors = app ? errorConditions(app) : [];
    for (const c of errors) {
      out.push({
        check: 'doctor/sync',
        severity: 'error',
        object: objectOf(app!),
        source: { component: u.name },
        message: `Application ${u.name} is ${s.sync}/${s.health} with ${aCondition(c.type)}: Argo CD says ${quote(c.message)}`,
        hint: conditionHint(c.type, c.message, u.name, repo),
      });
    }
    if (errors.length > 0 || isReady(s) || sourceBroken) continue;
    const waiting = waitingFinding(state, u, app, facts);
    if (waiting) out.push(waiting);
  }
  return out;
}
