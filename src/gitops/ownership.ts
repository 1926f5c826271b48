/**
 * Which files of an output folder `plan` may replace or remove (ADR 023),
 * decided from a survey before anything is touched: the files its marker
 * lists (or, with --force and no marker, the files it is about to write),
 * and the team READMEs it wrote. Everything else is kept, and a folder that
 * is neither empty nor plan's own is refused.
 */
import { OutputFolderError } from '../lib/errors.js';
import type { RepoFiles } from '../synth/files.js';
import { APPS_DIR, isTeamReadme } from '../synth/layout.js';
import { OWNED_DIR, OWNED_FILE } from './owned.js';
import type { OutSurvey } from './survey.js';

export interface Ownership {
  /** What plan writes: the synthesized files without the team READMEs someone else wrote. */
  files: RepoFiles;
  /** Files plan owned that it no longer writes. */
  remove: string[];
  /** Every file or top-level entry plan did not write and keeps (not .git, apps/<team>/...). */
  kept: string[];
  /** What the marker lists while the swap runs: old and new owned files, so a killed plan leaves no file unowned. */
  during: string[];
}

const sample = (paths: readonly string[], n = 5) => `${paths.slice(0, n).join(', ')}${paths.length > n ? `, ... (${paths.length} in all)` : ''}`;
const FORCE = 'or pass --force: plan then replaces only the files it writes and keeps every other file';

export function decideOwnership(survey: OutSurvey, planned: RepoFiles, o: { force: boolean; outArg: string }): Ownership {
  const refuse = (what: string, hint: string) => {
    throw new OutputFolderError(`refusing to write the GitOps repository into ${o.outArg}: ${what}\n    hint: ${hint}`);
  };
  // A team folder's README someone else wrote stays as it is; one with plan's title is plan's.
  const files = new Map([...planned].filter(([p]) => !(survey.teamReadmes.has(p) && !isTeamReadme(p, survey.teamReadmes.get(p)))));
  const titled = [...survey.teamReadmes].filter(([p, t]) => isTeamReadme(p, t)).map(([p]) => p);
  const marker = survey.marker;
  if (marker && 'problem' in marker && !o.force) refuse(`its ${OWNED_FILE} ${marker.problem}`, `if plan wrote this folder, pass --force once to rewrite the marker; ${FORCE}`);
  const listed = marker && 'files' in marker ? marker.files : undefined;
  const found = [...survey.others, ...[...survey.entries].filter(([, k]) => k !== 'dir').map(([p]) => p)].sort();
  if (listed === undefined && !o.force && (found.length > 0 || survey.entries.size > 0)) {
    refuse(
      `it is not empty and has no ${OWNED_FILE}, so plan did not write it; found ${sample(found.length > 0 ? found : [...survey.entries.keys()])}`,
      `choose an empty folder with --out, ${FORCE}. A folder written by an older Plinth has no marker yet: pass --force once`,
    );
  }
  const owned = new Set([...(listed ?? []), ...titled, ...(listed === undefined || o.force ? files.keys() : [])]);
  const remove = [...owned].filter((p) => !files.has(p) && survey.entries.get(p) === 'file').sort();
  refuseInTheWay(survey, [...files.keys(), OWNED_FILE], new Set(remove), refuse);
  const foreign = [...files.keys()].filter((p) => survey.entries.has(p) && !owned.has(p));
  if (foreign.length > 0) refuse(`plan would overwrite ${foreign.length} file${foreign.length === 1 ? '' : 's'} it did not write: ${sample(foreign)}`, `move them away, ${FORCE} (replacing these)`);
  const isOurs = (p: string) => files.has(p) || remove.includes(p) || p === OWNED_DIR || p === OWNED_FILE;
  const inTeamFolder = (p: string) => p.startsWith(`${APPS_DIR}/`) && p !== `${APPS_DIR}/README.md`;
  const kept = [...survey.others, ...[...survey.entries].filter(([p, k]) => k !== 'dir' && !isOurs(p) && !inTeamFolder(p)).map(([p]) => p)].sort();
  return { files, remove, kept, during: [...new Set([...owned, ...files.keys()])].sort() };
}

/** A symlink, a folder or someone else's file where plan writes a file or needs a folder is refused, --force or not. */
function refuseInTheWay(survey: OutSurvey, paths: readonly string[], removed: ReadonlySet<string>, refuse: (what: string, hint: string) => void): void {
  for (const path of paths) {
    const segments = path.split('/');
    for (let i = 1; i <= segments.length; i++) {
      const at = segments.slice(0, i).join('/');
      const kind = survey.entries.get(at);
      const isFile = i === segments.length;
      if (kind === 'symlink') refuse(`${at} is a symlink, and plan writes ${path} there; plan never writes through one`, 'remove the symlink, or choose another --out');
      if (isFile && (kind === 'dir' || kind === 'other')) refuse(`${at} is in the way: plan writes a file there`, 'move it away, or choose another --out');
      if (!isFile && kind !== undefined && kind !== 'dir' && !removed.has(at)) refuse(`${at} is in the way: plan needs a folder there for ${path}`, 'move it away, or choose another --out');
    }
  }
}
