/**
 * Repo checker: the GitOps repository on disk is what `plan` writes for this
 * plinth.yaml. A hand edit or a forgotten `plan` shows here, before Argo CD
 * applies something nobody checked.
 */
import type { DesiredState } from '../desired/state.js';
import { isManaged, synthesize } from '../synth/index.js';
import { isTeamReadme } from '../synth/layout.js';
import type { Finding } from './finding.js';

export function checkRepo(state: DesiredState, files: ReadonlyMap<string, string>): Finding[] {
  const expected = synthesize(state);
  const differ: string[] = [];
  for (const [path, text] of expected) {
    // A team README someone else wrote is kept by plan (src/gitops/writer.ts).
    const have = files.get(path);
    if (have !== undefined && isTeamReadme(path, undefined) && !isTeamReadme(path, have)) continue;
    if (have !== text) differ.push(path);
  }
  for (const [path, text] of files) if (isManaged(path, text) && !expected.has(path)) differ.push(path);
  if (differ.length === 0) return [];
  const sample = differ.sort().slice(0, 3);
  return [
    {
      check: 'repo',
      severity: 'warning',
      source: { component: '(repository)', file: sample[0]! },
      message: `${differ.length} file${differ.length === 1 ? ' of the GitOps repository differs' : 's of the GitOps repository differ'} from what plan writes for this plinth.yaml: ${sample.join(', ')}${differ.length > sample.length ? ', ...' : ''}`,
      hint: 'run `plinth plan` (files under bootstrap/ and platform/ are generated; change plinth.yaml, not them)',
    },
  ];
}
