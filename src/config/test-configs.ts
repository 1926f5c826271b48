/**
 * plinth.yaml texts the tests share. The compact preset and starter are Flux;
 * the compact tests set `gitops.engine` to COMPACT_TEST_ENGINE explicitly,
 * and assert only what holds under either engine unless they say which.
 */
import { starterConfig } from './starter.js';

export const COMPACT_TEST_ENGINE: 'argocd' | 'flux' = 'flux';

/** The compact starter with the test engine set explicitly. */
export function compactTestConfig(): string {
  const text = starterConfig('compact');
  if (!text.includes('\n  engine: flux\n')) throw new Error('the compact starter sets no gitops.engine');
  return text.replace('\n  engine: flux\n', `\n  engine: ${COMPACT_TEST_ENGINE}\n`);
}

/** The compact test config with one text replaced (the replaced text must be there). */
export function compactEdited(from: string, to: string): string {
  const text = compactTestConfig();
  if (!text.includes(from)) throw new Error(`the compact starter has no ${JSON.stringify(from)}`);
  return text.replace(from, to);
}
