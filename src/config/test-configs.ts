/**
 * plinth.yaml texts the tests share. The compact preset is Flux; until the
 * Flux synthesis is written, the compact starter overrides it with Argo CD and
 * the compact tests set `gitops.engine` to COMPACT_TEST_ENGINE, asserting only
 * what holds under either engine. Setting it to 'flux' runs them under Flux.
 */
import { starterConfig } from './starter.js';

export const COMPACT_TEST_ENGINE: 'argocd' | 'flux' = 'argocd';

/** The compact starter with the test engine set explicitly. */
export function compactTestConfig(): string {
  const text = starterConfig('compact');
  if (!text.includes('\n  engine: argocd\n')) throw new Error('the compact starter sets no gitops.engine');
  return text.replace('\n  engine: argocd\n', `\n  engine: ${COMPACT_TEST_ENGINE}\n`);
}

/** The compact test config with one text replaced (the replaced text must be there). */
export function compactEdited(from: string, to: string): string {
  const text = compactTestConfig();
  if (!text.includes(from)) throw new Error(`the compact starter has no ${JSON.stringify(from)}`);
  return text.replace(from, to);
}
