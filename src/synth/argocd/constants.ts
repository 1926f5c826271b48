/** Names of the Argo CD objects Plinth generates. */

export const ARGOCD_NAMESPACE = 'argocd';
export const ARGOCD_UNIT = 'argocd';
export const ROOT_APP = 'plinth-root';
export const BOOTSTRAP_PROJECT = 'plinth-bootstrap';
export const IN_CLUSTER = 'https://kubernetes.default.svc';
export const ENGINE_VALUES_FILE = 'bootstrap/argocd/values.yaml';
export const ROOT_APP_FILE = 'bootstrap/root-app.yaml';
export const ROOT_DIR = 'bootstrap/root';
export const PROJECTS_FILE = `${ROOT_DIR}/appprojects.yaml`;
export const TENANTS_APPLICATIONSET_FILE = `${ROOT_DIR}/applicationsets/apps.yaml`;

export const projectForStack = (stack: string): string => `platform-${stack}`;
/** `team-<name>`, or the name itself when it already reads `team-...`. */
export const projectForTeam = (team: string): string => (team.startsWith('team-') ? team : `team-${team}`);

/** Sync options of every generated Application. */
export const SYNC_OPTIONS = [
  'ServerSideApply=true',
  'CreateNamespace=false',
  'SkipDryRunOnMissingResource=true',
  'PruneLast=true',
];

/**
 * Retry with backoff, without a limit (a negative limit: Argo CD retries for
 * ever, at most every maxDuration): automated sync does not try the same
 * revision again once its retries are spent, so a limit would leave a failed
 * sync failed until the next commit. `refresh`: a retry takes the newest
 * revision (Argo CD 3.2+), so the commit that fixes a failing one is what the
 * next retry syncs, not the broken one for ever.
 */
export const RETRY = { limit: -1, refresh: true, backoff: { duration: '15s', factor: 2, maxDuration: '5m' } };

/** The finalizer that makes deleting an Application delete what it synced (a cascade). */
export const RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';

/** Sync wave of the AppProjects in the root Application: before every unit's Application (waves 0 and up). */
export const PROJECTS_WAVE = -1;

/** Files of the platform's Applications, synced by the root Application. */
export const APPLICATIONS_DIR = `${ROOT_DIR}/applications`;
