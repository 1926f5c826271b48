/**
 * plinth.yaml texts the tests share. The compact starter presets Flux; until
 * the Flux synthesis is on main, the compact tests set `gitops.engine` to
 * COMPACT_TEST_ENGINE and assert only what holds under either engine.
 * Setting it to 'flux' (or dropping the override) runs them under Flux.
 */
import { starterConfig } from './starter.js';

export const COMPACT_TEST_ENGINE: 'argocd' | 'flux' = 'argocd';

/** The compact starter with the test engine set explicitly. */
export function compactTestConfig(): string {
  const text = starterConfig('compact');
  if (!text.includes('gitops:\n')) throw new Error('the compact starter has no gitops section');
  return text.replace('gitops:\n', `gitops:\n  engine: ${COMPACT_TEST_ENGINE}\n`);
}

/** The compact test config with one text replaced (the replaced text must be there). */
export function compactEdited(from: string, to: string): string {
  const text = compactTestConfig();
  if (!text.includes(from)) throw new Error(`the compact starter has no ${JSON.stringify(from)}`);
  return text.replace(from, to);
}
