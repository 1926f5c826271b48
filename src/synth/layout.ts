/** Where each unit lives in the GitOps repository (ARCHITECTURE.md "GitOps repository"). */
import type { Unit } from '../model/unit.js';

export const BOOTSTRAP_DIR = 'bootstrap';
export const PLATFORM_DIR = 'platform';
export const APPS_DIR = 'apps';

export function unitDir(unit: Pick<Unit, 'stack' | 'name'>): string {
  return `${PLATFORM_DIR}/${unit.stack}/${unit.name}`;
}

export const CATALOG_DIR = 'catalog';

export const CLUSTERS_DIR = 'clusters';

/** Top-level entries `plan` owns and rewrites; everything else in the output (.git, apps/<team>/<service>/...) is left alone. */
export const MANAGED_ENTRIES = [BOOTSTRAP_DIR, CLUSTERS_DIR, PLATFORM_DIR, CATALOG_DIR, 'README.md', `${APPS_DIR}/README.md`] as const;

/** The first line of the README plan writes in each team's folder under Flux (how plan knows it wrote one). */
export const TEAM_README_TITLE = '# Services of team ';
const TEAM_README = new RegExp(`^${APPS_DIR}/[^/]+/README\\.md$`);

/** A team folder's README that plan wrote (apps/<team>/README.md starting with its title). */
export function isTeamReadme(path: string, text: string | undefined): boolean {
  return TEAM_README.test(path) && (text === undefined || text.startsWith(TEAM_README_TITLE));
}

/** Whether `plan` owns a file of the repository: under a managed entry, or a team README it wrote. */
export function isManaged(path: string, text?: string): boolean {
  return MANAGED_ENTRIES.some((e) => path === e || path.startsWith(`${e}/`)) || isTeamReadme(path, text);
}
