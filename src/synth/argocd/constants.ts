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

/** Retry with backoff: a unit whose dependency in another stack is not yet ready converges instead of failing. */
export const RETRY = { limit: 10, backoff: { duration: '15s', factor: 2, maxDuration: '5m' } };
