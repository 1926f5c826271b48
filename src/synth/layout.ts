/** Where each unit lives in the GitOps repository (ARCHITECTURE.md "GitOps repository"). */
import type { Unit } from '../model/unit.js';

export const BOOTSTRAP_DIR = 'bootstrap';
export const PLATFORM_DIR = 'platform';
export const APPS_DIR = 'apps';

export function unitDir(unit: Pick<Unit, 'stack' | 'name'>): string {
  return `${PLATFORM_DIR}/${unit.stack}/${unit.name}`;
}

export const CATALOG_DIR = 'catalog';

/** Top-level entries `plan` owns and rewrites; everything else in the output (.git, apps/<team>/...) is left alone. */
export const MANAGED_ENTRIES = [BOOTSTRAP_DIR, PLATFORM_DIR, CATALOG_DIR, 'README.md', `${APPS_DIR}/README.md`] as const;
