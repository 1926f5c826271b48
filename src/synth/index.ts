/** Synthesis: the desired state as the files of a GitOps repository, for the configured engine. */
import type { DesiredState } from '../desired/state.js';
import { synthArgoCd } from './argocd/index.js';
import { synthFlux } from './flux/index.js';
import { catalogFiles } from './catalog-info.js';
import { type RepoFiles, sortedFiles } from './files.js';

export type { RepoFiles } from './files.js';
export { isManaged, MANAGED_ENTRIES, unitDir } from './layout.js';

export function synthesize(state: DesiredState): RepoFiles {
  return sortedFiles(new Map([...engineFiles(state), ...catalogFiles(state)]));
}

function engineFiles(state: DesiredState): RepoFiles {
  switch (state.platform.choices.engine) {
    case 'argocd':
      return synthArgoCd(state);
    case 'flux':
      return synthFlux(state);
  }
}
