/**
 * What an output folder holds where `plan` writes or reads, seen without
 * following a single symlink: the marker, every entry under plan's entries
 * (bootstrap/, platform/, ...), the team folders' READMEs, and the other
 * top-level entries. A symlink there that leads out of the folder is refused.
 */
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OutputFolderError } from '../lib/errors.js';
import { APPS_DIR, MANAGED_ENTRIES } from '../synth/layout.js';
import { isInside, symlinkTarget } from './out-guard.js';
import { OWNED_DIR, OWNED_FILE, parseOwned } from './owned.js';

export const STAGING_PREFIX = '.plinth-staging-';

export type EntryKind = 'file' | 'dir' | 'symlink' | 'other';

export interface OutSurvey {
  /** The marker's owned files; `problem` when there is a marker that cannot be trusted; undefined with no marker. */
  marker: { files: string[] } | { problem: string } | undefined;
  /** Every entry under plan's entries, the team folders and their READMEs, by path. */
  entries: Map<string, EntryKind>;
  /** The text of each team README on disk (apps/<team>/README.md). */
  teamReadmes: Map<string, string>;
  /** Top-level entries plan neither writes nor always keeps (`docs/`, `LICENSE`); .git, apps/ and staging folders are not listed. */
  others: string[];
}

/** Top-level names plan passes over: the git directory and the staging folders of earlier runs. */
export const passedOver = (name: string): boolean => name === '.git' || name.startsWith(STAGING_PREFIX);

export async function surveyOut(root: string, outArg: string): Promise<OutSurvey> {
  const survey: OutSurvey = { marker: undefined, entries: new Map(), teamReadmes: new Map(), others: [] };
  const kind = async (rel: string): Promise<EntryKind | undefined> => {
    const abs = join(root, rel);
    const s = await lstat(abs).catch(() => undefined);
    if (!s) return undefined;
    const k: EntryKind = s.isSymbolicLink() ? 'symlink' : s.isDirectory() ? 'dir' : s.isFile() ? 'file' : 'other';
    if (k === 'symlink' && !isInside(root, await symlinkTarget(abs))) {
      throw new OutputFolderError(
        `refusing to write the GitOps repository into ${outArg}: ${rel} is a symlink to ${await symlinkTarget(abs)}, outside the folder; plan never follows one` +
          `\n    hint: remove the symlink (plan writes real files there), or choose another --out`,
      );
    }
    survey.entries.set(rel, k);
    return k;
  };
  const walk = async (rel: string): Promise<void> => {
    if ((await kind(rel)) !== 'dir') return;
    for (const name of (await readdir(join(root, rel))).sort()) await walk(`${rel}/${name}`);
  };
  const managedTops = new Set(MANAGED_ENTRIES.map((e) => e.split('/')[0]!));
  for (const name of (await readdir(root)).sort()) {
    if (passedOver(name)) continue;
    if (name === OWNED_DIR) {
      if ((await kind(OWNED_DIR)) === 'dir' && (await kind(OWNED_FILE)) === 'file') survey.marker = parseOwned(await readFile(join(root, OWNED_FILE), 'utf8'));
      else survey.marker = { problem: 'is not a plain file' };
    } else if (name === APPS_DIR) await surveyApps(root, kind, survey);
    else if (managedTops.has(name)) await walk(name);
    else survey.others.push((await lstat(join(root, name))).isDirectory() ? `${name}/` : name);
  }
  return survey;
}

/** apps/: its README and each team folder's README; the team folders' services are not looked into. */
async function surveyApps(root: string, kind: (rel: string) => Promise<EntryKind | undefined>, survey: OutSurvey): Promise<void> {
  if ((await kind(APPS_DIR)) !== 'dir') return;
  await kind(`${APPS_DIR}/README.md`);
  for (const team of (await readdir(join(root, APPS_DIR))).sort()) {
    if (team === 'README.md' || (await kind(`${APPS_DIR}/${team}`)) !== 'dir') continue;
    const path = `${APPS_DIR}/${team}/README.md`;
    if ((await kind(path)) === 'file') survey.teamReadmes.set(path, await readFile(join(root, path), 'utf8'));
  }
}
