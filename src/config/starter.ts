/**
 * Starters: the commented plinth.yaml `plinth init --profile P` writes, one
 * per profile; the edge one is also the platform `plan` uses when there is
 * no plinth.yaml.
 */
import type { PROFILES } from './choices.js';
import { compactStarter } from './starters/compact.js';
import { edgeStarter } from './starters/edge.js';
import { standardStarter } from './starters/standard.js';
import { labStarter } from './starters/lab.js';

export const BUILTIN_EXAMPLE_NAME = '(built-in edge example)';

export const STARTERS: Readonly<Record<(typeof PROFILES)[number], () => string>> = {
  edge: edgeStarter,
  compact: compactStarter,
  standard: standardStarter,
  lab: labStarter,
};

export function starterConfig(profile: string = 'edge'): string {
  const starter = STARTERS[profile as keyof typeof STARTERS];
  // Invariant, not input: `plinth init` checks --profile against PROFILES first; a miss is a bug (exit 70).
  if (!starter) throw new Error(`no starter for profile ${profile}`);
  return starter();
}
