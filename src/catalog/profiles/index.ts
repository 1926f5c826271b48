/**
 * Profile settings of shared components: what a profile changes in what a
 * component builds (replicas, spreading, volumes), kept beside the profile
 * rather than in every component file. `buildUnit` applies them.
 */
import type { ComponentBuild, ComponentContext } from '../component.js';
import { STANDARD_TUNINGS, type Tuning } from './standard.js';

export type { Tuning } from './standard.js';

const TUNINGS: Readonly<Record<string, Readonly<Record<string, Tuning>>>> = { standard: STANDARD_TUNINGS };

/** The component's build for the platform's profile. */
export function tunedForProfile(component: string, ctx: ComponentContext, built: ComponentBuild): ComponentBuild {
  const tuning = TUNINGS[ctx.platform.profile.name]?.[component];
  return tuning ? tuning(ctx, built) : built;
}
